/**
 * `loadPlaybook`: a playbook file → the validated `Playbook` (engine/ast.ts), or `UserErrors` listing every
 * mistake found (each with file:line:col), before any host is contacted. Plays may also come from
 * `import_playbook` entries (relative to the importing file).
 *
 * @example
 * ```ts
 * const pb = await loadPlaybook('playbooks/hydra-pi.yml', { modules: await loadAllModules() })
 * ```
 * ```yaml
 * - name: Hydra servers
 *   hosts: hydra_servers
 *   vars_files: [vars/common.yml]
 *   roles: [nix, postgres, hydra]
 *   tasks:
 *     - debug: { msg: "ready" }
 * ```
 */
import { readPlayExtras } from './playextras.js'
import { readSerial } from './serial.js'
import { existsSync } from 'node:fs'
import { dirname, relative, resolve } from 'node:path'
import { handlerNodes, type Play, type Playbook, type Task, type TaskNode } from '../ast.js'
import { UserError, UserErrors } from '../errors.js'
import type { ModuleDef } from '../module.js'
import type { SourcePos, Vars } from '../types.js'
import { tryRender } from './dynamic.js'
import { readAnyErrorsFatal, readCommon, setSource, sourceOf } from './common.js'
import { absorb, describeValue, newLoadContext, newPlayRoles, report, type LoadContext } from './context.js'
import {
  at,
  checkKeys,
  isMap,
  PLAY_KEYWORDS,
  readBool,
  readBoolOrTemplate,
  readConditions,
  readIntOrTemplate,
  readMap,
  readString,
  readStringList,
  TASK_KEYWORDS,
} from './keywords.js'
import { setRoleSpecs } from './argspecs.js'
import { checkSourceFiles } from './files.js'
import { loadRoles } from './roles.js'
import { didYouMean } from '../source/suggest.js'
import { checkTemplatesIn } from './syntax.js'
import { loadTaskList } from './task.js'
import { loadVarsFiles } from './varsfiles.js'
import { staticName } from './dynamic.js'
import { keyPos, mergePositioned, valuePos } from '../source/positions.js'
import { readVarsPrompt } from './prompts.js'
import { readYamlFile } from '../source/yaml.js'
import { addPluginRoot, pythonPluginFiles } from './plugins.js'
import { dropPluginCallFindings } from './syntax.js'

/** Options for `loadPlaybook`. */
export interface LoadPlaybookOptions {
  /** Modules by canonical name (from `loadAllModules()`). */
  modules: Map<string, ModuleDef>
  /** `-e` variables (a static import's templated name may use them). */
  extraVars?: Vars
  /** Receives findings that may be wrong (a dynamic include's file known only at run time): never refused. */
  warnings?: UserError[]
}

/** Load and validate a playbook. Throws `UserErrors` with every error found. */
export async function loadPlaybook(file: string, opts: LoadPlaybookOptions): Promise<Playbook> {
  const abs = resolve(file)
  const ctx = newLoadContext(opts.modules, dirname(abs), opts.extraVars)
  const plays = await loadPlayFile(ctx, abs, undefined)
  const pythonPlugins = pythonPluginFiles(ctx)
  dropPluginCallFindings(ctx, pythonPlugins)
  opts.warnings?.push(...ctx.warnings)
  if (ctx.errors.length) throw new UserErrors(sortErrors(ctx.errors))
  return { file: abs, dir: dirname(abs), plays, ...(pythonPlugins.length ? { pythonPlugins } : {}) }
}

function sortErrors(errors: UserError[]): UserError[] {
  const seen = new Set<string>()
  return errors
    .filter((e) => {
      const id = e.format()
      return seen.has(id) ? false : (seen.add(id), true)
    })
    .map((e, i) => [e, i] as const)
    .sort(([a, i], [b, j]) => {
      if (!a.pos || !b.pos) return i - j
      return a.pos.file !== b.pos.file ? i - j : a.pos.line - b.pos.line || a.pos.col - b.pos.col || i - j
    })
    .map(([e]) => e)
}

/**
 * The plays of a playbook file. `importVars`: the `vars:` of the `import_playbook` entries that lead here (outer
 * ones win), which each play takes over its own `vars`, as Ansible does.
 */
async function loadPlayFile(
  ctx: LoadContext,
  abs: string,
  from: SourcePos | undefined,
  importVars: Vars = {},
): Promise<Play[]> {
  if (ctx.stack.includes(abs)) {
    report(
      ctx,
      `import_playbook cycle: ${[...ctx.stack, abs].map((p) => relative(ctx.playbookDir, p)).join(' → ')}`,
      from!,
    )
    return []
  }
  if (from && !existsSync(abs)) {
    report(ctx, `import_playbook: file not found: ${relative(ctx.playbookDir, abs)}`, from)
    return []
  }
  let doc
  try {
    doc = await readYamlFile(abs)
  } catch (e) {
    absorb(ctx, e)
    return []
  }
  const v = doc.value
  if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) {
    report(ctx, 'the playbook is empty: expected a list of plays', doc.pos, '(a play starts with "- hosts: …")')
    return []
  }
  if (!Array.isArray(v)) {
    const hint = isMap(v) && 'hosts' in v ? '(start the play with "- " to make a list: "- hosts: …")' : undefined
    report(ctx, `a playbook must be a list of plays, found ${describeValue(v)}`, doc.pos, hint)
    return []
  }
  ctx.stack.push(abs)
  addPluginRoot(ctx, dirname(abs)) // Ansible adds each playbook file's plugin folders, an importing one's too
  const plays: Play[] = []
  for (let i = 0; i < v.length; i++) {
    const raw = v[i]
    const pos = valuePos(v, i) ?? doc.pos
    if (!isMap(raw)) {
      report(ctx, `a play must be a map of keywords, found ${describeValue(raw)}`, pos)
      continue
    }
    if ('import_playbook' in raw) {
      plays.push(...(await importPlaybook(ctx, raw, pos, abs, importVars)))
      continue
    }
    const play = await loadPlay(ctx, raw, pos, abs, importVars)
    if (play) plays.push(play)
  }
  ctx.stack.pop()
  return plays
}

/**
 * `- import_playbook: NAME` (with `vars:`): the plays of that file (relative to this one). A templated name renders
 * from the entry's own `vars` and `-e`, as Ansible's (no play or inventory variables exist yet).
 */
async function importPlaybook(
  ctx: LoadContext,
  raw: Record<string, unknown>,
  pos: SourcePos,
  abs: string,
  outer: Vars,
): Promise<Play[]> {
  const own = mergePositioned(readMap(ctx, raw, 'vars', pos))
  // as ansible-core 2.14: a `tags` in the import's vars is taken out of them and does nothing
  delete own.tags
  // as Ansible's: `tags` and `when` on the import reach every imported play: the tags as the plays' own, the
  // conditions before those of every task and of the fact gathering
  const tags = readStringList(ctx, raw, 'tags', pos, true)
  const when = readConditions(ctx, raw, 'when', pos) ?? []
  let target = raw.import_playbook
  if (typeof target === 'string' && target.includes('{{')) {
    const saved = ctx.staticVars
    ctx.staticVars = { ...own, ...ctx.extraVars }
    target = staticName(ctx, 'import_playbook', target, at(raw, 'import_playbook', pos))
    ctx.staticVars = saved
  }
  if (target === undefined) return []
  if (typeof target !== 'string') {
    report(
      ctx,
      `"import_playbook" must be a file name, found ${describeValue(target)}`,
      at(raw, 'import_playbook', pos),
    )
    return []
  }
  for (const k of Object.keys(raw))
    if (!IMPORT_PLAYBOOK_KEYS.includes(k)) report(ctx, `unknown import_playbook keyword "${k}"`, keyPos(raw, k) ?? pos)
  const vars = mergePositioned(own, outer)
  const plays = await loadPlayFile(ctx, resolve(dirname(abs), target), at(raw, 'import_playbook', pos), vars)
  for (const p of plays) {
    p.tags = [...new Set([...p.tags, ...tags])]
    p.when = [...when, ...p.when]
  }
  return plays
}

/** The keywords of an `import_playbook` entry. */
const IMPORT_PLAYBOOK_KEYS = ['import_playbook', 'name', 'vars', 'tags', 'when']

async function loadPlay(
  ctx: LoadContext,
  raw: Record<string, unknown>,
  pos: SourcePos,
  file: string,
  importVars: Vars,
): Promise<Play | undefined> {
  checkKeys(
    ctx,
    raw,
    PLAY_KEYWORDS,
    'play',
    pos,
    (k) =>
      didYouMean(k, PLAY_KEYWORDS) ??
      (ctx.spellings.has(k) || TASK_KEYWORDS.includes(k)
        ? `("${k}" belongs to a task: put tasks under "tasks:")`
        : undefined),
  )
  if ('when' in raw)
    report(ctx, 'a play cannot have "when"; put it on its tasks, a block or a role', keyPos(raw, 'when') ?? pos)
  checkTemplatesIn(ctx, raw, pos, ['tasks', 'pre_tasks', 'post_tasks', 'handlers', 'roles', 'when'])
  const common = readCommon(ctx, raw, pos, false)
  if (Object.keys(importVars).length) common.vars = mergePositioned(common.vars, importVars)
  const hostsList = readStringList(ctx, raw, 'hosts', pos)
  if (!('hosts' in raw))
    report(ctx, `play${common.name ? ` "${common.name}"` : ''} has no "hosts"`, pos, '(add e.g. "hosts: all")')
  else if (!hostsList.length || hostsList.some((h) => !h.trim()))
    report(ctx, '"hosts" must name hosts or groups', at(raw, 'hosts', pos))
  const strategy = readString(ctx, raw, 'strategy', pos) ?? 'linear'
  if (strategy !== 'linear' && strategy !== 'free' && !strategy.includes('{{')) {
    report(
      ctx,
      `"strategy" must be "linear" or "free", found "${strategy}"`,
      at(raw, 'strategy', pos),
      didYouMean(strategy, ['linear', 'free']),
    )
  }
  const dir = dirname(file)
  const { vars: varsFiles, late: lateVarsFiles } = await loadVarsFiles(ctx, raw, pos, dir, common.vars)
  ctx.playDir = dir
  ctx.staticVars = { ...common.vars, ...varsFiles, ...ctx.extraVars }
  ctx.rolesSeen = new Map()
  const extras = readPlayExtras(ctx, raw, pos)
  const extra = (ctx.playRoles = newPlayRoles())
  const roles = await loadRoles(ctx, raw, pos)
  const scope = { file, dir, playDir: dir, handlers: false }
  const pre = await loadTaskList(ctx, raw, 'pre_tasks', scope, pos)
  const main = [...roles.tasks, ...(await loadTaskList(ctx, raw, 'tasks', scope, pos))]
  const tasks: TaskNode[] = [...pre, ...main, ...(await loadTaskList(ctx, raw, 'post_tasks', scope, pos))]
  const handlers = [
    ...roles.handlers,
    ...extra.handlers,
    ...((await loadTaskList(ctx, raw, 'handlers', { ...scope, handlers: true }, pos)) as Task[]),
  ]
  ctx.playRoles = undefined
  // as Ansible's: a handler's templated name is rendered with the play's variables, and notifications match that
  for (const hd of handlers) {
    if (!hd.name?.includes('{{')) continue
    const name = tryRender(hd.name, { ...ctx.staticVars, ...hd.vars })
    if (name !== undefined) hd.notifyName = name
  }
  ctx.staticVars = undefined
  ctx.moduleDefaults = undefined
  checkNotify(ctx, [...tasks, ...handlerNodes(handlers)], handlers)
  checkSourceFiles(ctx, tasks, handlerNodes(handlers))
  const play: Play = {
    ...common,
    hosts: hostsList.join(','),
    varsFiles,
    ...(lateVarsFiles.length ? { lateVarsFiles } : {}),
    roleDefaults: mergePositioned(roles.defaults, extra.defaults),
    roleNames: { play: extra.names, deps: [...extra.depNames] },
    roleVars: mergePositioned(roles.vars, extra.vars),
    gatherFacts: readBoolOrTemplate(ctx, raw, 'gather_facts', pos),
    tasks,
    sections: { pre: pre.length, main: main.length },
    handlers,
    strategy: strategy === 'free' || strategy.includes('{{') ? strategy : 'linear',
    serial: readSerial(ctx, raw, pos),
    anyErrorsFatal: readAnyErrorsFatal(ctx, raw, pos),
    forceHandlers: readBool(ctx, raw, 'force_handlers', pos),
    maxFailPercentage: readIntOrTemplate(ctx, raw, 'max_fail_percentage', pos),
    remoteUser: readString(ctx, raw, 'remote_user', pos) ?? readString(ctx, raw, 'user', pos),
    varsPrompt: readVarsPrompt(ctx, raw, pos),
    ...extras,
  }
  setSource(play, raw)
  setRoleSpecs(play, roles.specs)
  return play
}

/**
 * Every `notify` name must match a handler's `name`, `role : name` or `listen` (templated names are checked at run
 * time).
 */
function checkNotify(ctx: LoadContext, nodes: TaskNode[], handlers: Task[]): void {
  // A role's handler also answers to "role : name", as in Ansible.
  const names = new Set(
    handlers.flatMap((h) => {
      const own = h.notifyName ?? h.name
      return [...(h.listen ?? []), ...(own ? [own] : []), ...(h.role && own ? [`${h.role} : ${own}`] : [])]
    }),
  )
  // a handler name that is a template not rendered yet may be any name at run time: a mismatch is only likely
  const unsure = handlers.some((h) => h.name?.includes('{{') && h.notifyName === undefined)
  const visit = (n: TaskNode): void => {
    if (n.kind === 'block') return [...n.block, ...n.rescue, ...n.always].forEach(visit)
    n.notify.forEach((name, i) => {
      if (names.has(name) || name.includes('{{') || name.includes('{%')) return
      const hint = didYouMean(name, names) ?? (names.size ? undefined : '(this play has no handlers)')
      const pos = notifyPos(n, i) ?? n.pos
      if (unsure) ctx.warnings.push(new UserError(`notify "${name}" matches no handler (by name yet)`, pos, hint))
      else report(ctx, `notify "${name}" matches no handler`, pos, hint)
    })
  }
  nodes.forEach(visit)
}

function notifyPos(task: Task, i: number): SourcePos | undefined {
  const raw = sourceOf(task)
  if (!raw) return undefined
  const v = raw.notify
  return (Array.isArray(v) ? valuePos(v, i) : undefined) ?? valuePos(raw, 'notify')
}
