/**
 * The filter and test tables and how a call's arguments bind to a filter's parameters, Python style: positional
 * arguments fill the named parameters in order, `name=value` fills one by name, `*rest` collects the remaining
 * positional ones (the parameters after it are keyword-only), `**kw` collects unknown keywords.
 * The tables are filled by engine/expr/filters.ts from the per-family files.
 *
 * @example
 * ```ts
 * def('sep= attribute=', (v, sep, attribute) => …) // join: `join(',')` and `join(d=',')` both bind sep
 * ```
 */
import { UserError } from '../errors.js'

export type FilterFn = (v: unknown, ...args: unknown[]) => unknown

/** A filter or test: its parameter names (after the input) and the function. */
export interface Def {
  params: string[]
  /** Other accepted keyword names for a parameter (`join(d=',')`). */
  alias?: Record<string, string>
  fn: FilterFn
}

/** Rendering context for the few filters whose output depends on it. */
export const filterContext = {
  /** Ansible output conventions (`to_json` with spaces, …); false keeps tsplay's own (compact JSON). */
  ansible: false,
}

/**
 * A definition from a space-separated parameter list (`'sep attribute'`, `'*groups ignorecase multiline'`).
 * The function may type a `*name` parameter as an array and a `**name` one as a map: `bind` passes exactly those.
 */
export function def<A extends unknown[]>(
  params: string,
  fn: (v: unknown, ...args: A) => unknown,
  alias?: Record<string, string>,
): Def {
  return { params: params.split(/\s+/).filter(Boolean), fn: fn as FilterFn, alias }
}

/** Filters by name, filled by filters.ts. */
export const FILTERS: Record<string, Def> = {}
/** Tests by name, filled by filters.ts. */
export const TESTS: Record<string, Def> = {}

/** Positional arguments for `d.fn` from a call's positional and keyword arguments. */
export function bind(d: Def, what: string, args: unknown[], kw: Record<string, unknown>): unknown[] {
  const out: unknown[] = []
  const star = d.params.findIndex((p) => p.startsWith('*') && !p.startsWith('**'))
  const dstar = d.params.findIndex((p) => p.startsWith('**'))
  const fixed = star < 0 ? (dstar < 0 ? d.params.length : dstar) : star
  if (star < 0 && args.length > fixed)
    throw new UserError(`${what} takes at most ${fixed} argument${fixed === 1 ? '' : 's'}, got ${args.length}`)
  for (let i = 0; i < Math.min(fixed, args.length); i++) out[i] = args[i]
  if (star >= 0) out[star] = args.slice(fixed)
  const extra: Record<string, unknown> = {}
  for (const [k0, v] of Object.entries(kw)) {
    const k = d.alias?.[k0] ?? k0
    const i = d.params.indexOf(k)
    if (i < 0 || i === star || i === dstar) {
      if (dstar < 0) throw new UserError(`${what} got an unexpected keyword argument "${k0}"`)
      extra[k0] = v
    } else if (i < args.length && i < fixed) throw new UserError(`${what} got two values for argument "${k}"`)
    else out[i] = v
  }
  if (dstar >= 0) out[dstar] = extra
  return out
}

/** Apply filter `name` to `v`. */
export function callFilter(name: string, v: unknown, args: unknown[] = [], kw: Record<string, unknown> = {}): unknown {
  const d = FILTERS[name]
  if (!d) throw new UserError(`unknown filter "${name}"`)
  return d.fn(v, ...bind(d, `filter "${name}"`, args, kw))
}

/** Apply test `name` to `v`. */
export function callTest(name: string, v: unknown, args: unknown[] = [], kw: Record<string, unknown> = {}): boolean {
  const d = TESTS[name]
  if (!d) throw new UserError(`unknown test "${name}"`)
  return Boolean(d.fn(v, ...bind(d, `test "${name}"`, args, kw)))
}
