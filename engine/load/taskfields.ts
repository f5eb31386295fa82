/**
 * One task map → a `Task`: exactly one module key (any accepted spelling), its arguments (map, free-form
 * string, or `key=value` string, plus the `args:` keyword) validated against the module's schema, and the
 * task keywords read with their types checked.
 *
 * @example
 * ```yaml
 * - name: build nix
 *   ansible.builtin.command: make -j4 chdir=/src/nix   # module `command`, { cmd: 'make -j4', chdir: '/src/nix' }
 *   register: build
 *   changed_when: build.rc == 0
 * ```
 */
import { LOOP_LOOKUPS, type Common, type Task } from '../ast.js'
import { pluginFile } from './plugins.js'
import type { SourcePos } from '../types.js'
import { UserError } from '../errors.js'
import { checkArgs } from './args.js'
import { readArgs } from './taskargs.js'
import { isWholeTemplate, MODULE_TEMPLATE, templatedTask, type ModuleTemplate } from './action.js'
import { tolerate, whyMayNotRun, whyTolerated } from './deferred.js'
import { readAnyErrorsFatal, readCommon } from './common.js'
import { describeValue, report, type LoadContext } from './context.js'
import {
  at,
  checkKeys,
  LOOP_CONTROL_KEYWORDS,
  readBool,
  readBoolOrTemplate,
  readConditions,
  readIntOrTemplate,
  readMap,
  readString,
  readStringList,
  TASK_KEYWORDS,
} from './keywords.js'
import { didYouMean } from '../source/suggest.js'
import { fireAndForgetRefusal, NO_ASYNC } from './fireforget.js'
import { collectionForArgs, libraryModuleName, PluginRefusal } from './library.js'
import { actionPlugin, foreignModule, otherSystemArgs } from './foreign.js'
import { checkConditions, checkExpressionArgs, checkTemplatesIn, collectionLookupUsed } from './syntax.js'
import { hasTemplatedDefaults } from './templateddefaults.js'
import type { TaskScope } from './task.js'
import { taskSearchPaths } from '../source/files.js'
import { keyPos, posOf, valuePos } from '../source/positions.js'

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/
const LOOP_KEYS = ['loop', ...LOOP_LOOKUPS.map((l) => `with_${l}`)]

/** The keywords whose values are conditions (bare expressions). */
const CONDITION_KEYS = ['when', 'changed_when', 'failed_when', 'until']

/** Build one task (or report why not); `action`/`local_action` are already rewritten (task.ts). */
export function buildTask(
  ctx: LoadContext,
  raw: Record<string, unknown>,
  scope: TaskScope,
  pos: SourcePos,
): Task | undefined {
  const found: Array<[string, string]> = []
  for (const k of Object.keys(raw)) {
    if (TASK_KEYWORDS.includes(k) || pluginLoop(ctx, k)) continue
    if (collectionLoop(k)) {
      // a lookup of a collection not installed (`with_community.general.flattened`): the task fails if it runs
      const why = `"${k}" loops with the lookup ${k.slice(5)}, which no installed collection has`
      const hint = '(write the loop with "loop:" and a filter, for example loop: "{{ lists | flatten }}")'
      // not the task's own `when`: a loop's items are computed before `when` is tested for each
      const outer = ctx.mayNotRun ?? (scope.handlers ? 'it is a handler, run only when notified' : undefined)
      tolerate(ctx, raw, [new PluginRefusal(why, keyPos(raw, k) ?? pos, hint)], outer)
      continue
    }
    // an action plugin comes before a library module of its name (Ansible's order), after tsplay's own modules
    const known = ctx.modules.get(ctx.spellings.get(k) ?? '')
    const own = known && !known.library && !known.absent
    const plugin = own ? undefined : pluginFile(ctx, 'action', k)
    const mod = plugin
      ? undefined
      : ((own ? collectionForArgs(ctx, k, known, raw[k]) : undefined) ??
        libraryModuleName(ctx, k) ??
        foreignModule(ctx, raw, k, scope, keyPos(raw, k) ?? pos))
    if (mod) found.push([k, mod])
    else if (plugin) {
      const name = actionPlugin(ctx, raw, k, plugin, scope, at(raw, k, pos))
      if (name) found.push([k, name])
    } else
      report(
        ctx,
        ctx.unusable?.has(k) ? `module "${k}": ${ctx.unusable.get(k)}` : `unknown task keyword or module "${k}"`,
        keyPos(raw, k) ?? pos,
        ctx.unusable?.has(k) ? undefined : didYouMean(k, [...TASK_KEYWORDS, ...ctx.spellings.keys()]),
      )
  }
  if (found.length > 1) {
    report(
      ctx,
      `a task must call exactly one module, found ${found.length}: ${found.map(([k]) => k).join(', ')}`,
      keyPos(raw, found[1][0]) ?? pos,
      '(split it into one task per module)',
    )
  }
  if (!scope.handlers && 'listen' in raw)
    report(ctx, '"listen" is only valid in handlers', keyPos(raw, 'listen') ?? pos)
  checkedHere(ctx, raw, scope, () => checkTemplatesIn(ctx, raw, pos, CONDITION_KEYS))
  const common = readCommon(ctx, raw, pos)
  const fields = readTaskFields(ctx, raw, pos)
  const byTemplate = (raw as Record<symbol, unknown>)[MODULE_TEMPLATE] as ModuleTemplate | undefined
  if (byTemplate && found.length === 0) {
    const task = templatedTask(ctx, byTemplate, { ...common, ...fields }, scope, raw.args)
    return scope.handlers ? asHandlerTask(ctx, raw, pos, task) : task
  }
  if (found.length === 0) {
    if (Object.keys(raw).every((k) => TASK_KEYWORDS.includes(k))) {
      report(
        ctx,
        `task${common.name ? ` "${common.name}"` : ''} has no module`,
        pos,
        '(add one module, for example "command: …")',
      )
    }
    return undefined
  }
  const [key, name] = found[0]
  const def = ctx.modules.get(name)
  if (!def) return undefined
  // a templated poll or async is checked when it is rendered (engine/run/asyncfields.ts)
  const forgets = fields.poll === 0 && typeof fields.async === 'number' && fields.async > 0
  const refusal = forgets && !NO_ASYNC.has(name) ? fireAndForgetRefusal(name, def) : undefined
  if (fields.async && NO_ASYNC.has(name)) {
    const why = `"async" with ${name} fails the task when it runs, as in Ansible: async is not supported for this task`
    ctx.warnings.push(new UserError(why, at(raw, 'async', pos)))
  }
  if (refusal)
    report(
      ctx,
      `"poll: 0" (fire and forget) with ${name} is not supported by tsplay: ${refusal}`,
      at(raw, 'poll', pos),
      POLL0,
    )
  const argsPos = keyPos(raw, key) ?? pos
  if (hasTemplatedDefaults(ctx.moduleDefaults, def)) {
    // module_defaults a template gives: the arguments are merged and checked on each host when the task runs
    const t = { name: key, args: raw[key], pos: argsPos }
    const what = `the arguments of ${name} take module_defaults a template gives`
    const task = templatedTask(ctx, t, { ...common, ...fields }, scope, raw.args, what, ctx.moduleDefaults)
    return scope.handlers ? asHandlerTask(ctx, raw, pos, task) : task
  }
  if (!def.freeForm && isWholeTemplate(raw[key])) {
    // `add_host: "{{ host_data }}"`: a map a template gives, read and checked on each host when the task runs
    const t = { name, args: raw[key], pos: valuePos(raw, key) ?? argsPos }
    const task = templatedTask(ctx, t, { ...common, ...fields }, scope, raw.args, `the arguments of ${name}`)
    return scope.handlers ? asHandlerTask(ctx, raw, pos, task) : task
  }
  const unread = ctx.errors.length
  const written = readArgs(ctx, def, raw, key, argsPos)
  if (!written) {
    // arguments that cannot be read, in a task written to fail: read again (and refused) when it runs
    if (!whyTolerated(ctx, raw)) return undefined
    tolerate(ctx, raw, ctx.errors.splice(unread))
    const t = { name, args: raw[key], pos: valuePos(raw, key) ?? argsPos }
    const task = templatedTask(ctx, t, { ...common, ...fields }, scope, raw.args, false)
    return scope.handlers ? asHandlerTask(ctx, raw, pos, task) : task
  }
  const { args, errors, ignored } = checkArgs(def, written, argsPos)
  checkedHere(ctx, raw, scope, () => checkExpressionArgs(ctx, name, written, argsPos))
  for (const k of ignored) {
    const why = `${name} ignores the argument "${k}", as Ansible's ${name} does (it takes no such argument)`
    ctx.warnings.push(new UserError(why, keyPos(written, k) ?? argsPos))
  }
  tolerate(ctx, raw, errors, errors.length ? otherSystemArgs(ctx, name, written, raw, scope) : undefined)
  const task: Task = {
    ...common,
    kind: 'task',
    module: name,
    args,
    argsPos,
    ...fields,
    role: scope.role,
    roleDir: scope.roleDir,
    searchPaths: taskSearchPaths(scope.roleDir, scope.file, scope.playDir),
    ...(def.library ? { external: true } : {}),
  }
  return scope.handlers ? asHandlerTask(ctx, raw, pos, task) : task
}

/** A task in `handlers:`: notified by its name or `listen`. */
function asHandlerTask(ctx: LoadContext, raw: Record<string, unknown>, pos: SourcePos, task: Task): Task {
  const listen = [...(task.name ? [task.name] : []), ...readStringList(ctx, raw, 'listen', pos)]
  // Ansible loads it, and nothing can notify it: likely a mistake, not certainly one
  if (!listen.length)
    ctx.warnings.push(new UserError('a handler without a "name" (or "listen") can never be notified', pos))
  task.listen = listen
  return task
}

type TaskFields = Omit<
  Task,
  keyof Common | 'kind' | 'module' | 'args' | 'argsPos' | 'searchPaths' | 'role' | 'roleDir' | 'listen'
>

const POLL0 = '(give this task a poll interval, or run it through shell)'

function readTaskFields(ctx: LoadContext, raw: Record<string, unknown>, pos: SourcePos): TaskFields {
  const conds = (k: string) => {
    const c = readConditions(ctx, raw, k, pos)
    if (c) checkConditions(ctx, raw, k, c, pos)
    return c
  }
  const loop = readLoop(ctx, raw, pos)
  const register = readRegister(ctx, raw, pos)
  const retries = readIntOrTemplate(ctx, raw, 'retries', pos)
  const delay = readNumberOrTemplate(ctx, raw, 'delay', pos)
  const until = conds('until')
  // Ansible 2.14 runs such a task once and says nothing; a warning, since the author likely meant an "until".
  if ((retries !== undefined || delay !== undefined) && !until) {
    const where = keyPos(raw, retries !== undefined ? 'retries' : 'delay') ?? pos
    ctx.warnings.push(new UserError('"retries"/"delay" without an "until" condition: the task runs once', where))
  }
  return {
    ...loop,
    register,
    notify: readStringList(ctx, raw, 'notify', pos),
    changedWhen: conds('changed_when'),
    failedWhen: conds('failed_when'),
    runOnce: readBoolOrTemplate(ctx, raw, 'run_once', pos),
    anyErrorsFatal: readAnyErrorsFatal(ctx, raw, pos),
    delegateTo: readString(ctx, raw, 'delegate_to', pos),
    delegateFacts: readBoolOrTemplate(ctx, raw, 'delegate_facts', pos),
    async: readIntOrTemplate(ctx, raw, 'async', pos), // 0: not async, as in Ansible
    poll: readIntOrTemplate(ctx, raw, 'poll', pos),
    timeout: readIntOrTemplate(ctx, raw, 'timeout', pos, 1),
    throttle: readIntOrTemplate(ctx, raw, 'throttle', pos),
    ignoreUnreachable: readBoolOrTemplate(ctx, raw, 'ignore_unreachable', pos),
    until,
    retries,
    delay,
  }
}

type LoopFields = Pick<
  Task,
  'loop' | 'loopWith' | 'loopVar' | 'loopLabel' | 'loopIndexVar' | 'loopExtended' | 'loopPause'
>

/**
 * `register`: a variable name (reported otherwise). A false value (`false`, `off`/`no` as the loader reads YAML 1.1's
 * booleans, `0`, an empty string) registers nothing, as Ansible's; a true one (`true`, `yes`, `on`) is refused as
 * Ansible refuses it (the name `True`). Quoted, `"off"` is the name `off`, as in Ansible.
 *
 * @example
 * ```yaml
 * register: off   # nothing is registered
 * ```
 */
export function readRegister(ctx: LoadContext, raw: Record<string, unknown>, pos: SourcePos): string | undefined {
  const v = raw.register
  if (v === false || v === 0 || v === '') return undefined
  if (v === true) {
    report(ctx, "Invalid variable name in 'register' specified: 'True'", at(raw, 'register', pos))
    return undefined
  }
  const register = readString(ctx, raw, 'register', pos)
  if (register !== undefined && !IDENT.test(register))
    report(
      ctx,
      `"register" must be a variable name (letters, digits, _), found "${register}"`,
      at(raw, 'register', pos),
    )
  return register
}

/** `with_NAME` where NAME is a lookup plugin file's (run by Python), not one of tsplay's lookups. */
const pluginLoop = (ctx: LoadContext, k: string): boolean =>
  k.startsWith('with_') &&
  (!!pluginFile(ctx, 'lookup', k.slice(5)) || (collectionLoop(k) && collectionLookupUsed(ctx, k.slice(5))))

/** `with_NS.COLLECTION.NAME`: a loop with a collection's lookup. */
const collectionLoop = (k: string): boolean => /^with_[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*\.[a-z_][\w.]*$/i.test(k)

/** `loop:` or one `with_<lookup>:` (a lookup plugin's or a collection's too), and `loop_control`. */
export function readLoop(ctx: LoadContext, raw: Record<string, unknown>, pos: SourcePos): LoopFields {
  const loopKeys = Object.keys(raw).filter((k) => LOOP_KEYS.includes(k) || pluginLoop(ctx, k) || collectionLoop(k))
  if (loopKeys.length > 1)
    report(ctx, `use one of ${loopKeys.join(', ')}, not several`, keyPos(raw, loopKeys[1]) ?? pos)
  const loopKey = loopKeys[0]
  const out: LoopFields = { loopVar: 'item' }
  if (loopKey) {
    out.loop = raw[loopKey]
    if (loopKey !== 'loop') out.loopWith = loopKey.slice(5)
    else if (!Array.isArray(out.loop) && typeof out.loop !== 'string') {
      report(ctx, `"loop" must be a list or a template string, found ${describeValue(out.loop)}`, at(raw, loopKey, pos))
      out.loop = undefined
    }
  }
  const lc = readMap(ctx, raw, 'loop_control', pos)
  if (lc) {
    const lcPos = posOf(lc) ?? pos
    checkKeys(ctx, lc, LOOP_CONTROL_KEYWORDS, 'loop_control', lcPos, (k) => didYouMean(k, LOOP_CONTROL_KEYWORDS))
    for (const k of ['loop_var', 'index_var']) {
      const v = readString(ctx, lc, k, lcPos)
      // a templated loop_var is rendered with the task's variables when it runs (engine/run/task.ts)
      const templated = k === 'loop_var' && v?.includes('{{')
      if (v !== undefined && !IDENT.test(v) && !templated)
        report(ctx, `${k} must be a variable name, found "${v}"`, at(lc, k, lcPos))
      else if (v && k === 'loop_var') out.loopVar = v
      else if (v) out.loopIndexVar = v
    }
    out.loopLabel = readString(ctx, lc, 'label', lcPos)
    out.loopExtended = readBool(ctx, lc, 'extended', lcPos)
    out.loopPause = readNumberOrTemplate(ctx, lc, 'pause', lcPos)
    // Ansible ignores it (roles ship it on tasks an included, looped file holds): a likely slip, not an error
    if (!loopKey)
      ctx.warnings.push(
        new UserError('"loop_control" without a "loop" has no effect', keyPos(raw, 'loop_control') ?? pos),
      )
  }
  return out
}

/** A number ≥ 0 (decimals allowed), or a template rendered at run time. */
function readNumberOrTemplate(
  ctx: LoadContext,
  raw: Record<string, unknown>,
  key: string,
  pos: SourcePos,
): number | string | undefined {
  const v = raw[key]
  if (v === undefined || v === null) return undefined
  if (typeof v === 'string' && v.includes('{{')) return v
  const n = typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v
  if (typeof n === 'number' && Number.isFinite(n) && n >= 0) return n
  report(ctx, `"${key}" must be a number of seconds ≥ 0, found ${describeValue(v)}`, at(raw, key, pos))
  return undefined
}

/**
 * Run a check of the task's own strings: what it finds fails the task when it runs. An unknown lookup, filter or
 * test there is a warning when the task may not run (the task fails if it runs, as in Ansible's); the rest is kept
 * unless the task is written to fail (`tolerate`).
 */
function checkedHere(ctx: LoadContext, raw: Record<string, unknown>, scope: TaskScope, check: () => void): void {
  const before = ctx.errors.length
  check()
  const found = ctx.errors.splice(before)
  const plugins = found.filter((e) => e instanceof PluginRefusal)
  tolerate(ctx, raw, plugins, whyMayNotRun(ctx, raw, scope))
  tolerate(
    ctx,
    raw,
    found.filter((e) => !plugins.includes(e)),
  )
}
