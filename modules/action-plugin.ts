/**
 * Ansible action plugins: a Python file in an `action_plugins/` folder (beside the playbook, in a role, or on
 * `ANSIBLE_ACTION_PLUGINS`) that a task names like a module. Ansible runs it on the controller; so does tsplay, with
 * ansible-core's own `ActionBase` (modules/lib/actionplugin.ts), and does on the host what the plugin asks: the
 * modules it runs (`_execute_module`: tsplay's own modules, a library module — the plugin's namesake in a `library/`
 * folder too — in check mode as the task's), its commands and file copies, all as the task's user. The arguments are
 * not checked before the run: the plugin checks them. In check mode the plugin runs too, told so, as in Ansible.
 *
 * @example
 * ```yaml
 * # action_plugins/hello.py holds class ActionModule(ActionBase)
 * - hello: { who: world }
 *   register: r
 * ```
 */
import { writeFile } from '../engine/commands.js'
import {
  defineModule,
  ModuleFailure,
  type AfterResult,
  type HostIO,
  type ModuleContext,
  type ModuleDef,
  type Plan,
} from '../engine/module.js'
import type { Vars } from '../engine/types.js'
import { AnyArgs } from './lib/anyargs.js'
import { runActionPlugin, type ActionHost } from './lib/actionplugin.js'
import { ALL_CODES } from './lib/run.js'
import { answeredPlan, readData } from './library.js'
import { slurpCommand, slurpResult } from './slurp.js'

/** What gather read: in check mode, the plugin's answer (it ran then). */
interface ActionState {
  checked?: AfterResult
}

/** What the plugin asks of the host, done through `io` as the task's user. */
function hostFor(name: string, own: ModuleDef | undefined, ctx: ModuleContext, io: HostIO): ActionHost {
  return {
    async module(module, args) {
      if (!ctx.callModule) throw new ModuleFailure(`${name}: modules cannot be run from here`)
      const bare = module.replace(/^ansible\.legacy\./, '')
      return ctx.callModule(own && bare === name ? own : module, args)
    },
    command: (cmd, { stdin, executable, chdir }) =>
      io.run({
        argv: [executable || '/bin/sh', '-c', cmd],
        cwd: chdir,
        stdin,
        secretStdin: stdin !== undefined,
        okCodes: ALL_CODES,
        describe: `${name}: a command of the action plugin`,
      }),
    async put(path, data) {
      const r = await io.run(writeFile(path, data, { secret: true, describe: `${name}: write ${path}` }))
      if (r.rc !== 0) throw new ModuleFailure(`${name}: could not write ${path}: ${r.stderr.trim()}`)
    },
    async fetch(path) {
      return Buffer.from(String(slurpResult(path, await io.run(slurpCommand(path))).content), 'base64')
    },
    log: ctx.log,
    signal: ctx.signal,
  }
}

/** Where a collection's action plugin is imported from: its Python module name, and the playbook's folder. */
export interface CollectionPlugin {
  module: string
  playbookDir: string
}

/** Run the plugin for this task and host; its result read as Ansible reads it. */
async function run(
  name: string,
  file: string,
  own: ModuleDef | undefined,
  args: Vars,
  ctx: ModuleContext,
  io: HostIO,
  collection?: CollectionPlugin,
) {
  // Ansible's `vars` view: templated variables as their text (the plugin's Templar renders what it reads), so a
  // variable that cannot be rendered here fails only a plugin that reads it, as in Ansible
  const raw = ((ctx.vars as { vars?: Vars }).vars ?? ctx.vars) as Vars
  const search = [...ctx.searchPaths]
  const job = {
    file,
    name,
    args,
    vars: raw,
    check: ctx.checkMode,
    diff: ctx.diffMode,
    search,
    basedir: search.at(-1) ?? process.cwd(),
    host: typeof ctx.vars.ansible_host === 'string' ? ctx.vars.ansible_host : ctx.host,
    remote_user: typeof ctx.vars.ansible_user === 'string' ? ctx.vars.ansible_user : undefined,
    ...(collection && { module: collection.module, playbook_dirs: [collection.playbookDir] }),
  }
  return readData(await runActionPlugin(job, hostFor(name, own, ctx, io)), ctx.log)
}

/** The plugin's answer as a plan (check mode: it ran in gather); else a plan whose `apply` runs it. */
function planAction(name: string, s: ActionState, ctx: ModuleContext): Plan {
  if (!ctx.checkMode) return { commands: [], changes: [`run action plugin ${name}`] }
  return answeredPlan(s.checked ?? {})
}

/**
 * The module definition of action plugin `name` (the Python file `file` on the controller); `own`: the library
 * module of the same name, which the plugin's `_execute_module` of its own name runs, as in Ansible; `collection`:
 * a collection's plugin, imported by its module name (`file` is then the module's, for messages).
 */
export function actionPluginModule(
  name: string,
  file: string,
  own?: ModuleDef,
  collection?: CollectionPlugin,
): ModuleDef {
  return defineModule({
    name,
    summary: `Action plugin ${file}`,
    schema: AnyArgs,
    changedWhen: 'as the plugin answers',
    check: 'partial',
    example: `${name}: {}`,
    library: file,
    async gather(args: Vars, ctx: ModuleContext, io: HostIO): Promise<ActionState> {
      return ctx.checkMode ? { checked: await run(name, file, own, args, ctx, io, collection) } : {}
    },
    plan: (state, _args, ctx) => planAction(name, state, ctx),
    apply: (_plan, args, ctx, io) => run(name, file, own, args, ctx, io, collection),
  })
}
