/**
 * Play keywords about how and where tasks run: `order` (the order of the play's hosts), `port` (where the inventory
 * sets no `ansible_port`), `timeout` and `throttle` (defaults of every task's), `collections` (accepted: modules
 * are found by their short and FQCN names either way) and `module_defaults` (arguments every call of a module gets
 * unless the task writes them; applied as tasks load).
 *
 * @example
 * ```yaml
 * - hosts: all
 *   order: sorted
 *   port: 2222
 *   module_defaults:
 *     ansible.builtin.command: { chdir: /tmp }
 * ```
 */
import { HOST_ORDERS, type HostOrder } from '../ast.js'
import { UserError } from '../errors.js'
import type { SourcePos, Vars } from '../types.js'
import { report, type LoadContext } from './context.js'
import { at, isMap, readInt, readMap, readString, readStringList } from './keywords.js'
import { didYouMean } from '../source/suggest.js'
import { keyPos, valuePos } from '../source/positions.js'

export interface PlayExtras {
  /** A template is rendered at the play's start (play vars and `-e`), as `strategy`. */
  order?: HostOrder | string
  connectVars?: Vars
  throttle?: number
  taskTimeout?: number
}

/** Read `order`, `port`, `timeout`, `throttle`, `collections`; set `ctx.moduleDefaults` for the play's tasks. */
export function readPlayExtras(ctx: LoadContext, raw: Record<string, unknown>, pos: SourcePos): PlayExtras {
  const order = readString(ctx, raw, 'order', pos)
  const known = (o: string | undefined): o is HostOrder => HOST_ORDERS.some((x) => x === o)
  const templated = order?.includes('{{') === true
  if (order !== undefined && !templated && !known(order))
    report(
      ctx,
      `"order" must be one of ${HOST_ORDERS.join(', ')}, found "${order}"`,
      at(raw, 'order', pos),
      didYouMean(order, HOST_ORDERS),
    )
  readStringList(ctx, raw, 'collections', pos)
  const connectVars: Vars = {}
  const port = readInt(ctx, raw, 'port', pos, 1)
  if (port !== undefined) connectVars.ansible_port = port
  ctx.moduleDefaults = readModuleDefaults(ctx, raw, pos)
  return {
    order: known(order) || templated ? order : undefined,
    connectVars: Object.keys(connectVars).length ? connectVars : undefined,
    throttle: readInt(ctx, raw, 'throttle', pos),
    taskTimeout: readInt(ctx, raw, 'timeout', pos, 1),
  }
}

/** `module_defaults`: module name (any spelling) → arguments, keyed by the module's canonical name. */
function readModuleDefaults(
  ctx: LoadContext,
  raw: Record<string, unknown>,
  pos: SourcePos,
): Map<string, Record<string, unknown>> | undefined {
  const m = readMap(ctx, raw, 'module_defaults', pos)
  if (!m) return undefined
  const out = new Map<string, Record<string, unknown>>()
  for (const [k, v] of Object.entries(m)) {
    const here = keyPos(m, k) ?? pos
    if (k.startsWith('group/')) {
      const hint = '(tsplay has no module groups; name each module, e.g. "ansible.builtin.command: {…}")'
      report(ctx, `module_defaults "${k}" is not supported by tsplay`, here, hint)
      continue
    }
    const name = ctx.spellings.get(k)
    if (!name) {
      // Ansible ignores defaults for a module the play never calls; say so, since it is likely a typo
      const hint = didYouMean(k, [...ctx.spellings.keys()])
      ctx.warnings.push(new UserError(`module_defaults names "${k}", which tsplay does not know`, here, hint))
      continue
    }
    if (!isMap(v)) {
      report(ctx, `module_defaults for "${k}" must be a map of arguments`, valuePos(m, k) ?? here)
      continue
    }
    out.set(name, { ...out.get(name), ...v })
  }
  return out
}
