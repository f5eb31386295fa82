import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { resolveArgs } from '../engine/load/args.js'
import type { HostIO } from '../engine/module.js'
import getUrl, { checksumFromList, planGetUrl, splitChecksum, urlFilename } from './get_url.js'
import { curlConfig, curlQuote } from './lib/download.js'
import type { PathInfo } from './lib/probe.js'
import { localAsyncIO, moduleArgs, runLocalAsync, testCtx } from '../test/helpers/module-ctx.js'
import { startWeb, type Web } from '../test/helpers/web.js'

const BODY = 'hello from the test server\n'
const SHA256 = createHash('sha256').update(BODY).digest('hex')

describe('pure parts', () => {
  test.each([
    ['https://x.org/a/b.tar.gz?x=1', 'b.tar.gz'],
    ['https://x.org/', 'index.html'],
    ['https://x.org', 'index.html'],
    ['file:///srv/a%20b.txt', 'a b.txt'],
  ])('urlFilename %s', (url, want) => expect(urlFilename(url)).toBe(want))
  test('checksum files', () => {
    expect(checksumFromList(`${SHA256}\n`, 'x')).toBe(SHA256)
    expect(checksumFromList(`aaa  other.tgz\nbbb *./x.tgz\n`, 'x.tgz')).toBe('bbb')
    expect(checksumFromList(`aaa  other.tgz\n`, 'x.tgz')).toBeUndefined()
  })
  test('checksum argument', () => {
    expect(splitChecksum('sha256:abc')).toEqual({ algorithm: 'sha256', value: 'abc' })
    expect(splitChecksum('abc')).toBe('The checksum parameter has to be in format <algorithm>:<checksum>')
    expect(splitChecksum('crc:1')).toMatch(/unsupported/)
  })
  test('curl config quoting', () => {
    expect(curlQuote('a"b\\c')).toBe('"a\\"b\\\\c"')
    expect(() => curlQuote('a\nb')).toThrow(/line break/)
    expect(curlConfig({ headers: { X: '1' }, username: 'u', password: 'p', validateCerts: false })).toBe(
      'header = "X: 1"\nuser = "u:p"\ninsecure\ncompressed\ncookie = ""\n',
    )
  })
  test('the wanted checksum already there: nothing downloaded', () => {
    const self = { type: 'regular file', mode: 0o644, uid: 0, gid: 0, owner: 'root', group: 'root' }
    const times = { size: 1, mtime: 0, atime: 0, ctime: 0, inode: 1, dev: 1, nlink: 1 }
    const info: PathInfo = {
      exists: true,
      self: { ...self, ...times },
      readable: true,
      writeable: true,
      executable: false,
      checksum: SHA256,
    }
    const f = { info, algorithm: 'sha256' as const, checksum: SHA256 }
    expect(planGetUrl(f, { url: 'http://x/a', dest: '/a' })).toMatchObject({ commands: [], msg: 'file already exists' })
    expect(planGetUrl(f, { url: 'http://x/a', dest: '/a', force: true }).commands).toHaveLength(1)
  })
  test('the wanted checksum there but other flags: chattr alone, as "attributes changed"', () => {
    const info = { exists: true, self: { type: 'regular file', mode: 0o644 }, checksum: SHA256 } as PathInfo
    const f = { info, algorithm: 'sha256' as const, checksum: SHA256, attrFlags: 'e' }
    const p = planGetUrl(f, { url: 'http://x/a', dest: '/a', attributes: 'Ae' })
    expect(p.commands.map((c) => c.argv)).toEqual([['chattr', '=Ae', '/a']])
    expect(p.msg).toBe('file already exists but file attributes changed')
    expect(planGetUrl({ ...f, attrFlags: 'Ae' }, { url: 'http://x/a', dest: '/a', attributes: 'Ae' }).commands).toEqual(
      [],
    )
  })
  test('a client certificate and key, a CA file: handed to curl in its config, never in argv', () => {
    const f = { info: { exists: false } as PathInfo, algorithm: undefined, checksum: undefined }
    const a = { url: 'https://x/a', dest: '/a', client_cert: '/c.pem', client_key: '/k.pem', ca_path: '/ca.pem' }
    const cmd = planGetUrl(f as never, moduleArgs(getUrl, a)).commands[0]
    const all = JSON.stringify(cmd)
    for (const line of ['cert = \\"/c.pem\\"', 'key = \\"/k.pem\\"', 'cacert = \\"/ca.pem\\"'])
      expect(all).toContain(line)
    expect(cmd.argv.join(' ')).not.toContain('/k.pem')
  })
  test('aliases and defaults', () => {
    expect(
      resolveArgs(
        getUrl,
        { url: 'u', dest: 'd', thirsty: true, username: 'a', password: 'b' },
        { file: 't', line: 1, col: 1 },
      ),
    ).toMatchObject({
      force: true,
      url_username: 'a',
      url_password: 'b',
      checksum: '',
      timeout: 10,
      validate_certs: true,
      decompress: true,
    })
  })
})

const dir = mkdtempSync(join(tmpdir(), 'tsplay-geturl-'))
let web: Web
let base = ''
const seen: { url?: string; auth?: string; x?: string }[] = []
beforeAll(async () => {
  web = await startWeb((req, res) => {
    seen.push({ url: req.url, auth: req.headers.authorization, x: req.headers['x-test'] as string | undefined })
    if (req.url.split('?')[0] === '/file.txt') res.end(BODY)
    else if (req.url === '/named')
      res.setHeader('Content-Disposition', 'attachment; filename="../up/given.txt"').end(BODY)
    else if (req.url === '/inline') res.setHeader('Content-Disposition', 'inline; filename="no.txt"').end(BODY)
    else if (req.url === '/SHA256SUMS') res.end(`0000  other\n${SHA256}  file.txt\n`)
    else res.writeHead(404).end('no')
  })
  base = web.base
})
afterAll(async () => {
  await web.close()
  rmSync(dir, { recursive: true, force: true })
})

// commands run on this machine without blocking the event loop (the server answers in this process)
const io: HostIO = localAsyncIO()
async function run(args: Parameters<typeof planGetUrl>[1]) {
  const ctx = testCtx()
  const facts = await getUrl.gather(moduleArgs(getUrl, args), ctx, io)
  const plan = getUrl.plan(facts, moduleArgs(getUrl, args), ctx)
  const results = []
  for (const c of plan.commands) results.push(await runLocalAsync(c))
  const after = await getUrl.after!(facts, moduleArgs(getUrl, args), results, ctx, io)
  return { plan, after, changed: after.changed ?? plan.commands.length > 0 }
}

describe('from a loopback HTTP server', () => {
  test('a folder dest: the name an attachment answer gives (its base name), else the URL name', async () => {
    const into = join(dir, 'named')
    mkdirSync(into)
    let r = await run({ url: `${base}/named`, dest: into })
    expect([r.changed, r.after.data?.dest]).toEqual([true, join(into, 'given.txt')])
    expect(readFileSync(join(into, 'given.txt'), 'utf8')).toBe(BODY)
    r = await run({ url: `${base}/named`, dest: `${into}/` })
    expect([r.changed, r.after.data?.dest]).toEqual([false, join(into, 'given.txt')])
    r = await run({ url: `${base}/inline`, dest: into })
    expect(r.after.data?.dest).toBe(join(into, 'inline'))
    expect(readdirSync(into).sort()).toEqual(['given.txt', 'inline']) // no temp or header file left
  })
  test('download, then unchanged; a folder dest takes the URL name; headers and auth reach the server', async () => {
    const dest = join(dir, 'f.txt')
    const args = {
      url: `${base}/file.txt`,
      dest,
      mode: '0640',
      headers: { 'X-Test': 'yes' },
      url_username: 'u',
      url_password: 'p',
    }
    let r = await run(args)
    expect(r.after.fail).toBeUndefined()
    expect(r.changed).toBe(true)
    expect(readFileSync(dest, 'utf8')).toBe(BODY)
    expect(statSync(dest).mode & 0o777).toBe(0o640)
    expect(r.after.data).toMatchObject({
      status_code: 200,
      checksum_src: createHash('sha1').update(BODY).digest('hex'),
    })
    expect(seen.at(-1)).toMatchObject({ x: 'yes', auth: `Basic ${Buffer.from('u:p').toString('base64')}` })
    r = await run(args)
    expect(r.changed).toBe(false)
    r = await run({ url: `${base}/file.txt`, dest: dir })
    expect(r.changed).toBe(true)
    expect(readFileSync(join(dir, 'file.txt'), 'utf8')).toBe(BODY)
  })
  test('checksum: given, from a checksum file, wrong; a matching file is not downloaded again', async () => {
    const dest = join(dir, 'c.txt')
    expect((await run({ url: `${base}/file.txt`, dest, checksum: `sha256:${SHA256}` })).changed).toBe(true)
    const before = seen.length
    const again = await run({ url: `${base}/file.txt`, dest, checksum: `sha256:${base}/SHA256SUMS` })
    expect(again.changed).toBe(false)
    expect(again.plan.msg).toBe('file already exists')
    expect(seen.slice(before).map((s) => s.url)).toEqual(['/SHA256SUMS'])
    writeFileSync(dest, 'old\n')
    const bad = await run({ url: `${base}/file.txt`, dest, checksum: `sha256:${'0'.repeat(64)}` })
    expect(bad.after.fail).toMatch(/did not match/)
    expect(readFileSync(dest, 'utf8')).toBe('old\n')
  })
  test('HTTP errors and a missing folder fail; hostile values stay data', async () => {
    expect((await run({ url: `${base}/nope`, dest: join(dir, 'n') })).after.fail).toMatch(/Request failed/)
    expect((await run({ url: `${base}/file.txt`, dest: join(dir, 'no/such/x') })).after.fail).toMatch(/does not exist/)
    const url = `${base}/file.txt?q='";$(touch${'${IFS}'}pwned-geturl)`
    const r = await run({ url, dest: join(dir, "x'; touch pwned-geturl #") })
    expect(r.after.fail).toBeUndefined()
    expect(readFileSync(join(dir, "x'; touch pwned-geturl #"), 'utf8')).toBe(BODY)
    expect(() => readFileSync('pwned-geturl')).toThrow()
  })
})
