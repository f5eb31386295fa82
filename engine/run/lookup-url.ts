/**
 * The `url` lookup, as Ansible 2.14's: `lookup('url', 'https://…', headers={…}, validate_certs=false,
 * split_lines=false)` fetches each URL from the controller and gives its body, one value per line unless
 * `split_lines=false`. Also `username`/`password` (sent when the server asks, or at once with
 * `force_basic_auth`), `timeout` (seconds, default 10), `http_agent` (default `ansible-httpget`),
 * `follow_redirects` (`none` refuses redirects), `unredirected_headers` (sent to the first URL only), `ca_path` (a CA
 * file trusted beside the system's), `ciphers` (TLS 1.2 and older), `use_netrc` (default true: with no `username`,
 * the login for the URL's host in `$NETRC` or `~/.netrc` is sent at once, as Ansible's). An HTTP error status fails
 * the lookup.
 * Lookups run synchronously, so the request is made by a child Node process (the request travels as JSON on its
 * standard input, never on a command line).
 *
 * @example
 * ```yaml
 * - debug: { msg: "{{ lookup('url', 'http://127.0.0.1:8080/motd', split_lines=false) }}" }
 * ```
 */
import { spawnSync } from 'node:child_process'
import { UserError } from '../errors.js'
import type { LookupCtx } from '../expr/lookups.js'
import { toBool, toStr } from '../expr/values.js'
import { netrcLogin, readNetrc } from './netrc.js'

/** What the child process is asked to fetch. */
interface UrlRequest {
  url: string
  headers: Record<string, string>
  timeout: number
  auth?: string
  forceAuth: boolean
  follow: boolean
  /** Header names (lower case) sent to the first URL only, not after a redirect. */
  unredirected: string[]
}

/** The child: fetch, retrying once with basic auth on a 401 when it has credentials; prints JSON. */
const FETCHER = `
let input = ''
process.stdin.on('data', (c) => (input += c))
process.stdin.on('end', async () => {
  const q = JSON.parse(input)
  const signal = AbortSignal.timeout(q.timeout * 1000)
  // redirects are followed here when some headers must not follow them (as Python's unredirected headers)
  const go = async (auth) => {
    let url = q.url
    let headers = auth ? { ...q.headers, authorization: 'Basic ' + q.auth } : q.headers
    const own = q.follow && q.unredirected.length > 0
    for (let hop = 0; ; hop++) {
      const r = await fetch(url, { headers, redirect: q.follow && !own ? 'follow' : 'manual', signal })
      const to = r.headers.get('location')
      if (!own || ![301, 302, 303, 307, 308].includes(r.status) || !to || hop >= 10) return r
      url = new URL(to, url).href
      headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !q.unredirected.includes(k.toLowerCase())))
    }
  }
  try {
    let r = await go(q.forceAuth)
    if (r.status === 401 && q.auth && !q.forceAuth) r = await go(true)
    process.stdout.write(JSON.stringify({ status: r.status, reason: r.statusText, body: await r.text() }))
  } catch (e) {
    process.stdout.write(JSON.stringify({ error: String((e && e.cause && e.cause.message) || e.message || e) }))
  }
})
`

/** Fetch one URL; its body, or an error as Ansible words it. */
export function fetchUrl(
  q: UrlRequest,
  validateCerts: boolean,
  tls: { caPath?: string; ciphers?: string[] } = {},
): string {
  const env = {
    ...process.env,
    ...(validateCerts ? {} : { NODE_TLS_REJECT_UNAUTHORIZED: '0' }),
    ...(tls.caPath ? { NODE_EXTRA_CA_CERTS: tls.caPath } : {}),
  }
  const ciphers = tls.ciphers?.length ? [`--tls-cipher-list=${tls.ciphers.join(':')}`] : []
  const r = spawnSync(process.execPath, ['--no-warnings', ...ciphers, '-e', FETCHER], {
    input: JSON.stringify(q),
    encoding: 'utf8',
    env,
    timeout: (q.timeout + 5) * 1000,
    maxBuffer: 256 << 20,
  })
  let got: { status?: number; reason?: string; body?: string; error?: string }
  try {
    got = JSON.parse(r.stdout) as typeof got
  } catch {
    throw new UserError(`Failed lookup url for ${q.url} : ${r.error?.message ?? (r.stderr.trim() || 'no answer')}`)
  }
  if (got.error !== undefined) throw new UserError(`Failed lookup url for ${q.url} : ${got.error}`)
  if ((got.status ?? 0) >= 400 || (got.status ?? 0) < 200)
    throw new UserError(`Received HTTP error for ${q.url} : HTTP Error ${got.status}: ${got.reason}`)
  return got.body ?? ''
}

/** Python's `str.splitlines()`. */
export function splitLines(s: string): string[] {
  // eslint-disable-next-line no-control-regex -- Python splits lines at these separators too
  const parts = s.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/)
  if (parts.at(-1) === '') parts.pop()
  return parts
}

const flag = (v: unknown, dflt: boolean) => (v === undefined || v === null ? dflt : toBool(v))

/** A list option: a list, or one string split at commas (as Ansible's `list` type reads it). */
const listOf = (v: unknown): string[] =>
  v === undefined || v === null
    ? []
    : (Array.isArray(v) ? v.map(toStr) : toStr(v).split(',')).map((x) => x.trim()).filter(Boolean)

/** `url`: each URL's body, split in lines by default (see the file's header). */
export function urlLookup(terms: readonly unknown[], kw: Record<string, unknown>, _ctx: LookupCtx): string[] {
  const headers = kw.headers ?? {}
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers))
    throw new UserError("lookup('url'): headers must be a map")
  const user = kw.username === undefined || kw.username === null ? undefined : toStr(kw.username)
  const base = {
    headers: {
      'user-agent': toStr(kw.http_agent ?? 'ansible-httpget'),
      ...Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, toStr(v)])),
    },
    timeout: Number(kw.timeout ?? 10),
    auth: user === undefined ? undefined : Buffer.from(`${user}:${toStr(kw.password ?? '')}`).toString('base64'),
    forceAuth: flag(kw.force_basic_auth, false),
    follow: !['none', 'no', 'false'].includes(toStr(kw.follow_redirects ?? 'urllib2')),
    unredirected: listOf(kw.unredirected_headers).map((h) => h.toLowerCase()),
  }
  // read once for all the terms
  const netrc = user === undefined && flag(kw.use_netrc, true) ? readNetrc() : undefined
  const tls = {
    caPath: kw.ca_path === undefined || kw.ca_path === null ? undefined : toStr(kw.ca_path),
    ciphers: listOf(kw.ciphers),
  }
  return terms.map(toStr).flatMap((url) => {
    const login = netrc && netrcLogin(netrc, url)
    const q = login
      ? { ...base, auth: Buffer.from(`${login[0]}:${login[1]}`).toString('base64'), forceAuth: true }
      : base
    const body = fetchUrl({ url, ...q }, flag(kw.validate_certs, true), tls)
    return flag(kw.split_lines, true) ? splitLines(body) : [body]
  })
}
