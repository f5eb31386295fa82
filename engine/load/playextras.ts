/**
 * Play keywords about how and where tasks run: `order` (the order of the play's hosts), `port` (where the inventory
 * sets no `ansible_port`), `timeout`, `throttle` and `ignore_unreachable` (defaults of every task's), `gather_subset`
 * (its names checked when facts are gathered; all facts are gathered), `gather_timeout` (accepted: tsplay's one fact
 * script has no slow collector to bound), `fact_path` (the local facts' folder), `collections` (searched for a
 * module's short name, engine/load/collections.ts) and `module_defaults` (arguments every call of a module gets
 * unless the task writes them; applied as tasks load, or where a template gives them as the task runs (see
 * templateddefaults.ts), and `setup`'s and `gather_facts`' to the play's fact gathering: `gather_subset`,
 * `fact_path` and `filter`).
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
import { HOST_ORDERS, type GatherLayer, type HostOrder } from '../ast.js'
import { foreignName } from './foreign.js'
import { UserError } from '../errors.js'
import type { SourcePos } from '../types.js'
import { describeValue, report, type LoadContext } from './context.js'
import { at, isMap, readBoolOrTemplate, readIntOrTemplate, readMap, readString, readStringList } from './keywords.js'
import { didYouMean } from '../source/suggest.js'
import { resolveGroup } from './modulegroups.js'
import { isWholeTemplate } from './action.js'
import { templatedAt, templatedDefaults } from './templateddefaults.js'
import { keyPos, valuePos } from '../source/positions.js'

export interface PlayExtras {
  /** A template is rendered at the play's start (play vars and `-e`), as `strategy`. */
  order?: HostOrder | string
  /** A template is rendered before the play (engine/run/names.ts), as Ansible's. */
  throttle?: number | string
  /** A template is rendered before the play (engine/run/names.ts), as Ansible's. */
  taskTimeout?: number | string
  ignoreUnreachable?: boolean | string
  /** A template is rendered before the play (engine/run/names.ts), as Ansible's. */
  gatherTimeout?: number | string
  /** `fact_path`: where fact gathering reads local facts (`ansible_local`). */
  factPath?: string
  /** The fact gathering's `gather_subset`, `fact_path` and `filter` (rendered per host): see `gatherArgsOf`. */
  gatherArgs?: GatherLayer[]
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
  ctx.playCollections = readStringList(ctx, raw, 'collections', pos)
  // fact gathering collects every fact tsplay has, as the setup module does: the subset's names are checked then
  const subset = readStringList(ctx, raw, 'gather_subset', pos)
  const gatherTimeout = readIntOrTemplate(ctx, raw, 'gather_timeout', pos, 1)
  const factPath = readString(ctx, raw, 'fact_path', pos)
  ctx.moduleDefaults = readModuleDefaults(ctx, raw, pos)
  const gatherArgs = gatherArgsOf(ctx.moduleDefaults, raw.gather_subset == null ? undefined : subset)
  return {
    order: known(order) || templated ? order : undefined,
    throttle: readIntOrTemplate(ctx, raw, 'throttle', pos),
    taskTimeout: readIntOrTemplate(ctx, raw, 'timeout', pos, 1),
    ignoreUnreachable: readBoolOrTemplate(ctx, raw, 'ignore_unreachable', pos),
    ...(gatherTimeout === undefined ? {} : { gatherTimeout }),
    ...(factPath === undefined ? {} : { factPath }),
    ...(gatherArgs ? { gatherArgs } : {}),
  }
}

/** setup's arguments the play's fact gathering uses (`gather_timeout` is accepted: see engine/run/gather.ts). */
const GATHER_ARGS = ['gather_subset', 'fact_path', 'filter']

/** Those of `args` the play's fact gathering uses. */
export const gatherArgsIn = (args: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(GATHER_ARGS.filter((k) => args[k] != null).map((k) => [k, args[k]]))

/**
 * The arguments of the play's fact gathering, as Ansible builds its implicit `gather_facts` task (which runs
 * `setup`): layers merged in order when the facts are gathered, each rendered per host: `setup`'s module_defaults,
 * `gather_facts`' over them, the play's `gather_subset` over both (each module's last entry, any spelling; an entry
 * a template gives is kept whole, rendered, and its `gather_subset`, `fact_path` and `filter` taken then). Only
 * those three matter to tsplay (the play keyword `fact_path` wins).
 */
function gatherArgsOf(
  defaults: Map<string, Record<string, unknown>> | undefined,
  subset: string[] | undefined,
): GatherLayer[] | undefined {
  const layers: GatherLayer[] = []
  for (const from of ['setup', 'gather_facts'] as const) {
    const given = defaults?.get(from)
    const args = given && (templatedAt(given) ? given : gatherArgsIn(given))
    if (args && (templatedAt(args) || Object.keys(args).length)) layers.push({ from, args })
  }
  if (subset) layers.push({ from: 'play', args: { gather_subset: subset } })
  return layers.length ? layers : undefined
}

/**
 * The `module_defaults` of a block, task or include merged over those around it (`ctx.moduleDefaults`): an inner
 * entry for a module replaces the outer one for that module (`debug: {}` drops the defaults around it), other
 * modules' stay, as Ansible merges them. Unchanged when `raw` has none.
 */
export function innerModuleDefaults(
  ctx: LoadContext,
  raw: Record<string, unknown>,
  pos: SourcePos,
): Map<string, Record<string, unknown>> | undefined {
  readStringList(ctx, raw, 'collections', pos)
  return readModuleDefaults(ctx, raw, pos, ctx.moduleDefaults) ?? ctx.moduleDefaults
}

/**
 * `module_defaults`: module name (any spelling) → arguments, keyed by the module's canonical name, merged over
 * `outer` (those around it). A list of such maps (Ansible's other spelling) is merged in order. Undefined when
 * `raw` has none.
 */
function readModuleDefaults(
  ctx: LoadContext,
  raw: Record<string, unknown>,
  pos: SourcePos,
  outer?: Map<string, Record<string, unknown>>,
): Map<string, Record<string, unknown>> | undefined {
  const v = raw.module_defaults
  if (v === undefined || v === null) return undefined
  const out = new Map<string, Record<string, unknown>>(outer)
  if (!Array.isArray(v)) {
    const m = readMap(ctx, raw, 'module_defaults', pos)
    if (m) addModuleDefaults(ctx, m, pos, out)
    return out
  }
  v.forEach((m: unknown, i) => {
    if (isMap(m)) addModuleDefaults(ctx, m, pos, out)
    else
      report(ctx, `module_defaults must be a map or a list of maps, found ${describeValue(m)}`, valuePos(v, i) ?? pos)
  })
  return out
}

/** Add the entries of one `module_defaults` map to `out`, reporting unknown groups and modules and non-maps. */
function addModuleDefaults(
  ctx: LoadContext,
  m: Record<string, unknown>,
  pos: SourcePos,
  out: Map<string, Record<string, unknown>>,
): void {
  for (const [k, v] of Object.entries(m)) {
    const here = keyPos(m, k) ?? pos
    if (k.startsWith('group/')) {
      addGroup(ctx, k, m[k], here, valuePos(m, k) ?? here, out)
      continue
    }
    // another system's module (`dnf`) is kept quietly: a `package` task may get its arguments there (foreign.ts)
    const other = foreignName(k)
    const name = ctx.spellings.get(k) ?? (other?.includes('.') ? undefined : other)
    if (!name) {
      // Ansible ignores defaults for a module the play never calls; say so, since it is likely a typo
      const hint = didYouMean(k, [...ctx.spellings.keys()])
      ctx.warnings.push(new UserError(`module_defaults names "${k}", which tsplay does not know`, here, hint))
      continue
    }
    if (isWholeTemplate(v)) {
      // rendered on each host when a task of that module runs, as Ansible does (templateddefaults.ts)
      out.set(name, templatedDefaults(v, valuePos(m, k) ?? here))
      continue
    }
    if (!isMap(v)) {
      report(ctx, `module_defaults for "${k}" must be a map of arguments`, valuePos(m, k) ?? here)
      continue
    }
    out.set(name, { ...v }) // an inner entry replaces the outer one for that module (Ansible's dict update)
  }
}

/** A `group/NAME` entry: ansible-core's group kept (under its full name), a collection's a warning, others refused. */
function addGroup(
  ctx: LoadContext,
  k: string,
  v: unknown,
  here: SourcePos,
  vpos: SourcePos,
  out: Map<string, Record<string, unknown>>,
): void {
  const g = resolveGroup(k.slice('group/'.length))
  if ('unknown' in g) {
    const hint = "(ansible-core's groups: acme, aws, azure, cpm, docker, gcp, k8s, os, ovirt, vmware)"
    report(ctx, `could not resolve the module_defaults group ${g.unknown}`, here, hint)
  } else if ('collection' in g) {
    const why = `its modules belong to ${g.collection}, and tsplay runs no collection's modules`
    ctx.warnings.push(new UserError(`module_defaults "${k}" applies to none of this play's tasks: ${why}`, here))
  } else if (isWholeTemplate(v)) out.set(g.key, templatedDefaults(v, vpos))
  else if (!isMap(v)) report(ctx, `module_defaults for "${k}" must be a map of arguments`, vpos)
  else out.set(g.key, { ...v })
}
