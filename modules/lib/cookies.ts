/**
 * The cookies a request's answers set, as Ansible's `uri` registers them (`cookies`, `cookies_string`): every
 * `Set-Cookie` of the answers in order (redirects first), a later cookie of the same path and name replacing an
 * earlier one, an expired one (`Max-Age` of 0 or less, an `Expires` in the past) removing it; listed as Python's
 * cookie jar lists one host's cookies, by path, then name.
 *
 * @example
 * ```ts
 * const blocks = [['HTTP/1.1 302 Found', 'Set-Cookie: sid=1; Path=/'], ['HTTP/1.1 200 OK', 'Set-Cookie: theme=dark']]
 * cookieJar(blocks, '/login')
 * // → { cookies: { sid: '1', theme: 'dark' }, cookies_string: 'sid=1; theme=dark' }
 * ```
 */

/** The registered fields. */
export interface Cookies {
  cookies: Record<string, string>
  cookies_string: string
}

/** The default path of a cookie set for a request path (RFC 6265 5.1.4). */
export function defaultPath(requestPath: string): string {
  if (!requestPath.startsWith('/')) return '/'
  const last = requestPath.lastIndexOf('/')
  return last <= 0 ? '/' : requestPath.slice(0, last)
}

function expired(attrs: Map<string, string>, now: number): boolean {
  const maxAge = attrs.get('max-age')
  if (maxAge !== undefined && /^-?\d+$/.test(maxAge)) return Number(maxAge) <= 0
  const expires = attrs.get('expires')
  if (expires === undefined) return false
  const t = Date.parse(expires)
  return Number.isFinite(t) && t <= now
}

/**
 * The jar after the answers' header blocks (each block's lines, the status line first) of a request to
 * `requestPath`. Pure.
 */
export function cookieJar(blocks: readonly (readonly string[])[], requestPath: string, now = Date.now()): Cookies {
  const jar = new Map<string, { path: string; name: string; value: string }>()
  for (const lines of blocks) {
    for (const line of lines) {
      const c = line.indexOf(':')
      if (c <= 0 || line.slice(0, c).trim().toLowerCase() !== 'set-cookie') continue
      const [pair, ...rest] = line.slice(c + 1).split(';')
      const eq = pair.indexOf('=')
      if (eq <= 0) continue
      const name = pair.slice(0, eq).trim()
      const value = pair.slice(eq + 1).trim()
      const attrs = new Map<string, string>()
      for (const a of rest) {
        const e = a.indexOf('=')
        if (e > 0) attrs.set(a.slice(0, e).trim().toLowerCase(), a.slice(e + 1).trim())
      }
      const given = attrs.get('path')
      const path = given?.startsWith('/') ? given : defaultPath(requestPath)
      const key = `${path}\0${name}`
      if (expired(attrs, now)) jar.delete(key)
      else jar.set(key, { path, name, value })
    }
  }
  const sorted = [...jar.values()].sort((a, b) =>
    a.path === b.path ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.path < b.path ? -1 : 1,
  )
  const cookies: Record<string, string> = {}
  for (const c of sorted) cookies[c.name] = c.value
  return { cookies, cookies_string: sorted.map((c) => `${c.name}=${c.value}`).join('; ') }
}
