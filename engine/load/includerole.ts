/**
 * `include_role` and `import_role` (also `ansible.builtin.*`): a role's tasks run where the task stands.
 * `import_role` is static, as Ansible's: its `when`, `tags` and `vars` apply to every task of the role, and the
 * role's defaults and vars join the play's. `include_role` runs as its own task (its `when`, `tags` and `loop`
 * apply to it alone, `apply:` passes keywords on to the role's tasks); the role's defaults and vars are seen by its
 * own tasks only, unless `public: true`. `tasks_from`, `vars_from`, `defaults_from` and `handlers_from` name other
 * files of the role than `main`. A role's handlers join the play's once per role and handlers file.
 *
 * @example
 * ```yaml
 * - include_role:
 *     name: web
 *     tasks_from: install
 *   loop: [a, b]
 * - ansible.builtin.import_role: { name: web }
 *   tags: [web]
 * ```
 */
import type { Block, TaskNode } from '../ast.js'
import type { SourcePos } from '../types.js'
import { conditionPositions, inherit, passedOn, readCommon } from './common.js'
import { describeValue, report, type LoadContext } from './context.js'
import {
  at,
  checkKeys,
  isMap,
  readBool,
  readMap,
  readString,
  ROLE_INCLUDE_ARGS,
  ROLE_INCLUDE_KEYWORDS,
} from './keywords.js'
import { mergePositioned, posOf, setPositions } from '../source/positions.js'
import { parseKeyValues } from '../source/kv.js'
import { SplitError } from '../source/split.js'
import { findRole, loadRole, notePlayRole, roleName, type LoadedRole } from './roles.js'
import { didYouMean } from '../source/suggest.js'
import { checkTemplates, checkTemplatesIn } from './syntax.js'
import { dynamicInclude, staticName } from './dynamic.js'
import { deferIfBroken, hasWhen, maybeSkipped, whyMayNotRun } from './deferred.js'
import { includeBlock, type IncludeParts } from './include.js'
import type { TaskScope } from './task.js'

/** Ansible's `include_role: name=web tasks_from=x` spelling, as the map it stands for (positions at the value). */
function keyValueArgs(v: unknown, here: SourcePos): unknown {
  if (typeof v !== 'string' || !v.includes('=')) return v
  let args: Record<string, unknown>
  try {
    args = parseKeyValues(v)
  } catch (e) {
    if (e instanceof SplitError) return v // reported as not a map
    throw e
  }
  setPositions(args, here, Object.fromEntries(Object.keys(args).map((k) => [k, here])))
  return args
}

/** Load an `include_role`/`import_role` task (its key already renamed from any FQCN spelling). */
export async function loadRoleInclude(
  ctx: LoadContext,
  raw: Record<string, unknown>,
  scope: TaskScope,
  pos: SourcePos,
): Promise<TaskNode[]> {
  checkKeys(ctx, raw, ROLE_INCLUDE_KEYWORDS, 'include_role', pos, (k) => didYouMean(k, ROLE_INCLUDE_KEYWORDS))
  const key = 'import_role' in raw ? 'import_role' : 'include_role'
  if ('import_role' in raw && 'include_role' in raw) {
    report(ctx, 'use either "import_role" or "include_role", not both', at(raw, 'include_role', pos))
    return []
  }
  const here = at(raw, key, pos)
  const args = keyValueArgs(raw[key], here)
  raw[key] = args // read again by namedRole and the dynamic loader
  if (!isMap(args)) {
    report(ctx, `"${key}" takes a map of arguments ("name", "tasks_from", …), found ${describeValue(args)}`, here)
    return []
  }
  const argsPos = posOf(args) ?? here
  checkKeys(ctx, args, ROLE_INCLUDE_ARGS, key, argsPos, (k) => didYouMean(k, ROLE_INCLUDE_ARGS))
  let name = readString(ctx, args, 'name', argsPos)
  if (!name) {
    report(ctx, `"${key}" needs the role's "name"`, here)
    return []
  }
  const templated = ['when', 'include_role']
  const from = ENTRY_KEYS.filter((k) => typeof args[k] === 'string' && args[k].includes('{{'))
  if ((name.includes('{{') || from.length) && key === 'include_role') {
    const block = includeBlock(ctx, raw, pos, here, scope, { args: { name, role: true }, nodes: [], templated })
    const target = roleTarget(
      name,
      from.map((k) => [k, args[k] as string]),
    )
    const parts = { kind: 'role' as const, name: target, apply: applyOf(ctx, args, here) }
    return [await dynamicInclude(ctx, raw, block, here, scope, parts)]
  }
  if (name.includes('{{')) name = staticName(ctx, key, name, at(args, 'name', argsPos))
  if (!name) return []
  const over: Partial<Record<EntryKey, string>> = {}
  for (const k of from) {
    const v = staticName(ctx, key, args[k] as string, at(args, k, argsPos))
    if (v === undefined) return []
    over[k] = v
  }
  const why = key === 'include_role' ? whyMayNotRun(ctx, raw, scope) : hasWhen(raw) ? WHEN : undefined
  const before = ctx.errors.length
  const handlersBefore = ctx.playRoles?.handlers.length ?? 0
  const found = await withParents(ctx, scope, () =>
    maybeSkipped(ctx, why, () => namedRole(ctx, raw, name!, here, over)),
  )
  if (key === 'include_role') {
    const mistakes = ctx.errors.splice(before)
    if (why && mistakes.length) {
      const block = includeBlock(ctx, raw, pos, here, scope, { args: { name, role: true }, nodes: [], templated })
      const target = roleTarget(name, Object.entries(over))
      deferIfBroken(ctx, mistakes, why, raw, block, here, scope, {
        kind: 'role',
        name: target,
        apply: applyOf(ctx, args, here),
      })
      ctx.playRoles?.handlers.splice(handlersBefore) // they join the play if the role loads when it runs
      return [block]
    }
    ctx.errors.push(...mistakes)
  }
  if (!found) return []
  const { role, isPublic, params } = found
  if (key === 'import_role') notePlayRole(ctx, role.name, role.deps.names)
  if (key === 'import_role') {
    const common = readCommon(ctx, raw, pos)
    checkTemplatesIn(ctx, raw, pos, ['when', 'import_role'])
    const nodes = [...role.deps.tasks, ...role.tasks]
    return inherit(
      nodes,
      passedOn({ ...common, vars: params }, conditionPositions(raw, 'when', common.when.length, pos)),
    )
  }
  const block = includeBlock(ctx, raw, pos, here, scope, {
    args: { name: role.name, role: true },
    nodes: [roleBlock(pos, role, isPublic, params)],
    templated,
    apply: applyOf(ctx, args, here),
  })
  if (isPublic && block.include) block.include.publicVars = { defaults: role.defaults, vars: role.vars }
  // as in Ansible, the include task itself (its `when`) sees its own role first among the parents
  const parents = parentsOf(ctx, scope)
  if (parents) block.vars = { ...parentVars(parents), ...block.vars }
  return [block]
}

const WHEN = 'its "when" may skip it'

/**
 * Run `load` (of a role an include in `scope` names) with the roles around it recorded: a role included by a
 * role's task gets `ansible_parent_role_names`/`_paths` (innermost first), as Ansible's include parameters.
 */
async function withParents<T>(ctx: LoadContext, scope: TaskScope, load: () => Promise<T>): Promise<T> {
  const outer = ctx.roleParents
  ctx.roleParents = parentsOf(ctx, scope)
  try {
    return await load()
  } finally {
    ctx.roleParents = outer
  }
}

/** The arguments naming a role's other entry files. */
const ENTRY_KEYS = ['tasks_from', 'vars_from', 'defaults_from', 'handlers_from'] as const
type EntryKey = (typeof ENTRY_KEYS)[number]

/**
 * What a dynamic `include_role` loads, as one template the runner renders per host (engine/load/dynamic.ts): the
 * role's name, then one `key=value` line per templated `tasks_from`/`vars_from`/… (`roleTargetParts` reads it back).
 */
export function roleTarget(name: string, from: Array<[string, string]>): string {
  return [name, ...from.map(([k, v]) => `${k}=${v}`)].join('\n')
}

/** The role name and the entry files a rendered `roleTarget` names. */
export function roleTargetParts(target: string): { name: string; over: Partial<Record<EntryKey, string>> } {
  const [name, ...lines] = target.split('\n')
  const over: Partial<Record<EntryKey, string>> = {}
  for (const l of lines) {
    const i = l.indexOf('=')
    const k = l.slice(0, i)
    if ((ENTRY_KEYS as readonly string[]).includes(k)) over[k as EntryKey] = l.slice(i + 1).trim()
  }
  return { name: name.trim(), over }
}

/** `include_role`'s `apply:` map and where it is written. */
function applyOf(ctx: LoadContext, args: Record<string, unknown>, here: SourcePos): IncludeParts['apply'] {
  const apply = readMap(ctx, args, 'apply', posOf(args) ?? here)
  return apply && { map: apply, pos: at(args, 'apply', here) }
}

/**
 * Find and load the role `name` of an `include_role`/`import_role` map (`raw`): its entry files, parameters and
 * handlers (which join the play's). Undefined after reporting why it cannot.
 */
export async function namedRole(
  ctx: LoadContext,
  raw: Record<string, unknown>,
  name: string,
  here: SourcePos,
  over: Partial<Record<EntryKey, string>> = {},
): Promise<{ role: LoadedRole; isPublic: boolean; params: Record<string, unknown> } | undefined> {
  const key = 'import_role' in raw ? 'import_role' : 'include_role'
  const args = raw[key] as Record<string, unknown>
  const argsPos = posOf(args) ?? here
  const read = (k: EntryKey) => over[k] ?? readString(ctx, args, k, argsPos)
  const entry = {
    tasks: read('tasks_from'),
    vars: read('vars_from'),
    defaults: read('defaults_from'),
    handlers: read('handlers_from'),
  }
  const dir = findRole(ctx, name, at(args, 'name', argsPos))
  if (!dir) return undefined
  const pos = posOf(raw) ?? here
  const params = readMap(ctx, raw, 'vars', pos) ?? {}
  if (Object.keys(params).length) checkTemplates(ctx, raw, 'vars', pos, '"vars"')
  const role = await loadRole(ctx, dir, name, entry, params, here, [])
  if (!role) return undefined
  const isPublic = key === 'import_role' || readBool(ctx, args, 'public', argsPos) === true
  // an import's defaults and vars are the play's from the start; a public include's once it runs (its caller's)
  addHandlers(ctx, role, isPublic, key === 'import_role')
  const parents = ctx.roleParents
  return { role, isPublic, params: parents ? { ...parentVars(parents), ...params } : params }
}

/** The roles around an include in `scope` (its own role first), or undefined outside a role. */
function parentsOf(ctx: LoadContext, scope: TaskScope): Array<{ name: string; dir: string }> | undefined {
  return scope.role ? [{ name: scope.role, dir: scope.roleDir ?? '' }, ...(ctx.roleParents ?? [])] : undefined
}

/** `ansible_parent_role_names`/`_paths` of the roles around an include, innermost first. */
function parentVars(parents: Array<{ name: string; dir: string }>): Record<string, string[]> {
  return {
    ansible_parent_role_names: parents.map((p) => roleName(p.name)),
    ansible_parent_role_paths: parents.map((p) => p.dir),
  }
}

/** The role's handlers (and its dependencies') join the play once per role instance. */
function addHandlers(ctx: LoadContext, role: LoadedRole, isPublic: boolean, toPlay: boolean): void {
  const pr = ctx.playRoles
  if (!pr) return
  pr.handlers.push(...role.deps.handlers)
  pr.defaults = mergePositioned(pr.defaults, role.deps.defaults)
  pr.vars = mergePositioned(pr.vars, role.deps.vars)
  if (toPlay) {
    pr.defaults = mergePositioned(pr.defaults, role.defaults)
    pr.vars = mergePositioned(pr.vars, role.vars)
  }
  if (pr.instances.has(role.instance)) return
  pr.instances.add(role.instance)
  // handlers of a private role still see its defaults and vars (below their own vars)
  for (const h of role.handlers) {
    if (!isPublic) h.defaults = { ...role.defaults }
    if (!isPublic) h.vars = mergePositioned(role.vars, h.vars)
    if (!toPlay) h.loadedAtRun = true
  }
  pr.handlers.push(...role.handlers)
}

/** What `include_role` runs after its include task: the role's tasks, with its private defaults and vars. */
export function roleBlock(pos: SourcePos, role: LoadedRole, isPublic: boolean, params: Record<string, unknown>): Block {
  // the role's own vars sit below the include's vars (Ansible's role params); defaults lowest of all
  return {
    pos,
    when: [],
    tags: [],
    vars: isPublic ? {} : mergePositioned(role.vars, params),
    defaults: isPublic ? undefined : role.defaults,
    kind: 'block',
    block: [...role.deps.tasks, ...role.tasks],
    rescue: [],
    always: [],
  }
}
