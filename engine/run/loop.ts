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
import type { LoopLookup, Task } from '../ast.js'
import { UserError } from '../errors.js'
import { asList } from '../expr/lookup-data.js'
import { registerLookup, runLookup, type LookupCtx } from '../expr/lookups.js'
import { loopPosition } from '../expr/jinja/loop.js'
import { parseKeyValues } from '../source/kv.js'
import { SplitError } from '../source/split.js'
import './lookups-controller.js'

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
export function loopItems(lookup: LoopLookup | undefined, value: unknown, env: LoopEnv = {}): unknown[] {
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
    return runLookup(lookup, asList(value), {}, ctx)
  } catch (e) {
    if (e instanceof UserError && !e.message.startsWith('with_')) throw new UserError(`with_${lookup}: ${e.message}`)
    throw e
  }
}

/** `with_sequence`: `start=1 end=10 stride=2 format=x%02d`, `count=3`, or the short `1-10/2:fmt%d`. */
export function sequence(term: string): string[] {
  const o: Record<string, string> = {}
  const short = /^\s*(?:(-?\d+|0x[0-9a-f]+)-)?(-?\d+|0x[0-9a-f]+)(?:\/(\d+))?(?::(.+))?\s*$/i.exec(term)
  if (short && !term.includes('=')) {
    Object.assign(
      o,
      { start: short[1] ?? '1', end: short[2] },
      short[3] ? { stride: short[3] } : {},
      short[4] ? { format: short[4] } : {},
    )
  } else {
    try {
      Object.assign(o, parseKeyValues(term))
    } catch (e) {
      if (!(e instanceof SplitError)) throw e
      throw new UserError(`with_sequence: cannot read "${term}": ${e.message} (write start=N end=N, or N-M)`)
    }
  }
  const num = (k: string, d: number) => (o[k] === undefined ? d : Number(o[k]))
  if (o.count === undefined && o.end === undefined) throw new UserError('must specify count or end in with_sequence')
  if (o.count !== undefined && o.end !== undefined)
    throw new UserError("can't specify both count and end in with_sequence")
  let start = num('start', 1)
  let stride = num('stride', 1)
  const count = num('count', NaN)
  // Ansible's reading of count: the end is start + count * stride - 1; count=0 is no numbers
  let end = o.count === undefined ? num('end', NaN) : count === 0 ? 0 : start + count * stride - 1
  if (count === 0) start = stride = 0
  if (![start, end, stride].every(Number.isFinite))
    throw new UserError(`with_sequence: "${term}" needs whole numbers for start, end (or count) and stride`)
  if (stride > 0 && end < start) throw new UserError('to count backwards make stride negative')
  if (stride < 0 && end > start) throw new UserError("to count forward don't make stride negative")
  const format = o.format ?? '%d'
  if (format.split('%').length !== 2) throw new UserError(`bad formatting string: ${format}`)
  const out: string[] = []
  if (stride === 0) return out
  end += stride > 0 ? 1 : -1 // Python's range(start, end ± 1, stride)
  for (let i = start; stride > 0 ? i < end : i > end; i += stride) out.push(printf(format, i))
  return out
}

/** The `%d`/`%x`/`%o`/`%s` formats `with_sequence` uses (width and zero padding). */
function printf(fmt: string, n: number): string {
  return fmt.replace(/%(0?)(\d*)([dixXos%])/g, (_, zero: string, width: string, conv: string) => {
    if (conv === '%') return '%'
    const s =
      conv === 'x'
        ? n.toString(16)
        : conv === 'X'
          ? n.toString(16).toUpperCase()
          : conv === 'o'
            ? n.toString(8)
            : String(n)
    return s.padStart(Number(width || 0), zero ? '0' : ' ')
  })
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

registerLookup('sequence', (terms) => terms.flatMap((t) => sequence(String(t))))
