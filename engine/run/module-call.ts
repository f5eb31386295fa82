/**
 * The one way a module is called, by the runner and by the module tests alike: `moduleArgs` resolves what a task
 * wrote into the module's arguments (aliases, coercion, checks, defaults: engine/load/args.ts, the one place);
 * `runModule` then runs gather → plan → apply (the module's own, or the plan's commands in order, stopping at the
 * first failure; nothing in check mode) → after. What the task does with the result (`changed_when`, `register`,
 * the recap) is the runner's business (engine/run/execute.ts).
 *
 * @example
 * ```ts
 * const args = moduleArgs(apt, { name: 'git' }) // { name: 'git', state: 'present', update_cache: false, … }
 * const r = await runModule(apt, args, ctx, io)
 * r.changed // true when git was installed
 * ```
 */
import type { Static, TSchema } from '@sinclair/typebox'
import type { ModuleArgs } from '../argtypes.js'
import { resolveArgs } from '../load/args.js'
import { ModuleFailure, type HostIO, type ModuleContext, type ModuleDef, type Plan } from '../module.js'
import { runRefresh } from '../refresh.js'
import type { Command, CommandResult, SourcePos } from '../types.js'
import { extend } from '../shape.js'

/** Where arguments given outside a playbook (a test, a library caller) are reported. */
const NOWHERE: SourcePos = { file: '<arguments>', line: 1, col: 1 }

/**
 * A module's arguments as a task wrote them (after templating) → the canonical, default-filled arguments the
 * module receives. Throws a `UserError` for arguments the schema rejects.
 */
export function moduleArgs<S extends TSchema, F>(
  def: ModuleDef<S, F>,
  written: Static<S> & Record<string, unknown>,
  pos: SourcePos = NOWHERE,
): ModuleArgs<S> {
  return resolveArgs(def, written, pos)
}

/** How `runModule` runs one command of the plan (the runner passes its `async`/`poll` runner). */
export type RunCommand = (cmd: Command) => Promise<CommandResult>

/** What one module call did. */
export interface ModuleRun<F> {
  /** What the module's gather read (its state). */
  state: F
  plan: Plan
  /** The results of the plan's commands that ran, in order (none in check mode). */
  results: CommandResult[]
  changed: boolean
  /** Why the module skipped itself (the plan's `skip`, unless it failed): nothing ran, nothing changed. */
  skipped?: string
  /** Why the call failed (the plan's `fail`, a failed command, or `apply`/`after`'s verdict). */
  failed?: string
  msg?: string
  /** What the task registers: the plan's data, then apply's/after's. */
  data: Record<string, unknown>
}

/**
 * Call a module: its refresh step (never in check mode), gather (read-only), plan, and unless `ctx.checkMode`,
 * apply. A `ModuleFailure` or `HostError` from the module is thrown to the caller.
 */
export async function runModule<S extends TSchema, F>(
  def: ModuleDef<S, F>,
  args: ModuleArgs<S>,
  ctx: ModuleContext,
  io: HostIO,
  runCommand: RunCommand = (cmd) => io.run(cmd),
): Promise<ModuleRun<F>> {
  const refresh = def.refresh?.(args, ctx)
  const step = refresh ? await runRefresh(refresh, ctx, io) : { changes: [] }
  if (step.fail) throw new ModuleFailure(step.fail)
  const state = await def.gather(args, ctx, io)
  const plan = def.plan(state, args, ctx)
  if (step.changes.length) plan.changes = [...step.changes, ...(plan.changes ?? [])]
  const skipped = plan.fail ? undefined : plan.skip
  const out: ModuleRun<F> = {
    state,
    plan,
    results: [],
    changed: skipped === undefined && (plan.changed ?? plan.commands.length > 0),
    skipped,
    failed: plan.fail,
    msg: plan.msg ?? plan.fail,
    data: extend(plan.data, {}),
  }
  if (out.failed || skipped !== undefined) return out // a plan that skips runs nothing
  if (ctx.checkMode) {
    // controller-only modules (set_fact, assert, …) have nothing to run: their result is the same in check mode
    if (def.after && def.controllerOnly) Object.assign(out.data, (await def.after(state, args, [], ctx, io)).data)
    return out
  }
  if (def.apply) {
    // a module's own apply runs even when the plan has no commands (reboot and wait_for decide there)
    const r = await def.apply(plan, args, ctx, io)
    out.data = extend(out.data, r.data)
    out.changed = r.changed ?? out.changed
    out.failed = r.fail
    out.msg = r.msg ?? r.fail ?? out.msg
    if (r.moduleFacts && !out.failed) out.plan.moduleFacts = { ...out.plan.moduleFacts, ...r.moduleFacts }
    if (r.skip !== undefined && !out.failed) {
      out.skipped = r.skip
      out.changed = false
    }
    return out
  }
  if (plan.commands.length === 0) return out
  for (const cmd of plan.commands) {
    const r = await runCommand(cmd)
    out.results.push(r)
    if (!(cmd.okCodes ?? [0]).includes(r.rc)) break
  }
  return settle(def, out, args, ctx, io)
}

/**
 * The end of a module call whose plan's commands ran (`out.results`, stopping at the first that failed): that
 * failure, then the module's `after`. Also used when a `poll: 0` job's commands finished (engine/run/detach.ts).
 */
export async function settle<S extends TSchema, F>(
  def: ModuleDef<S, F>,
  out: ModuleRun<F>,
  args: ModuleArgs<S>,
  ctx: ModuleContext,
  io: HostIO,
): Promise<ModuleRun<F>> {
  const cmds = out.plan.commands
  // a write that made a backup names it, as Ansible's modules register it: `backup_file`, or `backup` where the
  // module's result has that field (lineinfile's)
  for (const [i, r] of out.results.entries()) {
    const made = cmds[i].reportsBackup ? /^backup_file=(.+)$/m.exec(r.stdout)?.[1] : undefined
    if (made) out.data[Object.hasOwn(out.data, 'backup') ? 'backup' : 'backup_file'] = made
  }
  const bad = out.results.findIndex((r, i) => !(cmds[i].okCodes ?? [0]).includes(r.rc))
  if (bad >= 0) {
    const [cmd, r] = [cmds[bad], out.results[bad]]
    out.failed = `${cmd.describe ?? cmd.argv[0]} failed (rc ${r.rc}): ${(r.stderr || r.stdout).trim().slice(-2000)}`
    // the plan's first change failed (after at most the folders made for it): it reports no change, as Ansible's
    // module does; a change that failed after others had been made keeps changed: true
    if (cmds.slice(0, bad).every((c) => c.prepares)) out.changed = false
  }
  if (def.after) {
    const a = await def.after(out.state, args, out.results, ctx, io)
    out.data = extend(out.data, a.data)
    out.changed = a.changed ?? out.changed
    if (a.fail) out.failed = a.fail
    out.msg = a.msg ?? a.fail ?? out.failed ?? out.msg
    if (a.moduleFacts && !out.failed) out.plan.moduleFacts = { ...out.plan.moduleFacts, ...a.moduleFacts }
    if (a.skip !== undefined && !out.failed) {
      out.skipped = a.skip
      out.changed = false
    }
  } else if (out.failed) out.msg = out.failed
  return out
}

/**
 * What a task registers for a module run, before the task's own conditions (`changed_when`, …): the module's data
 * with `changed`, `failed` and `msg` (a module's own `msg` stays), the predicted `changes` in check mode; a skip as
 * Ansible registers one. Fills and returns `run.data` (a skip: a copy).
 */
export function resultData(run: ModuleRun<unknown>, check: boolean): Record<string, unknown> {
  const { plan, data, msg, skipped } = run
  if (skipped !== undefined) return extend(data, { changed: false, skipped: true, msg: skipped })
  if (check && plan.changes?.length) data.changes = plan.changes
  data.changed = run.changed
  data.failed = !!run.failed
  if (msg !== undefined && data.msg === undefined && !plan.msgShownOnly) data.msg = msg
  return data
}
