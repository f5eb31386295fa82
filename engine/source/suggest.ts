/**
 * "Did you mean …?" for near misses in keywords, module names, arguments and handler names.
 *
 * @example
 * ```ts
 * didYouMean('nmae', ['name', 'state']) // '(did you mean "name"?)'
 * ```
 */

/** Levenshtein edit distance (insert, delete, substitute; an adjacent swap counts 1). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0
  const m = a.length
  const n = b.length
  if (!m) return n
  if (!n) return m
  let prev2: number[] = []
  let prev = Array.from({ length: n + 1 }, (_, j) => j)
  for (let i = 1; i <= m; i++) {
    const cur = [i]
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1)
      cur.push(d)
    }
    prev2 = prev
    prev = cur
  }
  return prev[n]
}

/** The closest candidates to `name` within a distance that scales with its length (only the best ties). */
export function closest(name: string, candidates: Iterable<string>, max = 3): string[] {
  const lower = name.toLowerCase()
  const limit = Math.max(1, Math.min(3, Math.floor(name.length / 3)))
  const scored: Array<[string, number]> = []
  for (const c of new Set(candidates)) {
    if (c === name) continue // the name itself is no suggestion (a group that exists but holds no host)
    const d = lower === c.toLowerCase() ? 0 : editDistance(lower, c.toLowerCase())
    const prefix = c.length >= 4 && (c.startsWith(name) || name.startsWith(c)) ? Math.min(d, 2) : d
    if (prefix <= limit) scored.push([c, prefix])
  }
  scored.sort((x, y) => x[1] - y[1] || x[0].localeCompare(y[0]))
  return scored
    .filter(([, d]) => d === scored[0][1])
    .slice(0, max)
    .map(([c]) => c)
}

/** A hint such as `(did you mean "name"?)`, or `undefined` when nothing is close. */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const best = closest(name, candidates, 2)
  if (!best.length) return undefined
  return `(did you mean ${best.map((b) => `"${b}"`).join(' or ')}?)`
}
