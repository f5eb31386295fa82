/**
 * Dynamic includes that may never run. Ansible loads what an `include_tasks` or `include_role` brings only when
 * the include runs, so a mistake there (a module it does not know, a missing file, a bad argument) stops nothing
 * while the include is skipped. tsplay loads it before the run; when the include may be skipped (its own `when`,
 * an enclosing block's `when`, a `rescue`, a handler that is never notified, an include or role under one of
 * those), its mistakes are warnings, and the include is loaded again when it runs and fails on that host then.
 * An include that certainly runs keeps its mistakes as errors.
 *
 * Likewise a task whose failure is tolerated (`ignore_errors`, or in a block with a `rescue`) and whose arguments
 * are wrong is a warning: Ansible fails such a task when it runs (tests often do so on purpose), and so does
 * tsplay, with the same message.
 *
 * @example
 * ```yaml
 * - include_tasks: windows.yml      # holds win_file: a warning before the run, a failure only on Windows hosts
 *   when: ansible_os_family == 'Windows'
 * ```
 */
import { relative } from 'node:path'
import type { Block } from '../ast.js'
import { UserError } from '../errors.js'
import type { SourcePos } from '../types.js'
import type { LoadContext } from './context.js'
import { newDynamic, type DynamicParts } from './dynamic.js'
import { toBool } from './keywords.js'
import type { TaskScope } from './task.js'

/** Does the task or block map have a `when` that is not empty? */
export function hasWhen(raw: Record<string, unknown>): boolean {
  const w = raw.when
  return w !== undefined && w !== null && w !== '' && !(Array.isArray(w) && w.length === 0)
}

/** Why the include `raw` may never run, or undefined when it runs wherever it is reached. */
export function whyMayNotRun(ctx: LoadContext, raw: Record<string, unknown>, scope: TaskScope): string | undefined {
  if (ctx.mayNotRun) return ctx.mayNotRun
  if (scope.handlers) return 'it is a handler, run only when notified'
  if (hasWhen(raw)) return 'its "when" may skip it'
  return undefined
}

/** Run `load` with `why` set as `ctx[key]` while it runs (an outer reason is kept). */
async function within<T>(
  ctx: LoadContext,
  key: 'mayNotRun' | 'failureTolerated',
  why: string | undefined,
  load: () => Promise<T>,
): Promise<T> {
  const outer = ctx[key]
  ctx[key] = outer ?? why
  try {
    return await load()
  } finally {
    ctx[key] = outer
  }
}

/** Run `load` with `why` as the reason what it loads may never run (an outer reason is kept). */
export const maybeSkipped = <T>(ctx: LoadContext, why: string | undefined, load: () => Promise<T>): Promise<T> =>
  within(ctx, 'mayNotRun', why, load)

/**
 * After loading what an include brings: when it has mistakes (`found`) and the include may never run, turn them
 * into warnings and make `block` a dynamic include loaded (and failing) only when it runs, and give true; else
 * report them as errors.
 */
export function deferIfBroken(
  ctx: LoadContext,
  found: UserError[],
  why: string | undefined,
  raw: Record<string, unknown>,
  block: Block,
  here: SourcePos,
  scope: TaskScope,
  parts: DynamicParts,
): boolean {
  if (!why || found.length === 0) {
    ctx.errors.push(...found)
    return false
  }
  const key = parts.kind === 'tasks' ? 'include_tasks' : 'include_role'
  const where = `${key} at ${relative(ctx.playbookDir, here.file) || here.file}:${here.line}:${here.col}`
  for (const e of found)
    ctx.warnings.push(
      new UserError(
        `${e.message} (loaded only if the ${where} runs, and ${why}; it fails there if it does)`,
        e.pos,
        e.hint,
      ),
    )
  block.block = []
  block.include!.dynamic = newDynamic(ctx, raw, scope, parts)
  return true
}

/**
 * Why the task `raw` may fail without stopping the run (its own or a block's `ignore_errors`, a rescue, a
 * `failed_when: false`, under which Ansible counts even a module's refusal of its arguments as ok).
 */
export function whyTolerated(ctx: LoadContext, raw: Record<string, unknown>): string | undefined {
  if (toBool(raw.ignore_errors) === true) return 'its failure is ignored (ignore_errors)'
  const never = (v: unknown) => toBool(v) === false
  const fw = raw.failed_when
  if (fw !== undefined && (Array.isArray(fw) ? fw.length > 0 && fw.some(never) : never(fw)))
    return 'its failed_when: false counts that failure as ok'
  return ctx.failureTolerated
}

/** Run `load` with `why` as the reason a failure of what it loads is tolerated (an outer reason is kept). */
export const tolerated = <T>(ctx: LoadContext, why: string | undefined, load: () => Promise<T>): Promise<T> =>
  within(ctx, 'failureTolerated', why, load)

/**
 * Report `errors` (a template that does not parse, wrong arguments) of the task `raw`: as warnings when the task's
 * failure is ignored or rescued (a task written to fail: Ansible fails it when it runs, and so does tsplay), or for
 * the reason `also` the caller gives.
 */
export function tolerate(ctx: LoadContext, raw: Record<string, unknown>, errors: UserError[], also?: string): void {
  const why = errors.length ? (whyTolerated(ctx, raw) ?? also) : undefined
  if (!why) ctx.errors.push(...errors)
  else
    for (const e of errors)
      ctx.warnings.push(new UserError(`${e.message} (the task fails when it runs; ${why})`, e.pos, e.hint))
}
