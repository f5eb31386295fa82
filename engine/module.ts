/**
 * The module contract. A module is one unit:
 *   schema (TypeBox: the TS type, ajv validation, editor schema and docs from one definition)
 *   → refresh (optional, pure): a named step that refreshes the host's own caches before gather reads them
 *     (`apt-get update`, `systemctl daemon-reload`); run by the runner, never in check mode, shown in `-v`/`--check`
 *   → gather(args, io): read-only; the module's view of the host ("state"), run right before the task (batched
 *     into one round trip where possible). It never changes the host.
 *   → plan(state, args): pure; the commands that bring the host to the wanted state. Empty = ok, else changed.
 *   → apply: the runner runs the plan's commands (check mode: plan only).
 *   → after (optional): build the registered result from what the commands returned.
 *
 * @example
 * ```yaml
 * - name: a task using a module
 *   apt: { name: git, state: present }
 * ```
 */
import type { TSchema } from '@sinclair/typebox'
import type { ModuleArgs } from './argtypes.js'
import type { Command, CommandResult, FileDiff, HostFacts, JinjaOptions, Vars } from './types.js'

/** What a module may read about the host and the run (no I/O through it). */
export interface ModuleContext {
  host: string
  /** The host's variables after templating context is set up (read-only). */
  vars: Vars
  /** The host facts (`facts.*`), when the play gathered them. */
  facts?: HostFacts
  /** What became of the module's refresh step, set by the runner before gather (see `Refresh`). */
  refreshed?: RefreshOutcome
  checkMode: boolean
  diffMode: boolean
  /** Folders searched, in order, for a relative `src` (role `files/`/`templates/`, then the playbook's folder). */
  searchPaths: readonly string[]
  /**
   * Render a template file with the host's variables (for the `template` module); `jinja`: its whitespace settings.
   */
  render(template: string, file: string, jinja?: Partial<JinjaOptions>, dest?: string): string
  /** A line for `-v` output and the live view (build progress, what was decided). */
  log(line: string): void
  /** Cancelled when the run is interrupted. */
  signal: AbortSignal
  /**
   * Run another module on this task's host, as this task's user and in its check mode (an action plugin's
   * `_execute_module`): by name (as a task names it) or by definition. Resolves to what a task would register;
   * a failure is in the result (`failed: true`), a lost connection throws.
   */
  callModule?(module: string | ModuleDef, args: Record<string, unknown>): Promise<Record<string, unknown>>
  /**
   * What a finished `poll: 0` job of a module (not `command`/`shell`) of this run registers, from the job's log,
   * with the facts its module read (`setup`, `getent`: `async_status` sets them, as Ansible's does); undefined for
   * other jobs (their log is the result).
   */
  jobResult?(jid: string, log: string): Promise<JobOutcome | undefined>
}

/** A finished job's registered result, and the facts its module read. */
export interface JobOutcome {
  data: Record<string, unknown>
  facts?: HostFacts
  moduleFacts?: Vars
}

/** Runs commands on the host. The only way modules touch a host. */
export interface HostIO {
  /** Run one command. A non-zero exit is returned, not thrown; connection faults throw HostError. */
  run(cmd: Command, onOutput?: (chunk: string) => void): Promise<CommandResult>
  /** Run several read-only commands in one round trip; every command runs, results in order. */
  batch(cmds: readonly Command[]): Promise<CommandResult[]>
  /** Drop and re-open the connection, retrying until `timeoutSec` (reboot). */
  reconnect(timeoutSec: number): Promise<void>
}

/**
 * A refresh of the host's own caches that gather needs to read fresh state: a named step of the plan, run by the
 * runner before gather (never in check mode), shown in `-v` and in `--check`'s list of changes.
 *
 * @example
 * ```ts
 * const r: Refresh = { describe: 'refresh the package lists', commands: [{ argv: ['apt-get', 'update'] }] }
 * ```
 */
export interface Refresh {
  /** One line: "refresh the package lists". */
  describe: string
  /** The commands that refresh, in order; the first failure fails the task. */
  commands: Command[]
  /**
   * A read-only command deciding whether the refresh is due: exit 0 = due, 1 = fresh (e.g. the package lists are
   * younger than `cache_valid_time`). It runs in check mode too. Without it the refresh is always due.
   */
  due?: Command
}

/** `ran`: the refresh ran; `predicted`: it was due but not run (check mode); `fresh`: it was not due. */
export type RefreshOutcome = 'ran' | 'predicted' | 'fresh'

/**
 * A change to the run's inventory (`group_by`, `add_host`): the task's host joins group `group.name` (created, and
 * made a child of `group.parents`); host `host.name` is added (or updated) with its groups and variables.
 */
export interface InventoryChange {
  group?: { name: string; parents: string[] }
  host?: { name: string; groups: string[]; vars: Vars }
}

/** What a plan says: the commands to run, and why. An empty `commands` means nothing to change. */
export interface Plan {
  commands: Command[]
  /** One line per change, for check mode and `-v` ("install nginx 1.22", "create /etc/x"). */
  changes?: string[]
  /** File content changes, for `--diff`. */
  diff?: FileDiff[]
  /** Values to register whether or not anything changes (e.g. `stat`). */
  data?: Record<string, unknown>
  /** The task fails with this message without running anything. */
  fail?: string
  /** The task is skipped with this reason without running anything (as Ansible's `script` with `creates`). */
  skip?: string
  /** Variables to set on the host (`set_fact`). */
  setVars?: Vars
  /** The host facts read again (`setup`): they replace the host's `facts.*`, `ansible_*` and `ansible_facts`. */
  facts?: HostFacts
  /**
   * Facts the module returns, as Ansible's `ansible_facts` (`getent_passwd`, `packages`): host variables at the
   * facts' precedence and keys of `ansible_facts`; they stay when the host facts are read again.
   */
  moduleFacts?: Vars
  /** The run's inventory changes (also in check mode); changed when it did. */
  inventory?: InventoryChange
  /** Force the reported status to changed/ok regardless of commands (e.g. `debug` is ok). */
  changed?: boolean
  /** Ansible's `msg` (debug, assert, fail). */
  msg?: string
  /** `msg` is only shown, not registered (debug's `var`: Ansible registers the variable alone). */
  msgShownOnly?: boolean
}

/** What `after` may add once the plan's commands ran. */
export interface AfterResult {
  data?: Record<string, unknown>
  changed?: boolean
  fail?: string
  msg?: string
  /** The module skipped itself (a library module's `skipped: true`): nothing changed. */
  skip?: string
  /** Facts the module returned (as the plan's `moduleFacts`). */
  moduleFacts?: Vars
}

/**
 * A module's definition. `S` is its TypeBox schema, `F` the state its gather reads. Every method receives
 * `ModuleArgs<S>`: the canonical, default-filled arguments (engine/argtypes.ts); the engine resolves them once,
 * before `refresh` and `gather`.
 */
export interface ModuleDef<S extends TSchema = TSchema, F = unknown> {
  /** Name used in playbooks (`apt`); `ansible.builtin.<name>` is accepted when `ansibleCompatible`. */
  name: string
  /** Other accepted names (e.g. `ansible.builtin.apt`, `postgresql_user`). */
  aliases?: readonly string[]
  /** One line for `tsplay modules`. */
  summary: string
  /** Argument schema: descriptions and defaults on every property; `secret: true` on secret ones. */
  schema: S
  /**
   * Modules it runs as (Ansible's `service` runs as the host's service manager module): their `module_defaults`
   * apply under its own, as Ansible's action plugin applies the backend's.
   */
  backends?: readonly string[]
  /** The argument that receives a free-form string (`command: ls -l` → `cmd`). */
  freeForm?: string
  /** Documented: what decides changed. */
  changedWhen: string
  /** Check mode support. */
  check: 'full' | 'partial' | 'none'
  /** A YAML example for the docs. */
  example: string
  /**
   * Its `apply` runs the plan's commands in order, stopping at the first that fails, and adds only a check after
   * them (`systemd`: whether a started unit failed, with its journal): as a `poll: 0` job the commands run alone.
   */
  applyRunsPlan?: boolean
  /** Takes arguments it does not know and ignores them, as Ansible's action plugin for it does (`fetch`). */
  ignoresUnknownArgs?: boolean
  /** Runs its commands without the `environment` keyword's variables, with a warning, as Ansible's `raw`. */
  ignoresEnvironment?: boolean
  /** Runs on the controller only; no connection needed (debug, set_fact, assert, fail). */
  controllerOnly?: boolean
  /** A stand-in for a module Ansible has and tsplay does not (modules/absent.ts): its tasks fail when they run. */
  absent?: boolean
  /**
   * A library module's or action plugin's file on the controller (modules/library.ts, modules/action-plugin.ts);
   * unset for tsplay's own modules.
   */
  library?: string
  /** Runs once for all the play's hosts, its result every host's (Ansible's `pause`): as `run_once: true`. */
  runOnce?: boolean
  /**
   * Connects on its first command, and `io.reconnect` opens a fresh connection: a host that cannot be reached yet
   * does not make the task unreachable (`wait_for_connection`).
   */
  waitsForConnection?: boolean
  /**
   * Set only on an entry of the registry's module table (whose code is not loaded): which of `refresh`, `apply`
   * and `after` the module's code defines.
   */
  steps?: readonly string[]
  /**
   * Set only on an entry of the registry's module table whose code is not loaded yet (its data fields are there,
   * its functions throw): resolves to the full definition. The runner calls it before a task of the module runs.
   */
  load?(): Promise<ModuleDef<S, F>>
  /** Pure, optional: the refresh step this call needs before gather (none: `undefined`). */
  refresh?(args: ModuleArgs<S>, ctx: ModuleContext): Refresh | undefined
  /** Read-only: the module's view of the host, read right before planning. Never changes the host. */
  gather(args: ModuleArgs<S>, ctx: ModuleContext, io: HostIO): Promise<F>
  /** Pure: decide from the gathered state what to run. */
  plan(state: F, args: ModuleArgs<S>, ctx: ModuleContext): Plan
  /**
   * Optional: replaces the default apply (run the plan's commands in order, stop at the first failure).
   * For modules that must wait or reconnect (reboot, wait_for).
   */
  apply?(plan: Plan, args: ModuleArgs<S>, ctx: ModuleContext, io: HostIO): Promise<AfterResult>
  /**
   * Optional: add what the host says about the file the result names (its `path`, else its `dest`) to the result,
   * as Ansible's modules do when they return (modules/lib/pathinfo.ts). Called only for a task that registers its
   * result (nothing else can read it): it costs a round trip.
   */
  pathInfo?(data: Record<string, unknown>, io: HostIO): Promise<unknown>
  /** Optional: build the registered result from the commands' results (rc/stdout for `command`). */
  after?(
    state: F,
    args: ModuleArgs<S>,
    results: CommandResult[],
    ctx: ModuleContext,
    io: HostIO,
  ): Promise<AfterResult> | AfterResult
}

/** Define a module with its types inferred from the schema. */
export function defineModule<S extends TSchema, F>(def: ModuleDef<S, F>): ModuleDef<S, F> {
  return def
}

/** Thrown by `gather`/`plan` for a module-level failure with a clear message (not a connection fault). */
export class ModuleFailure extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ModuleFailure'
  }
}
