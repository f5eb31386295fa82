/**
 * Ansible's URL filters: `urlsplit` (Python's `urllib.parse.urlsplit`, the parts as a map or the one asked for)
 * and `urldecode` (Python's `unquote_plus`); and its URL tests `uri` (any text Python can split, or one of
 * `schemes`), `url` (a `uri` with a host, or a `file:` one) and `urn`.
 *
 * @example
 * ```yaml
 * - debug: { msg: "{{ 'http://u:p@www.x.com:9000/a?q=1#f' | urlsplit('hostname') }}" }   # www.x.com
 * ```
 */
import { UserError } from '../errors.js'
import { def, type Def } from './registry.js'

/** The parts of `url` as Python's `urlsplit` gives them. */
export function urlsplit(url: string): Record<string, unknown> {
  let rest = url
  let scheme = ''
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(rest)
  if (m) {
    scheme = m[1].toLowerCase()
    rest = rest.slice(m[0].length)
  }
  let netloc = ''
  if (rest.startsWith('//')) {
    const end = rest.slice(2).search(/[/?#]/)
    netloc = end < 0 ? rest.slice(2) : rest.slice(2, end + 2)
    rest = end < 0 ? '' : rest.slice(end + 2)
  }
  let fragment = ''
  const hash = rest.indexOf('#')
  if (hash >= 0) [rest, fragment] = [rest.slice(0, hash), rest.slice(hash + 1)]
  let query = ''
  const q = rest.indexOf('?')
  if (q >= 0) [rest, query] = [rest.slice(0, q), rest.slice(q + 1)]
  const at = netloc.lastIndexOf('@')
  const userinfo = at >= 0 ? netloc.slice(0, at) : undefined
  const hostport = at >= 0 ? netloc.slice(at + 1) : netloc
  const colon = userinfo?.indexOf(':') ?? -1
  const username = userinfo === undefined ? null : colon >= 0 ? userinfo.slice(0, colon) : userinfo
  const password = userinfo !== undefined && colon >= 0 ? userinfo.slice(colon + 1) : null
  const hp = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(hostport)!
  const host = hp[1].replace(/^\[|\]$/g, '').toLowerCase()
  let port: number | null = null
  if (hp[2] !== undefined && hp[2] !== '') {
    if (!/^\d+$/.test(hp[2]) || Number(hp[2]) > 65535) throw new UserError(`Port out of range 0-65535: ${hp[2]}`)
    port = Number(hp[2])
  }
  return {
    fragment,
    hostname: host === '' ? null : host,
    netloc,
    password,
    path: rest,
    port,
    query,
    scheme,
    username,
  }
}

/** Python's `unquote_plus`: `+` is a space, `%XX` sequences are UTF-8 bytes (invalid ones kept as they are). */
export function urldecode(s: string): string {
  return s.replaceAll('+', ' ').replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run)
    } catch {
      return Buffer.from(run.replace(/%/g, ''), 'hex').toString('utf8')
    }
  })
}

export const URL_FILTERS: Record<string, Def> = {
  urlsplit: def('query', (v, query) => {
    const parts = urlsplit(String(v))
    if (query === undefined || query === null || query === '') return parts
    if (!Object.hasOwn(parts, String(query))) throw new UserError(`urlsplit: unknown URL component: ${String(query)}`)
    return parts[String(query)]
  }),
  urldecode: def('', (v) => urldecode(String(v))),
}

/** Python's `urlparse` of a text value, or undefined where it would raise. */
function parsed(v: unknown): Record<string, unknown> | undefined {
  if (typeof v !== 'string') return undefined
  try {
    return urlsplit(v)
  } catch {
    return undefined
  }
}

const isUri = (v: unknown, schemes: unknown): boolean => {
  const p = parsed(v)
  if (!p) return false
  const wanted = Array.isArray(schemes) ? schemes.map(String) : undefined
  return !wanted?.length || wanted.includes(String(p.scheme))
}

export const URL_TESTS: Record<string, Def> = {
  uri: def('schemes', (v, schemes) => isUri(v, schemes)),
  url: def('schemes', (v, schemes) => {
    const p = isUri(v, schemes) ? parsed(v) : undefined
    return !!p && (p.netloc !== '' || p.scheme === 'file')
  }),
  urn: def('', (v) => isUri(v, ['urn'])),
}
