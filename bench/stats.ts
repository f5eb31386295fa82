/**
 * Figures and the printed table: median and range of samples, ratios, and a plain-text table with aligned columns.
 *
 * @example
 * ```ts
 * summarize([3, 1, 2]) // → { n: 3, median: 2, min: 1, max: 3 }
 * table([['a', 'b'], ['1', '22']]) // → "a  b\n-  --\n1  22"
 * ```
 */

/** Median and range of a set of samples. */
export interface Summary {
  n: number
  median: number
  min: number
  max: number
}

/** Median (mean of the middle two for an even count), min and max. NaN for no samples. */
export function summarize(samples: readonly number[]): Summary {
  const s = [...samples].filter((x) => Number.isFinite(x)).sort((a, b) => a - b)
  if (s.length === 0) return { n: 0, median: NaN, min: NaN, max: NaN }
  const mid = s.length >> 1
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
  return { n: s.length, median, min: s[0], max: s[s.length - 1] }
}

/** `a / b` of two medians, NaN when either is missing. */
export function ratio(a: Summary | undefined, b: Summary | undefined): number {
  if (!a || !b || !(a.median > 0) || !(b.median > 0)) return NaN
  return a.median / b.median
}

/** Seconds with 2–3 significant decimals (`0.412`, `12.3`), `–` when missing. */
export function secs(ms: number): string {
  if (!Number.isFinite(ms)) return '–'
  const s = ms / 1000
  return s >= 10 ? s.toFixed(1) : s >= 1 ? s.toFixed(2) : s.toFixed(3)
}

/** A number with `digits` decimals, `–` when missing. */
export function num(x: number, digits = 1): string {
  return Number.isFinite(x) ? x.toFixed(digits) : '–'
}

/** Rows of cells as a text table: columns padded to their widest cell, a rule under the header row. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = []
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)))
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd()
  const [head, ...rest] = rows
  if (!head) return ''
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rest.map(line)].join('\n')
}
