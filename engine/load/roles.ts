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
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import type { Task, TaskNode } from '../ast.js'
import type { SourcePos, Vars } from '../types.js'
import { readArgumentSpec, specTask, type RoleArgSpec } from './argspecs.js'
import { conditionPositions, inherit } from './common.js'
import { absorb, describeValue, report, type LoadContext } from './context.js'
import {
  at,
  checkKeys,
  isMap,
  readBool,
  readConditions,
  readMap,
  readString,
  readStringList,
  ROLE_KEYWORDS,
} from './keywords.js'
import { didYouMean } from '../source/suggest.js'
import { checkConditions, checkTemplates } from './syntax.js'
import { loadTaskList } from './task.js'
import { mergePositioned, valuePos } from '../source/positions.js'
import { readYamlFile } from '../source/yaml.js'

/** Everything a play's roles contribute. */
export interface RolesResult {
  tasks: TaskNode[]
  handlers: Task[]
  defaults: Vars
  vars: Vars
  /** Argument specs of the roles that have one (meta/argument_specs.yml). */
  specs: RoleArgSpec[]
}

/** Load the roles listed in `raw.roles` (in order, dependencies first). */
export async function loadRoles(ctx: LoadContext, raw: Record<string, unknown>, pos: SourcePos): Promise<RolesResult> {
  const out: RolesResult = { tasks: [], handlers: [], defaults: {}, vars: {}, specs: [] }
  const list = raw.roles
  if (list === undefined || list === null) return out
  if (!Array.isArray(list)) {
    report(ctx, `"roles" must be a list, found ${describeValue(list)}`, at(raw, 'roles', pos))
    return out
  }
  for (let i = 0; i < list.length; i++) await loadRoleRef(ctx, list, i, valuePos(list, i) ?? pos, out, [])
  return out
}

function findMain(dir: string): string | undefined {
  for (const n of ['main.yml', 'main.yaml']) if (existsSync(join(dir, n))) return join(dir, n)
  return undefined
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
  if (typeof ref === 'string') name = ref
  else if (isMap(ref)) {
    raw = ref
    checkKeys(ctx, raw, ROLE_KEYWORDS, 'role', pos, (k) => didYouMean(k, ROLE_KEYWORDS))
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
  const base = ctx.playDir ?? ctx.playbookDir
  const rolesDir = join(base, 'roles')
  const dir = name.includes('/') ? resolve(base, name) : join(rolesDir, name)
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    const known = existsSync(rolesDir)
      ? readdirSync(rolesDir).filter((d) => statSync(join(rolesDir, d)).isDirectory())
      : []
    report(
      ctx,
      `role "${name}" not found (looked in ${relative(ctx.playbookDir, dir) || dir})`,
      at(raw, 'role', pos),
      didYouMean(name, known),
    )
    return
  }
  if (chain.includes(dir)) {
    report(ctx, `role dependency cycle: ${[...chain, dir].map((d) => relative(rolesDir, d)).join(' → ')}`, pos)
    return
  }
  const parts = ['tasks', 'handlers', 'defaults', 'vars', 'meta'].map((p) => findMain(join(dir, p)))
  const [tasksFile, handlersFile, defaultsFile, varsFile, metaFile] = parts
  if (parts.every((p) => !p)) {
    report(ctx, `role "${name}" has none of tasks/main.yml, handlers/main.yml, defaults/main.yml, vars/main.yml`, pos)
    return
  }
  if (metaFile) await loadDependencies(ctx, metaFile, out, [...chain, dir])
  const when = readConditions(ctx, raw, 'when', pos) ?? []
  checkConditions(ctx, raw, 'when', when, pos)
  const vars = readMap(ctx, raw, 'vars', pos)
  if (vars) checkTemplates(ctx, raw, 'vars', pos, '"vars"')
  const inh = {
    when,
    whenPos: conditionPositions(raw, 'when', when.length, pos),
    tags: readStringList(ctx, raw, 'tags', pos, true),
    vars,
    become: readBool(ctx, raw, 'become', pos),
    becomeUser: readString(ctx, raw, 'become_user', pos),
    connection: readString(ctx, raw, 'connection', pos),
  }
  const roleName = name.split('/').pop() ?? name
  if (defaultsFile) out.defaults = mergePositioned(out.defaults, await readVarsFile(ctx, defaultsFile))
  if (varsFile) out.vars = mergePositioned(out.vars, await readVarsFile(ctx, varsFile))
  const searchPaths = [join(dir, 'templates'), join(dir, 'files'), dir, ctx.playDir ?? ctx.playbookDir]
  const spec = await readArgumentSpec(ctx, dir, roleName, vars ?? {})
  if (spec) out.specs.push(spec)
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
    const list = spec && !handlers && Array.isArray(doc.value) ? [specTask(spec), ...doc.value] : doc.value
    const nodes = await loadTaskList(
      ctx,
      { [handlers ? 'handlers' : 'tasks']: list },
      handlers ? 'handlers' : 'tasks',
      { file, dir: join(dir, handlers ? 'handlers' : 'tasks'), role: roleName, searchPaths, handlers },
      doc.pos,
    )
    ctx.stack.pop()
    inherit(nodes, inh)
    if (handlers) out.handlers.push(...(nodes.filter((n) => n.kind === 'task') as Task[]))
    else out.tasks.push(...nodes)
  }
}

async function loadDependencies(ctx: LoadContext, metaFile: string, out: RolesResult, chain: string[]): Promise<void> {
  const meta = await readVarsFile(ctx, metaFile)
  const deps = meta?.dependencies
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
