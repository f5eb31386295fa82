/**
 * Roles: `roles:` entries (a name, or `{ role, vars, tags, when, become, become_user }`) found in
 * `roles/NAME/` beside the playbook, with `tasks/main.yml`, `handlers/main.yml`, `defaults/main.yml`,
 * `vars/main.yml` (also `.yaml`) and `meta/main.yml` dependencies (loaded first). A role task's search path
 * for `src` is `[roles/NAME/templates, roles/NAME/files, roles/NAME, playbookDir]`.
 *
 * @example
 * ```yaml
 * - hosts: hydra_servers
 *   roles:
 *     - nix
 *     - { role: hydra, vars: { hydra_port: 3000 }, tags: [hydra] }
 * ```
 */
import { addLibraryDir } from './library.js'
import { addPluginRoot } from './plugins.js'
import { hasWhen, maybeSkipped } from './deferred.js'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { basename, dirname, join, relative, resolve } from 'node:path'
import type { Task, TaskNode } from '../ast.js'
import { UserError } from '../errors.js'
import type { SourcePos, Vars } from '../types.js'
import { readArgumentSpec, specTask, type RoleArgSpec } from './argspecs.js'
import { conditionPositions, inherit, type Inherited } from './common.js'
import { absorb, describeValue, report, type LoadContext } from './context.js'
import {
  at,
  checkKeys,
  isMap,
  readConditions,
  readMap,
  readString,
  readStringList,
  ROLE_KEYWORDS,
  readBoolOrTemplate,
} from './keywords.js'
import { didYouMean } from '../source/suggest.js'
import { roleSearchPaths } from '../source/rolespath.js'
import { collectionRoots } from './collections.js'
import { checkConditions, checkTemplates } from './syntax.js'
import { loadTaskList } from './task.js'
import { mergePositioned, valuePos } from '../source/positions.js'
import { readYamlFile } from '../source/yaml.js'
import { pathKind, VARS_EXTENSIONS, varsFolderFiles } from '../source/varsfolder.js'
import { checkDebugger } from './debugger.js'
import { OTHER_ROLE_KEYWORDS, roleParams } from './roleparams.js'
import { readBecomeExtras } from './become.js'

/** Everything a play's roles contribute. */
export interface RolesResult {
  tasks: TaskNode[]
  handlers: Task[]
  defaults: Vars
  vars: Vars
  /** Argument specs of the roles that have one (meta/argument_specs.yml). */
  specs: RoleArgSpec[]
  /** The names of the roles added, dependencies before the role that needs them (`ansible_role_names`). */
  names: string[]
}

/** Load the roles listed in `raw.roles` (in order, dependencies first). */
export async function loadRoles(ctx: LoadContext, raw: Record<string, unknown>, pos: SourcePos): Promise<RolesResult> {
  const out: RolesResult = { tasks: [], handlers: [], defaults: {}, vars: {}, specs: [], names: [] }
  const list = raw.roles
  if (list === undefined || list === null) return out
  if (!Array.isArray(list)) {
    report(ctx, `"roles" must be a list, found ${describeValue(list)}`, at(raw, 'roles', pos))
    return out
  }
  for (let i = 0; i < list.length; i++) await loadRoleRef(ctx, list, i, valuePos(list, i) ?? pos, out, [])
  return out
}

async function readVarsFile(ctx: LoadContext, file: string): Promise<Vars | undefined> {
  try {
    const doc = await readYamlFile(file)
    if (doc.value === undefined || doc.value === null) return {}
    if (!isMap(doc.value)) {
      report(
        ctx,
        `${relative(ctx.playbookDir, file)} must be a map of variables, found ${describeValue(doc.value)}`,
        doc.pos,
      )
      return undefined
    }
    return doc.value
  } catch (e) {
    absorb(ctx, e)
    return undefined
  }
}

/** The variables of a role's vars files, later files' names over earlier ones' (with their positions). */
async function readVarsFiles(ctx: LoadContext, files: readonly string[]): Promise<Vars> {
  let out: Vars = {}
  for (const f of files) out = mergePositioned(out, (await readVarsFile(ctx, f)) ?? {})
  return out
}

/** Which files of a role to load (`include_role`/`import_role`'s `tasks_from`, …; `main` when not given). */
export interface RoleEntry {
  tasks?: string
  vars?: string
  defaults?: string
  handlers?: string
}

/** One role loaded: its tasks (role keywords not yet applied), handlers, defaults, vars and spec. */
export interface LoadedRole {
  name: string
  dir: string
  tasks: TaskNode[]
  handlers: Task[]
  /** The role instance: folder, parameters and entry files (its handlers join a play once). */
  instance: string
  defaults: Vars
  vars: Vars
  spec?: RoleArgSpec
  /** `allow_duplicates` of meta/main.yml. */
  allowDuplicates: boolean
  /** Dependencies from meta/main.yml, loaded (each with its own keywords applied). */
  deps: RolesResult
}

/**
 * The folder of role `name`: a path, or the first `DIR/name` over the play's `roles/`, the roles path and the
 * play's folder (engine/source/rolespath.ts), then for `ns.coll.role` the installed collection's `roles/role`;
 * undefined after reporting it missing.
 */
export function findRole(ctx: LoadContext, name: string, pos: SourcePos): string | undefined {
  const base = ctx.playDir ?? ctx.playbookDir
  const isDir = (d: string) => existsSync(d) && statSync(d).isDirectory()
  const dirs = name.includes('/') ? [resolve(base, name)] : roleSearchPaths(base).map((d) => join(d, name))
  // a collection's role by its full name (`ns.coll.role`), in the installed collections (engine/load/collections.ts)
  const parts = name.split('.')
  if (parts.length === 3 && !name.includes('/'))
    dirs.push(...collectionRoots(ctx.playbookDir).map((r) => join(r, parts[0]!, parts[1]!, 'roles', parts[2]!)))
  const found = dirs.find(isDir)
  if (found) return found
  const rolesDir = join(base, 'roles')
  const known = isDir(rolesDir) ? readdirSync(rolesDir).filter((d) => isDir(join(rolesDir, d))) : []
  const home = homedir()
  const shown = (d: string) => {
    const r = relative(ctx.playbookDir, d)
    if (r && !r.startsWith('..')) return r
    return d.startsWith(`${home}/`) ? `~${d.slice(home.length)}` : d
  }
  const looked = dirs.map(shown).join(', ')
  report(ctx, `role "${name}" not found (looked in ${looked})`, pos, didYouMean(name, known))
  return undefined
}

/**
 * The files of a role's part as Ansible finds them: `main.yml`, `main.yaml`, `main.json`, `main` (a name given by
 * `tasks_from` and the like: the name as written first); the first that exists. A folder counts only for `defaults`
 * and `vars` (`allowDir`): its vars files, read in order (engine/source/varsfolder.ts).
 */
function findPartFiles(dir: string, part: string, name: string | undefined, allowDir: boolean): string[] {
  const exts = name === undefined ? ['.yml', '.yaml', '.json', ''] : VARS_EXTENSIONS
  for (const e of exts) {
    const p = join(dir, part, `${name ?? 'main'}${e}`)
    const kind = pathKind(p)
    if (kind === 'file') return [p]
    if (kind === 'dir' && allowDir) return varsFolderFiles(p)
  }
  return []
}

/** The one file of a role's part (tasks, handlers, meta), or undefined. */
const findPart = (dir: string, part: string, name?: string): string | undefined =>
  findPartFiles(dir, part, name, false)[0]

/** Load the files of the role in `dir` (`entry` names other files than `main`); undefined after reporting. */
export async function loadRole(
  ctx: LoadContext,
  dir: string,
  name: string,
  entry: RoleEntry,
  params: Vars,
  pos: SourcePos,
  chain: string[],
): Promise<LoadedRole | undefined> {
  if (chain.includes(dir)) {
    const rolesDir = join(ctx.playDir ?? ctx.playbookDir, 'roles')
    report(ctx, `role dependency cycle: ${[...chain, dir].map((d) => relative(rolesDir, d)).join(' → ')}`, pos)
    return undefined
  }
  addLibraryDir(ctx, join(dir, 'library'))
  addPluginRoot(ctx, dir)
  const kinds = ['tasks', 'handlers', 'defaults', 'vars'] as const
  const found = kinds.map((p) => findPartFiles(dir, p, entry[p], p === 'defaults' || p === 'vars'))
  const parts = found.map((f) => f[0])
  const [tasksFile, handlersFile] = parts
  const [, , defaultsFiles, varsFiles] = found
  kinds.forEach((p, i) => {
    if (entry[p] !== undefined && !parts[i])
      report(
        ctx,
        `role "${name}" has no ${p} file "${entry[p]}" (looked in ${relative(ctx.playbookDir, join(dir, p))})`,
        pos,
      )
  })
  if (tasksFile && ctx.stack.includes(tasksFile)) {
    const files = [...ctx.stack.slice(ctx.stack.indexOf(tasksFile)), tasksFile]
    report(ctx, `include cycle: ${files.map((p) => relative(ctx.playbookDir, p) || p).join(' → ')}`, pos)
    return undefined
  }
  const metaFile = findPart(dir, 'meta')
  // Ansible runs a role with nothing in it (likely a mistake, not certainly one)
  if (parts.every((p) => !p) && !metaFile) {
    const what = 'has none of tasks/main.yml, handlers/main.yml, defaults/main.yml, vars/main.yml, meta/main.yml'
    ctx.warnings.push(new UserError(`role "${name}" ${what}: it does nothing`, pos))
  }
  const roleName = name.split('/').pop() ?? name
  const deps: RolesResult = { tasks: [], handlers: [], defaults: {}, vars: {}, specs: [], names: [] }
  const meta = metaFile ? await readVarsFile(ctx, metaFile) : undefined
  if (metaFile && meta) await loadDependencies(ctx, metaFile, meta, deps, [...chain, dir])
  const out: LoadedRole = {
    name: roleName,
    dir,
    tasks: [],
    handlers: [],
    instance: `${dir}\n${JSON.stringify(params)}\n${JSON.stringify(entry)}`,
    defaults: await readVarsFiles(ctx, defaultsFiles),
    vars: await readVarsFiles(ctx, varsFiles),
    allowDuplicates: meta?.allow_duplicates === true,
    deps,
  }
  const playDir = ctx.playDir ?? ctx.playbookDir
  out.spec = entry.tasks === undefined ? await readArgumentSpec(ctx, dir, roleName, params) : undefined
  for (const [file, handlers] of [
    [tasksFile, false],
    [handlersFile, true],
  ] as const) {
    if (!file) continue
    let doc
    try {
      doc = await readYamlFile(file)
    } catch (e) {
      absorb(ctx, e)
      continue
    }
    ctx.stack.push(file)
    // a role with an argument spec starts with the task that checks its variables (as in Ansible)
    const list = out.spec && !handlers && Array.isArray(doc.value) ? [specTask(out.spec), ...doc.value] : doc.value
    const nodes = await loadTaskList(
      ctx,
      { [handlers ? 'handlers' : 'tasks']: list },
      handlers ? 'handlers' : 'tasks',
      { file, dir: dirname(file), role: roleName, roleDir: dir, playDir, handlers },
      doc.pos,
    )
    ctx.stack.pop()
    if (handlers) out.handlers.push(...(nodes.filter((n) => n.kind === 'task') as Task[]))
    else out.tasks.push(...nodes)
  }
  markInstance([...out.tasks, ...out.handlers], out.instance)
  return out
}

/** Mark every task of a role's tree (includes' too) with the role instance it belongs to. */
function markInstance(nodes: TaskNode[], instance: string): void {
  for (const n of nodes) {
    if (n.kind === 'task') n.roleInstance ??= instance
    else {
      if (n.include) n.include.roleInstance ??= instance
      markInstance([...n.block, ...n.rescue, ...n.always], instance)
    }
  }
}

/** Add a loaded role (its dependencies first) to a play's roles, its keywords applied to its tasks and handlers. */
function addRole(ctx: LoadContext, out: RolesResult, role: LoadedRole, inh: Inherited): void {
  // as Ansible's dependency chain: a role's parameters reach its dependencies' tasks, under their own
  if (inh.params) for (const n of role.deps.tasks) n.params = { ...inh.params, ...n.params }
  mergeRoles(out, role.deps)
  out.names.push(roleName(role.name))
  out.defaults = mergePositioned(out.defaults, role.defaults)
  out.vars = mergePositioned(out.vars, role.vars)
  if (role.spec) out.specs.push(role.spec)
  out.tasks.push(...inherit(role.tasks, inh))
  // a role instance's handlers join the play once, however often it is listed, imported or included
  const seen = ctx.playRoles?.instances
  if (seen?.has(role.instance)) return
  seen?.add(role.instance)
  out.handlers.push(...inherit(role.handlers, inh))
}

/** Append `more` to `out`. */
export function mergeRoles(out: RolesResult, more: RolesResult): void {
  out.tasks.push(...more.tasks)
  out.handlers.push(...more.handlers)
  out.defaults = mergePositioned(out.defaults, more.defaults)
  out.vars = mergePositioned(out.vars, more.vars)
  out.specs.push(...more.specs)
  out.names.push(...more.names)
}

/** A role's name as Ansible's magic variables give it: as written, or a path's last part. */
export const roleName = (ref: string): string => (ref.startsWith('/') ? basename(ref) : ref)

/** Record a role of the play (a `roles:` entry or an `import_role`) and its dependencies, for `role_names`. */
export function notePlayRole(ctx: LoadContext, name: string, deps: readonly string[]): void {
  const pr = ctx.playRoles
  if (!pr) return
  pr.names.push(roleName(name))
  for (const d of deps) pr.depNames.add(d)
}

async function loadRoleRef(
  ctx: LoadContext,
  list: unknown[],
  i: number,
  pos: SourcePos,
  out: RolesResult,
  chain: string[],
): Promise<void> {
  const ref = list[i]
  let name: string | undefined
  let raw: Record<string, unknown> = {}
  let params: Vars | undefined
  if (typeof ref === 'string') name = ref
  else if (isMap(ref)) {
    raw = ref
    params = roleParams(ctx, raw, pos)
    const hint = (k: string) =>
      OTHER_ROLE_KEYWORDS.includes(k)
        ? "(Ansible's keyword, which tsplay takes on a block or the role's tasks but not on a role entry)"
        : didYouMean(k, ROLE_KEYWORDS)
    checkKeys(ctx, raw, ROLE_KEYWORDS, 'role', pos, hint, (k) => k in (params ?? {}))
    checkDebugger(ctx, raw, pos)
    name = readString(ctx, raw, 'role', pos) ?? readString(ctx, raw, 'name', pos)
  }
  if (!name) {
    report(ctx, `a role must be a name or a map with "role", found ${describeValue(ref)}`, pos)
    return
  }
  if (name.includes('{{')) {
    report(ctx, `role names cannot be templated ("${name}")`, pos)
    return
  }
  const dir = findRole(ctx, name, at(raw, 'role', pos))
  if (!dir) return
  const when = readConditions(ctx, raw, 'when', pos) ?? []
  checkConditions(ctx, raw, 'when', when, pos)
  const written = readMap(ctx, raw, 'vars', pos)
  if (written) checkTemplates(ctx, raw, 'vars', pos, '"vars"')
  // the parameters are variables of the role's tasks too (for the static checks), the `vars` keyword's under them
  const vars = params ? mergePositioned(written ?? {}, params) : written
  // a role listed again with the same parameters runs once, unless its meta/main.yml allows duplicates
  const key = `${dir}\n${JSON.stringify(vars ?? {})}`
  const seen = (ctx.rolesSeen ??= new Map<string, boolean>())
  if (seen.get(key) === false) {
    // a repeat is not loaded again, and is one of the play's roles all the same (as in Ansible)
    if (!chain.length) notePlayRole(ctx, name, [])
    return
  }
  const why = hasWhen(raw) ? 'its role\'s "when" may skip it' : undefined
  const role = await maybeSkipped(ctx, why, () => loadRole(ctx, dir, name, {}, vars ?? {}, pos, chain))
  if (!role) return
  seen.set(key, role.allowDuplicates)
  if (!chain.length) notePlayRole(ctx, name, role.deps.names)
  addRole(ctx, out, role, {
    when,
    whenPos: conditionPositions(raw, 'when', when.length, pos),
    tags: readStringList(ctx, raw, 'tags', pos, true),
    vars,
    params,
    become: readBoolOrTemplate(ctx, raw, 'become', pos),
    becomeUser: readString(ctx, raw, 'become_user', pos),
    ...readBecomeExtras(ctx, raw, pos),
    connection: readString(ctx, raw, 'connection', pos),
  })
}

async function loadDependencies(
  ctx: LoadContext,
  metaFile: string,
  meta: Vars,
  out: RolesResult,
  chain: string[],
): Promise<void> {
  const deps = meta.dependencies
  if (deps === undefined || deps === null) return
  if (!Array.isArray(deps)) {
    report(
      ctx,
      `"dependencies" must be a list of roles, found ${describeValue(deps)}`,
      valuePos(meta, 'dependencies') ?? { file: metaFile, line: 1, col: 1 },
    )
    return
  }
  for (let i = 0; i < deps.length; i++)
    await loadRoleRef(ctx, deps, i, valuePos(deps, i) ?? { file: metaFile, line: 1, col: 1 }, out, chain)
}
