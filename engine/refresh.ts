/**
 * Runs a module's refresh step (see `Refresh` in module.ts) before its gather: the read-only `due` probe, then
 * the refresh commands unless in check mode. Used by the runner and by module tests, so both see one behaviour.
 *
 * @example
 * ```ts
 * const step = await runRefresh(apt.refresh?.(args, ctx), ctx, io)
 * if (step.fail) return { status: 'failed', msg: step.fail }
 * // ctx.refreshed is now 'ran', 'predicted' or 'fresh'; step.changes names the step for --check and -v
 * ```
 */
import type { HostIO, ModuleContext, Refresh, RefreshOutcome } from './module.js'

/** What the refresh step did, for the task's result. */
export interface RefreshStep {
  outcome?: RefreshOutcome
  /** The step's line for the list of changes ("refresh the package lists"), when it ran or would run. */
  changes: string[]
  /** Set when a refresh command failed. */
  fail?: string
}

/** Run `refresh` (when given) and record its outcome on `ctx.refreshed`. */
export async function runRefresh(refresh: Refresh | undefined, ctx: ModuleContext, io: HostIO): Promise<RefreshStep> {
  if (!refresh) return { changes: [] }
  if (refresh.due) {
    const r = await io.run(refresh.due)
    if (r.rc !== 0 && r.rc !== 1) {
      return { changes: [], fail: `${refresh.describe}: cannot tell whether it is due: ${errorText(r)}` }
    }
    if (r.rc === 1) {
      ctx.refreshed = 'fresh'
      ctx.log(`${refresh.describe}: not due`)
      return { outcome: 'fresh', changes: [] }
    }
  }
  if (ctx.checkMode) {
    ctx.refreshed = 'predicted'
    ctx.log(`${refresh.describe}: not run in check mode`)
    return { outcome: 'predicted', changes: [refresh.describe] }
  }
  for (const cmd of refresh.commands) {
    const r = await io.run(cmd)
    if (!(cmd.okCodes ?? [0]).includes(r.rc)) {
      return { changes: [], fail: `${refresh.describe} failed (${cmd.describe ?? cmd.argv[0]}): ${errorText(r)}` }
    }
  }
  ctx.refreshed = 'ran'
  return { outcome: 'ran', changes: [refresh.describe] }
}

function errorText(r: { rc: number; stdout: string; stderr: string }): string {
  return (r.stderr || r.stdout).trim().slice(-800) || `exit code ${r.rc}`
}
