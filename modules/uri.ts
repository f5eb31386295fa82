/**
 * `uri`: send an HTTP(S) request from the host, as Ansible's `uri` does: the request runs on the host with `curl`
 * (headers, credentials and the body on curl's stdin config, never in argv); the result registers `status`, `url`,
 * `msg`, the response headers (lowercased, `-` → `_`: `r.content_type`, `r.location`), `json` for a JSON answer
 * and `content` with `return_content`. A status outside `status_code` fails the task. It reports ok, except when
 * it wrote `dest` (changed whenever the status is accepted and not 304, as Ansible's). Skipped in check mode, as
 * Ansible's (it does not support check mode). `unredirected_headers` go with the first request only (lib/redirect.ts).
 *
 * @example
 * ```yaml
 * - uri:
 *     url: http://127.0.0.1:3000/api/health
 *     method: POST
 *     body_format: json
 *     body: { ping: 1 }
 *     status_code: [200, 201]
 *   register: r
 * - debug: { msg: "{{ r.json.status }}" }
 * ```
 */
import { Type } from '@sinclair/typebox'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { sh } from '../engine/commands.js'
import { pyRepr } from '../engine/expr/pystr.js'
import { defineModule, type AfterResult, type Plan } from '../engine/module.js'
import { attrArgs, tlsArgs } from './lib/args.js'
import { attributesArg } from './lib/chattr.js'
import { contextArgs } from './lib/contexts.js'
import { curlConfig, type CurlOptions, redirectConfigs } from './lib/download.js'
import { parseResponse, requestCommand } from './lib/http.js'
import { cookieJar } from './lib/cookies.js'
import { argRules } from '../engine/argrules.js'
import { encodeBody, gatherMultipart, gatherSrc, type MultipartState, type SrcState } from './lib/uribody.js'
import { addPathInfo } from './lib/pathinfo.js'

const FOLLOW = ['all', 'no', 'none', 'safe', 'urllib2', 'yes'] as const

const Args = Type.Object(
  {
    url: Type.String({ minLength: 1, description: 'HTTP or HTTPS URL.' }),
    method: Defaulted(Type.String({ default: 'GET', description: 'HTTP method (one word; uppercased).' })),
    body: Type.Optional(
      Type.Unknown({ description: 'Request body: a string, or data for `json`/`form-urlencoded`/`form-multipart`.' }),
    ),
    body_format: Defaulted(
      Type.Union(
        [Type.Literal('raw'), Type.Literal('json'), Type.Literal('form-urlencoded'), Type.Literal('form-multipart')],
        {
          default: 'raw',
          description:
            '`json` encodes `body` and sets Content-Type; `form-urlencoded` likewise; `form-multipart` sends a map ' +
            'of fields (text, or `{content|filename, mime_type}`; a `filename` without `content` is a controller ' +
            'file, looked up in `files/`) as `multipart/form-data`; `raw` sends it as is.',
        },
      ),
    ),
    src: Type.Optional(
      Type.String({
        description: "Send this file as the body: a controller file (looked up in `files/` as `copy`'s), UTF-8 text.",
      }),
    ),
    remote_src: Defaulted(Type.Boolean({ default: false, description: '`src` is a file on the host (any content).' })),
    headers: Defaulted(
      Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()]), {
        default: {},
        description: 'Request headers.',
      }),
    ),
    status_code: Defaulted(
      Type.Union([Type.Integer(), Type.Array(Type.Integer())], {
        default: [200],
        description: 'Accepted status code(s); any other fails the task.',
      }),
    ),
    return_content: Defaulted(
      Type.Boolean({ default: false, description: 'Register the body as `content` (JSON is always in `json`).' }),
    ),
    dest: Type.Optional(Type.String({ minLength: 1, description: 'Write the body to this file (or into a folder).' })),
    creates: Type.Optional(Type.String({ description: 'Do nothing when this path exists on the host.' })),
    removes: Type.Optional(Type.String({ description: 'Do nothing unless this path exists on the host.' })),
    follow_redirects: Defaulted(
      Type.Union(
        FOLLOW.map((f) => Type.Literal(f)),
        {
          default: 'safe',
          description: '`safe`: follow for GET and HEAD only; `all`/`yes`: always; `none`/`no`: never.',
        },
      ),
    ),
    timeout: Defaulted(Type.Integer({ default: 30, minimum: 1, description: 'Seconds for the request.' })),
    url_username: Type.Optional(Type.String({ description: 'User for HTTP authentication.', aliases: ['user'] })),
    url_password: Type.Optional(
      Type.String({ description: 'Password for HTTP authentication.', aliases: ['password'], secret: true }),
    ),
    force_basic_auth: Defaulted(
      Type.Boolean({
        default: false,
        description: 'Send basic auth with the first request (else only after the server asks for it).',
      }),
    ),
    validate_certs: Defaulted(Type.Boolean({ default: true, description: 'Check the TLS certificate.' })),
    use_proxy: Defaulted(Type.Boolean({ default: true, description: 'Use the proxy the environment names.' })),
    http_agent: Defaulted(Type.String({ default: 'ansible-httpget', description: 'User-Agent header.' })),
    unredirected_headers: Defaulted(
      Type.Array(Type.String(), {
        default: [],
        description: 'Headers (any case) sent with the first request only, not with the redirects it is answered by.',
      }),
    ),
    decompress: Defaulted(Type.Boolean({ default: true, description: 'Ask for a compressed answer, decompress it.' })),
    unix_socket: Type.Optional(Type.String({ description: 'Connect through this Unix socket.' })),
    ...tlsArgs,
    ...attrArgs,
    ...attributesArg,
    ...contextArgs,
  },
  { additionalProperties: false, ...argRules({ mutually_exclusive: [['body', 'src']] }) },
)
type Args = ModuleArgs<typeof Args>

/** What planning needs: whether `creates`/`removes` exist; a `form-multipart` body's files and boundary. */
export interface UriState extends MultipartState, SrcState {
  creates?: boolean
  removes?: boolean
}

const EXISTS = 'for p; do if [ -e "$p" ]; then echo 1; else echo 0; fi; done'

/** The accepted status codes as a list. */
export const codesOf = (a: Pick<Args, 'status_code'>): number[] =>
  Array.isArray(a.status_code) ? a.status_code : [a.status_code]

/** Decide. Pure. */
export function planUri(s: UriState, a: Args, checkMode = false): Plan {
  if (checkMode) return { commands: [], skip: 'remote module (uri) does not support check mode' }
  const method = a.method.toUpperCase()
  if (!/^[A-Z]+$/.test(method))
    return { commands: [], fail: "Parameter 'method' needs to be a single word in uppercase, like GET or POST." }
  let body: ReturnType<typeof encodeBody>
  try {
    body = encodeBody(a, s) // before creates/removes: a body that cannot be encoded fails, as Ansible's
  } catch (e) {
    return { commands: [], fail: (e as Error).message }
  }
  if (a.creates !== undefined && s.creates)
    return { commands: [], changed: false, data: { stdout: `skipped, since '${a.creates}' exists` } }
  if (a.removes !== undefined && !s.removes)
    return { commands: [], changed: false, data: { stdout: `skipped, since '${a.removes}' does not exist` } }
  if (body.file !== undefined && !s.srcReadable) return { commands: [], fail: `Unable to open source file ${a.src}` }
  const isType = (k: string) => k.toLowerCase() === 'content-type'
  // a multipart body's type (with its boundary) replaces the caller's, as Ansible's
  const headers = Object.fromEntries(
    Object.entries(a.headers)
      .filter(([k]) => !(body.force && isType(k)))
      .map(([k, v]) => [k, String(v)]),
  )
  if (body.type && !Object.keys(headers).some(isType)) headers['Content-Type'] = body.type
  const follow = ['all', 'yes'].includes(a.follow_redirects)
    ? true
    : ['safe', 'urllib2'].includes(a.follow_redirects) && ['GET', 'HEAD'].includes(method)
  let config: string
  let redirect: string | undefined
  try {
    const opts: CurlOptions = {
      headers,
      username: a.url_username,
      password: a.url_password,
      auth: a.force_basic_auth ? 'basic' : 'any',
      validateCerts: a.validate_certs,
      useProxy: a.use_proxy,
      agent: a.http_agent,
      decompress: a.decompress,
      body: body.text,
      bodyFile: body.file,
      unixSocket: a.unix_socket,
      caPath: a.ca_path,
      clientCert: a.client_cert,
      clientKey: a.client_key,
      netrc: a.use_netrc && a.url_username === undefined,
      ciphers: a.ciphers,
    }
    config = curlConfig(opts)
    redirect = follow ? redirectConfigs(opts, a.unredirected_headers) : undefined
  } catch (e) {
    return { commands: [], fail: (e as Error).message }
  }
  const cmd = requestCommand({
    url: a.url,
    method,
    timeout: a.timeout,
    follow,
    twoHops: redirect !== undefined,
    okCodes: codesOf(a),
    config: config + (redirect ?? ''),
    showBody: a.return_content,
    dest: a.dest,
    mode: a.mode === undefined ? undefined : String(a.mode),
    owner: a.owner,
    group: a.group,
    attributes: a.attributes,
  })
  const changes = a.dest ? [`${method} ${a.url}, body to ${a.dest}`] : [`${method} ${a.url}`]
  return { commands: [cmd], changes }
}

/** A `Location` made absolute against the request URL, as Ansible's `absolute_location`. */
export function absoluteLocation(url: string, location: string): string {
  if (location.includes('://')) return location
  if (location.startsWith('/')) return new URL(location, url).href
  return `${url.slice(0, url.lastIndexOf('/'))}/${location}`
}

/** A URL without its `user:password@` (curl writes the credentials it was given there; Ansible's URL has none). */
export const withoutUserinfo = (url: string): string => url.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/?#@]*@/, '$1')

/** The path of a URL (`/` when it has none or cannot be parsed). */
function requestPath(url: string): string {
  try {
    return new URL(url).pathname || '/'
  } catch {
    return '/'
  }
}

/** The registered result, from what the request printed. Pure. */
export function afterUri(a: Args, stdout: string, rc: number, stderr: string): AfterResult {
  if (rc === 127) return { fail: stderr.trim() || 'uri needs curl on the host' }
  const r = parseResponse(stdout)
  const codes = codesOf(a)
  const data: Record<string, unknown> = { redirected: r.url !== '' && r.url !== a.url }
  for (const [k, v] of Object.entries(r.headers)) data[k.replace(/-/g, '_')] = v
  if (r.status < 0) data.msg = `Request failed: ${r.error}`
  else if (r.status >= 200 && r.status < 300) data.msg = `OK (${r.headers['content-length'] ?? 'unknown'} bytes)`
  else data.msg = `HTTP Error ${r.status}: ${r.reason}`
  Object.assign(data, { url: withoutUserinfo(r.url || a.url), status: r.status, elapsed: r.seconds })
  Object.assign(data, cookieJar(r.blocks, requestPath(a.url)))
  if (typeof data.location === 'string') data.location = absoluteLocation(a.url, data.location)
  if (r.path !== undefined) data.path = r.path
  const ok = codes.includes(r.status)
  const changed = a.dest !== undefined && ok && r.status !== 304 && r.rc === 0
  data.changed = changed
  const ctype = (r.headers['content-type'] ?? '').split(';')[0]
  const sub = ctype.split('/')[1] ?? ''
  if (
    r.body !== undefined &&
    ['json', 'javascript'].includes((sub.includes('+') ? sub.split('+')[1] : sub).toLowerCase())
  )
    try {
      data.json = JSON.parse(r.body) as unknown
    } catch {
      // not JSON after all: Ansible leaves `json` out too
    }
  if (a.return_content) data.content = r.body ?? ''
  if (rc !== 0) return { data, changed, fail: stderr.trim() || `could not write ${r.path ?? a.dest}` }
  if (!ok) {
    const msg = `Status code was ${r.status} and not ${pyRepr(codes)}: ${String(data.msg)}`
    return { data: { ...data, msg }, changed, fail: msg, msg }
  }
  return { data, changed, msg: String(data.msg) }
}

export default defineModule({
  name: 'uri',
  summary: 'Send an HTTP request from the host and register the answer (status, headers, JSON)',
  schema: Args,
  changedWhen: 'only when it writes `dest` (then whenever the status is accepted and not 304, as Ansible)',
  check: 'none',
  example: 'uri: { url: "http://127.0.0.1:3000/api", method: POST, body_format: json, body: { a: 1 } }',
  pathInfo: addPathInfo,
  async gather(args: Args, ctx, io): Promise<UriState> {
    const out: UriState = { ...(await gatherMultipart(args, ctx, io)), ...(await gatherSrc(args, ctx, io)) }
    const paths = [args.creates, args.removes].filter((p): p is string => p !== undefined)
    if (!paths.length) return out
    const [r] = await io.batch([sh(EXISTS, paths)])
    const seen = r.stdout.split('\n')
    if (args.creates !== undefined) out.creates = seen[0] === '1'
    if (args.removes !== undefined) out.removes = seen[args.creates !== undefined ? 1 : 0] === '1'
    return out
  },
  plan: (state, args, ctx) => planUri(state, args, ctx.checkMode),
  after(_state, args, results) {
    const r = results[0]
    return r ? afterUri(args, r.stdout, r.rc, r.stderr) : {}
  },
})
