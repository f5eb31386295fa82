/**
 * Which modules may run with `poll: 0` (fire and forget; engine/run/detach.ts runs them): `command`/`shell`, whose
 * one command is the job, and modules whose plan's commands are what they do: no own `apply` step, or one that only
 * runs them and checks after (`applyRunsPlan`: `systemd`, `service`; the job runs the commands, without the check).
 * Their `refresh` (apt's cache update, systemd's daemon-reload) runs before the job starts; their `after` builds
 * the result when `async_status` finds the job finished. A module that only reads (`stat`, `getent`, `setup`) reads
 * at once, its job is `true`, and `async_status` gives its result and sets the facts it read. Not controller-only,
 * not one running its commands as a user of its own (`postgres_user`). Modules whose Ansible action plugin takes no
 * `async` (`NO_ASYNC`: `copy`, `fetch`, `raw`, …) are not refused here: their task fails when it runs, with
 * Ansible's message, as Ansible's does.
 *
 * @example
 * ```ts
 * fireAndForgetRefusal('file', fileDef) // undefined
 * fireAndForgetRefusal('systemd', systemdDef) // undefined: its apply runs the plan (`applyRunsPlan`)
 * fireAndForgetRefusal('apt_key', aptKeyDef) // 'it runs its own steps instead of a list of commands'
 * ```
 */
import type { ModuleDef } from '../module.js'

/** Modules whose one command is the job itself (their `after` reads the job's result through `async_status`). */
export const OWN_JOB: ReadonlySet<string> = new Set(['command', 'shell'])

/**
 * Modules that run their commands as a user of their own (`postgres`): the job would live in that user's home, where
 * `async_status` (run with the task's `become`) does not look.
 */
const OWN_USER = ['postgres_user', 'postgres_db', 'hydra_create_user']

/**
 * Modules whose action plugin in Ansible does not take `async` at all: the task fails ("async is not supported for
 * this task."), whatever its `poll` (ansible-core 2.14's action plugins without `_supports_async`).
 */
export const NO_ASYNC: ReadonlySet<string> = new Set([
  'add_host',
  'assemble',
  'assert',
  'async_status',
  'copy',
  'debug',
  'fail',
  'fetch',
  'gather_facts',
  'group_by',
  'include_vars',
  'pause',
  'raw',
  'script',
  'set_fact',
  'set_stats',
  'template',
  'unarchive',
  'validate_argument_spec',
  'wait_for_connection',
])

/** The steps a module's code defines besides gather and plan (a table entry lists them in `steps`). */
function ownSteps(def: ModuleDef): readonly string[] {
  return def.steps ?? (['apply'] as const).filter((k) => typeof def[k] === 'function')
}

/**
 * Modules whose Ansible action plugin takes `async` and does not use it (`reboot`): the task runs as without it; with
 * a `poll`, Ansible then looks for the job it did not start and fails the task (see engine/run/asyncfields.ts).
 */
export const IGNORES_ASYNC: ReadonlySet<string> = new Set(['reboot'])

/** Why `name` cannot run with `poll: 0`, or undefined when it can. */
export function fireAndForgetRefusal(name: string, def: ModuleDef): string | undefined {
  if (OWN_JOB.has(name) || IGNORES_ASYNC.has(name)) return undefined
  if (OWN_USER.includes(name)) return 'it runs its commands as a user of its own'
  if (def.controllerOnly || def.runOnce || def.absent || def.waitsForConnection)
    return 'it does not run commands on the host'
  if (ownSteps(def).includes('apply') && !def.applyRunsPlan)
    return 'it runs its own steps instead of a list of commands'
  return undefined
}
