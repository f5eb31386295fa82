/**
 * The state of one run, shared by the scheduler and the task executor.
 */
import type { Environment, Inventory, Play, Playbook, Task } from '../ast.js'
import type { EventBus, HostRecap } from '../events.js'
import type { ModuleDef } from '../module.js'
import type { HostFacts, PluginFile, Vars } from '../types.js'
import type { HostPool } from './hosts.js'
import type { Secrets } from './secrets.js'
import type { JobFinisher } from './detach.js'
import type { CustomStats } from './stats.js'

/** What the command line decided for a run. */
export interface RunOptions {
  check: boolean
  diff: boolean
  forks: number
  limit?: string
  /** `--limit` as written (`ansible_limit`); `limit` has its `@file` parts read. */
  limitText?: string
  tags: string[]
  skipTags: string[]
  extraVars: Vars
  verbosity: number
  /** Default per-task timeout in seconds (`--task-timeout`); 0 or undefined = none. */
  taskTimeout?: number
  /** Retry a task this many times when its host's connection drops mid-task, once the host is back (`--retries`). */
  retries?: number
  /** Seconds to wait for a dropped host to come back before giving up (`--reconnect-timeout`). */
  reconnectTimeout?: number
  /** `--step`: asked before each task; `no` skips it, `continue` stops asking. */
  confirm?: (task: string) => Promise<'yes' | 'no' | 'continue'>
  /** Start at the first task with this name (`--start-at-task`). */
  startAtTask?: string
  /** `--force-handlers`: notified handlers run on hosts that failed (as the play keyword `force_handlers`). */
  forceHandlers?: boolean
  /**
   * Defaults of every play's keywords from the command line or Ansible's settings (`-b`, `--become-user`,
   * `--become-method`, `-u`, `-c`): a play's own keyword wins, as in Ansible.
   */
  playDefaults?: Pick<
    Play,
    'become' | 'becomeUser' | 'becomeMethod' | 'remoteUser' | 'connection' | 'port' | 'anyErrorsFatal'
  >
}

/** What tsplay knows about one host during a run. */
export interface HostState {
  name: string
  facts?: HostFacts
  /** The host facts as variables: `facts`, `ansible_*` and `ansible_facts`. */
  factVars: Vars
  /** Facts modules returned (`getent_passwd`, `packages`), kept in `factVars` when the facts are read again. */
  moduleFacts?: Vars
  /** set_fact values and registered results (persist across plays, as Ansible's). */
  runVars: Vars
  /** Failed in an earlier task/play: no more tasks. */
  failed: boolean
  unreachable: boolean
  recap: HostRecap
  /** Ids of the pending-handler records known to be on the host (read at a play's start, written on notify). */
  pendingRecords?: Set<string>
}

/** Inherited keywords from enclosing blocks (and the play). */
export interface Inherited {
  when: string[]
  tags: string[]
  become?: boolean | string
  becomeUser?: string
  becomeMethod?: 'sudo' | 'su' | 'doas'
  becomeFlags?: string
  becomeExe?: string
  /** `remote_user` of the enclosing blocks (the innermost wins). */
  remoteUser?: string
  /** `port` of the enclosing blocks (the innermost wins; a template is rendered when the connection opens). */
  port?: number | string
  vars: Vars
  /** Role parameters of the enclosing blocks (see `Common.params`), innermost winning. */
  params?: Vars
  /** Defaults of the enclosing private roles (`include_role`), innermost last: the lowest variables. */
  defaults?: Vars
  /** Environment layers of the enclosing blocks, outermost first (a string is a template giving a map). */
  environment?: Environment[]
  noLog?: boolean | string
  ignoreErrors?: boolean | string
  checkMode?: boolean | string
  diff?: boolean | string
  /** The enclosing blocks' `connection` keyword. */
  connection?: string
}

/** Nothing inherited: a handler, or a host's own commands outside any task (fact gathering, handler records). */
export const NO_INHERITED: Inherited = { when: [], tags: [], vars: {} }

/** Everything a task run needs. */
export interface RunContext {
  playbook: Playbook
  inventory: Inventory
  play: Play
  opts: RunOptions
  bus: EventBus
  secrets: Secrets
  pool: HostPool
  modules: Map<string, ModuleDef>
  states: Map<string, HostState>
  /** Hosts of the current play, in the order the play works through them (its `order:`). */
  playHosts: string[]
  /**
   * The same hosts in inventory order, when `order:` changed it: Ansible's `ansible_play_hosts_all` and
   * `ansible_play_hosts` keep inventory order whatever `order:` says (`ansible_play_batch` follows the play's).
   */
  playHostsAll?: string[]
  /** The current `serial` batch (all of the play's hosts without `serial`): its hosts still usable when it began. */
  batch?: string[]
  /** The batch's size as Ansible counts it: hosts that failed in an earlier play keep their places in it. */
  batchSize?: number
  /**
   * The play's and the batch's hosts that have not failed or become unreachable (`ansible_play_hosts`,
   * `ansible_play_batch`), worked out again at the start of each task (engine/run/hostvars.ts `refreshActive`).
   */
  active?: { hosts: string[]; batch: string[] }
  /** Handler → hosts that notified it (in this play, not yet run). */
  notified: Map<Task, Set<string>>
  /** Handler → hosts whose record says an earlier run notified it and never ran it (engine/run/pending.ts). */
  carried: Map<Task, Set<string>>
  /** Hosts that left this play through `meta: end_host` (not failed; later plays run on them). */
  ended: Set<string>
  /**
   * Shared by every play of the run: `ended` is set when the run must end for all hosts ("no more hosts left"),
   * `failedOut` too when `any_errors_fatal` or `max_fail_percentage` ended it (exit code 2, as Ansible's);
   * `inventory` is the inventory as `group_by`/`add_host` left it (engine/run/dyninv.ts); `stats` the custom
   * stats `set_stats` recorded (engine/run/stats.ts).
   */
  run: {
    ended: boolean
    failedOut?: boolean
    inventory?: Inventory
    stats?: CustomStats
    /** How to build the result of each `poll: 0` job of a module with an `after` step, by job ID. */
    jobs?: Map<string, JobFinisher>
    /** `--start-at-task`: the play where its task was found (its batches start there too). */
    startsAtTaskIn?: Play
    /** `--start-at-task` was found in an earlier play: every later play runs whole. */
    startedAtTask?: boolean
    /** Add Python plugins to the run's (from a role loaded at run time); returns the warnings. */
    addPlugins?: (files: readonly PluginFile[]) => string[]
  }
  /** Set on the first Ctrl-C: no new tasks start. */
  stopping: { requested: boolean }
  signal: AbortSignal
}

export function emptyRecap(): HostRecap {
  return { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 }
}
