/**
 * Ansible's math filters beside the set ones (filters-list.ts): `product`, `permutations` and `combinations` (as
 * Python's itertools, each result a tuple), `human_readable` and `human_to_bytes` (Ansible's size formatting, powers
 * of 1024), and `rekey_on_member`.
 *
 * @example
 * ```yaml
 * - debug: { msg: "{{ ansible_memtotal_mb * 1048576 | human_readable }}" }   # "3.70 GB"
 * - debug: { msg: "{{ '1.5G' | human_to_bytes }}" }                          # 1610612736
 * ```
 */
import { UserError } from '../errors.js'
import { isMap, list, str } from './coerce.js'
import { round } from './filters-data.js'
import { pyFixed, tuple } from './pystr.js'
import { def, type Def } from './registry.js'
import { short, truthy } from './values.js'

/** Python's `itertools.product(*lists, repeat=n)`. */
function product(lists: unknown[][], repeat: number): unknown[][] {
  const pools = Array.from({ length: repeat }, () => lists).flat()
  let out: unknown[][] = [[]]
  for (const pool of pools) out = out.flatMap((head) => pool.map((x) => [...head, x]))
  return out.map((xs) => tuple(xs))
}

/** Python's `itertools.permutations(xs, r)`, in its order. */
function permutations(xs: unknown[], r: number): unknown[][] {
  const out: unknown[][] = []
  const walk = (used: boolean[], acc: unknown[]) => {
    if (acc.length === r) return void out.push(tuple([...acc]))
    xs.forEach((x, i) => {
      if (used[i]) return
      used[i] = true
      walk(used, [...acc, x])
      used[i] = false
    })
  }
  if (r <= xs.length) walk([], [])
  return out
}

/** Python's `itertools.combinations(xs, r)`, in its order. */
function combinations(xs: unknown[], r: number): unknown[][] {
  const out: unknown[][] = []
  const walk = (from: number, acc: unknown[]) => {
    if (acc.length === r) return void out.push(tuple([...acc]))
    for (let i = from; i < xs.length; i++) walk(i + 1, [...acc, xs[i]])
  }
  walk(0, [])
  return out
}

const SIZES: Array<[string, number]> = ['Y', 'Z', 'E', 'P', 'T', 'G', 'M', 'K', 'B'].map((s, i) => [
  s,
  2 ** (80 - i * 10),
])

/** Ansible's `bytes_to_human`: `'%.2f %s'` of the largest unit the size reaches (or `unit`'s). */
function humanReadable(size: unknown, isbits: unknown, unit: unknown): string {
  const n = Number(size)
  if (typeof size === 'boolean' || Number.isNaN(n) || size === null || typeof size === 'object')
    throw new UserError(`human_readable() can't interpret following string: ${short(size)}`)
  const base = truthy(isbits ?? false) ? 'bits' : 'Bytes'
  const want = unit === undefined || unit === null ? undefined : str(unit, 'human_readable').toUpperCase()[0]
  const [suffix, limit] = SIZES.find(([s, l]) => (want === undefined ? n >= l : want === s)) ?? SIZES[SIZES.length - 1]
  return `${pyFixed(n / limit, 2)} ${limit === 1 ? base : suffix + base[0]}`
}

/** Ansible's `human_to_bytes`: `'2K'` → 2048; `isbits` reads `Kb`-style units, else `KB`. */
function humanToBytes(v: unknown, defaultUnit: unknown, isbits: unknown): number {
  const bad = () => new UserError(`human_to_bytes() can't interpret following string: ${short(v)}`)
  const m = /^\s*(\d*\.?\d*)\s*([A-Za-z]+)?/.exec(typeof v === 'string' ? v : String(v))
  const num = m && m[1] !== '' && m[1] !== '.' ? Number(m[1]) : NaN
  if (!m || Number.isNaN(num)) throw bad()
  const unit = m[2] ?? (defaultUnit === undefined || defaultUnit === null ? undefined : String(defaultUnit))
  if (unit === undefined) return round(num)
  const key = unit[0].toUpperCase()
  const limit = SIZES.find(([s]) => s === key)?.[1]
  if (limit === undefined) throw bad()
  const [cls, name] = truthy(isbits ?? false) ? ['b', 'bit'] : ['B', 'byte']
  if (unit.length > 1 && !unit.toLowerCase().includes(name) && unit[1] !== cls) throw bad()
  return round(num * limit)
}

/** Ansible's `rekey_on_member`: a map of the maps in `data` by their `key`. */
function rekeyOnMember(data: unknown, key: unknown, duplicates: unknown): Record<string, unknown> {
  if (duplicates !== 'error' && duplicates !== 'overwrite')
    throw new UserError(`duplicates parameter to rekey_on_member has unknown value: ${String(duplicates)}`)
  if (typeof data === 'string' || (!Array.isArray(data) && !isMap(data)))
    throw new UserError('Type is not a valid list, set, or dict')
  const out: Record<string, unknown> = {}
  for (const item of Array.isArray(data) ? data : Object.values(data as object)) {
    if (!isMap(item)) throw new UserError('List item is not a valid dict')
    const k = String(key)
    if (!Object.hasOwn(item, k)) throw new UserError(`Key ${k} was not found`)
    const at = String((item as Record<string, unknown>)[k])
    if (Object.hasOwn(out, at) && duplicates === 'error')
      throw new UserError(`Key ${at} is not unique, cannot correctly turn into dict`)
    out[at] = item
  }
  return out
}

const count = (v: unknown, what: string, dflt: number) => {
  if (v === undefined || v === null) return dflt
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
    throw new UserError(`${what}: r must be a whole number ≥ 0, got ${short(v)}`)
  return v
}

export const MATH_FILTERS: Record<string, Def> = {
  product: def('*others repeat', (v, others: unknown[], repeat) =>
    product(
      [v, ...others].map((x) => list(x, 'product')),
      count(repeat, 'product', 1),
    ),
  ),
  permutations: def('r', (v, r) => {
    const xs = list(v, 'permutations')
    return permutations(xs, count(r, 'permutations', xs.length))
  }),
  combinations: def('r', (v, r) => {
    if (r === undefined) throw new UserError("combinations() missing required argument 'r'")
    return combinations(list(v, 'combinations'), count(r, 'combinations', 0))
  }),
  human_readable: def('isbits unit', humanReadable),
  human_to_bytes: def('default_unit isbits', humanToBytes),
  rekey_on_member: def('key duplicates', (v, key, duplicates) => rekeyOnMember(v, key, duplicates ?? 'error')),
}
