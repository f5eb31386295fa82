/**
 * Before a play runs, learn its secrets: every argument that a module's schema marks `secret: true` is rendered for
 * each host (best effort) and remembered, so that a value is masked everywhere from the first line of output —
 * even where an earlier task shows it before the task with the secret argument runs.
 */
import { handlerNodes, type Task, type TaskNode } from '../ast.js'
import { renderValue } from '../template.js'
import type { RunContext } from './context.js'
import { taskVars } from './hostvars.js'
import { secretKeys } from './secrets.js'

function* tasksOf(nodes: readonly TaskNode[]): Generator<Task> {
  for (const n of nodes) {
    if (n.kind === 'task') yield n
    else for (const part of [n.block, n.rescue, n.always]) yield* tasksOf(part)
  }
}

/** Render and remember the secret arguments of every task of the play, for every host. */
export function prescanSecrets(rc: RunContext, hosts: readonly string[]): void {
  for (const task of tasksOf([...rc.play.tasks, ...handlerNodes(rc.play.handlers)])) {
    const def = rc.modules.get(task.module)
    const keys = def ? secretKeys(def.schema).filter((k) => task.args[k] !== undefined) : []
    if (keys.length === 0) continue
    for (const host of hosts) {
      for (const k of keys) {
        try {
          rc.secrets.add(String(renderValue(task.args[k], taskVars(rc, host, { when: [], tags: [], vars: {} }, task))))
        } catch {
          // a value that needs a registered result or a loop item is learnt when its task runs
        }
      }
    }
  }
}
