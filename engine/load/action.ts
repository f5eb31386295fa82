/**
 * Ansible's older task spellings `action:` and `local_action:`, rewritten in place to the module key they name
 * (positions kept), before the task is read. `local_action` also delegates the task to `localhost`.
 *
 * @example
 * ```yaml
 * - action: debug msg=hello                 # read as  debug: msg=hello
 * - local_action: command echo hi           # read as  command: echo hi  + delegate_to: localhost
 * - local_action: { module: copy, src: a, dest: /tmp/a }
 * - action: "{{ ansible_facts.pkg_mgr }} name=git"   # the module is chosen per host when the task runs
 * ```
 */
import type { Task } from '../ast.js'
import { UserError } from '../errors.js'
import { taskSearchPaths } from '../source/files.js'
import type { SourcePos } from '../types.js'
import { describeValue, report, type LoadContext } from './context.js'
import { isMap } from './keywords.js'
import type { TaskScope } from './task.js'
import { keyPos, mergePositioned, renameKey, valuePos } from '../source/positions.js'
import { keyValueWords } from '../source/kv.js'
import { scanWords, SplitError } from '../source/split.js'

const KEYS = ['action', 'local_action'] as const

/** Where `normalizeAction` leaves a module named by a template (`action: "{{ ansible_facts.pkg_mgr }}"`). */
export const MODULE_TEMPLATE = Symbol('module named by a template')

/** A module named by a template: the name as written, its arguments as written, and where they are. */
export interface ModuleTemplate {
  name: string
  args: unknown
  pos: SourcePos
}

/** Rewrite `action`/`local_action` of `raw` to `MODULE: ARGS` (reporting what cannot be); false if it could not. */
export function normalizeAction(ctx: LoadContext, raw: Record<string, unknown>, pos: SourcePos): boolean {
  const present = KEYS.filter((k) => k in raw)
  if (present.length === 0) return true
  const key = present[0]
  const here = keyPos(raw, key) ?? pos
  if (present.length > 1) {
    report(ctx, '"action" and "local_action" cannot both be set', keyPos(raw, present[1]) ?? pos)
    return false
  }
  if (key === 'local_action' && 'delegate_to' in raw) {
    report(ctx, '"local_action" and "delegate_to" cannot both be set', keyPos(raw, 'delegate_to') ?? pos)
    return false
  }
  const v = raw[key]
  let module: unknown
  let args: unknown
  if (typeof v === 'string') {
    const [first, rest] = firstWord(v)
    module = first
    args = rest || null
  } else if (isMap(v)) {
    module = v.module
    const rest = mergePositioned(v)
    delete rest.module
    args = rest
  }
  if (typeof module !== 'string' || !module) {
    const hint = `(write "${key}: MODULE ARGS" or "${key}: { module: MODULE, … }")`
    report(ctx, `"${key}" must name a module, found ${describeValue(v)}`, valuePos(raw, key) ?? here, hint)
    return false
  }
  if (module.includes('{{')) {
    // chosen per host when the task runs (engine/run/modulename.ts): kept aside, out of the task's keys
    const at = valuePos(raw, key) ?? here
    if (typeof args === 'string' && freeText(args)) {
      const hint = '(give its arguments as key=value pairs or a map; for a command, name the module)'
      report(ctx, `a module named by a template (${module}) takes no free-form text, as in Ansible`, at, hint)
      return false
    }
    delete raw[key]
    ;(raw as Record<symbol, unknown>)[MODULE_TEMPLATE] = { name: module, args, pos: at } satisfies ModuleTemplate
    if (key === 'local_action') raw.delegate_to = 'localhost'
    return true
  }
  if (module in raw) {
    report(ctx, `"${key}" names ${module}, which the task also sets`, keyPos(raw, module) ?? here)
    return false
  }
  renameKey(raw, key, module)
  raw[module] = args
  if (key === 'local_action') raw.delegate_to = 'localhost'
  return true
}

/**
 * The task of a module named by a template (or whose arguments a template gives, `what`): its keywords are read
 * now; the module and its arguments are chosen and checked per host when it runs (a warning says so, unless
 * `what` is false: arguments that are wrong but tolerated, already reported). `moduleDefaults`: those of the task,
 * some given by a template, rendered and applied when it runs.
 */
export function templatedTask(
  ctx: LoadContext,
  t: ModuleTemplate,
  keywords: Omit<Task, 'kind' | 'module' | 'args' | 'argsPos' | 'searchPaths'>,
  scope: TaskScope,
  argsKeyword: unknown,
  what?: string | false,
  moduleDefaults?: ReadonlyMap<string, Record<string, unknown>>,
): Task {
  const given = moduleDefaults ? '' : ` are given by a template (${String(t.args)})`
  const message = what
    ? `${what}${given}: they are read and checked on each host when the task runs`
    : `the module of this task is named by a template (${t.name}): it is chosen on each host when the task runs, ` +
      'and its arguments are checked then'
  if (what !== false) ctx.warnings.push(new UserError(message, t.pos))
  return {
    ...keywords,
    kind: 'task',
    module: t.name,
    moduleTemplate: { args: t.args, argsKeyword, ...(moduleDefaults && { moduleDefaults }) },
    args: {},
    argsPos: t.pos,
    role: scope.role,
    roleDir: scope.roleDir,
    searchPaths: taskSearchPaths(scope.roleDir, scope.file, scope.playDir),
  }
}

/**
 * The first word of `s` and the rest, split as Ansible splits arguments (a `{{ … }}` keeps its spaces:
 * `{{ pkg_mgr }} name=git`). An unclosed quote further on is reported where the arguments are read.
 */
function firstWord(s: string): [string, string] {
  try {
    const [first, second] = scanWords(s, 'ansible')
    return [first?.raw ?? '', second ? s.slice(second.start) : '']
  } catch (e) {
    if (!(e instanceof SplitError)) throw e
    const m = /^\s*(\S+)\s*([\s\S]*)$/.exec(s)
    return [m?.[1] ?? '', m?.[2] ?? '']
  }
}

/** Is `v` one `{{ … }}` and nothing else (a value a template gives whole)? */
export function isWholeTemplate(v: unknown): v is string {
  if (typeof v !== 'string') return false
  const t = v.trim()
  return t.startsWith('{{') && t.endsWith('}}') && t.indexOf('{{', 2) < 0
}

/** Does `s` hold a word that is not `key=value` (free-form text)? An unclosed quote is left to the run's reading. */
function freeText(s: string): boolean {
  try {
    return keyValueWords(s).some((w) => w.key === undefined)
  } catch {
    return false
  }
}
