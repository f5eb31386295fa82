/**
 * POSIX shell single-quoting, a pure text function with no imports: the lowest layer, so both the template
 * filters (engine/expr) and the transport (engine/ssh/quote.ts, which renders whole commands) use the same rule.
 *
 * @example
 * ```ts
 * shQuote("it's") // → 'it'\''s'
 * ```
 */

/** POSIX single-quote a string: `it's` → `'it'\''s'`; the empty string → `''`. */
export function shQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`
}
