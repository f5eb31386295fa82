/**
 * Small helpers for argument values inside modules (their defaults are already filled in by the engine before
 * `gather`; see engine/argtypes.ts).
 *
 * @example
 * ```ts
 * toList('a, b,c') // ['a', 'b', 'c']
 * badArg('-rf') // true: a value passed as a program argument must not look like an option
 * ```
 */

/** A user value that is passed as a program argument must not look like an option or hold NUL/newlines. */
export function badArg(value: string): boolean {
  return value === '' || value.startsWith('-') || /[\0\n\r]/.test(value)
}

/** Split `"a, b,c"` or `['a','b']` into a clean list (no blanks). */
export function toList(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return []
  const items = typeof value === 'string' ? value.split(',') : value
  return items.map((s) => s.trim()).filter((s) => s !== '')
}

/** The last `n` lines of a text, for failure messages. */
export function lastLines(text: string, n: number): string {
  const lines = text.replace(/\s+$/, '').split('\n')
  return lines.slice(-n).join('\n')
}
