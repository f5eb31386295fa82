/**
 * A task's `async` and `poll` for one host: numbers as written, or templates rendered with the host's variables (as
 * Ansible renders them when the task runs: `async: "{{ build_timeout }}"`). A `poll: 0` that only a template gave
 * is checked here against the modules that cannot run as a job, as the loader checks a written one. A module whose
 * Ansible action ignores `async` (`reboot`) runs without it; with a `poll` other than 0 its task then fails, as
 * Ansible's, which finds no job to poll (`noJob`).
 *
 * @example
 * ```ts
 * asyncOf({ async: '{{ t }}', poll: 0, module: 'command' } as Task, commandDef, { t: '30' })
 * // → { async: 30, poll: 0, asked: true }
 * ```
 */
import type { Task } from '../ast.js'
import { UserError } from '../errors.js'
import { fireAndForgetRefusal, IGNORES_ASYNC } from '../load/fireforget.js'
import type { ModuleDef } from '../module.js'
import { renderWholeNumber } from './keyword.js'
import type { Vars } from '../types.js'

/** A task's async settings for one host. */
export interface AsyncTiming {
  /** Seconds the job may run (0 or undefined: not run as a job). */
  async?: number
  /** Seconds between checks (undefined: the default; 0: fire and forget). */
  poll?: number
  /** An `async` above 0 was given (Ansible's checks look at it even where the module runs without a job). */
  asked?: boolean
  /** The module ran without a job but a `poll` asks for one: the task fails after it. */
  noJob?: true
}

/** `async` and `poll` for this host. Throws `UserError`. */
export function asyncOf(task: Task, def: ModuleDef, vars: Vars): AsyncTiming {
  const fixed = typeof task.async !== 'string' && typeof task.poll !== 'string'
  const n = (v: number | string | undefined, what: string): number | undefined =>
    typeof v !== 'string' ? v : renderWholeNumber(v, vars, what, task.pos)
  const out = { async: n(task.async, 'async'), poll: n(task.poll, 'poll') }
  if (out.async && IGNORES_ASYNC.has(task.module))
    return out.poll === 0 ? { asked: true } : { asked: true, noJob: true }
  if (!fixed && out.async && out.poll === 0) {
    const why = fireAndForgetRefusal(task.module, def)
    if (why) throw new UserError(`"poll: 0" (fire and forget) with ${task.module} is not supported by tsplay: ${why}`)
  }
  return out.async ? { ...out, asked: true } : out
}

/** The task's `timeout` in seconds, a template rendered with the host's variables. Throws `UserError`. */
export function timeoutOf(task: Task, vars: Vars): number | undefined {
  const t = task.timeout
  return typeof t !== 'string' ? t : renderWholeNumber(t, vars, 'timeout', task.pos, 1)
}
