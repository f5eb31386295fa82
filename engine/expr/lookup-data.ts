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
import { pyStr, tuple } from './pystr.js'
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

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * `subelements: [list (or map) of maps, 'key.sub', {skip_missing: true}]` → `[element, sub]` pairs, checked and
 * worded as Ansible's lookup; as there, each element comes without the list it was paired from.
 */
export function subelements(terms: readonly unknown[]): unknown[] {
  const refuse = (why = '') => new UserError(`subelements lookup expects a list of two or three items, ${why}`)
  if (terms.length < 2 || terms.length > 3) throw refuse()
  const [raw, key] = terms
  const src = Array.isArray(raw) || isObj(raw) ? raw : [raw]
  if (typeof key !== 'string') throw refuse('first a dict or a list, second a string pointing to the subkey')
  if (isObj(src) && src.skipped !== undefined && src.skipped !== false) return []
  const flags = terms.length === 3 ? terms[2] : {}
  if (!isObj(flags)) throw refuse("the optional third item must be a dict with flags ['skip_missing']")
  const skip = toBool(flags.skip_missing ?? false)
  const path = key.split('.')
  const out: unknown[] = []
  for (const el of Array.isArray(src) ? src : Object.values(src)) {
    if (!isObj(el)) throw new UserError(`subelements lookup expects a dictionary, got '${pyStr(el)}'`)
    if (el.skipped !== undefined && el.skipped !== false) continue
    const item = { ...el }
    let at: Obj = item
    let list: unknown[] = []
    for (const [i, part] of path.entries()) {
      if (!(part in at)) {
        if (skip) continue
        throw new UserError(`could not find '${part}' key in iterated item '${pyStr(at)}'`)
      }
      const v = at[part]
      if (i < path.length - 1) {
        if (isObj(v)) at = at[part] = { ...v }
        else if (!skip) throw new UserError(`the key ${part} should point to a dictionary, got '${pyStr(v)}'`)
      } else if (!Array.isArray(v)) throw new UserError(`the key ${part} should point to a list, got '${pyStr(v)}'`)
      else {
        list = v
        delete at[part]
      }
    }
    for (const sub of list) out.push(tuple([item, sub]))
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
