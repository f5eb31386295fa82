/**
 * The items a looping task runs over on one host: its `loop`/`with_*` value rendered with the host's variables and
 * turned into items by its lookup. As in Ansible, a loop over an undefined variable does not fail the task when the
 * task's `when` (evaluated without the item) is false: the task is skipped (`with_items: "{{ extra }}"` beside
 * `when: extra is defined`).
 *
 * @example
 * ```ts
 * taskItems(rc, task, vars, ['extra is defined']) // undefined (skip) when `extra` is undefined
 * ```
 */
import type { Task } from '../ast.js'
import { UserError } from '../errors.js'
import { evalCondition } from '../expr.js'
import { lookupPaths } from '../expr/lookup-paths.js'
import { scopeFor } from '../expr/render.js'
import { selectHosts } from '../inventory/patterns.js'
import { renderValue } from '../template.js'
import type { Vars } from '../types.js'
import type { RunContext } from './context.js'
import { firstFoundSubdir, loopItems, loopTerms } from './loop.js'

/** The task's items on this host, or undefined when the task is skipped (see the file header). */
export function taskItems(
  rc: RunContext,
  task: Task,
  vars: Vars,
  conditions: readonly (string | boolean)[],
): unknown[] | undefined {
  try {
    return loopItems(
      task.loopWith,
      loopTerms(task, (v) =>
        renderValue(v, vars, { pos: task.pos, what: task.loopWith ? `with_${task.loopWith}` : 'loop' }),
      ),
      {
        hosts: (p) => selectHosts(rc.inventory, p).hosts,
        paths: lookupPaths((n) => vars[n]),
        scope: scopeFor(vars),
        subdir: firstFoundSubdir(task.module),
      },
    )
  } catch (e) {
    if (e instanceof UserError && /undefined variable/.test(e.message) && whenIsFalse(conditions, vars))
      return undefined
    throw e
  }
}

/** Does one of `conditions` come out false without the loop's item? (One that cannot be evaluated does not.) */
function whenIsFalse(conditions: readonly (string | boolean)[], vars: Vars): boolean {
  return conditions.some((c) => {
    try {
      return !evalCondition(c, vars)
    } catch {
      return false
    }
  })
}
