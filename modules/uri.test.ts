import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import uri, { absoluteLocation, planUri } from './uri.js'
import { encodeBody } from './lib/uribody.js'
import { parseResponse } from './lib/http.js'
import { pyJson } from '../engine/expr/pystr.js'
import { formUrlencoded, quotePlus } from './lib/pyfmt.js'
import {
  localAsyncIO,
  moduleArgs,
  planOf,
  playbookArgs,
  runWith,
  testCtx,
  type WrittenArgs,
} from '../test/helpers/module-ctx.js'
import { startWeb, type Web } from '../test/helpers/web.js'

const cfg = (args: WrittenArgs<typeof uri>) => String(planOf(uri, {}, args).commands[0]?.stdin ?? '')

describe('plan: arguments → the request', () => {
  test.each([
    ['GET by default, no body', { url: 'http://x/' }, ['GET'], ['data-binary', 'Content-Type']],
    [
      'json body encoded as Python does, Content-Type set',
      { url: 'http://x/', method: 'post', body_format: 'json' as const, body: { a: [1, 'é'], b: true } },
      ['POST', 'data-binary = "{\\"a\\": [1, \\"\\\\u00e9\\"], \\"b\\": true}"', 'Content-Type: application/json'],
      [],
    ],
    [
      'form body, the caller’s Content-Type kept',
      {
        url: 'http://x/',
        method: 'PUT',
        body_format: 'form-urlencoded' as const,
        body: { q: 'a b&c', n: [1, 2] },
        headers: { 'content-type': 'text/x' },
      },
      ['PUT', 'data-binary = "q=a+b%26c&n=1&n=2"', 'header = "content-type: text/x"'],
      ['x-www-form-urlencoded'],
    ],
    [
      'raw body with line breaks, escaped for curl’s config',
      { url: 'http://x/', method: 'POST', body: 'a\n"b"\\' },
      ['data-binary = "a\\n\\"b\\"\\\\"'],
      [],
    ],
    [
      'credentials: challenged by default, basic when forced; never in argv',
      { url: 'http://x/', url_username: 'u', url_password: "p'w" },
      ['user = "u:p\'w"', 'anyauth'],
      ['basic'],
    ],
    [
      'files on the host: CA, client certificate and key, Unix socket; ~/.netrc when no user is given',
      { url: 'https://x/', ca_path: '/ca.pem', client_cert: '/c.pem', client_key: '/k.pem', unix_socket: '/s' },
      ['cacert = "/ca.pem"', 'cert = "/c.pem"', 'key = "/k.pem"', 'unix-socket = "/s"', 'netrc-optional'],
      ['user ='],
    ],
    [
      'no certificate check, no proxy, agent',
      { url: 'https://x/', validate_certs: false, use_proxy: false, http_agent: 'me' },
      ['insecure', 'noproxy = "*"', 'user-agent = "me"'],
      [],
    ],
  ])('%s', (_n, args, has, hasNot) => {
    const plan = planOf(uri, {}, args)
    const text = `${plan.commands[0].argv.join(' ')}\n${cfg(args)}`
    for (const h of has) expect(text).toContain(h)
    for (const h of hasNot) expect(text).not.toContain(h)
    expect(plan.commands[0].secretStdin).toBe(true)
    expect(plan.commands[0].argv.join(' ')).not.toMatch(/p'w|data-binary/)
  })
  test('force_basic_auth', () =>
    expect(cfg({ url: 'u', url_username: 'u', force_basic_auth: true })).toMatch(/^basic$/m))
  test.each([
    ['GET', 'safe', true],
    ['HEAD', 'safe', true],
    ['POST', 'safe', false],
    ['POST', 'all', true],
    ['GET', 'none', false],
    ['GET', 'no', false],
  ] as const)('follow_redirects: %s with %s → %s', (method, follow_redirects, follows) => {
    const argv = planOf(uri, {}, { url: 'http://x/', method, follow_redirects }).commands[0].argv
    expect(argv[7]).toBe(follows ? '1' : '')
  })
  test('creates/removes, check mode, a bad method: nothing runs', () => {
    expect(planUri({ creates: true }, moduleArgs(uri, { url: 'u', creates: '/c' }))).toMatchObject({
      commands: [],
      changed: false,
      data: { stdout: "skipped, since '/c' exists" },
    })
    expect(planUri({ removes: false }, moduleArgs(uri, { url: 'u', removes: '/r' })).commands).toEqual([])
    expect(planUri({}, moduleArgs(uri, { url: 'u' }), true).skip).toMatch(/does not support check mode/)
    expect(planUri({}, moduleArgs(uri, { url: 'u', method: 'GET X' })).fail).toMatch(/single word/)
  })
  test('aliases, defaults, a single status code', () => {
    expect(playbookArgs(uri, { url: 'u', user: 'a', password: 'b', status_code: '201' })).toMatchObject({
      url_username: 'a',
      url_password: 'b',
      status_code: 201,
      method: 'GET',
      timeout: 30,
      body_format: 'raw',
      follow_redirects: 'safe',
    })
  })
})

describe('pure parts', () => {
  test('Python formats', () => {
    expect(pyJson({ a: null, b: [1.5, 'x"'] })).toBe('{"a": null, "b": [1.5, "x\\""]}')
    expect(quotePlus("a b/~!'")).toBe('a+b%2F~%21%27')
    expect(
      formUrlencoded([
        ['k', 'v'],
        ['k', 'w'],
      ]),
    ).toBe('k=v&k=w')
    expect(encodeBody({ body: undefined, body_format: 'raw' }, {})).toEqual({})
  })
  test('Location made absolute', () => {
    expect(absoluteLocation('http://h:1/a/b?x', '/c')).toBe('http://h:1/c')
    expect(absoluteLocation('http://h/a/b', 'c')).toBe('http://h/a/c')
    expect(absoluteLocation('http://h/a', 'https://o/')).toBe('https://o/')
  })
  test('the script output: the last response of a redirect chain', () => {
    const out = [
      'rc=0',
      '200',
      'http://h/final',
      'application/json',
      '1.200',
      '--error',
      '--headers',
      'HTTP/1.1 302 Found\r\nLocation: /final\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: application/json\r\n' +
        'X-A: 1\r\nx-a: 2\r\n\r\n',
      '--body',
      '{"ok":true}',
    ].join('\n')
    expect(parseResponse(out)).toMatchObject({
      rc: 0,
      status: 200,
      url: 'http://h/final',
      reason: 'OK',
      headers: { 'content-type': 'application/json', 'x-a': '1, 2' },
      seconds: 1,
      body: '{"ok":true}',
    })
    for (const end of ['\n', ''])
      expect(parseResponse(`rc=7\n000\nhttp://h/\n\n0\n--error\ncurl: (7) refused\n--headers${end}`)).toMatchObject({
        status: -1,
        error: 'curl: (7) refused',
      })
  })
})

const dir = mkdtempSync(join(tmpdir(), 'tsplay-uri-'))
let web: Web
beforeAll(async () => {
  web = await startWeb((req, res) => {
    const path = req.url.split('?')[0]
    if (path === '/json') res.setHeader('Content-Type', 'application/json').end('{"a": [1, 2], "who": "me"}')
    else if (path === '/echo') res.setHeader('Content-Type', 'text/plain').end(`${req.method} ${req.body}`)
    else if (path === '/moved') res.writeHead(302, { Location: '/json' }).end()
    else if (path === '/file.bin')
      res.setHeader('Content-Disposition', 'attachment; filename="named.txt"').end('data\n')
    else if (path === '/auth') {
      const want = `Basic ${Buffer.from('u:s3cret').toString('base64')}`
      if (req.headers.authorization === want) res.end('welcome')
      else res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="t"' }).end('who?')
    } else res.writeHead(404).end('no such page')
  })
})
afterAll(async () => {
  await web.close()
  rmSync(dir, { recursive: true, force: true })
})

const run = (args: WrittenArgs<typeof uri>) => runWith(uri, args, testCtx(), localAsyncIO())

describe('against a loopback HTTP server', () => {
  test('GET JSON: ok, json and headers registered, content only when asked', async () => {
    const r = await run({ url: `${web.base}/json` })
    expect(r.failed).toBeUndefined()
    expect(r.changed).toBe(false)
    expect(r.data).toMatchObject({ status: 200, json: { a: [1, 2], who: 'me' }, content_type: 'application/json' })
    expect(r.data.msg).toBe('OK (26 bytes)')
    expect(r.data.content).toBeUndefined()
    expect((await run({ url: `${web.base}/echo`, return_content: true })).data.content).toBe('GET ')
  })
  test('POST bodies reach the server as Ansible sends them', async () => {
    const r = await run({ url: `${web.base}/echo`, method: 'POST', body_format: 'json', body: { x: 'y z' } })
    expect(r.failed).toBeUndefined()
    expect(web.seen.at(-1)).toMatchObject({ method: 'POST', body: '{"x": "y z"}' })
    expect(web.seen.at(-1)?.headers['content-type']).toBe('application/json')
    await run({ url: `${web.base}/echo`, method: 'POST', body_format: 'form-urlencoded', body: { q: 'a b' } })
    expect(web.seen.at(-1)?.body).toBe('q=a+b')
    expect(web.seen.at(-1)?.headers['user-agent']).toBe('ansible-httpget')
  })
  test('a status outside status_code fails, with the status registered', async () => {
    const r = await run({ url: `${web.base}/nope`, return_content: true })
    expect(r.failed).toBe('Status code was 404 and not [200]: HTTP Error 404: Not Found')
    expect(r.data).toMatchObject({ status: 404, content: 'no such page' })
    expect((await run({ url: `${web.base}/nope`, status_code: [200, 404] })).failed).toBeUndefined()
  })
  test('redirects: followed for GET (redirected, final url); not followed: 302 and an absolute location', async () => {
    const r = await run({ url: `${web.base}/moved` })
    expect(r.data).toMatchObject({ status: 200, redirected: true, url: `${web.base}/json` })
    const n = await run({ url: `${web.base}/moved`, follow_redirects: 'none', status_code: 302 })
    expect(n.failed).toBeUndefined()
    expect(n.data).toMatchObject({ status: 302, location: `${web.base}/json`, redirected: false })
  })
  test('basic auth: after the challenge, or forced; the password is not in any argv', async () => {
    const args = { url: `${web.base}/auth`, url_username: 'u', url_password: 's3cret', return_content: true }
    expect((await run(args)).data.content).toBe('welcome')
    const before = web.seen.length
    expect((await run({ ...args, force_basic_auth: true })).data.content).toBe('welcome')
    expect(web.seen.length - before).toBe(1)
    expect(planOf(uri, {}, args).commands[0].argv.join(' ')).not.toContain('s3cret')
    expect((await run({ ...args, url_password: 'bad' })).failed).toMatch(/^Status code was 401/)
  })
  test('dest: written (changed every time, as Ansible), a folder takes the served name, mode applied', async () => {
    const dest = join(dir, 'out.json')
    const r = await run({ url: `${web.base}/json`, dest, mode: '0600' })
    expect(r).toMatchObject({ changed: true, failed: undefined })
    expect(r.data.path).toBe(dest)
    expect(readFileSync(dest, 'utf8')).toBe('{"a": [1, 2], "who": "me"}')
    expect(statSync(dest).mode & 0o777).toBe(0o600)
    expect(web.seen.at(-1)?.headers['if-modified-since']).toBeUndefined()
    expect((await run({ url: `${web.base}/json`, dest })).changed).toBe(true)
    expect(web.seen.at(-1)?.headers['if-modified-since']).toMatch(/GMT$/)
    const named = await run({ url: `${web.base}/file.bin`, dest: dir })
    expect(named.data.path).toBe(join(dir, 'named.txt'))
    expect(readFileSync(join(dir, 'named.txt'), 'utf8')).toBe('data\n')
    writeFileSync(join(dir, 'keep'), 'old')
    expect((await run({ url: `${web.base}/nope`, dest: join(dir, 'keep') })).failed).toMatch(/404/)
    expect(readFileSync(join(dir, 'keep'), 'utf8')).toBe('old')
  })
  test('creates: nothing requested; a refused connection fails with status -1', async () => {
    const before = web.seen.length
    const r = await run({ url: `${web.base}/json`, creates: dir })
    expect(r).toMatchObject({ changed: false, failed: undefined, data: { stdout: `skipped, since '${dir}' exists` } })
    expect(web.seen.length).toBe(before)
    const down = await run({ url: 'http://127.0.0.1:9/', timeout: 5 })
    expect(down.data.status).toBe(-1)
    expect(down.failed).toMatch(/^Status code was -1 and not \[200\]: Request failed: curl: \(7\)/)
  })
  test('hostile values stay data', async () => {
    const dest = join(dir, "x'; touch pwned-uri #")
    const r = await run({
      url: `${web.base}/echo?q='";$(touch${'${IFS}'}pwned-uri)`,
      dest,
      headers: { 'X-Q': '$(id)' },
    })
    expect(r.failed).toBeUndefined()
    expect(readFileSync(dest, 'utf8')).toBe('GET ')
    expect(web.seen.at(-1)?.headers['x-q']).toBe('$(id)')
    expect(() => readFileSync('pwned-uri')).toThrow()
  })
})
