/**
 * The `debugger` keyword on plays, blocks, tasks and role references. Ansible opens an interactive debugger on a
 * task's failure (`on_failed`), unreachable host, skip, or always; tsplay has none. A valid value is accepted and
 * the task runs as with `debugger: never` (failures are reported as usual, nothing waits for the terminal); any
 * value but `never` brings one warning per load. A value that is not one of Ansible's five is refused, as Ansible
 * refuses it.
 *
 * @example
 * ```yaml
 * - command: /bin/false
 *   debugger: on_failed   # accepted; warns once that tsplay has no interactive debugger
 * ```
 */
import { UserError } from '../errors.js'
import type { SourcePos } from '../types.js'
import { describeValue, report, type LoadContext } from './context.js'
import { at } from './keywords.js'

/** Ansible's values of `debugger`. */
export const DEBUGGER_VALUES = ['always', 'never', 'on_failed', 'on_unreachable', 'on_skipped'] as const

/** Contexts already warned about `debugger` (once per load). */
const warned = new WeakSet<LoadContext>()

/** Check `raw.debugger`: refuse what Ansible refuses, warn (once) that a debugger other than `never` is ignored. */
export function checkDebugger(ctx: LoadContext, raw: Record<string, unknown>, pos: SourcePos): void {
  const v = raw.debugger
  if (v === undefined || v === null || v === '') return
  const where = at(raw, 'debugger', pos)
  const templated = typeof v === 'string' && v.includes('{{')
  if (!templated && (typeof v !== 'string' || !(DEBUGGER_VALUES as readonly string[]).includes(v))) {
    report(
      ctx,
      `${typeof v === 'string' ? `"${v}"` : describeValue(v)} is not a valid value for debugger`,
      where,
      `(one of ${DEBUGGER_VALUES.join(', ')})`,
    )
    return
  }
  if (v === 'never' || warned.has(ctx)) return
  warned.add(ctx)
  ctx.warnings.push(
    new UserError(
      `debugger: ${String(v)} is ignored: tsplay has no interactive debugger, tasks run as with "debugger: never"`,
      where,
      '(failures are reported as usual; use -v, register and debug to look into a task)',
    ),
  )
}
