/**
 * The loaded, validated shape of playbooks and inventories: what the loader (engine/load/) produces and
 * the runner (engine/run/) consumes. Values stay untemplated here (templating happens per host, at run time);
 * every node keeps its source position for error messages.
 */
import type { PluginFile, SourcePos, Vars } from './types.js'

/** The `with_<lookup>` loops tsplay runs (the word after `with_`). */
export const LOOP_LOOKUPS = [
  'items',
  'list',
  'dict',
  'indexed_items',
  'together',
  'nested',
  'cartesian',
  'sequence',
  'subelements',
  'fileglob',
  'first_found',
  'lines',
  'inventory_hostnames',
  'env',
  'random_choice',
  'file',
  'unvault',
  'template',
  'vars',
  'pipe',
] as const
export type LoopLookup = (typeof LOOP_LOOKUPS)[number]

/** A `vars_files` entry left for run time: its candidate names (templates), the play's folder, where it is written. */
export interface LateVarsFile {
  names: string[]
  dir: string
  pos: SourcePos
}

/** Keywords shared by plays, blocks and tasks. */
export interface Common {
  name?: string
  pos: SourcePos
  /** `when` conditions (a list means all must hold), raw expression source. */
  when: string[]
  tags: string[]
  /** `become`, or a template giving it (rendered per host with the task's variables, as `become_user`). */
  become?: boolean | string
  becomeUser?: string
  /** `become_method` (sudo when unset), `become_flags` and `become_exe`, each inherited on its own. */
  becomeMethod?: 'sudo' | 'su' | 'doas'
  becomeFlags?: string
  becomeExe?: string
  /** `remote_user`: the login user when no `ansible_user` variable names one (as the play's keyword). */
  remoteUser?: string
  /**
   * `port`: the SSH port when no `ansible_port` variable names one (as the play's keyword); a template is rendered
   * with the host's variables when the connection is opened, as an inventory's templated `ansible_port`.
   */
  port?: number | string
  /** A map of names to values, or a template giving one (`"{{ env }}"`). */
  environment?: Environment
  /** Task/block level `vars`. */
  vars: Vars
  /**
   * Role parameters: the keys of a `roles:` entry or a dependency that are no keyword (`{ role: db, port: 5432 }`),
   * also in `vars`; as in Ansible they rank above `set_fact` and registered results (a role's own over its parents').
   */
  params?: Vars
  noLog?: boolean | string
  /** `ignore_errors`, or a template giving it (rendered with the task's vars). */
  ignoreErrors?: boolean | string
  /**
   * `check_mode`: true forces check mode, false runs for real even under `--check` (inherited by blocks' tasks); a
   * template is rendered per host.
   */
  checkMode?: boolean | string
  /** `diff`: show (or hide) file changes for this play/block/task, whatever `--diff` says (a template: per host). */
  diff?: boolean | string
  /** `connection`: `ssh` or `local` (may be a template); the host's `ansible_connection` wins over it. */
  connection?: string
}

/** One module call. */
export interface Task extends Common {
  kind: 'task'
  /** Canonical module name (aliases like `ansible.builtin.copy` resolved). */
  module: string
  /** Module arguments, untemplated (free-form string already mapped to its argument). */
  args: Record<string, unknown>
  /** An include's arguments as written but its file (`apply`, `tasks_from`, …): registered as `include_args`. */
  includeArgs?: Record<string, unknown>
  /**
   * Set when the module is named by a template (`module` holds it), or its arguments or `module_defaults` are
   * given by one: the arguments as written, read and checked per host when the task runs, once the name is
   * rendered (engine/run/modulename.ts).
   */
  moduleTemplate?: {
    args: unknown
    argsKeyword?: unknown
    /** The task's `module_defaults`, some given by a template (engine/load/templateddefaults.ts). */
    moduleDefaults?: ReadonlyMap<string, Record<string, unknown>>
  }
  /** Position of the module key, for argument errors found at run time. */
  argsPos: SourcePos
  /** `loop` value, untemplated: a list or a template string. */
  loop?: unknown
  /** `loop_control.loop_var`, default `item`. */
  /** The loop variable's name (a template is rendered with the task's variables when it runs). */
  loopVar: string
  /** `loop_control.label` template, if any. */
  loopLabel?: string
  /** Set when the loop was written `with_<lookup>:` (items computed as that lookup does, engine/run/loop.ts). */
  /** The lookup of `with_<lookup>`: one of `LOOP_LOOKUPS`, or a lookup plugin file's name (load/plugins.ts). */
  loopWith?: string
  /** `loop_control.index_var`. */
  loopIndexVar?: string
  /** `loop_control.extended`: `ansible_loop` per item. */
  loopExtended?: boolean
  /** `loop_control.pause` seconds between items. */
  loopPause?: number | string
  register?: string
  notify: string[]
  changedWhen?: string[]
  failedWhen?: string[]
  /** `run_once`, or a template giving it (rendered with the first host's vars, as Ansible's linear strategy). */
  runOnce?: boolean | string
  /** `any_errors_fatal` (from an enclosing block): a failure here ends the run for every host. */
  anyErrorsFatal?: boolean
  delegateTo?: string
  /** `delegate_facts`: facts the task sets go to the `delegate_to` host instead of the task's own. */
  /** A template is rendered per host. */
  delegateFacts?: boolean | string
  /** `async` seconds: run detached on the host, survive dropped connections (a template: rendered per host). */
  async?: number | string
  /** `poll` seconds for async tasks (default 5; a template: rendered per host). */
  poll?: number | string
  /** Per-task timeout in seconds: the command is killed on the host (a template: rendered per host). */
  timeout?: number | string
  /** `throttle`: at most this many hosts run the task at once (0: no limit; a template: rendered per host). */
  throttle?: number | string
  /** `ignore_unreachable`: an unreachable host counts as `ignored` and stays in the play. */
  /** A template is rendered per host. */
  ignoreUnreachable?: boolean | string
  /** `until` condition with `retries`/`delay`. */
  until?: string[]
  /** Whole number, or a template rendered per host. */
  retries?: number | string
  /** Seconds (decimals allowed), or a template rendered per host. */
  delay?: number | string
  /** Role this task came from (for `files/`/`templates/` lookup and messages). */
  role?: string
  /** The folder of the role this task came from (`role_path`). */
  roleDir?: string
  /**
   * Folders searched for a relative `src`, most specific first: the role's folder, the task file's folder, the
   * play's folder last (engine/source/files.ts).
   */
  searchPaths: string[]
  /** The module is a library module or an action plugin: what it returns (`ansible_facts`) is known only then. */
  external?: boolean
  /** For handlers: the names it answers to (`name` and `listen`). */
  listen?: string[]
  /** For a handler whose `name` is a template: the name rendered with the play's variables, which a notify names. */
  notifyName?: string
  /** For an `include_tasks` handler: the include's block (this task first, then what it loads). */
  handlerBlock?: Block
  /**
   * Which loaded copy of a role the task or handler belongs to (the role's folder, its parameters and entry
   * files): its handlers join the play once, and a notify from an `include_role`'s task reaches its own copy's.
   */
  roleInstance?: string
  /** A handler of an `include_role`'s role: Ansible loads it when the include runs, after the play's other handlers. */
  loadedAtRun?: boolean
  /** Defaults of the private role a handler came from (`include_role`): below every other variable. */
  defaults?: Vars
  /** Added by the engine, not written by the user: a flush point between a play's sections (`meta: flush_handlers`). */
  implicit?: boolean
  /** An include whose file or role name is a template: what it includes is loaded per host at run time. */
  dynamic?: DynamicInclude
  /** A `public: true` include_role's defaults and vars: they join the play's when the include first runs. */
  publicVars?: { defaults: Vars; vars: Vars }
}

/**
 * An `include_tasks`/`include_role` with a templated name (engine/load/dynamic.ts): the name is rendered per host
 * and loop item at run time and the file or role loaded then (once per name), as Ansible's dynamic includes.
 */
export interface DynamicInclude {
  kind: 'tasks' | 'role'
  /** The file or role name as written (a template). */
  name: string
  /** The include's raw YAML map (its arguments are read again for each name; positions stay exact). */
  raw: Record<string, unknown>
  /** The file the include is written in, and its folder (base of relative task file names). */
  file: string
  dir: string
  /** The play's folder (where its `roles/` are). */
  playDir: string
  role?: string
  /** The role's folder, and whether the include is a handler's (where relative names are looked for). */
  roleDir?: string
  handlers?: boolean
  /** The include's `apply:` map and where it is written (it reaches what each name loads). */
  apply?: { map: Record<string, unknown>; pos: SourcePos }
  /** What static imports in what it loads may use: `-e`, and the play's vars and vars_files with `-e`. */
  vars: { extraVars: Vars; staticVars: Vars }
  /** The play's `module_defaults` (canonical module name → arguments), for what it loads at run time. */
  moduleDefaults?: Map<string, Record<string, unknown>>
  /** Every name it can take was known (and loaded) before the run. */
  known: boolean
  /** What is loaded so far, by rendered name. */
  loaded: Map<string, Included>
}

/** What one rendered name of a dynamic include brings: the tasks, and the handlers a role brings. */
export interface Included {
  nodes: TaskNode[]
  handlers: Task[]
  /** The Python plugins of what was loaded (a role's `filter_plugins/`, …), added to the run's when it runs. */
  pythonPlugins?: PluginFile[]
  /** Defaults and vars that join the play's: a `public: true` role's own, and those of its dependencies. */
  roleDefaults?: Vars
  roleVars?: Vars
}

/** `block` with `rescue` and `always`. */
export interface Block extends Common {
  kind: 'block'
  block: TaskNode[]
  rescue: TaskNode[]
  always: TaskNode[]
  /**
   * Set for `include_tasks` (and `include_role`): the include itself, a task of module `include_tasks` that runs
   * first (its `when`, `tags` and `loop` apply to it alone, as in Ansible); `block` then runs once per included
   * item, with the loop variable set.
   */
  include?: Task
  /** Defaults of the private role this block holds (`include_role`): below every other variable. */
  defaults?: Vars
}

export type TaskNode = Task | Block

/** The `encrypt` schemes of `vars_prompt` tsplay can hash with (crypt(3) formats, made by `openssl passwd`). */
export const CRYPT_SCHEMES = ['md5_crypt', 'sha256_crypt', 'sha512_crypt', 'bcrypt'] as const
export type CryptScheme = (typeof CRYPT_SCHEMES)[number]

/** One `vars_prompt` entry: a question asked on the terminal before the run, its answer a play variable. */
export interface VarPrompt {
  name: string
  prompt?: string
  /** Used for an empty answer, and when standard input is not a terminal. */
  default?: string
  /** No echo (default true); the answer is also masked in tsplay's output. */
  private: boolean
  /** Ask twice; ask again until both answers match. */
  confirm: boolean
  /** Never templated. */
  unsafe: boolean
  encrypt?: CryptScheme
  salt?: string
  saltSize?: number
  pos: SourcePos
}

/** One play. Roles are already expanded into `tasks`/`handlers`; role defaults into `roleDefaults`. */
export interface Play extends Common {
  /** Host pattern (`all`, `web:&prod`, `pi*`). */
  hosts: string
  /** `vars_prompt`: asked by the command line before the run; the answers are added to `vars`. */
  varsPrompt?: VarPrompt[]
  /** Files from `vars_files`, already loaded and merged (in order). */
  varsFiles: Vars
  /** `vars_files` entries whose names need host variables: loaded per host at run time (engine/run/varsfiles.ts). */
  lateVarsFiles?: LateVarsFile[]
  /** Merged `defaults/main.yml` of the play's roles (lowest precedence). */
  roleDefaults: Vars
  /** Merged `vars/main.yml` of the play's roles. */
  roleVars: Vars
  /**
   * The names of the play's roles (`roles:` entries and imported roles, in order) and of their dependencies: the
   * magic variables `role_names`/`ansible_play_role_names`, `ansible_dependent_role_names`, `ansible_role_names`.
   */
  roleNames?: { play: string[]; deps: string[] }
  /**
   * `gather_facts` as written (a template is rendered before the play, engine/run/names.ts); unset, Ansible's
   * gathering setting decides (engine/run/play.ts).
   */
  gatherFacts?: boolean | string
  /** `pre_tasks`, roles, `tasks`, `post_tasks` in order. */
  tasks: TaskNode[]
  /**
   * How many of `tasks`' nodes came from `pre_tasks` and from roles+`tasks` (the rest are `post_tasks`): handlers
   * flush after each of the three sections, as in Ansible.
   */
  sections?: { pre: number; main: number }
  /** Handlers in definition order (roles' first); blocks in `handlers:` are flattened into their tasks. */
  handlers: Task[]
  /** `linear` or `free`, or a template giving one (rendered with the play's vars and `-e` at the play's start). */
  strategy: 'linear' | 'free' | string
  /** `serial`: batch sizes, each a number of hosts or `"N%"` of the play's hosts; the last one repeats. */
  serial?: Array<number | string>
  /** `any_errors_fatal`: a failure on any host ends the run for every host (later plays included). */
  anyErrorsFatal?: boolean
  /** `force_handlers`: notified handlers run on a host even after it failed. */
  forceHandlers?: boolean
  /** `remote_user` (or `user`): the login user where the inventory sets no `ansible_user`. */
  remoteUser?: string
  /**
   * `max_fail_percentage`: more than this share of a batch's hosts failing stops the play; a template is rendered
   * before the play (engine/run/names.ts), as Ansible's.
   */
  maxFailPercentage?: number | string
  /** `order`: the order the play's hosts run in (default: `inventory`), or a template giving one. */
  order?: HostOrder | string
  /** `timeout`: the default of every task's `timeout` (seconds; a template is rendered before the play). */
  taskTimeout?: number | string
  /** `throttle`: the default of every task's throttle (a template is rendered before the play). */
  throttle?: number | string
  /** `ignore_unreachable`: the default of every task's (a template is rendered per host). */
  ignoreUnreachable?: boolean | string
  /**
   * `gather_timeout`: accepted (see engine/run/gather.ts); a template is rendered before the play
   * (engine/run/names.ts), as Ansible's.
   */
  gatherTimeout?: number | string
  /** `fact_path`: the folder of local facts fact gathering reads (`ansible_local`). */
  factPath?: string
  /**
   * Fact gathering's `gather_subset`, `fact_path` and `filter`: the play's `gather_subset` over `gather_facts`' and
   * `setup`'s `module_defaults`, rendered per host when the facts are gathered.
   */
  gatherArgs?: GatherLayer[]
}

/**
 * One layer of the arguments of a play's fact gathering: `setup`'s or `gather_facts`' module_defaults (an entry a
 * template gives is kept whole: see engine/load/templateddefaults.ts), or the play's `gather_subset`.
 */
export interface GatherLayer {
  from: 'setup' | 'gather_facts' | 'play'
  args: Record<string, unknown>
}

export const HOST_ORDERS = ['inventory', 'reverse_inventory', 'sorted', 'reverse_sorted', 'shuffle'] as const
export type HostOrder = (typeof HOST_ORDERS)[number]

export interface Playbook {
  /** Absolute path of the playbook file. */
  file: string
  /** Its folder (base for relative paths, `group_vars/`, `host_vars/`, `roles/`). */
  dir: string
  plays: Play[]
  /** Ansible's Python filter, test and lookup plugins the playbook and its roles bring (engine/load/plugins.ts). */
  pythonPlugins?: PluginFile[]
}

/** One inventory host with its connection settings and own variables. */
export interface InventoryHost {
  name: string
  /** Host vars: inline in the inventory plus `host_vars/NAME.yml`. */
  vars: Vars
  /** Direct groups (not including `all`/ancestors). */
  groups: string[]
  pos?: SourcePos
  /**
   * Ansible's implicit localhost (engine/inventory/implicit.ts): added because a play names it; in no group, not
   * matched by `all`, `*` or a glob, reading the `all` group's variables.
   */
  implicit?: boolean
}

export interface InventoryGroup {
  name: string
  /** Its own hosts, in the order they were added (`all`'s: those listed directly under it, and `add_host`'s). */
  hosts: string[]
  /** Its child groups, in the order they were added (`all`'s: every group without another parent). */
  children: string[]
  /** Group vars: inline plus `group_vars/NAME.yml`/`group_vars/NAME/*.yml`. */
  vars: Vars
  pos?: SourcePos
}

export interface Inventory {
  /** Source files/folders, for messages. */
  sources: string[]
  hosts: Map<string, InventoryHost>
  groups: Map<string, InventoryGroup>
  /** `host_vars/` found for localhost names the inventory does not list, for the implicit localhost. */
  localhostVars?: Map<string, Vars>
}

/** How to reach a host, from its variables (`ansible_host`, `ansible_port`, …). */
export interface ConnectionSpec {
  /** Inventory name (for messages and results). */
  name: string
  host: string
  port: number
  user: string
  privateKeyFile?: string
  password?: string
  becomePassword?: string
  /** Seconds to wait for the TCP connection and handshake. */
  connectTimeout: number
}

/** A play's handlers as task nodes to walk: an `include_tasks` handler is its include block (with what it loads). */
export function handlerNodes(handlers: readonly Task[]): TaskNode[] {
  return handlers.map((h) => h.handlerBlock ?? h)
}

/** An `environment` keyword: a map, a template that gives one, or a list of those (merged in order). */
export type Environment = Record<string, unknown> | string | Array<Record<string, unknown> | string>
