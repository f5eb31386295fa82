/**
 * One module call on one host (one loop item): render arguments, gather facts, plan, apply unless in check mode,
 * then `changed_when`/`failed_when`. Returns an outcome; the caller turns outcomes into a TaskResult.
 */
import type { TSchema } from '@sinclair/typebox'
import type { Task } from '../ast.js'
import { HostError, UserError } from '../errors.js'
import { evalCondition } from '../expr.js'
import { resolveArgs } from '../load/args.js'
import { ModuleFailure, type HostIO, type ModuleContext, type ModuleDef, type Plan } from '../module.js'
import { renderTemplateFile, renderValue } from '../template.js'
import type { CommandResult, FileDiff, Vars } from '../types.js'
import type { Inherited, RunContext } from './context.js'
import { retryingIO, taskIO, type TaskExec } from './hosts.js'
import { jobId, runDetached } from './async.js'
import { OMIT } from './hostvars.js'
import { taskTarget, type Target } from './delegate.js'

/** The outcome of one module call. */
export interface Outcome {
  status: 'ok' | 'changed' | 'failed' | 'unreachable' | 'skipped'
  msg?: string
  data: Record<string, unknown>
  diff?: FileDiff[]
  changes?: string[]
  setFacts?: Vars
  /** `delegate_facts`: the host `setFacts` belong to (default: the task's own). */
  factsHost?: string
}

/** Render a task's arguments; arguments marked `shellTemplate` quote every `{{ }}` value for the shell. */
export function renderArgs(task: Task, schema: TSchema, vars: Vars): Record<string, unknown> {
  const props = (schema as { properties?: Record<string, { shellTemplate?: boolean }> }).properties ?? {}
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(task.args)) {
    const what = `argument "${k}" of task "${task.name ?? task.module}"`
    const r = renderValue(v, vars, { pos: task.argsPos, what, escape: props[k]?.shellTemplate ? 'shell' : undefined })
    if (r !== OMIT) out[k] = r
  }
  return out
}

const noIO: HostIO = {
  run: () => Promise.reject(new Error('this module runs on the controller only')),
  batch: () => Promise.reject(new Error('this module runs on the controller only')),
  reconnect: () => Promise.resolve(),
}

/** Run one module call. Throws HostError for connection faults (the caller reports unreachable). */
export async function executeModule(
  rc: RunContext,
  task: Task,
  inh: Inherited,
  host: string,
  vars: Vars,
  log: (line: string, level?: number) => void,
): Promise<Outcome> {
  const def = rc.modules.get(task.module) as ModuleDef<TSchema, unknown>
  let args: Record<string, unknown>
  try {
    args = resolveArgs(def, renderArgs(task, def.schema, vars), task.argsPos) as Record<string, unknown>
  } catch (e) {
    if (e instanceof UserError) return { status: 'failed', msg: e.format(), data: {} }
    throw e
  }
  rc.secrets.addFromArgs(def.schema, args)
  const check = task.checkMode ?? inh.checkMode ?? rc.play.checkMode ?? rc.opts.check
  const become = task.become ?? inh.become ?? rc.play.become ?? false
  const exec: TaskExec = {
    becomeUser: become ? (task.becomeUser ?? inh.becomeUser ?? rc.play.becomeUser ?? 'root') : undefined,
    env: environment(rc, task, inh, vars),
    timeoutSec: task.timeout,
    defaultTimeoutSec: rc.opts.taskTimeout || undefined,
    signal: rc.signal,
  }
  const ctx: ModuleContext = {
    host,
    vars,
    facts: rc.states.get(host)?.facts,
    checkMode: check,
    diffMode: task.diff ?? inh.diff ?? rc.play.diff ?? rc.opts.diff,
    searchPaths: task.searchPaths,
    render: (text, file) => renderTemplateFile(text, file, vars),
    log,
    signal: rc.signal,
  }
  let io = noIO
  let target: Target
  try {
    target = taskTarget(rc, task, inh, host, vars)
  } catch (e) {
    if (e instanceof UserError) return { status: 'failed', msg: e.format(), data: {} }
    throw e
  }
  const connect = () => rc.pool.get(target.name, target.vars, target.keyword)
  if (def.waitsForConnection) io = retryingIO(rc, target.name, connect, exec, log)
  else if (!def.controllerOnly) io = taskIO(await connect(), exec, log)
  try {
    const facts = await def.gather(args, ctx, io)
    const plan = def.plan(facts, args, ctx)
    const out = await finish(rc, task, def, facts, args, plan, ctx, io, check, vars)
    return task.delegateFacts && target.delegated ? { ...out, factsHost: target.name } : out
  } catch (e) {
    if (e instanceof ModuleFailure || e instanceof UserError) {
      const msg = e instanceof UserError ? e.format() : e.message
      return { status: 'failed', msg, data: { failed: true, changed: false, msg } } // registered: `x is failed`
    }
    if (e instanceof HostError && (e.kind === 'sudo' || e.kind === 'timeout')) {
      return { status: 'failed', msg: e.message, data: { failed: true, changed: false, msg: e.message } }
    }
    throw e
  }
}

async function finish(
  rc: RunContext,
  task: Task,
  def: ModuleDef<TSchema, unknown>,
  facts: unknown,
  args: Record<string, unknown>,
  plan: Plan,
  ctx: ModuleContext,
  io: HostIO,
  check: boolean,
  vars: Vars,
): Promise<Outcome> {
  if (plan.skip !== undefined && !plan.fail) {
    return { status: 'skipped', msg: plan.skip, data: { ...plan.data, changed: false, skipped: true, msg: plan.skip } }
  }
  let changed = plan.changed ?? plan.commands.length > 0
  let failed = plan.fail
  let msg = plan.msg ?? plan.fail
  let data: Record<string, unknown> = { ...plan.data }
  if (!failed && !check && (plan.commands.length > 0 || def.apply)) {
    if (def.apply) {
      const r = await def.apply(plan, args, ctx, io)
      data = { ...data, ...r.data }
      changed = r.changed ?? changed
      failed = r.fail
      msg = r.msg ?? r.fail ?? msg
    } else {
      const results: CommandResult[] = []
      for (const cmd of plan.commands) {
        const r = task.async
          ? await runDetached(io, cmd, {
              id: jobId(rc.play.name ?? rc.play.hosts, task.name ?? task.module, ctx.host, cmd),
              pollSec: task.poll || 5,
              limitSec: task.async,
              log: ctx.log,
              signal: rc.signal,
              reconnectSec: rc.opts.reconnectTimeout,
            })
          : await io.run(cmd)
        results.push(r)
        if (!(cmd.okCodes ?? [0]).includes(r.rc)) {
          failed = `${cmd.describe ?? cmd.argv[0]} failed (rc ${r.rc}): ${(r.stderr || r.stdout).trim().slice(-2000)}`
          break
        }
      }
      if (def.after) {
        const a = await def.after(facts, args, results, ctx, io)
        data = { ...data, ...a.data }
        changed = a.changed ?? changed
        if (a.fail) failed = a.fail
        msg = a.msg ?? a.fail ?? (failed ? failed : msg)
      } else if (failed) msg = failed
    }
  } else if (!failed && check && def.after && def.controllerOnly) {
    const a = await def.after(facts, args, [], ctx, io)
    data = { ...data, ...a.data }
  }
  if (check && plan.changes?.length) data.changes = plan.changes
  data.changed = changed
  if (failed) data.failed = true
  if (msg !== undefined) data.msg = msg
  // changed_when / failed_when see the registered result under its name (and its fields directly).
  const evalVars = { ...vars, ...data, ...(task.register ? { [task.register]: data } : {}) }
  try {
    if (task.changedWhen) changed = task.changedWhen.every((c) => evalCondition(c, evalVars))
    if (task.failedWhen) {
      const f = task.failedWhen.some((c) => evalCondition(c, evalVars))
      failed = f ? (failed ?? msg ?? 'failed_when condition was true') : undefined
    }
  } catch (e) {
    if (e instanceof UserError) return { status: 'failed', msg: e.format(), data }
    throw e
  }
  data.changed = changed
  if (failed) data.failed = true
  else delete data.failed
  return {
    status: failed ? 'failed' : changed ? 'changed' : 'ok',
    msg: failed ?? msg,
    data,
    diff: changed ? plan.diff : undefined,
    changes: plan.changes,
    setFacts: failed ? undefined : plan.setFacts,
  }
}

function environment(rc: RunContext, task: Task, inh: Inherited, vars: Vars): Record<string, string> | undefined {
  const layers = [rc.play.environment, ...(inh.environment ?? []), task.environment].filter((l) => l !== undefined)
  if (layers.length === 0) return undefined
  const merged: Record<string, unknown> = {}
  for (const l of layers) {
    const r = renderValue(l, vars, { pos: task.pos, what: 'environment' })
    if (typeof r !== 'object' || r === null || Array.isArray(r))
      throw new UserError(`"environment" must give a map of names to values, got ${JSON.stringify(r)}`, task.pos)
    Object.assign(merged, r)
  }
  if (Object.keys(merged).length === 0) return undefined
  return Object.fromEntries(Object.entries(merged).map(([k, v]) => [k, String(v)]))
}
