/**
 * A module run from inside another module's run (an Ansible action plugin's `_execute_module`): on the same host,
 * as the same user, in the same check mode as the task, with the arguments as Ansible's module receives them read
 * into tsplay's (`_raw_params` is the free-form text, `_uses_shell` makes `command` a `shell`, a `copy` `src` is on
 * the host as in Ansible's module, internal `_…` keys go). What it returns is what a task would register.
 *
 * @example
 * ```ts
 * const call = moduleCaller(rc, task.argsPos, () => ctx, () => io)
 * await call('ansible.legacy.command', { _raw_params: 'id -u' }) // { rc: 0, stdout: '0', changed: true, … }
 * ```
 */
import { HostError, UserError } from '../errors.js'
import { newLoadContext } from '../load/context.js'
import { collectionModule } from '../load/collections.js'
import { collectionModuleDef } from '../load/library.js'
import { ModuleFailure, type HostIO, type ModuleContext, type ModuleDef } from '../module.js'
import type { SourcePos } from '../types.js'
import type { RunContext } from './context.js'
import { moduleArgs, resultData, runModule } from './module-call.js'

const spellingsOf = new WeakMap<RunContext, Map<string, string>>()

/** The canonical name tsplay knows module `name` by (`ansible.builtin.command` → `command`). */
function canonical(rc: RunContext, name: string): string {
  let s = spellingsOf.get(rc)
  if (!s) spellingsOf.set(rc, (s = newLoadContext(rc.modules, rc.playbook.dir).spellings))
  return s.get(name) ?? name
}

/**
 * The module's full definition, loading its code on first use (the table's entry is replaced by it): a promise only
 * then, the definition itself once it is loaded (asked on every task of every host).
 */
export function moduleCode(rc: RunContext, name: string): ModuleDef | undefined | Promise<ModuleDef | undefined> {
  const def = rc.modules.get(name)
  if (!def?.load) return def
  return def.load().then((code) => {
    rc.modules.set(name, code)
    return code
  })
}

/** Ansible's module-level arguments → tsplay's for `def` (a library module gets them as they are). */
function readArgs(def: ModuleDef, args: Record<string, unknown>): Record<string, unknown> {
  if (def.library) return args
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(args)) if (!k.startsWith('_')) out[k] = v
  if (args._raw_params !== undefined && def.freeForm) out[def.freeForm] = args._raw_params
  if (def.name === 'copy' && out.src !== undefined) out.remote_src = true
  return out
}

/** A module of an installed collection an action plugin asks for by its full name (engine/load/collections.ts). */
function inCollection(rc: RunContext, name: string): ModuleDef | undefined {
  const found = name.split('.').length > 2 ? collectionModule(rc.playbook.dir, name) : undefined
  if (!found || found.error !== undefined) return undefined
  const def = collectionModuleDef(found)
  rc.modules.set(name, def)
  return def
}

const failure = (msg: string) => ({ failed: true, changed: false, msg })

/**
 * Ansible's `command`/`shell` module in check mode, when it would run: it runs nothing and says so, skipped unless
 * `creates`/`removes` was given (tsplay's task predicts changed instead: see the README's differences).
 */
function wouldRun(args: Record<string, unknown>): Record<string, unknown> {
  const guarded = args.creates !== undefined || args.removes !== undefined
  const none = { cmd: null, start: null, end: null, delta: null, stdout_lines: [], stderr_lines: [] }
  const msg = 'Command would have run if not in check mode'
  return {
    ...none,
    changed: guarded,
    failed: false,
    rc: 0,
    stdout: '',
    stderr: '',
    msg,
    ...(!guarded && { skipped: true }),
  }
}

/** `ModuleContext.callModule` for a task whose context and connection are `ctx()` and `io()`. */
export function moduleCaller(
  rc: RunContext,
  pos: SourcePos,
  ctx: () => ModuleContext,
  io: () => HostIO,
): NonNullable<ModuleContext['callModule']> {
  return async (module, written) => {
    let name = typeof module === 'string' ? canonical(rc, module) : module.name
    if (name === 'command' && written._uses_shell) name = 'shell'
    const def =
      typeof module === 'string' || name !== module.name
        ? ((await moduleCode(rc, name)) ?? inCollection(rc, name))
        : module
    if (!def || def.absent) return failure(`The module ${String(name)} was not found in tsplay's modules`)
    try {
      const args = moduleArgs(def, readArgs(def, written) as never, pos)
      rc.secrets.addFromArgs(def.schema, args as Record<string, unknown>)
      const run = await runModule(def, args, ctx(), io())
      const shell = def.name === 'command' || def.name === 'shell'
      if (shell && ctx().checkMode && run.changed && !run.failed) return wouldRun(args as Record<string, unknown>)
      const out = resultData(run, ctx().checkMode)
      return run.plan.moduleFacts ? { ...out, ansible_facts: run.plan.moduleFacts } : out
    } catch (e) {
      if (e instanceof ModuleFailure) return failure(e.message)
      if (e instanceof UserError) return failure(e.format())
      if (e instanceof HostError && (e.kind === 'sudo' || e.kind === 'timeout')) return failure(e.message)
      throw e
    }
  }
}
