/** Run `fn` over `items` with at most `n` at once (the `--forks` limit); results in input order. */
export async function mapLimit<T, R>(items: readonly T[], n: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i])
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(n, items.length)) }, worker))
  return out
}

const gates = new WeakMap<object, { active: number; waiting: Array<() => void> }>()

/**
 * Run `fn` with at most `n` calls under the same `key` at once (`throttle`: a task's hosts, whichever strategy runs
 * them). `n` ≤ 0: no limit.
 */
export async function throttled<R>(key: object, n: number, fn: () => Promise<R>): Promise<R> {
  if (n <= 0) return fn()
  let g = gates.get(key)
  if (!g) gates.set(key, (g = { active: 0, waiting: [] }))
  const gate = g
  while (gate.active >= n) await new Promise<void>((r) => gate.waiting.push(r))
  gate.active++
  try {
    return await fn()
  } finally {
    gate.active--
    gate.waiting.shift()?.()
  }
}
