/**
 * Run a plan's commands on this machine in order (the default apply), stopping at the first failure: for module
 * tests that call gather and plan themselves and then need the commands really run.
 *
 * @example
 * ```ts
 * expect(applyLocal(plan.commands).every((r) => r.rc === 0)).toBe(true)
 * ```
 */
import type { Command, CommandResult } from '../../engine/types.js'
import { runLocal } from './module-ctx.js'

/** Run `cmds` in order until one fails (by its `okCodes`). */
export function applyLocal(cmds: readonly Command[]): CommandResult[] {
  const out: CommandResult[] = []
  for (const c of cmds) {
    const r = runLocal(c)
    out.push(r)
    if (!(c.okCodes ?? [0]).includes(r.rc)) break
  }
  return out
}
