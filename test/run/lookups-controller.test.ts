/**
 * The controller lookups `password`, `csvfile`, `ini` and `url`, with the values Ansible 2.14 (Python's csv,
 * configparser and random modules) gives for the same files and terms.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runLookup, type LookupCtx } from '../../engine/expr/lookups.js'
import { bcrypt } from '../../engine/expr/bcrypt.js'
import { csvRows } from '../../engine/run/lookup-csv.js'
import { parseStored, randomPassword } from '../../engine/run/lookup-password.js'
import { parseNetrc } from '../../engine/run/netrc.js'
import '../../engine/run/lookups-controller.js'

const dir = mkdtempSync(join(tmpdir(), 'lookups-controller-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
mkdirSync(join(dir, 'files'))
const files: Record<string, string> = {
  'files/e.csv': 'Li,3,6.94\nH,1,1.008\n"Na ""x""",11,"22,99"\n\ncomma,,\n',
  'e.tsv': 'Li\t3\nBe\t4\n',
  't.ini':
    '[DEFAULT]\nhome = /srv\n\n[global]\nUser = root\npath = %(home)s/app\npct = 100%%\nmulti = one\n  two\n' +
    '; comment\n[prod]\nuser = app\nuser.name=x\nport: 5432\n',
  'u.properties': 'user.name = bob\nuser.mail=b@x\n',
}
for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text)
const ctx: LookupCtx = { paths: { paths: [dir], basedir: dir } }
const q = (name: string, terms: unknown[], kw: Record<string, unknown> = {}) => runLookup(name, terms, kw, ctx)

describe('password', () => {
  it('makes a password, stores it (0600) and gives the same one next time', () => {
    const [pw] = q('password', ['creds/app length=12'])
    expect(pw).toMatch(/^[A-Za-z0-9.,:_-]{12}$/)
    const f = join(dir, 'creds/app')
    expect(readFileSync(f, 'utf8')).toBe(`${pw}\n`)
    expect(statSync(f).mode & 0o777).toBe(0o600)
    expect(statSync(join(dir, 'creds')).mode & 0o777).toBe(0o700)
    expect(q('password', ['creds/app length=30'])).toEqual([pw])
  })
  it('chars and seed as Python random.Random(seed).choice gives them; /dev/null stores nothing', () => {
    expect(randomPassword(12, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,:-_', 'abc')).toBe(
      '6TTuIhBjbajO',
    )
    expect(q('password', ['/dev/null seed=abc length=8 chars=01'])).toEqual(['11101000'])
    expect(q('password', ['/dev/null length=8'], { seed: 5 })).toEqual(['GTd7Fguo'])
    expect(q('password', ['/dev/null length=8 seed=5'])).toEqual(['TI_h-C7n'])
    expect(q('password', ['/dev/null'], { length: 5, chars: ['digits'] })[0]).toMatch(/^\d{5}$/)
    expect(q('password', ['/dev/null chars=,,'])[0]).toBe(','.repeat(20))
  })
  it('encrypt stores a salt beside the password and gives the crypt hash, the same each run', () => {
    const [h] = q('password', ['creds/enc encrypt=sha512_crypt'])
    const stored = parseStored(readFileSync(join(dir, 'creds/enc'), 'utf8').trimEnd())
    expect(stored.salt).toMatch(/^[A-Za-z0-9./]{16}$/)
    expect(h).toMatch(new RegExp(`^\\$6\\$${stored.salt!.replace(/[.]/g, '\\.')}\\$`))
    expect(q('password', ['creds/enc encrypt=sha512_crypt'])).toEqual([h])
    expect(q('password', ['creds/enc'])).toEqual([stored.password])
  })
  it("encrypt=bcrypt stores the salt and Ansible's ident 2b, and gives the bcrypt hash, the same each run", () => {
    const [h] = q('password', ['creds/bf encrypt=bcrypt'])
    const stored = parseStored(readFileSync(join(dir, 'creds/bf'), 'utf8').trimEnd())
    expect(stored.salt).toMatch(/^[A-Za-z0-9./]{22}$/)
    expect(stored.ident).toBe('2b')
    expect(h).toBe(bcrypt(stored.password, stored.salt!, 12, '2b'))
    expect(q('password', ['creds/bf encrypt=bcrypt'])).toEqual([h])
    expect(q('password', ['creds/bf encrypt=bcrypt ident=2y'])[0]).toMatch(/^\$2y\$12\$/)
    expect(parseStored(readFileSync(join(dir, 'creds/bf'), 'utf8').trimEnd()).ident).toBe('2y')
  })
  it('refuses unknown parameters and schemes', () => {
    expect(() => q('password', ['/dev/null lenght=3'])).toThrow(/Unrecognized parameter\(s\).*lenght/)
    expect(() => q('password', ['/dev/null encrypt=scrypt'])).toThrow(/not supported/)
  })
})

describe('csvfile', () => {
  it('reads fields as Python csv does', () => {
    expect(csvRows(files['files/e.csv'], ',')).toEqual([
      ['Li', '3', '6.94'],
      ['H', '1', '1.008'],
      ['Na "x"', '11', '22,99'],
      [],
      ['comma', '', ''],
    ])
  })
  it('finds the row by its first field, in files/ of the search path, tab-separated by default', () => {
    expect(q('csvfile', ['Li file=e.csv delimiter=,'])).toEqual(['3'])
    expect(q('csvfile', ['Li'], { file: 'e.csv', delimiter: ',', col: 2 })).toEqual(['6.94'])
    expect(q('csvfile', ['Na "x"'], { file: 'e.csv', delimiter: ',', col: '2' })).toEqual(['22,99'])
    expect(q('csvfile', ['Be file=e.tsv'])).toEqual(['4'])
    expect(q('csvfile', ['nope file=e.tsv'])).toEqual([])
    expect(q('csvfile', ['nope file=e.tsv default=d'])).toEqual(['d'])
    // `col` is read only for a row found, as Ansible's
    expect(q('csvfile', ['nope file=e.tsv col=2, default=d'])).toEqual(['d'])
    expect(() => q('csvfile', ['Li file=e.tsv col=2,'])).toThrow(/invalid literal for int\(\) with base 10: '2,'/)
    expect(() => q('csvfile', ['Li file=e.tsv col=5'])).toThrow(/list index out of range/)
    expect(() => q('csvfile', ['file=e.tsv'])).toThrow(/Search key is required/)
  })
})

describe('ini', () => {
  it('reads keys as configparser does: lowercased, DEFAULT, interpolation, continuation lines', () => {
    const o = { file: 't.ini' }
    expect(q('ini', ['user', 'USER', 'path', 'pct', 'multi'], o)).toEqual([
      'root',
      'root',
      '/srv/app',
      '100%',
      'one\ntwo',
    ])
    expect(q('ini', ['port', 'home'], { ...o, section: 'prod' })).toEqual(['5432', '/srv'])
    expect(q('ini', ['user'], { ...o, section: 'prod', re: true })).toEqual(['app', 'x'])
    expect(q('ini', ['nope'], o)).toEqual([''])
    expect(q('ini', ['nope'], { ...o, default: 'd' })).toEqual(['d'])
    expect(q('ini', ['user section=prod file=t.ini'])).toEqual(['app'])
    expect(() => q('ini', ['user'], { ...o, section: 'x' })).toThrow(/No section 'x' in t.ini/)
    expect(() => q('ini', ['user'], { ...o, sectoin: 'x' })).toThrow(/sectoin is not a valid option/)
  })
  it('reads Java properties files', () => {
    expect(q('ini', ['user.name', 'user.mail'], { type: 'properties', file: 'u.properties' })).toEqual(['bob', 'b@x'])
  })
})

/** A loopback HTTP server in a child process (the lookup blocks this one while it waits for the answer). */
const SERVER = `
require('node:http').createServer((req, res) => {
  if (req.url === '/missing') { res.statusCode = 404; return res.end('no') }
  if (req.url === '/redir') { res.writeHead(302, { location: '/x' }); return res.end() }
  if (req.url === '/auth') return res.end(String(req.headers.authorization))
  res.end('a ' + (req.headers['x-who'] || '') + '\\n' + req.headers['user-agent'] + '\\n')
}).listen(0, '127.0.0.1', function () { console.log(this.address().port) })
`

/** A loopback HTTPS server (TLS 1.2 at most, so a cipher list decides) with the key and certificate files given. */
const TLS_SERVER = `
const [key, cert] = process.argv.slice(1).map((f) => require('node:fs').readFileSync(f))
require('node:https').createServer({ key, cert, maxVersion: 'TLSv1.2' }, (req, res) => res.end('secure\\n'))
  .listen(0, '127.0.0.1', function () { console.log(this.address().port) })
`

describe('url', () => {
  let server: ChildProcess
  let base = ''
  beforeAll(async () => {
    server = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] })
    const port = await new Promise<string>((ok) => server.stdout!.once('data', (d: Buffer) => ok(d.toString().trim())))
    base = `http://127.0.0.1:${port}`
  })
  afterAll(() => {
    server.kill()
  })
  it('gives the body in lines, or whole; sends headers; an HTTP error fails', () => {
    expect(q('url', [`${base}/x`])).toEqual(['a ', 'ansible-httpget'])
    expect(q('url', [`${base}/x`], { split_lines: false, headers: { 'X-Who': 'me' }, http_agent: 't' })).toEqual([
      'a me\nt\n',
    ])
    expect(() => q('url', [`${base}/missing`])).toThrow(/Received HTTP error for .*HTTP Error 404: Not Found/)
    expect(() => q('url', ['http://127.0.0.1:1/'], { validate_certs: false })).toThrow(/Failed lookup url for/)
  })
  it('unredirected_headers reach the first URL only; other headers follow the redirect', () => {
    const headers = { 'X-Who': 'me' }
    expect(q('url', [`${base}/redir`], { headers })).toEqual(['a me', 'ansible-httpget'])
    expect(q('url', [`${base}/redir`], { headers, unredirected_headers: ['x-who'] })).toEqual(['a ', 'ansible-httpget'])
  })
  it('use_netrc: the login for the host in $NETRC, sent at once; not with a username, nor with use_netrc false', () => {
    const file = join(dir, 'netrc')
    writeFileSync(file, 'machine other login x password y\nmachine 127.0.0.1\n  login me password s3cret\n', {
      mode: 0o600,
    })
    const saved = process.env.NETRC
    process.env.NETRC = file
    try {
      const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`
      expect(q('url', [`${base}/auth`])).toEqual([basic('me', 's3cret')])
      expect(q('url', [`${base}/auth`], { use_netrc: false })).toEqual(['undefined'])
      expect(q('url', [`${base}/auth`], { username: 'u', password: 'p', force_basic_auth: true })).toEqual([
        basic('u', 'p'),
      ])
    } finally {
      if (saved === undefined) delete process.env.NETRC
      else process.env.NETRC = saved
    }
  })
  it('ca_path: a server whose certificate that file holds is trusted; without it the lookup fails', async () => {
    const key = join(dir, 'tls.key')
    const cert = join(dir, 'tls.pem')
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1'],
        ...['-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
      ],
      { stdio: 'ignore' },
    )
    const tlsServer = spawn(process.execPath, ['-e', TLS_SERVER, key, cert], { stdio: ['ignore', 'pipe', 'inherit'] })
    try {
      const port = await new Promise<string>((ok) =>
        tlsServer.stdout!.once('data', (d: Buffer) => ok(d.toString().trim())),
      )
      const url = `https://127.0.0.1:${port}/`
      expect(() => q('url', [url])).toThrow(/Failed lookup url for .*(self.signed|certificate)/)
      expect(q('url', [url], { ca_path: cert })).toEqual(['secure'])
      expect(() => q('url', [url], { ca_path: cert, ciphers: ['NO-SUCH-CIPHER'] })).toThrow(/Failed lookup url/)
    } finally {
      tlsServer.kill()
    }
  })
  it('parses netrc as Python does: machine, default, macdef bodies skipped', () => {
    const n = parseNetrc(
      'machine a login l password p\nmacdef init\nmachine b login no\n\ndefault login d password e\n',
    )
    expect([...n.entries()]).toEqual([
      ['a', ['l', 'p']],
      ['', ['d', 'e']],
    ])
  })
})
