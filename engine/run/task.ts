/**
 * One task on one host: `when`, `loop`, `until`/`retries`, the module call(s), `register`, `set_fact`, `no_log`,
 * `ignore_errors`. Returns a TaskResult (a tagged union by status). Connection faults become `unreachable`.
 */
import type { Task } from '../ast.js'
import { HostError, UserError, UserErrors } from '../errors.js'
import { evalCondition } from '../expr.js'
import { withModuleFacts } from '../facts.js'
import { extendVars, finalValue } from './vars.js'
import { markUnsafe, renderString, renderValue } from '../template.js'
import type { FileDiff, TaskResult } from '../types.js'
import type { Inherited, RunContext } from './context.js'
import { executeModule, type Outcome } from './execute.js'
import { taskVars } from './hostvars.js'
import { keepFacts } from './keepfacts.js'
import { joinPlay, loadDynamic } from './includes.js'
import { resolveModule } from './modulename.js'
import { itemVars } from './loop.js'
import { taskItems } from './taskitems.js'
import { renderBool } from './keyword.js'
import type { TaskLog } from './hosts.js'

/** The module name of the include pseudo-task (`include_tasks`, `include_role`, legacy `include`). */
export const INCLUDE = 'include_tasks'

const CENSORED = "the output has been hidden due to the task's no_log: true"

/** The log of a `no_log` task: takes nothing, and says so (no line is built for it). */
const SILENT: TaskLog = Object.assign(() => undefined, { wants: () => false })

/** A display label for a loop item. */
function itemLabel(task: Task, item: unknown, vars: Record<string, unknown>): string {
  if (task.loopLabel) return String(renderValue(task.loopLabel, vars))
  return typeof item === 'string' ? item : JSON.stringify(item)
}

export async function runTaskOnHost(
  rc: RunContext,
  task: Task,
  inh: Inherited,
  host: string,
  rawLog: (l: string, level?: number) => void,
): Promise<TaskResult> {
  // no_log: nothing of the task (commands, output) reaches any output channel (a template: hidden until rendered)
  const log = (task.noLog ?? inh.noLog) ? SILENT : rawLog
  for (let attempt = 0; ; attempt++) {
    const r = await runTaskOnce(rc, task, inh, host, log)
    const dropped = r.status === 'unreachable' && r.data.dropped === true
    if (!dropped || attempt >= (rc.opts.retries ?? 0) || rc.stopping.requested) return r
    log(`connection dropped (${r.msg}); waiting for the host to come back (retry ${attempt + 1}/${rc.opts.retries})`)
    try {
      await rc.pool.reconnect(host, rc.opts.reconnectTimeout ?? 300)
    } catch (e) {
      return { ...r, msg: `${r.msg}; not back after ${rc.opts.reconnectTimeout ?? 300}s: ${(e as Error).message}` }
    }
  }
}

async function runTaskOnce(
  rc: RunContext,
  task: Task,
  inh: Inherited,
  host: string,
  log: (l: string, level?: number) => void,
): Promise<TaskResult> {
  let ignore = false
  try {
    const vars = taskVars(rc, host, inh, task)
    if (task.loop !== undefined && task.loopVar.includes('{{')) task = { ...task, loopVar: loopVarName(task, vars) }
    const noLog = renderBool(task.noLog ?? inh.noLog, vars, 'no_log')
    ignore = renderBool(task.ignoreErrors ?? inh.ignoreErrors, vars, 'ignore_errors')
    const conditions = [...inh.when, ...task.when]
    if (task.loop === undefined) {
      if (task.module === INCLUDE) return await include(rc, task, inh, host, [undefined], conditions)
      if (!conditions.every((c) => evalCondition(c, vars))) {
        const r = skipped(host, 'Conditional result was False')
        register(rc, task, host, r.data)
        return r
      }
      const out = await withRetries(rc, task, host, vars, inh, log)
      return toResult(rc, task, host, out, noLog, ignore)
    }
    const items = taskItems(rc, task, vars, conditions)
    if (!items) {
      const r = skipped(host, 'Conditional result was False')
      register(rc, task, host, r.data)
      return r
    }
    if (task.module === INCLUDE) return await include(rc, task, inh, host, items, conditions)
    const pause = Number(renderValue(task.loopPause ?? 0, vars)) * 1000
    const results: Record<string, unknown>[] = []
    const labels: string[] = []
    let changed = false
    let failed: string | undefined
    let module: string | undefined // a templated module's name, as the items rendered it
    const diffs: FileDiff[] = []
    for (const [i, item] of items.entries()) {
      if (i > 0 && pause > 0) await new Promise((r) => setTimeout(r, pause))
      const iv = taskVars(rc, host, inh, task, perItem(task, items, i))
      const label = itemLabel(task, item, iv)
      labels.push(label)
      const base = { [task.loopVar]: item, ansible_loop_var: task.loopVar }
      if (!conditions.every((c) => evalCondition(c, iv))) {
        results.push({ ...base, skipped: true, changed: false, skip_reason: 'Conditional result was False' })
        continue
      }
      const out = await withRetries(rc, task, host, iv, inh, log)
      module = out.module ?? module
      if (out.status === 'unreachable') return toResult(rc, task, host, out, noLog, ignore)
      if (out.status === 'skipped') {
        results.push({ ...out.data, ...base, skipped: true, changed: false, skip_reason: out.msg })
        continue
      }
      // as Ansible's item results: the module's fields (a `status` of its own too), `failed` when the item failed
      results.push({ ...out.data, ...base, ...(out.status === 'failed' && { failed: true }) })
      setVars(rc, host, out)
      // as Ansible's: the loop changed when any item did, a failed one too (an ignored failure counts as changed)
      if (out.status === 'changed' || (out.status === 'failed' && out.data.changed === true)) changed = true
      if (out.diff) diffs.push(...out.diff)
      if (out.status === 'failed') failed = failed ?? `item ${label}: ${out.msg}`
    }
    if (results.every((r) => r.skipped)) {
      const r = skipped(host, results.length ? 'all items skipped' : 'No items in the list')
      r.data = {
        results,
        skipped: true,
        changed: false,
        ...(results.length ? { msg: 'All items skipped' } : { skipped_reason: r.reason }),
      }
      register(rc, task, host, r.data)
      return { ...r, itemLabels: labels }
    }
    const out: Outcome = {
      status: failed ? 'failed' : changed ? 'changed' : 'ok',
      msg: failed,
      // the registered msg is Ansible's; the one shown names the item that failed
      data: {
        results,
        changed,
        skipped: false,
        ...(failed ? { failed: true, msg: 'One or more items failed' } : { msg: 'All items completed' }),
      },
      diff: diffs.length ? diffs : undefined,
      itemLabels: labels,
      module,
    }
    return toResult(rc, task, host, out, noLog, ignore)
  } catch (e) {
    if (e instanceof HostError && e.kind !== 'sudo' && e.kind !== 'timeout') {
      rc.pool.markUnreachable(host, e.message)
      return {
        status: 'unreachable',
        host,
        msg: e.message,
        data: { unreachable: true, msg: e.message, dropped: e.kind === 'dropped' },
      }
    }
    if (e instanceof UserError) return failedResult(rc, task, host, e.format(), ignore)
    if (e instanceof UserErrors) return failedResult(rc, task, host, e.message, ignore)
    if (e instanceof HostError) return failedResult(rc, task, host, e.message, ignore)
    throw e
  }
}

/** Run the module, again while `until` is false, up to `retries` times with `delay` seconds between. */
async function withRetries(
  rc: RunContext,
  task: Task,
  host: string,
  vars: Record<string, unknown>,
  inh: Inherited,
  log: (l: string, level?: number) => void,
): Promise<Outcome> {
  const named = task.moduleTemplate ? (task = resolveModule(rc, task, vars)).module : undefined
  const num = (v: unknown, what: string) => {
    const n = Number(renderValue(v, vars, { pos: task.pos, what }))
    if (!Number.isFinite(n) || n < 0)
      throw new UserError(`"${what}" must be a number ≥ 0, found ${JSON.stringify(renderValue(v, vars))}`, task.pos)
    return n
  }
  const attempts = task.until ? Math.floor(num(task.retries ?? 3, 'retries')) + 1 : 1
  const delay = task.until ? num(task.delay ?? 5, 'delay') : 0
  let out: Outcome | undefined
  for (let i = 1; i <= attempts; i++) {
    out = await executeModule(rc, task, inh, host, vars, log, task.until ? i : undefined)
    if (named) out.module = named
    // with `retries` 0 (one attempt) Ansible does not test `until` at all
    if (!task.until || attempts === 1 || out.status === 'unreachable') return out
    const ev = extendVars(vars, task.register ? { [task.register]: out.data } : {}, out.data)
    if (task.until.every((c) => evalCondition(c, ev))) return { ...out, data: { ...out.data, attempts: i } }
    if (i < attempts) {
      log(`retrying (${i}/${attempts - 1}): until condition not met`)
      await new Promise((r) => setTimeout(r, delay * 1000))
    }
  }
  // as Ansible: `attempts` is then the retries (one less than the runs), and a task with `failed_when` is judged by
  // its answer alone (Ansible's result keeps `failed_when_result`, which decides over the `failed: true` it adds)
  if (task.failedWhen) return { ...out!, data: { ...out!.data, attempts: attempts - 1, failed: true } }
  return {
    ...out!,
    status: 'failed',
    msg: `until condition not met after ${attempts} attempts`,
    data: { ...out!.data, attempts: attempts - 1 },
  }
}

/** A templated `loop_var`, rendered with the task's variables; it must give a variable name. */
function loopVarName(task: Task, vars: Record<string, unknown>): string {
  const name = renderString(task.loopVar, vars, { pos: task.pos, what: 'loop_var' }).trim()
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    throw new UserError(`loop_var "${task.loopVar}" must give a variable name, gave "${name}"`, task.pos)
  return name
}

/** The variables of loop item `i`: the loop variable, `index_var`, `ansible_loop` (extended). */
function perItem(task: Task, items: unknown[], i: number): Record<string, unknown> {
  return {
    [task.loopVar]: items[i],
    ansible_loop_var: task.loopVar,
    ...itemVars(items, i, { indexVar: task.loopIndexVar, extended: task.loopExtended }),
  }
}

/**
 * `include_tasks` itself: its `when` is checked (per item when looped); the items it includes are returned in
 * `data.items` for the walk (walk.ts), and counted one ok each, as Ansible counts "included: … for host". A
 * templated name (`task.dynamic`) is rendered per item and what it names loaded now (`data.files`, one per item):
 * a file or role that cannot be loaded fails the include on this host.
 */
async function include(
  rc: RunContext,
  task: Task,
  inh: Inherited,
  host: string,
  items: unknown[],
  conditions: string[],
): Promise<TaskResult> {
  const kept: unknown[] = []
  const files: string[] = []
  const d = task.dynamic
  for (let i = 0; i < items.length; i++) {
    const iv = taskVars(rc, host, inh, task, task.loop === undefined ? undefined : perItem(task, items, i))
    if (!conditions.every((c) => evalCondition(c, iv))) continue
    kept.push(task.loop === undefined ? undefined : items[i])
    if (d)
      files.push(renderString(d.name, iv, { pos: task.argsPos, what: d.kind === 'tasks' ? 'file' : 'name' }).trim())
  }
  if (kept.length === 0) {
    const r = skipped(host, items.length ? 'Conditional result was False' : 'No items in the list')
    register(rc, task, host, r.data)
    return r
  }
  if (d) {
    try {
      for (const f of new Set(files)) await loadDynamic(rc, d, f, task.argsPos)
    } catch (e) {
      if (!(e instanceof UserErrors)) throw e
      return failedResult(rc, task, host, e.errors.map((x) => x.format()).join('\n'), false)
    }
  }
  joinPlay(rc, task.publicVars?.defaults, task.publicVars?.vars)
  // Ansible counts "included: FILE" once per item; an include_role is not counted
  const included = task.args.role === true ? 0 : kept.length
  // a role include's target may carry its templated tasks_from/… on further lines (load/includerole.ts)
  const shown = d && new Set(files).size === 1 ? files[0].split('\n')[0] : (task.args.file ?? task.args.name)
  const data = {
    changed: false,
    include: shown,
    items: kept,
    included,
    ...(task.loop !== undefined && task.loopVar !== 'item' ? { loop_var: task.loopVar } : {}),
    ...(d ? { files } : {}),
  }
  register(rc, task, host, includeResult(task, shown, kept))
  return { status: 'ok', host, data }
}

/**
 * What an include registers, as Ansible's: the file (a role's include, its name) and the include's other arguments
 * as written (a role's name as it rendered); a loop's, one such result per item.
 */
function includeResult(task: Task, shown: unknown, items: unknown[]): Record<string, unknown> {
  const written = task.includeArgs ?? {}
  const one =
    task.args.role === true
      ? { include_args: { ...written, name: shown } }
      : { include: shown, include_args: { ...written } }
  if (task.loop === undefined) return { changed: false, ...one }
  const results = items.map((item) => ({ ...one, [task.loopVar]: item, ansible_loop_var: task.loopVar }))
  return { changed: false, msg: 'All items completed', results, skipped: false }
}

/**
 * Registered results are data from the host: marked unsafe, so output holding `{{` is never rendered. As Ansible
 * registers them, without a module's `invocation` (its arguments).
 */
export function registered(data: Record<string, unknown>): Record<string, unknown> {
  if (!('invocation' in data)) return markUnsafe(data)
  const { invocation: _, ...kept } = data
  return markUnsafe(kept)
}

function register(rc: RunContext, task: Task, host: string, data: Record<string, unknown>): void {
  if (task.register) rc.states.get(host)!.runVars[task.register] = registered(data)
}

/**
 * Facts a task set (`set_fact`): on its host, or with `delegate_facts` on the delegated host. A delegated host
 * that no play of the run has targeted yet (the implicit localhost, say) keeps no facts: they are dropped.
 */
function setVars(rc: RunContext, host: string, out: Outcome): void {
  const st = out.setVars || out.facts || out.moduleFacts ? rc.states.get(out.factsHost ?? host) : undefined
  if (!st) return
  // set_fact's values were rendered: what they hold is never rendered again (an `!unsafe` value stays literal)
  if (out.setVars) for (const [k, v] of Object.entries(out.setVars)) st.runVars[k] = finalValue(v)
  // `setup` read the host facts again: they replace the host's facts.* and, those its subset read, ansible_* and
  // ansible_facts
  if (out.facts) keepFacts(st, out.facts)
  if (out.moduleFacts) {
    st.moduleFacts = { ...st.moduleFacts, ...out.moduleFacts }
    st.factVars = markUnsafe(withModuleFacts(st.factVars, out.moduleFacts))
  }
}

function skipped(host: string, reason: string): TaskResult & { status: 'skipped' } {
  return { status: 'skipped', host, reason, data: { skipped: true, changed: false, skip_reason: reason } }
}

function failedResult(rc: RunContext, task: Task, host: string, msg: string, ignore: boolean): TaskResult {
  const data = { failed: true, changed: false, msg }
  register(rc, task, host, data)
  return { status: 'failed', host, msg, ignored: ignore, data }
}

function toResult(rc: RunContext, task: Task, host: string, out: Outcome, noLog: boolean, ignore: boolean): TaskResult {
  if (out.status !== 'unreachable') register(rc, task, host, out.data)
  setVars(rc, host, out)
  const data = noLog ? { censored: CENSORED, changed: out.data.changed } : out.data
  const msg = noLog && out.msg ? CENSORED : out.msg
  const labels = {
    ...(noLog || !out.itemLabels ? {} : { itemLabels: out.itemLabels }),
    ...(out.module === undefined ? {} : { module: out.module }),
  }
  switch (out.status) {
    case 'ok':
      return { status: 'ok', host, data, msg, ...labels }
    case 'changed':
      return {
        status: 'changed',
        host,
        data,
        msg,
        diff: noLog ? undefined : out.diff,
        changes: noLog ? undefined : out.changes,
        ...labels,
      }
    case 'failed':
      return { status: 'failed', host, data, msg: msg ?? 'failed', ignored: ignore, ...labels }
    case 'skipped':
      return { status: 'skipped', host, reason: msg ?? 'skipped', data, ...labels }
    case 'unreachable':
      rc.pool.markUnreachable(host, out.msg ?? 'unreachable')
      return { status: 'unreachable', host, data, msg: out.msg ?? 'unreachable', ...labels }
  }
}
