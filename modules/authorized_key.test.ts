import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import authorized_key, { planKeys, type KeyFacts } from './authorized_key.js'
import { editKeys, parseKey, parseOptions } from './lib/sshkeys.js'
import { localIO, moduleArgs, runWith, testCtx } from '../test/helpers/module-ctx.js'

const K1 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK1 one@pc'
const K2 = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ2 two@pc'

describe('editKeys (Ansible algorithm)', () => {
  test.each([
    { name: 'add to an empty file', before: '', key: K1, e: {}, after: `${K1}\n` },
    { name: 'already there', before: `${K1}\n`, key: K1, e: {}, after: `${K1}\n` },
    { name: 'appended after existing keys', before: `${K1}\n`, key: K2, e: {}, after: `${K1}\n${K2}\n` },
    {
      name: 'no comment: a trailing space, as Ansible writes it',
      before: '',
      key: 'ssh-ed25519 AAAA1',
      e: {},
      after: 'ssh-ed25519 AAAA1 \n',
    },
    {
      name: 'comment and options lines kept',
      before: `# admins\n${K1}\n`,
      key: K2,
      e: {},
      after: `# admins\n${K1}\n${K2}\n`,
    },
    {
      name: 'key_options change the key in place (moved to the end)',
      before: `${K1}\n${K2}\n`,
      key: K1,
      e: { key_options: 'no-pty,from="10.0.0.1,10.0.0.2"' },
      after: `${K2}\nno-pty,from="10.0.0.1,10.0.0.2" ${K1}\n`,
    },
    {
      name: 'options in another order are the same',
      before: `from="x",no-pty ${K1}\n`,
      key: K1,
      e: { key_options: 'no-pty,from="x"' },
      after: `from="x",no-pty ${K1}\n`,
    },
    {
      name: 'comment override',
      before: `${K1}\n`,
      key: K1,
      e: { comment: 'new' },
      after: `${K1.replace('one@pc', 'new')}\n`,
    },
    { name: 'absent', before: `${K1}\n${K2}\n`, key: K1, e: { state: 'absent' as const }, after: `${K2}\n` },
    {
      name: 'absent matches by blob whatever the comment',
      before: `${K1}\n`,
      key: K1.replace('one@pc', 'other'),
      e: { state: 'absent' as const },
      after: '',
    },
    { name: 'exclusive', before: `# c\n${K1}\n${K2}\n`, key: K2, e: { exclusive: true }, after: `${K2}\n` },
    {
      name: 'several keys, blank lines and comments skipped',
      before: '',
      key: `${K1}\n\n# x\n${K2}\n`,
      e: {},
      after: `${K1}\n${K2}\n`,
    },
  ])('$name', ({ before, key, e, after }) => {
    const r = editKeys(before, key, { state: 'present', ...e })
    expect(r.content).toBe(after)
    expect(r.changed).toBe(before !== after)
  })
  test('not a key', () =>
    expect(() => editKeys('', 'hello', { state: 'present' })).toThrow('invalid key specified: hello'))
  test('parsing', () => {
    expect(parseOptions('no-pty,command="a,b",x=1')).toEqual([
      ['no-pty', undefined],
      ['command', '"a,b"'],
      ['x', '1'],
    ])
    expect(parseKey(`no-pty ${K1}`, 0)).toMatchObject({ type: 'ssh-ed25519', comment: 'one@pc' })
  })
})

const acct = { name: 'pi', uid: 1000, gid: 1000, comment: '', home: '/home/pi', shell: '/bin/sh' }
const facts = (over: Partial<KeyFacts> = {}): KeyFacts => ({
  account: acct,
  keyfile: '/home/pi/.ssh/authorized_keys',
  content: '',
  key: K1,
  sshdirExists: false,
  parentExists: false,
  ...over,
})

describe('planKeys', () => {
  test('a new .ssh folder and file, owned by the user', () => {
    const p = planKeys(facts(), { user: 'pi', key: K1 })
    expect(p.commands.slice(0, 3).map((c) => c.argv)).toEqual([
      ['mkdir', '-m', '0700', '--', '/home/pi/.ssh'],
      ['chown', '--', '1000:1000', '/home/pi/.ssh'],
      ['chmod', '0700', '--', '/home/pi/.ssh'],
    ])
    expect(p.commands[3].argv.slice(4, 8)).toEqual(['/home/pi/.ssh/authorized_keys', '0600', '1000', '1000'])
  })
  test('nothing to do', () =>
    expect(planKeys(facts({ content: `${K1}\n` }), { user: 'pi', key: K1 }).commands).toEqual([]))
  test('no such user', () => {
    expect(planKeys(facts({ account: undefined }), { user: 'nope', key: K1 }).fail).toMatch(
      /Failed to lookup user nope/,
    )
    expect(planKeys(facts({ account: undefined }), { user: 'nope', key: K1 }, true).fail).toMatch(/in check mode/)
    expect(planKeys(facts({ account: undefined }), { user: 'nope', key: K1, path: '/k' }, true).fail).toBeUndefined()
  })
})

const dir = mkdtempSync(join(tmpdir(), 'tsplay-akey-'))
let server: Server
let url = ''
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/keys') res.end(`${K2}\n`)
    else res.writeHead(404).end()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const addr = server.address()
  url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`
})
afterAll(async () => {
  await new Promise((r) => server.close(r))
  rmSync(dir, { recursive: true, force: true })
})

describe('on this machine', () => {
  const me = userInfo().username
  const run = async (args: Parameters<typeof planKeys>[1]) => {
    const run = await runWith(authorized_key, args, testCtx(), localIO())
    expect(run.failed).toBeUndefined()
    const p = run.plan
    return p.commands.length > 0
  }
  test('path given: folder and file made with their modes; then nothing; a key from a URL', async () => {
    const path = join(dir, 'ssh', 'keys')
    expect(await run({ user: me, key: K1, path })).toBe(true)
    expect(await run({ user: me, key: K1, path })).toBe(false)
    expect(statSync(join(dir, 'ssh')).mode & 0o777).toBe(0o700)
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(await run({ user: me, key: `${url}/keys`, path })).toBe(true)
    expect(readFileSync(path, 'utf8')).toBe(`${K1}\n${K2}\n`)
    const bad = { user: me, key: `${url}/nope`, path }
    await expect(authorized_key.gather(moduleArgs(authorized_key, bad), testCtx(), localIO())).rejects.toThrow(
      `Error getting key from: ${url}/nope`,
    )
  })
  test('hostile comment is data', async () => {
    const path = join(dir, 'k2')
    writeFileSync(path, '')
    await run({ user: me, key: K1, path, comment: "$(touch /tmp/pwned-akey) ';x" })
    expect(readFileSync(path, 'utf8')).toContain("$(touch /tmp/pwned-akey) ';x")
    expect(() => readFileSync('/tmp/pwned-akey')).toThrow()
  })
})
