/**
 * Values written the way Python writes them, where a server or a message sees the difference: `json.dumps` (`", "`
 * and `": "` separators, non-ASCII as `\uXXXX`), `urlencode(..., doseq=True)` (`quote_plus`) and a list's `repr`.
 *
 * @example
 * ```ts
 * pyJson({ a: [1, 'é'] })                 // '{"a": [1, "\\u00e9"]}'
 * formUrlencoded({ q: 'a b', n: [1, 2] })  // 'q=a+b&n=1&n=2'
 * pyList([200, 201])                       // '[200, 201]'
 * ```
 */

/** Python's `json.dumps(v)` with its default separators and `ensure_ascii`. */
export function pyJson(v: unknown): string {
  if (v === null || v === undefined) return 'null'
  if (typeof v === 'string')
    return JSON.stringify(v).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  if (typeof v === 'number' || typeof v === 'boolean') return JSON.stringify(v)
  if (Array.isArray(v)) return `[${v.map(pyJson).join(', ')}]`
  if (typeof v === 'object')
    return `{${Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${pyJson(k)}: ${pyJson(x)}`)
      .join(', ')}}`
  return JSON.stringify(String(v))
}

/** Python's `quote_plus`: letters, digits and `_.-~` kept, a space as `+`, the rest %-encoded as UTF-8. */
export function quotePlus(s: string): string {
  return Array.from(new TextEncoder().encode(s))
    .map((b) => {
      const c = String.fromCharCode(b)
      if (/[A-Za-z0-9_.\-~]/.test(c)) return c
      return c === ' ' ? '+' : `%${b.toString(16).toUpperCase().padStart(2, '0')}`
    })
    .join('')
}

const text = (v: unknown): string =>
  typeof v === 'boolean' ? (v ? 'True' : 'False') : typeof v === 'string' ? v : JSON.stringify(v)

/** A map (or a list of `[key, value]` pairs) as Ansible's `form_urlencoded`: list values repeat the key. */
export function formUrlencoded(body: unknown): string {
  const pairs: [unknown, unknown][] = Array.isArray(body)
    ? body.map((p) => (Array.isArray(p) ? [p[0], p[1]] : [p, undefined]))
    : Object.entries((body ?? {}) as Record<string, unknown>)
  const out: string[] = []
  for (const [k, v] of pairs) {
    const values = Array.isArray(v) ? v : [v]
    for (const x of values) if (x !== null && x !== undefined) out.push(`${quotePlus(text(k))}=${quotePlus(text(x))}`)
  }
  return out.join('&')
}

/** Python's `repr` of a list of numbers. */
export const pyList = (xs: readonly number[]): string => `[${xs.join(', ')}]`
