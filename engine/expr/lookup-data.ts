/**
 * Lookups over data, as Ansible 2.14's: `items`, `list`, `indexed_items`, `dict`, `together`, `nested`
 * (`cartesian`), `subelements`, `vars`, `varnames`, `env`, `pipe`, `lines`, `random_choice`. Each takes the
 * lookup's terms (the arguments of `lookup(…)`, or a `with_<name>:` value made a list) and gives a list.
 * `with_<name>` loops and `lookup('<name>', …)` share these functions.
 *
 * @example
 * ```ts
 * nested([[1, 2], ['a']])               // [[1, 'a'], [2, 'a']]
 * dictItems([{ a: 1 }])                 // [{ key: 'a', value: 1 }]
 * ```
 */
import { spawnSync } from 'node:child_process'
import { UserError } from '../errors.js'
import { pyRegex } from './pyregex.js'
import { tuple } from './pystr.js'
import { short, toBool, toStr, typeName, Undef } from './values.js'

/** A value as a list: a list as it is, nothing as [], anything else as a one-item list. */
export const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === null || v === undefined ? [] : [v])

/** One level of lists flattened (Ansible's `_flatten`). */
export const flatten1 = (terms: readonly unknown[]): unknown[] => terms.flatMap((x) => (Array.isArray(x) ? x : [x]))

/** `indexed_items`: `[index, item]` pairs of the flattened terms. */
export function indexedItems(terms: readonly unknown[]): unknown[] {
  return flatten1(terms).map((x, i) => tuple([i, x]))
}

/** `dict`: `{key, value}` maps of each map term, in order. */
export function dictItems(terms: readonly unknown[]): unknown[] {
  return terms.flatMap((t) => {
    if (typeof t !== 'object' || t === null || Array.isArray(t))
      throw new UserError(`with_dict expects a dict, got ${typeName(t)} ${short(t)}`)
    return Object.entries(t).map(([key, value]) => ({ key, value }))
  })
}

/** `together`: the terms' lists zipped, shorter ones filled with none. */
export function together(terms: readonly unknown[]): unknown[] {
  const lists = terms.map(asList)
  if (!lists.length) throw new UserError('with_together requires at least one element in each list')
  const n = Math.max(0, ...lists.map((l) => l.length))
  return Array.from({ length: n }, (_, i) => lists.map((l) => (i < l.length ? l[i] : null)))
}

/** `nested`/`cartesian`: every combination of one item of each list (each combination flattened one level). */
export function nested(terms: readonly unknown[]): unknown[] {
  if (!terms.length) throw new UserError('with_nested requires at least one element in the nested list')
  return terms.map(asList).reduce<unknown[][]>((acc, l) => acc.flatMap((a) => l.map((x) => flatten1([...a, x]))), [[]])
}

/** `subelements: [list (or map) of maps, 'key.sub', {skip_missing: true}]` → `[element, sub]` pairs. */
export function subelements(terms: readonly unknown[]): unknown[] {
  const [src, key, flags] = terms
  const skip = typeof flags === 'object' && flags !== null && toBool((flags as Record<string, unknown>).skip_missing)
  const elems = Array.isArray(src) ? src : typeof src === 'object' && src !== null ? Object.values(src) : undefined
  if (!elems || typeof key !== 'string')
    throw new UserError('subelements lookup expects a list of two or three items: a list (or map) of maps, "subkey"')
  const out: unknown[] = []
  for (const el of elems) {
    if (typeof el === 'object' && el !== null && (el as Record<string, unknown>).skipped === true) continue
    let sub: unknown = el
    for (const part of key.split('.'))
      sub = typeof sub === 'object' && sub !== null ? (sub as Record<string, unknown>)[part] : undefined
    if (sub === undefined) {
      if (skip) continue
      throw new UserError(`could not find '${key}' key in iterated item ${short(el)} (add {skip_missing: true})`)
    }
    if (!Array.isArray(sub)) throw new UserError(`the key '${key}' should point to a list, got ${short(sub)}`)
    for (const s of sub) out.push([el, s])
  }
  return out
}

/**
 * `varnames`: the names of the task's variables that each term (a Python regex) finds, term by term, in the
 * variables' order (a name two terms find is given twice, as Ansible gives it).
 */
export function varnamesLookup(terms: readonly unknown[], names: (() => string[]) | undefined): unknown[] {
  if (!names) throw new UserError('No variables available to search')
  const all = names()
  return terms.flatMap((t) => {
    if (typeof t !== 'string')
      throw new UserError(`Invalid setting identifier, "${short(t)}" is not a string, it is a ${typeName(t)}`)
    let re: RegExp
    try {
      re = pyRegex(t)
    } catch (e) {
      const why = (e as Error).message.replace(/^[\s\S]*: /, '')
      throw new UserError(`Unable to use "${t}" as a search parameter: ${why[0].toLowerCase()}${why.slice(1)}`)
    }
    return all.filter((n) => re.test(n))
  })
}

/** `vars`: each named variable's value (rendered); `default` for one that is not defined. */
export function varsLookup(terms: readonly unknown[], get: (n: string) => unknown, dflt: unknown): unknown[] {
  return terms.map((t) => {
    if (typeof t !== 'string') throw new UserError(`Invalid setting identifier, "${short(t)}" is not a string`)
    const v = get(t)
    if (!(v instanceof Undef)) return v
    if (dflt !== undefined && dflt !== null) return dflt
    throw new UserError(`No variable found with this name: ${t}`)
  })
}

/** Run `cmd` by /bin/sh on the controller; its output (a failure is an error, as in Ansible). */
export function controllerOutput(kind: string, cmd: string): string {
  const r = spawnSync('/bin/sh', ['-c', cmd], { encoding: 'utf8', maxBuffer: 64 << 20 })
  if (r.error) throw new UserError(`lookup('${kind}', '${cmd}'): ${r.error.message}`)
  if (r.status !== 0) throw new UserError(`lookup('${kind}', '${cmd}') exited with ${r.status}: ${r.stderr.trim()}`)
  return r.stdout
}

/** `lines`: a controller command's output lines. */
export function controllerLines(cmd: string): string[] {
  return controllerOutput('lines', cmd)
    .split('\n')
    .filter((l, i, all) => i < all.length - 1 || l !== '')
}

/** Terms as strings (one level of lists flattened), for lookups whose terms are names, paths or commands. */
export const strTerms = (terms: readonly unknown[]): string[] => flatten1(terms).map(toStr)
