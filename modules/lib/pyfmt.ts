/**
 * A request body written the way Python's `urlencode(..., doseq=True)` writes it (`quote_plus`), where a server
 * sees the difference. Python's `json.dumps` and `repr` are `pyJson` and `pyRepr` in engine/expr/pystr.ts.
 *
 * @example
 * ```ts
 * formUrlencoded({ q: 'a b', n: [1, 2] })  // 'q=a+b&n=1&n=2'
 * ```
 */
import { pyStr } from '../../engine/expr/pystr.js'

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

/**
 * A map (or a list of `[key, value]` pairs) as Ansible's `form_urlencoded`: list values repeat the key, keys and
 * values that are not text written as Python's `str()` writes them (`True`, `1.5`).
 */
export function formUrlencoded(body: unknown): string {
  const pairs: [unknown, unknown][] = Array.isArray(body)
    ? body.map((p) => (Array.isArray(p) ? [p[0], p[1]] : [p, undefined]))
    : Object.entries((body ?? {}) as Record<string, unknown>)
  const out: string[] = []
  for (const [k, v] of pairs) {
    const values = Array.isArray(v) ? v : [v]
    for (const x of values) if (x !== null && x !== undefined) out.push(`${quotePlus(pyStr(k))}=${quotePlus(pyStr(x))}`)
  }
  return out.join('&')
}
