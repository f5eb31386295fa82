/**
 * `serial`: the batches a play's hosts run in, as Ansible 2.14 cuts them. Each entry of the list is a number of
 * hosts or a percentage of the play's hosts (`"30%"`: rounded down, at least 1); the last entry repeats until every
 * host has a batch; a size of 0 or less (or no `serial`) puts all the hosts left in one batch.
 *
 * @example
 * ```ts
 * batchSizes([1, '50%', 10], 10) // → [1, 5, 4]
 * batches(['a', 'b', 'c'], ['30%']) // → [['a'], ['b'], ['c']]
 * ```
 */

/** One `serial` entry: a whole number of hosts, or a percentage written `"N%"`. */
export type SerialEntry = number | string

/** The size an entry stands for among `total` hosts (0 or less: all). */
export function entrySize(entry: SerialEntry, total: number): number {
  if (typeof entry === 'string' && entry.trim().endsWith('%')) {
    const pct = Number.parseInt(entry.trim().slice(0, -1), 10)
    return Math.floor((pct / 100) * total) || 1
  }
  return Math.trunc(Number(entry))
}

/** The batch sizes for `count` hosts (percentages of `total`, the play's hosts; default `count`). */
export function batchSizes(serial: readonly SerialEntry[] | undefined, count: number, total = count): number[] {
  const out: number[] = []
  let left = count
  for (let i = 0; left > 0; i = Math.min(i + 1, (serial?.length ?? 1) - 1)) {
    const size = serial?.length ? entrySize(serial[i], total) : 0
    const n = size <= 0 ? left : Math.min(size, left)
    out.push(n)
    left -= n
  }
  return out
}

/** `hosts` cut into batches (percentages of `total`, the play's hosts; default all of `hosts`). */
export function batches<T>(hosts: readonly T[], serial: readonly SerialEntry[] | undefined, total?: number): T[][] {
  let at = 0
  return batchSizes(serial, hosts.length, total).map((n) => hosts.slice(at, (at += n)))
}
