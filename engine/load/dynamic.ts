/**
 * Templated include names. A static import (`import_tasks`, `import_role`) renders its name at load time from
 * the play's vars and vars_files and `-e` (as Ansible's: no inventory or host variables); a name that cannot be
 * rendered then is an error at its line. A dynamic include (`include_tasks`, `include_role`) keeps its template:
 * the runner renders it per host and loop item and loads the file or role then (`loadAtRunTime`). Before the run,
 * what can be known is checked: each name a loop of literals (or a template needing only `-e`) gives must exist
 * and load cleanly; a name that play vars give (a `set_fact` may still change them) is checked too, with its
 * findings (a missing file or role, a mistake in what it holds) as warnings; any other name is a warning that it is
 * checked only at run time.
 *
 * @example
 * ```yaml
 * - include_tasks: "{{ item }}.yml"     # setup.yml and users.yml are loaded and checked before the run
 *   loop: [setup, users]
 * - include_role: { name: "{{ web_role }}" }   # rendered per host at run time
 * - import_tasks: "{{ flavour }}.yml"   # rendered at load time from vars, vars_files or -e
 * ```
 */
import { existsSync } from 'node:fs'
import { relative, resolve } from 'node:path'
import { taskFilePath } from './taskpath.js'
import type { Block, DynamicInclude, Included, Task, TaskNode } from '../ast.js'
import { UserError, UserErrors } from '../errors.js'
import type { ModuleDef } from '../module.js'
import { renderString } from '../template.js'
import type { SourcePos, Vars } from '../types.js'
import { pythonPluginFiles } from './plugins.js'
import { dropPluginCallFindings } from './syntax.js'
import { inherit, passedOn, readCommon } from './common.js'
import { newLoadContext, newPlayRoles, report, type LoadContext } from './context.js'
import type { IncludeParts } from './include.js'
import { namedRole, roleBlock, roleTargetParts } from './includerole.js'
import { loadTaskFile, type TaskScope } from './task.js'
import { mergePositioned } from '../source/positions.js'
import { roleVars } from '../source/rolespath.js'

/** Render a static import's templated name with what is known at load time; reports why not and gives undefined. */
export function staticName(ctx: LoadContext, key: string, name: string, here: SourcePos): string | undefined {
  try {
    return renderString(name, ctx.staticVars ?? ctx.extraVars, { pos: here }).trim()
  } catch (e) {
    if (!(e instanceof UserError)) throw e
    report(
      ctx,
      `"${key}" name "${name}" cannot be resolved when the playbook is loaded: ${e.message}`,
      here,
      key === 'import_playbook'
        ? '(an import_playbook name may use only its own vars and -e variables: it is loaded before any play)'
        : `(a static import's name may use only play vars, vars_files and -e variables; ` +
            `use ${key.replace('import', 'include')} to choose it per host at run time)`,
    )
    return undefined
  }
}

/** What `dynamicInclude` needs besides the include's map. */
export interface DynamicParts {
  kind: DynamicInclude['kind']
  name: string
  apply?: IncludeParts['apply']
}

/** A dynamic include of `parts.name` (a template or a literal), loaded per host when it runs. */
export function newDynamic(
  ctx: LoadContext,
  raw: Record<string, unknown>,
  scope: TaskScope,
  parts: DynamicParts,
): DynamicInclude {
  return {
    kind: parts.kind,
    name: parts.name,
    raw,
    file: scope.file,
    dir: scope.dir,
    playDir: ctx.playDir ?? ctx.playbookDir,
    role: scope.role,
    roleDir: scope.roleDir,
    handlers: scope.handlers,
    apply: parts.apply,
    vars: { extraVars: ctx.extraVars, staticVars: ctx.staticVars ?? ctx.extraVars },
    moduleDefaults: ctx.moduleDefaults,
    known: false,
    loaded: new Map(),
  }
}

/**
 * A dynamic include with a templated name: `block` (its include block, made by `includeBlock` with no nodes) is
 * filled per host at run time; the names known now are loaded now.
 */
export async function dynamicInclude(
  ctx: LoadContext,
  raw: Record<string, unknown>,
  block: Block,
  here: SourcePos,
  scope: TaskScope,
  parts: DynamicParts,
): Promise<Block> {
  const key = parts.kind === 'tasks' ? 'include_tasks' : 'include_role'
  const d = newDynamic(ctx, raw, scope, parts)
  block.include!.dynamic = d
  const known = candidates(ctx, block.include!, parts.name, placeVars(ctx, scope))
  if (!known) {
    ctx.warnings.push(
      new UserError(
        `${key} "${parts.name.replace(/\n/g, ', ')}": the name depends on variables known only at run time; ` +
          `what it includes is loaded and checked per host when it runs`,
        here,
      ),
    )
    return block
  }
  d.known = known.every((c) => c.certain)
  for (const c of known) {
    if (d.loaded.has(c.name)) continue
    if (!c.certain && parts.kind === 'tasks' && !existsSync(taskFilePath(d, c.name))) {
      const file = relative(ctx.playbookDir, taskFilePath(d, c.name))
      ctx.warnings.push(new UserError(`${key}: file not found: ${file} (unless a variable changes before)`, here))
      continue
    }
    const before = ctx.errors.length
    const got = await loadIncluded(ctx, d, c.name, here)
    // a name a variable may still change (a role not found, a mistake in a file it may never load): a warning,
    // and the name is loaded again (and fails) when it runs; so is one under a `when` that may skip it
    const why = c.certain ? ctx.mayNotRun : 'unless a variable changes before'
    if (why && ctx.errors.length > before) {
      for (const e of ctx.errors.splice(before))
        ctx.warnings.push(new UserError(`${e.message} (${why})`, e.pos, e.hint))
      d.known = false
      continue
    }
    if (got) d.loaded.set(c.name, got)
  }
  return block
}

/** The magic variables known where the include is written: `playbook_dir`, and a role's `role_path`, `role_name`. */
function placeVars(ctx: LoadContext, scope: TaskScope): Vars {
  return { playbook_dir: resolve(ctx.playbookDir), ...roleVars(scope.role, scope.roleDir) }
}

/**
 * The names a templated include can take that are known before the run: one per literal loop item (or one
 * without a loop). `certain`: only the loop item and `-e` were needed (nothing can change them) and no `when` of
 * the include's own may skip it.
 */
function candidates(
  ctx: LoadContext,
  inc: Task,
  name: string,
  place: Vars,
): { name: string; certain: boolean }[] | undefined {
  let items: unknown[] = [undefined]
  if (inc.loop !== undefined) {
    if (!Array.isArray(inc.loop) || (inc.loopWith && !['items', 'list'].includes(inc.loopWith))) return undefined
    items = inc.loopWith === 'items' ? inc.loop.flat() : inc.loop
    if (items.some((i) => JSON.stringify(i ?? null).includes('{{'))) return undefined
  }
  const out: { name: string; certain: boolean }[] = []
  for (const item of items) {
    const own: Vars = inc.loop === undefined ? { ...place } : { ...place, [inc.loopVar]: item }
    // under its own `when`, a name may never be used: a missing file is then only a warning
    const certain = inc.when.length ? undefined : renderAlone(name, { ...own, ...ctx.extraVars })
    const likely = certain ?? tryRender(name, { ...ctx.staticVars, ...inc.vars, ...own, ...ctx.extraVars })
    if (likely === undefined) return undefined
    out.push({ name: likely, certain: certain !== undefined })
  }
  return out
}

/**
 * `name` rendered with `vars` alone, or undefined when it cannot be, or when it looked for another name (one a
 * `default()` stood in for too: a variable defined before the include runs changes the name). Names are looked up
 * along the vars' prototypes, so a watching prototype below `vars` sees every name they lack.
 */
function renderAlone(name: string, vars: Vars): string | undefined {
  let other = false
  const watch = new Proxy(
    {},
    {
      getOwnPropertyDescriptor: () => void (other = true),
      getPrototypeOf: () => null,
    },
  )
  const out = tryRender(name, Object.assign(Object.create(watch) as Vars, vars))
  return other ? undefined : out
}

/** `name` rendered with `vars` (trimmed), or undefined when it cannot be yet (a variable known only at run time). */
export function tryRender(name: string, vars: Vars): string | undefined {
  try {
    return renderString(name, vars).trim()
  } catch (e) {
    if (e instanceof UserError) return undefined
    throw e
  }
}

/** Load what a dynamic include's rendered `name` brings: the task file or the role (and the role's handlers). */
async function loadIncluded(
  ctx: LoadContext,
  d: DynamicInclude,
  name: string,
  here: SourcePos,
): Promise<Included | undefined> {
  const scope: TaskScope = {
    file: d.file,
    dir: d.dir,
    role: d.role,
    roleDir: d.roleDir,
    playDir: d.playDir,
    handlers: false,
  }
  let nodes: TaskNode[] | undefined
  let handlers: Task[] = []
  if (d.kind === 'tasks') {
    nodes = await loadTaskFile(ctx, taskFilePath(d, name), 'include_tasks', here, scope)
  } else {
    const before = ctx.playRoles?.handlers.length ?? 0
    const target = roleTargetParts(name)
    const found = await namedRole(ctx, d.raw, target.name, here, target.over)
    if (found) nodes = [roleBlock(here, found.role, found.isPublic, found.params)]
    handlers = ctx.playRoles?.handlers.slice(before) ?? []
    if (found?.isPublic && ctx.playRoles) {
      ctx.playRoles.defaults = mergePositioned(ctx.playRoles.defaults, found.role.defaults)
      ctx.playRoles.vars = mergePositioned(ctx.playRoles.vars, found.role.vars)
    }
  }
  if (!nodes) return undefined
  if (d.apply) inherit(nodes, passedOn(readCommon(ctx, d.apply.map, d.apply.pos)))
  return { nodes, handlers }
}

/**
 * At run time: load what the dynamic include `d` brings for the rendered `name` (static imports in it use the vars
 * `d` keeps). Throws `UserErrors` (a missing file or role, a mistake in what it holds) with file:line:col, for a
 * per-host failure.
 */
export async function loadAtRunTime(
  modules: Map<string, ModuleDef>,
  playbookDir: string,
  d: DynamicInclude,
  name: string,
  at: SourcePos,
): Promise<Included> {
  const ctx = newLoadContext(modules, playbookDir, d.vars.extraVars)
  ctx.staticVars = d.vars.staticVars
  ctx.moduleDefaults = d.moduleDefaults
  ctx.playDir = d.playDir
  ctx.stack = [d.file]
  ctx.playRoles = newPlayRoles()
  const got = await loadIncluded(ctx, d, name, at)
  // a role's plugin folders join the run's, as Ansible adds them when it loads the role; Python tells their names
  // only when it imports them, so names of those kinds are not refused here (as at load, engine/load/playbook.ts)
  const pythonPlugins = pythonPluginFiles(ctx)
  dropPluginCallFindings(ctx, pythonPlugins)
  if (ctx.errors.length || !got)
    throw new UserErrors(ctx.errors.length ? ctx.errors : [new UserError('not loaded', at)])
  const { defaults, vars } = ctx.playRoles
  return {
    ...got,
    ...(pythonPlugins.length && { pythonPlugins }),
    ...(Object.keys(defaults).length && { roleDefaults: defaults }),
    ...(Object.keys(vars).length && { roleVars: vars }),
  }
}
