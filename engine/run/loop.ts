/**
 * Loop items: `loop:` as written, and Ansible's `with_<lookup>` forms turned into the same list of items by the
 * lookup of that name (engine/expr/lookups.ts: `with_items` flattens one level, `with_dict` gives `{key, value}`
 * maps, `with_nested` the cartesian product, `with_first_found` searches the task's search path, …), plus the
 * per-item variables `loop_control` asks for (`index_var`, `extended` → `ansible_loop`). The `sequence` lookup
 * lives here (its terms are `k=v` words, read by engine/source's splitter).
 *
 * @example
 * ```ts
 * loopItems('dict', { a: 1 })                            // [{ key: 'a', value: 1 }]
 * loopItems('sequence', 'start=1 end=3 format=n%02d')    // ['n01', 'n02', 'n03']
 * ```
 */
import type { Task } from '../ast.js'
import { UserError } from '../errors.js'
import { asList } from '../expr/lookup-data.js'
import { runLookup, type LookupCtx } from '../expr/lookups.js'
import { loopPosition } from '../expr/jinja/loop.js'
import './lookups-controller.js'
import './sequence.js'

/** What some lookups need from the run: the task's search path and variables, the hosts a pattern selects. */
export type LoopEnv = Partial<LookupCtx>

/** `with_first_found` looks in the subfolder its task's action names (Ansible: templates, vars, else files). */
export function firstFoundSubdir(action: string): string {
  return `${['template', 'var', 'file'].find((s) => action.includes(s)) ?? 'file'}s`
}

/**
 * A loop's value rendered. `with_first_found` names that cannot be rendered (a fact not gathered) are left out, as
 * Ansible templates its terms without failing on undefined variables and skips such names.
 */
export function loopTerms(task: Pick<Task, 'loop' | 'loopWith'>, render: (v: unknown) => unknown): unknown {
  if (task.loopWith !== 'first_found' || !Array.isArray(task.loop)) return render(task.loop)
  return task.loop.flatMap((t) => {
    if (typeof t !== 'string') return [render(t)]
    try {
      return [render(t)]
    } catch (e) {
      if (e instanceof UserError && /undefined variable/.test(e.message)) return []
      throw e
    }
  })
}

/**
 * The items of a loop. `lookup` undefined means `loop:` (the value must be a list); otherwise the lookup of that
 * name runs on the value made a list, as Ansible's `with_<lookup>`.
 */
export function loopItems(lookup: string | undefined, value: unknown, env: LoopEnv = {}): unknown[] {
  if (lookup === undefined) {
    if (!Array.isArray(value))
      throw new UserError(
        `loop must be a list, got ${value === null ? 'null' : typeof value}`,
        undefined,
        '(for a map, use "| dict2items")',
      )
    return value
  }
  const ctx: LookupCtx = { paths: { paths: [], basedir: process.cwd() }, ...env }
  try {
    return runLookup(lookup, asList(mapTerms(lookup, value)), {}, ctx)
  } catch (e) {
    // `sequence` words its errors as Ansible does, which tests compare whole
    if (e instanceof UserError && !e.message.startsWith('with_') && lookup !== 'sequence')
      throw new UserError(`with_${lookup}: ${e.message}`)
    throw e
  }
}

/** Lookups whose `with_` form iterates a map given as its value: Ansible hands them the map, and they walk its keys. */
const MAP_KEYS = new Set(['items', 'first_found'])

/**
 * What a map given to `with_<lookup>` is, as Ansible's lookups take it: `with_items: {a: 1}` loops over its keys
 * (so does `with_first_found`: a map of settings goes in a list), `with_list` and `with_indexed_items` refuse it.
 */
function mapTerms(lookup: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value
  if (lookup === 'list' || lookup === 'indexed_items') throw new UserError(`with_${lookup} expects a list`)
  return MAP_KEYS.has(lookup) ? Object.keys(value) : value
}

/** The per-item variables `loop_control` asks for: `index_var`, and `ansible_loop` when `extended`. */
export function itemVars(
  items: readonly unknown[],
  i: number,
  opts: { indexVar?: string; extended?: boolean },
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (opts.indexVar) {
    out[opts.indexVar] = i
    out.ansible_index_var = opts.indexVar
  }
  if (opts.extended) out.ansible_loop = { allitems: items, ...loopPosition(items, i) }
  return out
}
