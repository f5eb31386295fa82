/**
 * State shared while one playbook loads: the modules, every error found so far (all are reported together),
 * and the stack of files being included (for cycle detection).
 *
 * @example
 * ```ts
 * const ctx = newLoadContext(modules, '/srv/site')
 * report(ctx, 'unknown play keyword "host"', pos, '(did you mean "hosts"?)')
 * ```
 */
import { isFromVault } from '../vault/keyring.js'
import type { ModuleDef } from '../module.js'
import { UserError, UserErrors } from '../errors.js'
import type { Task } from '../ast.js'
import type { PluginFile, SourcePos, Vars } from '../types.js'

/** Loader state for one `loadPlaybook` call. */
/** What the roles of the play being loaded add to it (see `LoadContext.playRoles`). */
export interface PlayRoles {
  handlers: Task[]
  instances: Set<string>
  defaults: Vars
  vars: Vars
  names: string[]
  depNames: Set<string>
}

/** A fresh `PlayRoles`. */
export const newPlayRoles = (): PlayRoles => ({
  handlers: [],
  instances: new Set(),
  defaults: {},
  vars: {},
  names: [],
  depNames: new Set(),
})

export interface LoadContext {
  modules: Map<string, ModuleDef>
  /** Every accepted spelling (`apt`, `ansible.builtin.apt`, aliases) → canonical name. */
  spellings: Map<string, string>
  errors: UserError[]
  playbookDir: string
  /** Folder of the play being loaded (an imported playbook's own folder): where its `roles/` are. */
  playDir?: string
  /** Absolute paths of the files being loaded, outermost first (cycle detection). */
  stack: string[]
  /**
   * Roles of the play's `roles:` already listed (folder and parameters) → whether their meta/main.yml allows
   * duplicates: a repeat runs once unless it does.
   */
  rolesSeen?: Map<string, boolean>
  /** The play's `collections:`, searched for a module's short name (engine/load/collections.ts). */
  playCollections?: string[]
  /** Modules found in an installed collection that tsplay cannot run, and why. */
  unusable?: Map<string, string>
  /** Collections' filters, tests and lookups the playbook uses (`kind:ns.coll`, `lookup:fqcn` → what the run loads). */
  collectionPlugins?: Map<string, PluginFile>
  /**
   * What `include_role`/`import_role` tasks of the play being loaded add to the play: handlers (once per role
   * instance), and public defaults and vars; and the names of the play's roles (`roles:` entries and imported
   * roles) and of their dependencies, for `role_names` and `ansible_role_names`.
   */
  playRoles?: PlayRoles
  /** The roles around a role being loaded by `include_role`/`import_role`, innermost first. */
  roleParents?: Array<{ name: string; dir: string }>
  /** `-e` variables: nothing overrides them, so a name they give is known before the run. */
  extraVars: Vars
  /** What a static import's templated name may use: the play's vars and vars_files, then `-e` (as Ansible's). */
  staticVars?: Vars
  /** The play's `module_defaults` (canonical module name → arguments), merged under each task's own arguments. */
  moduleDefaults?: Map<string, Record<string, unknown>>
  /** Findings that may be wrong (a dynamic include whose file is known only at run time): shown, never refused. */
  warnings: UserError[]
  /**
   * Why what is being loaded may never run (an enclosing `when`, a handler, a `rescue`): a dynamic include under it
   * that cannot be loaded is a warning, and fails only if it runs (engine/load/deferred.ts).
   */
  mayNotRun?: string
  /** Library folders of the roles loaded so far, in load order (engine/load/library.ts). */
  libraryDirs?: string[]
  /** Playbook and role folders whose `*_plugins/` folders the run loads (engine/load/plugins.ts). */
  pluginRoots?: string[]
  /** Why a task being loaded may fail without stopping the run (its block's `rescue`, a block's `ignore_errors`). */
  failureTolerated?: string
}

/** Build a context; spellings come from the modules given (so tests can pass their own). */
export function newLoadContext(
  modules: Map<string, ModuleDef>,
  playbookDir: string,
  extraVars: Vars = {},
): LoadContext {
  const spellings = new Map<string, string>()
  for (const [name, def] of modules) {
    spellings.set(name, name)
    if (!def.library && !def.absent) spellings.set(`ansible.builtin.${name}`, name)
    spellings.set(`ansible.legacy.${name}`, name)
    for (const a of def.aliases ?? []) spellings.set(a, name)
  }
  return { modules, spellings, errors: [], playbookDir, stack: [], extraVars, warnings: [] }
}

/** Record a user error (loading goes on, to report all errors at once). */
export function report(ctx: LoadContext, message: string, pos: SourcePos, hint?: string): void {
  ctx.errors.push(new UserError(message, pos, hint))
}

/** Record a thrown `UserError`/`UserErrors`; anything else is rethrown (a bug, not a user mistake). */
export function absorb(ctx: LoadContext, e: unknown): void {
  if (e instanceof UserErrors) ctx.errors.push(...e.errors)
  else if (e instanceof UserError) ctx.errors.push(e)
  else throw e
}

/** A short, safe rendering of a found value for messages (`string "abc"`, `number 3`, `a list`). */
export function describeValue(v: unknown, secret = false): string {
  if (v === null || v === undefined) return 'nothing'
  if (Array.isArray(v)) return 'a list'
  if (typeof v === 'object') return 'a map'
  if (secret) return `a ${typeof v} (hidden: secret)`
  if (typeof v === 'string' && isFromVault(v)) return 'a vaulted string (hidden)'
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v)}`
  return `${typeof v} ${String(v)}`
}
