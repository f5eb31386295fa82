import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { ok } from '../../test/helpers/module-ctx.js'
import { fetchKeyCommand, isKeyUrl, type KeyState, parseKeyFetch, planKey } from './signedby.js'

const ARMORED = '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEYCQjIxYJ\n=IE0r\n-----END PGP PUBLIC KEY BLOCK-----\n'
const BINARY = Buffer.from([0x99, 0x01, 0x0d, 0x04, 0x00, 0xff, 0x0a])
const sha = (b: string | Buffer) => createHash('sha256').update(b).digest('hex')
const URL = 'https://example.invalid/key'
const ASC = '/etc/apt/keyrings/docker.asc'
const GPG = '/etc/apt/keyrings/docker.gpg'
const DIR = { mode: 0o755, owner: 'root', group: 'root', uid: 0, gid: 0 }

describe('what counts as a URL (Python urlparse finds a scheme)', () => {
  test.each([
    ['https://download.docker.com/linux/debian/gpg', true],
    ['file:///srv/key.asc', true],
    ['  http://x/k', true],
    ['/usr/share/keyrings/debian-archive-keyring.gpg', false],
    ['A1B2C3D4E5F60718293A4B5C6D7E8F9012345678', false],
    [ARMORED, false],
    ['1abc:x', false],
  ])('%j → %s', (v, want) => expect(isKeyUrl(v)).toBe(want))
})

describe('plan: fetched key + host → steps', () => {
  const steps = (s: KeyState) => {
    const p = planKey(s, URL, 'docker')
    return { ...p, commands: p.commands.map((c) => (c.argv[0] === 'sh' ? `write ${c.argv[4]}` : c.argv.join(' '))) }
  }
  test.each([
    {
      name: 'armored, nothing there: folder and .asc',
      s: { keys: {}, fetched: Buffer.from(ARMORED) },
      want: ['mkdir -m 0755 -- /etc/apt/keyrings', `write ${ASC}`],
      value: ASC,
    },
    { name: 'binary: .gpg', s: { dir: DIR, keys: {}, fetched: BINARY }, want: [`write ${GPG}`], value: GPG },
    {
      name: 'same bytes, same mode: nothing',
      s: { dir: DIR, keys: { [ASC]: { mode: '644', sha256: sha(ARMORED) } }, fetched: Buffer.from(ARMORED) },
      want: [],
      value: ASC,
    },
    {
      name: 'same bytes, other mode: chmod only',
      s: { dir: DIR, keys: { [ASC]: { mode: '600', sha256: sha(ARMORED) } }, fetched: Buffer.from(ARMORED) },
      want: [`chmod -- 0644 ${ASC}`],
      value: ASC,
    },
    {
      name: 'new bytes: the folder is put right first',
      s: {
        dir: { mode: 0o700, owner: 'pi', group: 'pi', uid: 1000, gid: 1000 },
        keys: { [ASC]: { mode: '644', sha256: sha('old') } },
        fetched: Buffer.from(ARMORED),
      },
      want: ['chmod -- 0755 /etc/apt/keyrings', 'chown -- root:root /etc/apt/keyrings', `write ${ASC}`],
      value: ASC,
    },
    { name: 'empty answer: the URL stays the value', s: { keys: {}, fetched: Buffer.alloc(0) }, want: [], value: URL },
  ] as { name: string; s: KeyState; want: string[]; value: string }[])('$name', ({ s, want, value }) => {
    const p = steps(s)
    expect(p.commands).toEqual(want)
    expect(p.value).toBe(value)
    expect(p.keyFilename).toBe(value)
    expect(p.changes.length > 0).toBe(want.length > 0)
  })
  test('the key file gets exactly the bytes, mode 0644', () => {
    const p = planKey({ keys: {}, dir: DIR, fetched: BINARY }, URL, 'docker')
    expect(p.commands[0].argv).toContain('0644')
    expect(Buffer.from(p.commands[0].stdin as Uint8Array | string).subarray(0, BINARY.length)).toEqual(BINARY)
  })
  test('a failed fetch fails the task with the reason', () => {
    expect(planKey({ keys: {}, error: 'Failed to fetch x  404  Not Found' }, URL, 'd').fail).toBe(
      'Could not fetch signed_by key: Failed to fetch x  404  Not Found',
    )
  })
})

describe('parse', () => {
  test('folder, keys, data', () => {
    const out = `dir 755 root root 0 0\nkey ${ASC} 600 ${sha('a')}  -\ndata ${Buffer.from('a').toString('base64')}\n`
    expect(parseKeyFetch(ok(out))).toEqual({
      dir: DIR,
      keys: { [ASC]: { mode: '600', sha256: sha('a') } },
      fetched: Buffer.from('a'),
    })
    expect(parseKeyFetch(ok('dir \nerror \n'))).toEqual({ keys: {}, error: 'the download failed' })
    expect(parseKeyFetch(ok('file\n'))).toEqual({ keys: {}, isFile: true })
  })
})

const helper = existsSync('/usr/lib/apt/apt-helper')
describe.skipIf(!helper)("the fetch script, run here with apt's apt-helper", () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-keyfetch-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const run = (url: string) => {
    const c = fetchKeyCommand(url, 'tsplay-none-such')
    return parseKeyFetch(ok(execFileSync(c.argv[0], c.argv.slice(1), { encoding: 'utf8' })))
  }
  test('a file: URL gives its bytes; a missing one fails with apt-helper’s reason; a file path is a file', () => {
    writeFileSync(join(dir, 'key.gpg'), BINARY)
    const got = run(`file://${join(dir, 'key.gpg')}`)
    expect(got.fetched).toEqual(BINARY)
    expect(got.error).toBeUndefined()
    expect(got.keys).toEqual({})
    expect(run(`file://${join(dir, 'none')}`).error).toMatch(/none/)
    expect(run(join(dir, 'key.gpg')).isFile).toBe(true)
  })
})
