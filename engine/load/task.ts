/**
 * Task lists: tasks, blocks (`block`/`rescue`/`always`) and `import_tasks`/`include_tasks` (expanded
 * statically, relative to the including file; their `when`/`tags`/`vars` apply to every included task;
 * a cycle is an error). Every problem is reported into the load context, so all show at once.
 *
 * @example
 * ```yaml
 * - name: install git
 *   apt: name=git state=present
 *   notify: restart nix
 * - import_tasks: nix.yml
 *   when: nix_install_method == 'source'
 *   tags: [nix]
 * ```
 */
import { existsSync } from 'node:fs'
import { dirname, relative } from 'node:path'
import { taskFilePath } from './taskpath.js'
import type { Block, Task, TaskNode } from '../ast.js'
import type { SourcePos } from '../types.js'
import { conditionPositions, inherit, passedOn, readAnyErrorsFatal, readCommon, setSource } from './common.js'
import { absorb, describeValue, report, type LoadContext } from './context.js'
import {
  at,
  BLOCK_KEYWORDS,
  checkKeys,
  IMPORT_KEYWORDS,
  INCLUDE_KEYWORDS,
  isMap,
  readBoolOrTemplate,
  readConditions,
  readIntOrTemplate,
  readMap,
  readString,
  readStringList,
} from './keywords.js'
import { checkConditions, checkTemplates, checkTemplatesIn } from './syntax.js'
import { didYouMean } from '../source/suggest.js'
import { loadRoleInclude } from './includerole.js'
import { buildTask } from './taskfields.js'
import { includeBlock } from './include.js'
import { dynamicInclude, staticName } from './dynamic.js'
import { deferIfBroken, hasWhen, maybeSkipped, tolerated, whyMayNotRun, whyTolerated } from './deferred.js'
import { keyPos, mergePositioned, renameKey, valuePos } from '../source/positions.js'
import { readYamlFile } from '../source/yaml.js'
import { normalizeAction } from './action.js'
import { parseKeyValues } from '../source/kv.js'
import { innerModuleDefaults } from './playextras.js'

/** Where a task list lives and what its tasks inherit. */
export interface TaskScope {
  /** File the tasks are written in. */
  file: string
  /** Base folder for `import_tasks` paths. */
  dir: string
  role?: string
  /** The role's folder, for a role's tasks and handlers (relative include names are also looked for there). */
  roleDir?: string
  /** The play's folder (an imported playbook's own): the last place a task's files are looked for. */
  playDir: string
  /** Loading `handlers:` (allows `listen`; a block's tasks become handlers, as Ansible flattens them). */
  handlers: boolean
}

/** Load a list of tasks from `container[key]`. */
export async function loadTaskList(
  ctx: LoadContext,
  container: unknown,
  key: string | number,
  scope: TaskScope,
  fallback: SourcePos,
): Promise<TaskNode[]> {
  const list = (container as Record<string | number, unknown>)[key]
  if (list === undefined || list === null) return []
  const here = valuePos(container, key) ?? fallback
  if (!Array.isArray(list)) {
    report(
      ctx,
      `"${key}" must be a list of tasks, found ${describeValue(list)}`,
      here,
      isMap(list) ? '(start each task with "- ")' : undefined,
    )
    return []
  }
  const out: TaskNode[] = []
  for (let i = 0; i < list.length; i++) {
    const raw = list[i]
    const pos = valuePos(list, i) ?? here
    if (!isMap(raw)) {
      report(ctx, `a task must be a map of keywords, found ${describeValue(raw)}`, pos)
      continue
    }
    out.push(...(await loadTaskEntry(ctx, raw, scope, pos)))
  }
  return out
}

/** Keyword-like modules, also written `ansible.builtin.X` / `ansible.legacy.X`. */
const KEYWORD_MODULES = /^ansible\.(?:builtin|legacy)\.(include_tasks|import_tasks|include|include_role|import_role)$/

async function loadTaskEntry(
  ctx: LoadContext,
  raw: Record<string, unknown>,
  scope: TaskScope,
  pos: SourcePos,
): Promise<TaskNode[]> {
  const outer = ctx.moduleDefaults
  ctx.moduleDefaults = innerModuleDefaults(ctx, raw, pos)
  try {
    return await loadTaskNodes(ctx, raw, scope, pos)
  } finally {
    ctx.moduleDefaults = outer
  }
}

/** One entry of a task list: an include, a block or a task (with `module_defaults` around it already applied). */
async function loadTaskNodes(
  ctx: LoadContext,
  raw: Record<string, unknown>,
  scope: TaskScope,
  pos: SourcePos,
): Promise<TaskNode[]> {
  if (!normalizeAction(ctx, raw, pos)) return []
  for (const k of Object.keys(raw)) {
    const m = KEYWORD_MODULES.exec(k)
    if (m && !(m[1] in raw)) renameKey(raw, k, m[1])
  }
  // legacy spelling: static unless its name is a template or it loops, as Ansible 2.14 decides
  if ('include' in raw && !('import_tasks' in raw) && !('include_tasks' in raw)) {
    const v = raw.include
    const dynamic = (typeof v === 'string' && v.includes('{{')) || Object.keys(raw).some((k) => /^(loop|with_)/.test(k))
    renameKey(raw, 'include', dynamic ? 'include_tasks' : 'import_tasks')
  }
  if ('import_tasks' in raw || 'include_tasks' in raw) return loadInclude(ctx, raw, scope, pos)
  if ('import_role' in raw || 'include_role' in raw) return loadRoleInclude(ctx, raw, scope, pos)
  if ('block' in raw) {
    const block = await loadBlock(ctx, raw, scope, pos)
    return scope.handlers ? handlerTasks(ctx, raw, block, pos) : [block]
  }
  for (const k of ['rescue', 'always']) {
    if (k in raw) report(ctx, `"${k}" needs a "block" in the same map`, keyPos(raw, k) ?? pos)
  }
  const task = buildTask(ctx, raw, scope, pos)
  if (task) setSource(task, raw)
  return task ? [task] : []
}

/**
 * A block in `handlers:`: its tasks are handlers of their own (each notified by its name or `listen`), with the
 * block's keywords applied, as Ansible runs them. `rescue`/`always` have no meaning there.
 */
function handlerTasks(ctx: LoadContext, raw: Record<string, unknown>, block: Block, pos: SourcePos): TaskNode[] {
  for (const k of ['rescue', 'always']) {
    if (k in raw)
      report(
        ctx,
        `"${k}" has no effect in a block of handlers`,
        keyPos(raw, k) ?? pos,
        '(Ansible ignores it there: a failed handler is never rescued; put the recovery in a task)',
      )
  }
  const tasks = block.block.filter((n) => n.kind === 'task')
  for (const t of tasks) {
    t.environment = t.environment ?? block.environment
    t.noLog = t.noLog ?? block.noLog
    t.ignoreErrors = t.ignoreErrors ?? block.ignoreErrors
  }
  return inherit(tasks, passedOn(block, conditionPositions(raw, 'when', block.when.length, pos)))
}

async function loadBlock(
  ctx: LoadContext,
  raw: Record<string, unknown>,
  scope: TaskScope,
  pos: SourcePos,
): Promise<Block> {
  checkKeys(ctx, raw, BLOCK_KEYWORDS, 'block', pos, (k) =>
    ctx.spellings.has(k)
      ? '(a block holds tasks under "block:"; it cannot call a module itself)'
      : didYouMean(k, BLOCK_KEYWORDS),
  )
  checkTemplatesIn(ctx, raw, pos, ['block', 'rescue', 'always', 'when'])
  const when = hasWhen(raw) ? 'its block\'s "when" may skip it' : undefined
  const rescue = 'a rescue runs only when its block fails'
  const hasRescue = Array.isArray(raw.rescue) && raw.rescue.length > 0
  const rescued = hasRescue && !scope.handlers ? 'its block has a rescue' : undefined
  const block: Block = {
    ...readCommon(ctx, raw, pos),
    kind: 'block',
    block: await maybeSkipped(ctx, when, () =>
      tolerated(ctx, rescued ?? whyTolerated(ctx, raw), () => loadTaskList(ctx, raw, 'block', scope, pos)),
    ),
    rescue: scope.handlers ? [] : await maybeSkipped(ctx, rescue, () => loadTaskList(ctx, raw, 'rescue', scope, pos)),
    always: scope.handlers ? [] : await maybeSkipped(ctx, when, () => loadTaskList(ctx, raw, 'always', scope, pos)),
  }
  setSource(block, raw)
  passDown(block, passedKeys(ctx, raw, pos))
  return block
}

type PassedKeys = Pick<
  Task,
  'runOnce' | 'anyErrorsFatal' | 'throttle' | 'timeout' | 'ignoreUnreachable' | 'delegateTo' | 'delegateFacts'
> & { notify?: string[] }

/** The keywords a block (or an import wrapped in one) passes down to its tasks, read from `raw`. */
function passedKeys(ctx: LoadContext, raw: Record<string, unknown>, pos: SourcePos): PassedKeys {
  return {
    notify: 'notify' in raw ? readStringList(ctx, raw, 'notify', pos) : undefined,
    runOnce: readBoolOrTemplate(ctx, raw, 'run_once', pos),
    anyErrorsFatal: readAnyErrorsFatal(ctx, raw, pos),
    // a template is rendered per host, as a task's own
    throttle: readIntOrTemplate(ctx, raw, 'throttle', pos),
    timeout: readIntOrTemplate(ctx, raw, 'timeout', pos, 1),
    ignoreUnreachable: readBoolOrTemplate(ctx, raw, 'ignore_unreachable', pos),
    delegateTo: readString(ctx, raw, 'delegate_to', pos),
    delegateFacts: readBoolOrTemplate(ctx, raw, 'delegate_facts', pos),
  }
}

/**
 * A block's `notify`, `run_once`, `any_errors_fatal`, `throttle`, `timeout`, `ignore_unreachable`, `delegate_to` and
 * `delegate_facts` reach each of its tasks that sets none of its own.
 */
function passDown(block: Block, keys: PassedKeys): void {
  for (const n of [...block.block, ...block.rescue, ...block.always]) {
    if (n.kind === 'block') {
      passDown(n, keys)
      if (n.include) passDown({ ...n, block: [n.include], rescue: [], always: [] }, { ...keys, notify: undefined })
      continue
    }
    if (keys.notify && n.notify.length === 0) n.notify = [...keys.notify]
    n.runOnce ??= keys.runOnce
    n.anyErrorsFatal ??= keys.anyErrorsFatal
    n.throttle ??= keys.throttle
    n.timeout ??= keys.timeout
    n.ignoreUnreachable ??= keys.ignoreUnreachable
    n.delegateTo ??= keys.delegateTo
    n.delegateFacts ??= keys.delegateFacts
  }
}

async function loadInclude(
  ctx: LoadContext,
  raw: Record<string, unknown>,
  scope: TaskScope,
  pos: SourcePos,
): Promise<TaskNode[]> {
  const kind = 'import_tasks' in raw ? 'import_tasks' : 'include_tasks'
  const allowed = kind === 'import_tasks' ? IMPORT_KEYWORDS : INCLUDE_KEYWORDS
  checkKeys(ctx, raw, allowed, kind, pos, (k) =>
    IMPORT_KEYWORDS.includes(k)
      ? `(Ansible refuses it on a dynamic include too; use import_tasks, or put the include in a block with ${k})`
      : didYouMean(k, allowed),
  )
  if ('import_tasks' in raw && 'include_tasks' in raw) {
    report(ctx, 'use either "import_tasks" or "include_tasks", not both', keyPos(raw, 'include_tasks') ?? pos)
    return []
  }
  const key = 'import_tasks' in raw ? 'import_tasks' : 'include_tasks'
  const v = raw[key]
  // `args: {file, apply}` is Ansible's older spelling of the same arguments
  const args = isMap(raw.args) ? raw.args : {}
  const name = [kvFile(v) ?? v, isMap(v) && v.file, raw.file, args.file].find((x): x is string => typeof x === 'string')
  const here = at(raw, key, pos)
  if (!name) {
    report(ctx, `"${key}" must name a task file, found ${describeValue(v)}`, here)
    return []
  }
  // include_tasks: a block whose include task runs first (as Ansible's dynamic includes); vars and apply reach
  // the included tasks
  if (!scope.handlers && 'listen' in raw)
    report(ctx, '"listen" is only valid in handlers', keyPos(raw, 'listen') ?? pos)
  const apply =
    isMap(v) && isMap(v.apply)
      ? v.apply
      : isMap(args.apply)
        ? args.apply
        : key === 'include_tasks'
          ? readMap(ctx, raw, 'apply', pos)
          : undefined
  const applied = apply && { map: apply, pos: at(raw, 'apply', pos) }
  const templated = ['when', 'apply', 'include_tasks', 'import_tasks', 'include', 'file']
  if (name.includes('{{') && key === 'include_tasks') {
    const block = includeBlock(ctx, raw, pos, here, scope, { args: { file: name }, nodes: [], templated })
    return asHandler(
      ctx,
      raw,
      scope,
      await dynamicInclude(ctx, raw, block, here, scope, { kind: 'tasks', name, apply: applied }),
    )
  }
  const file = name.includes('{{') ? staticName(ctx, key, name, here) : name
  if (!file) return []
  const path = taskFilePath(scope, file)
  // what a handler's include_tasks loads are tasks its handler runs, not handlers of their own
  const inner = key === 'include_tasks' ? { ...scope, handlers: false } : scope
  const why =
    key === 'include_tasks' ? whyMayNotRun(ctx, raw, scope) : hasWhen(raw) ? 'its "when" may skip it' : undefined
  const before = ctx.errors.length
  const nodes = await maybeSkipped(ctx, why, () => loadTaskFile(ctx, path, key, here, inner))
  if (key === 'include_tasks') {
    const found = ctx.errors.splice(before)
    const parts = { kind: 'tasks' as const, name: file, apply: applied }
    const block = includeBlock(ctx, raw, pos, here, scope, {
      args: { file },
      nodes: nodes ?? [],
      templated,
      apply: applied,
    })
    if (deferIfBroken(ctx, found, why, raw, block, here, scope, parts)) return asHandler(ctx, raw, scope, block)
    return nodes ? asHandler(ctx, raw, scope, block) : []
  }
  if (!nodes) return []
  const when = readConditions(ctx, raw, 'when', pos) ?? []
  checkConditions(ctx, raw, 'when', when, pos)
  const tags = readStringList(ctx, raw, 'tags', pos, true)
  const vars = readMap(ctx, raw, 'vars', pos)
  if (vars) checkTemplates(ctx, raw, 'vars', pos, '"vars"')
  const imported = inherit(nodes, { when, whenPos: conditionPositions(raw, 'when', when.length, pos), tags, vars })
  return importKeywords(ctx, raw, pos, imported, scope)
}

/** `include_tasks: file=x.yml`: the file named in Ansible's key=value form (undefined for a plain name). */
function kvFile(v: unknown): string | undefined {
  if (typeof v !== 'string' || !/^\s*file=/.test(v)) return undefined
  try {
    return parseKeyValues(v).file
  } catch {
    return undefined
  }
}

/**
 * An `include_tasks` in `handlers:` is one handler, notified by its name or `listen`, that runs the include and
 * then what it loads (Ansible's handler includes); elsewhere it stays a block.
 */
function asHandler(ctx: LoadContext, raw: Record<string, unknown>, scope: TaskScope, block: Block): TaskNode[] {
  const inc = block.include
  if (!scope.handlers || !inc) return [block]
  inc.listen = [...(inc.name ? [inc.name] : []), ...readStringList(ctx, raw, 'listen', inc.pos)]
  inc.handlerBlock = block
  return [inc]
}

/** What `when`, `tags`, `vars` and `name` leave to an `import_tasks`: keywords its tasks inherit, as a block's. */
const IMPORT_BLOCK_KEYS = ['import_tasks', 'include', 'file', 'when', 'tags', 'vars', 'name']

/**
 * The other keywords of an `import_tasks` (`become`, `environment`, `notify`, `ignore_errors`, …) reach every
 * imported task, as Ansible's static import passes them on: the tasks are wrapped in a block that carries them.
 */
function importKeywords(
  ctx: LoadContext,
  raw: Record<string, unknown>,
  pos: SourcePos,
  nodes: TaskNode[],
  scope: TaskScope,
): TaskNode[] {
  if (Object.keys(raw).every((k) => IMPORT_BLOCK_KEYS.includes(k))) return nodes
  const rest = mergePositioned(raw)
  for (const k of IMPORT_BLOCK_KEYS) delete rest[k]
  const common = readCommon(ctx, rest, pos)
  if (scope.handlers) return inherit(nodes, passedOn(common))
  const block: Block = { ...common, kind: 'block', block: nodes, rescue: [], always: [] }
  setSource(block, raw)
  passDown(block, passedKeys(ctx, raw, pos))
  return [block]
}

/** The tasks of an included/imported file (undefined after reporting a cycle, a missing file or a YAML error). */
export async function loadTaskFile(
  ctx: LoadContext,
  path: string,
  key: string,
  here: SourcePos,
  scope: TaskScope,
): Promise<TaskNode[] | undefined> {
  if (ctx.stack.includes(path)) {
    const chain = [...ctx.stack.slice(ctx.stack.indexOf(path)), path].map((p) => relative(ctx.playbookDir, p) || p)
    report(ctx, `include cycle: ${chain.join(' → ')}`, here)
    return undefined
  }
  if (!existsSync(path)) {
    report(ctx, `${key}: file not found: ${relative(ctx.playbookDir, path)}`, here)
    return undefined
  }
  let doc
  try {
    doc = await readYamlFile(path)
  } catch (e) {
    absorb(ctx, e)
    return undefined
  }
  if (doc.value === undefined || doc.value === null) return []
  ctx.stack.push(path)
  try {
    return await loadTaskList(ctx, { tasks: doc.value }, 'tasks', { ...scope, file: path, dir: dirname(path) }, doc.pos)
  } finally {
    ctx.stack.pop()
  }
}
