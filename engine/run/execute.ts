/**
 * One module call on one host (one loop item): render arguments, resolve them (`moduleArgs`), call the module
 * (`runModule`: gather, plan, apply unless in check mode), then `changed_when`/`failed_when`. Returns an outcome;
 * the caller turns outcomes into a TaskResult.
 */
import type { TSchema } from '@sinclair/typebox'
import type { Task } from '../ast.js'
import { HostError, UserError } from '../errors.js'
import { evalCondition } from '../expr.js'
import type { ModuleArgs } from '../argtypes.js'
import { ModuleFailure, type HostIO, type ModuleContext, type ModuleDef } from '../module.js'
import { renderTemplateFile, renderValue } from '../template.js'
import { renderArgs } from './renderargs.js'
import type { Command, FileDiff, HostFacts, Vars } from '../types.js'
import type { Inherited, RunContext } from './context.js'
import { retryingIO, taskIO, type TaskExec } from './hosts.js'
import { jobId, runDetached, startJob } from './async.js'
import { detachedDef } from './detach.js'
import { NO_ASYNC, OWN_JOB } from '../load/fireforget.js'
import { asyncOf, timeoutOf, type AsyncTiming } from './asyncfields.js'
import { renderBool } from './keyword.js'
import { selinuxRefusal } from './selinux.js'
import { becomeOf } from './become-vars.js'
import type { BecomeMethod } from '../connector.js'
import { randomHex } from '../randompool.js'
import { extendVars } from './vars.js'
import { moduleArgs, resultData, runModule, type ModuleRun, type RunCommand } from './module-call.js'
import { taskTarget, type Target } from './delegate.js'
import { applyInventoryChange } from './dyninv.js'
import { moduleCaller, moduleCode } from './callmodule.js'

/** The outcome of one module call. */
export interface Outcome {
  status: 'ok' | 'changed' | 'failed' | 'unreachable' | 'skipped'
  msg?: string
  data: Record<string, unknown>
  diff?: FileDiff[]
  changes?: string[]
  setVars?: Vars
  /** `delegate_facts`: the host `setVars` belong to (default: the task's own). */
  factsHost?: string
  /** New host facts (`setup`). */
  facts?: HostFacts
  /** Facts the module returned (`getent_passwd`, `packages`). */
  moduleFacts?: Vars
  /** A loop's item labels, one per `data.results` entry (for the output, not registered). */
  itemLabels?: string[]
  /** The module a template named, as it rendered (see `TaskResult.module`). */
  module?: string
}

const noIO: HostIO = {
  run: () => Promise.reject(new Error('this module runs on the controller only')),
  batch: () => Promise.reject(new Error('this module runs on the controller only')),
  reconnect: () => Promise.resolve(),
}

/** A task that cannot start (an argument or keyword that does not render): failed, registered as Ansible's. */
function userFailure(e: UserError): Outcome {
  const msg = e.format()
  return { status: 'failed', msg, data: { failed: true, changed: false, msg } }
}

/** Run one module call. Throws HostError for connection faults (the caller reports unreachable). */
export async function executeModule(
  rc: RunContext,
  task: Task,
  inh: Inherited,
  host: string,
  vars: Vars,
  log: (line: string, level?: number) => void,
  attempt?: number,
): Promise<Outcome> {
  const code = moduleCode(rc, task.module)
  const def = (code instanceof Promise ? await code : code) as ModuleDef<TSchema, unknown>
  let args: ModuleArgs<TSchema>
  let rendered: Record<string, unknown>
  try {
    rendered = renderArgs(task, def.schema, vars)
  } catch (e) {
    if (e instanceof UserError) return userFailure(e)
    throw e
  }
  try {
    args = moduleArgs(def, rendered, task.argsPos)
  } catch (e) {
    // the module refuses its arguments: that answer is judged by failed_when, as Ansible's module's is
    if (e instanceof UserError) return judgedFailure(task, userFailure(e), vars)
    throw e
  }
  rc.secrets.addFromArgs(def.schema, args as Record<string, unknown>)
  let check: boolean
  let diffMode: boolean
  let who: { user?: string; method: BecomeMethod }
  try {
    // templates rendered with the host's variables, as Ansible's
    check = renderBool(task.checkMode ?? inh.checkMode ?? rc.play.checkMode ?? rc.opts.check, vars, 'check_mode')
    diffMode = renderBool(task.diff ?? inh.diff ?? rc.play.diff ?? rc.opts.diff, vars, 'diff')
    who = becomeOf(
      {
        become: task.become ?? inh.become ?? rc.play.become,
        becomeUser: task.becomeUser ?? inh.becomeUser ?? rc.play.becomeUser,
        becomeMethod: task.becomeMethod ?? inh.becomeMethod ?? rc.play.becomeMethod,
        becomeFlags: task.becomeFlags ?? inh.becomeFlags ?? rc.play.becomeFlags,
        becomeExe: task.becomeExe ?? inh.becomeExe ?? rc.play.becomeExe,
      },
      vars,
    )
  } catch (e) {
    if (e instanceof UserError) return userFailure(e)
    throw e
  }
  let timeoutSec: number | undefined
  try {
    const playDefault = rc.play.taskTimeout // a template was rendered before the play
    timeoutSec = timeoutOf(task, vars) ?? (typeof playDefault === 'number' ? playDefault : undefined)
  } catch (e) {
    if (e instanceof UserError) return userFailure(e)
    throw e
  }
  const env = environment(rc, task, inh, vars)
  const exec: TaskExec = {
    becomeUser: who.user,
    becomeMethod: who.method,
    env: def.ignoresEnvironment ? withoutEnvironment(rc, task, env) : env,
    timeoutSec,
    defaultTimeoutSec: rc.opts.taskTimeout || undefined,
    module: task.module,
    signal: rc.signal,
  }
  const ctx: ModuleContext = {
    host,
    vars,
    facts: rc.states.get(host)?.facts,
    checkMode: check,
    diffMode,
    searchPaths: task.searchPaths,
    render: (text, file, jinja, dest) => renderTemplateFile(text, file, vars, jinja, dest),
    log,
    signal: rc.signal,
  }
  ctx.jobResult = async (jid, log) => rc.run.jobs?.get(jid)?.(log, ctx, io)
  ctx.callModule = moduleCaller(
    rc,
    task.argsPos,
    () => ctx,
    () => io,
  )
  let timing: AsyncTiming
  try {
    timing = asyncOf(task, def as ModuleDef, vars)
  } catch (e) {
    if (e instanceof UserError) return userFailure(e)
    throw e
  }
  const { async: asyncSec, poll } = timing
  // as Ansible: these modules' action plugins take no async (before the check below, as Ansible's order)
  if (timing.asked && NO_ASYNC.has(task.module))
    return userFailure(new UserError('async is not supported for this task.'))
  // as Ansible: no async task runs in check mode, polled or not
  if (timing.asked && check) return userFailure(new UserError('check mode and async cannot be used on same task.'))
  let io = noIO
  let target: Target
  try {
    target = taskTarget(rc, task, inh, host, vars)
  } catch (e) {
    if (e instanceof UserError) return userFailure(e)
    throw e
  }
  const connect = () => rc.pool.get(target.name, target.vars, target.keyword)
  if (def.waitsForConnection) io = retryingIO(rc, target.name, connect, exec, log)
  else if (!def.controllerOnly) io = taskIO(await connect(), exec, log)
  const refusal = selinuxRefusal(args as Record<string, unknown>, io)
  const noContexts = refusal && (await refusal)
  if (noContexts) return userFailure(new UserError(noContexts))
  let started: string | undefined // the job a `poll: 0` task started
  let polled: string | undefined // the job a polled async task waited for
  const jobOf = (cmd: Command) => jobId(rc.play.name ?? rc.play.hosts, task.name ?? task.module, ctx.host, cmd)
  let call: ModuleDef<TSchema, unknown> = def
  if (asyncSec && poll === 0 && !OWN_JOB.has(task.module)) {
    // the plan's commands run as one job (engine/run/detach.ts)
    const limit = asyncSec
    call = detachedDef(
      def,
      (cmd, unchanged) => startJob(io, cmd, (started = `${jobOf(cmd)}-${randomHex(4)}`), limit, unchanged),
      (finish) => started && (rc.run.jobs ??= new Map()).set(started, finish),
    )
  }
  const runCommand: RunCommand = (cmd) => {
    const id = asyncSec ? jobOf(cmd) : ''
    if (asyncSec && poll === 0) return startJob(io, cmd, (started = `${id}-${randomHex(4)}`), asyncSec)
    if (asyncSec) polled = id
    return asyncSec
      ? runDetached(io, cmd, {
          id,
          pollSec: poll || 5,
          limitSec: asyncSec,
          log: ctx.log,
          signal: rc.signal,
          reconnectSec: rc.opts.reconnectTimeout,
        })
      : io.run(cmd)
  }
  try {
    const run = await runModule(call, args, ctx, io, runCommand)
    // only a registered result can be read (Ansible's conditions see a result only under its name): no round trip else
    if (def.pathInfo && task.register && !run.failed && run.skipped === undefined && !started)
      await def.pathInfo(run.data, io)
    // group_by/add_host: the inventory changes (in check mode too, as Ansible's); changed when it did
    if (run.plan.inventory && !run.failed && run.skipped === undefined)
      run.changed = applyInventoryChange(rc, host, run.plan.inventory)
    const out = finish(task, run, check, vars, ctx.diffMode, attempt)
    // as Ansible: it polls for the job of a module that ran without one (reboot) and finds none
    if (timing.noJob && (out.status === 'changed' || out.status === 'ok'))
      return userFailure(new UserError('No job id was returned by the async task'))
    if (started && (out.status === 'changed' || out.status === 'ok')) {
      // as Ansible reports a job it left running: changed, started, not finished, its ID to give async_status
      const data = { ansible_job_id: started, started: 1, finished: 0, changed: true, failed: 0 }
      return { status: 'changed', data }
    }
    // as Ansible's result of a job it polled to the end: its ID, started and finished
    if (polled && out.status !== 'skipped') Object.assign(out.data, { ansible_job_id: polled, started: 1, finished: 1 })
    const toDelegate = target.delegated && renderBool(task.delegateFacts, vars, 'delegate_facts')
    return toDelegate ? { ...out, factsHost: target.name } : out
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

/** The task's view of a module call: check-mode changes, `changed_when`/`failed_when`, the outcome. */
function finish(
  task: Task,
  run: ModuleRun<unknown>,
  check: boolean,
  vars: Vars,
  diffMode: boolean,
  attempt?: number,
): Outcome {
  const { plan, msg, skipped } = run
  if (skipped !== undefined) return { status: 'skipped', msg: skipped, data: resultData(run, check) }
  let { changed, failed } = run
  // the module's own registered `msg` (debug's list or map) stays; the message shown fills it otherwise
  const data = resultData(run, check)
  // changed_when / failed_when see the registered result under its name (and its fields directly); the view is
  // made only for a task that has one (most have neither)
  // as Ansible's: `failed` is always there, `failed_when_result` with a failed_when, and a condition that cannot be
  // evaluated fails the task with its error as `changed_when_result`/`failed_when_result`
  // under `until`, the conditions see which attempt this is (`x.attempts`), as Ansible's
  if (attempt !== undefined) data.attempts = attempt
  const evalVars = task.changedWhen || task.failedWhen ? whenVars(task, vars, data) : {}
  let which = 'changed'
  try {
    if (task.changedWhen) changed = task.changedWhen.every((c) => evalCondition(c, evalVars))
    which = 'failed'
    if (task.failedWhen) {
      const f = task.failedWhen.every((c) => evalCondition(c, evalVars)) // a list: all of them, as Ansible's
      failed = f ? (failed ?? msg ?? 'failed_when condition was true') : undefined
      data.failed_when_result = f
    }
  } catch (e) {
    if (!(e instanceof UserError)) throw e
    Object.assign(data, { failed: true, [`${which}_when_result`]: e.message })
    return { status: 'failed', msg: e.format(), data }
  }
  data.changed = changed
  data.failed = !!failed
  return {
    status: failed ? 'failed' : changed ? 'changed' : 'ok',
    msg: failed ?? msg,
    data,
    diff: changed && diffMode ? plan.diff : undefined, // --diff, or the task's/block's/play's `diff`
    changes: plan.changes,
    setVars: failed ? undefined : plan.setVars,
    facts: failed ? undefined : plan.facts,
    moduleFacts: failed ? undefined : plan.moduleFacts,
  }
}

/** A failure before the module ran (its arguments refused), judged by the task's `failed_when` (if any). */
function judgedFailure(task: Task, out: Outcome, vars: Vars): Outcome {
  if (!task.failedWhen) return out
  const data = { ...out.data }
  try {
    const f = task.failedWhen.every((c) => evalCondition(c, whenVars(task, vars, data)))
    Object.assign(data, { failed: f, failed_when_result: f })
    return f ? { ...out, data } : { status: 'ok', msg: out.msg, data }
  } catch (e) {
    if (!(e instanceof UserError)) throw e
    return { status: 'failed', msg: e.format(), data: { ...data, failed: true, failed_when_result: e.message } }
  }
}

/** The variables `changed_when`/`failed_when` see: the host's, the result's fields, the result under its name. */
function whenVars(task: Task, vars: Vars, data: Record<string, unknown>): Vars {
  return extendVars(vars, data, task.register ? { [task.register]: data } : {})
}

const warnedEnvironment = new WeakSet<Task>()

/** No environment for a module that takes none (`raw`): a warning, once per task, when one is in force. */
function withoutEnvironment(rc: RunContext, task: Task, env: Record<string, string> | undefined): undefined {
  if (env && Object.keys(env).length && !warnedEnvironment.has(task)) {
    warnedEnvironment.add(task)
    rc.bus.emit({ type: 'warning', msg: `${task.module} module does not support the environment keyword` })
  }
  return undefined
}

function environment(rc: RunContext, task: Task, inh: Inherited, vars: Vars): Record<string, string> | undefined {
  if (rc.play.environment === undefined && !inh.environment?.length && task.environment === undefined) return undefined
  const layers = [rc.play.environment, ...(inh.environment ?? []), task.environment]
    .flat()
    .filter((l) => l !== undefined)
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
