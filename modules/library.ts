/**
 * Library modules: a program in a `library/` folder (next to the playbook, in a role, or on `ANSIBLE_LIBRARY`) that
 * a task names like a module, as Ansible's custom modules. tsplay sends the program and an arguments file to a
 * 0700 temp folder on the host (over stdin, never argv; removed afterwards), runs it as Ansible would for its style
 * (AnsibleModule Python with the host's Python, `WANT_JSON`, old-style `key=value`, binary), and reads its JSON
 * answer: `changed`, `failed` (or a non-zero `rc`), `skipped`, `msg`, `ansible_facts`.
 * The arguments are not checked before the run: the module checks them.
 *
 * In check mode only a Python module using Ansible's AnsibleModule runs (with `_ansible_check_mode`, as Ansible):
 * it refuses itself when it does not support check mode. Other styles cannot tell tsplay whether they honour check
 * mode, so they are skipped rather than risk a change (Ansible runs them).
 *
 * @example
 * ```yaml
 * # library/hello.sh holds an old-style module
 * - hello: { name: world }
 *   register: r
 * ```
 */
import { readFile } from 'node:fs/promises'
import { sh } from '../engine/commands.js'
import { toBool } from '../engine/expr/values.js'
import {
  defineModule,
  ModuleFailure,
  type AfterResult,
  type HostIO,
  type ModuleContext,
  type ModuleDef,
  type Plan,
} from '../engine/module.js'
import type { Command, CommandResult, Vars } from '../engine/types.js'
import { AnyArgs } from './lib/anyargs.js'
import { controllerPython, hasAnsible } from '../engine/expr/pyplugins.js'
import { ansiballz } from './lib/ansiballz.js'
import { argsText, classify, interpreter, jsonPart, type LibraryModule } from './lib/libmodule.js'
import { ALL_CODES, lines } from './lib/run.js'

/** Any arguments: the module itself checks them. */
const Args = AnyArgs

/**
 * Receives on stdin one base64 line (the arguments file; empty for an AnsiballZ program, which holds them) and then
 * the module, into a 0700 temp folder removed on
 * exit; runs `$1` (the module's file name) with the words after it (none: directly; one empty word: the host's
 * Python, its path printed first as `DISCOVERED <path>`), the arguments file last. Exit 125: the temp folder could
 * not be made.
 */
const RUN = [
  'd=$(mktemp -d "${TMPDIR:-/tmp}/tsplay-module.XXXXXXXXXX") || exit 125',
  'trap \'rm -rf -- "$d"\' EXIT',
  "trap 'exit 143' HUP INT TERM",
  'IFS= read -r a || exit 125',
  'printf %s "$a" | base64 -d > "$d/args" || exit 125',
  'cat > "$d/$1" && chmod 0700 "$d/$1" || exit 125',
  'm=$d/$1; shift',
  'run() { if [ -s "$d/args" ]; then "$@" "$d/args"; else "$@"; fi; }',
  'if [ "$#" -eq 0 ]; then run "$m"; exit; fi',
  'if [ -n "$1" ]; then run "$@" "$m"; exit; fi',
  'p=$(command -v python3 || command -v python) || {',
  '  echo \'{"failed": true, "msg": "no Python on the host (python3 or python)"}\'; exit 1; }',
  'printf \'%s %s\\n\' DISCOVERED "$p"',
  'run "$p" "$m"',
].join('\n')

/** What gather read: the module, and in check mode its answer. */
export interface LibraryState {
  module: LibraryModule
  command: Command
  /** The command finds the host's Python (and prints it first). */
  discovers: boolean
  checked?: AfterResult
}

/** The internal arguments Ansible adds to every module call. */
function internal(name: string, ctx: ModuleContext): Vars {
  return {
    _ansible_check_mode: ctx.checkMode,
    _ansible_no_log: false,
    _ansible_debug: false,
    _ansible_diff: ctx.diffMode,
    _ansible_verbosity: 0,
    _ansible_module_name: name,
  }
}

/**
 * The one command that sends and runs the module. The host's Python is found on the host (interpreter discovery)
 * unless an earlier module run found it (the host fact `discovered_interpreter_python`).
 */
export function moduleCommand(name: string, m: LibraryModule, args: Vars, vars: Vars): Command {
  const line = m.zipped ? '' : Buffer.from(argsText(m.style, args)).toString('base64')
  const stdin = Buffer.concat([Buffer.from(`${line}\n`), m.body])
  const file = name.replace(/[^\w.-]/g, '_')
  let words = interpreter(m, vars)
  const known = discoveredPython(vars)
  if (words.length === 1 && words[0] === '' && known) words = [known]
  return { ...sh(RUN, [file, ...words]), stdin, secretStdin: true, okCodes: ALL_CODES, describe: name }
}

/** The host fact an earlier discovery set, if any. */
function discoveredPython(vars: Vars): string | undefined {
  const facts = vars.ansible_facts
  const v = typeof facts === 'object' && facts !== null ? (facts as Vars).discovered_interpreter_python : undefined
  return typeof v === 'string' && v !== '' ? v : undefined
}

const DISCOVERED = /^DISCOVERED (.*)\n/

/**
 * The module's answer read as Ansible reads it, with the Python the run discovered (if it did) added to its
 * `ansible_facts` as `discovered_interpreter_python`, as Ansible's. Pure.
 */
export function readResult(r: CommandResult, discovers: boolean, log: (line: string) => void = () => {}): AfterResult {
  const found = discovers ? DISCOVERED.exec(r.stdout) : null
  if (!found) return readAnswer(r, log)
  const out = readAnswer({ ...r, stdout: r.stdout.slice(found[0].length) }, log)
  const data = out.data ?? {}
  const facts = data.ansible_facts
  const merged = {
    ...(typeof facts === 'object' && facts !== null ? facts : {}),
    discovered_interpreter_python: found[1],
  }
  return { ...out, data: { ...data, ansible_facts: merged }, moduleFacts: { ...out.moduleFacts, ...merged } }
}

/** The module's answer read as Ansible reads it (a failure when it is not a JSON object). Pure. */
export function readAnswer(r: CommandResult, log: (line: string) => void = () => {}): AfterResult {
  const part = jsonPart(r.stdout)
  let data: Record<string, unknown> | undefined
  try {
    const v: unknown = part ? JSON.parse(part.json) : undefined
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) data = v as Record<string, unknown>
  } catch {
    data = undefined
  }
  if (!data) {
    const noAnsible = /No module named '?ansible/.test(r.stderr)
    const msg = noAnsible
      ? "MODULE FAILURE: the host's Python cannot import Ansible's module_utils (install ansible-core on the host)"
      : 'MODULE FAILURE\nSee stdout/stderr for the exact error'
    const fail = { failed: true, msg, module_stdout: r.stdout, module_stderr: r.stderr, rc: r.rc }
    return { data: fail, fail: msg, msg, changed: false }
  }
  if (part?.junk) log('[WARNING]: Module invocation had junk after the JSON data')
  if ('results' in data) {
    data.ansible_module_results = data.results
    delete data.results
  }
  return readData(data, log)
}

/**
 * A module's or action plugin's answer (a JSON object) read as Ansible reads it: internal keys dropped, output lines
 * split, warnings shown, `failed` (or a non-zero `rc`), `skipped`, `msg` and `ansible_facts` taken. Pure.
 */
export function readData(data: Record<string, unknown>, log: (line: string) => void = () => {}): AfterResult {
  for (const k of Object.keys(data)) if (k.startsWith('_ansible_')) delete data[k]
  for (const k of ['stdout', 'stderr'] as const)
    if (k in data && !(`${k}_lines` in data)) data[`${k}_lines`] = lines(typeof data[k] === 'string' ? data[k] : '')
  for (const w of Array.isArray(data.warnings) ? data.warnings : []) log(`[WARNING]: ${String(w)}`)
  const failed = 'failed' in data ? toBool(data.failed) : 'rc' in data && data.rc !== 0 && data.rc !== '0'
  // a message that is not text (yum's action plugin answers with a list) is shown as its JSON, as Ansible shows it
  const msg = typeof data.msg === 'string' ? data.msg : data.msg == null ? undefined : JSON.stringify(data.msg)
  const facts = data.ansible_facts
  const out: AfterResult = { data, changed: toBool(data.changed), msg }
  if (typeof facts === 'object' && facts !== null && !Array.isArray(facts)) out.moduleFacts = facts as Vars
  if (failed) out.fail = msg ?? 'the module failed'
  else if (toBool(data.skipped)) out.skip = msg ?? 'skipped by the module'
  return out
}

/** Plan: run the module; in check mode, the answer gather read (or a skip for a module that cannot tell). */
export function planLibrary(s: LibraryState, ctx: Pick<ModuleContext, 'checkMode'>): Plan {
  if (!ctx.checkMode) return { commands: [s.command], changes: [`run library module ${s.command.describe}`] }
  if (!s.checked) return { commands: [], skip: 'check mode: tsplay runs only AnsibleModule library modules in it' }
  return answeredPlan(s.checked)
}

/** The plan of a module that already answered (it ran in gather, in check mode): nothing left to run. Pure. */
export function answeredPlan(a: AfterResult): Plan {
  const { changed = false, data, msg, fail, skip, moduleFacts } = a
  return { commands: [], changed, data, msg, fail, skip, moduleFacts }
}

/**
 * The module definition of the library module `name` read from `file` (on the controller); `utils`: the
 * `module_utils/` folders its imports may come from (a role's, the playbook's, the configured ones); `playbookDir`:
 * for a collection's module, the playbook's folder (engine/load/collections.ts).
 */
export function libraryModule(name: string, file: string, utils: string[] = [], playbookDir?: string): ModuleDef {
  return defineModule({
    name,
    summary: `Library module ${file}`,
    schema: Args,
    changedWhen: 'as the module answers',
    check: 'partial',
    example: `${name}: {}`,
    library: file,
    async gather(args: Vars, ctx: ModuleContext, io: HostIO): Promise<LibraryState> {
      const all = { ...args, ...internal(name, ctx) }
      let module = classify(await readFile(file), all, file)
      if (module.windows) throw new ModuleFailure(`${file} is a Windows (PowerShell) module: tsplay cannot run it`)
      // as Ansible sends it: with the module_utils it imports, so the host needs no ansible-core
      if (module.python && hasAnsible(controllerPython()))
        module = {
          ...module,
          zipped: true,
          body: await ansiballz({
            name,
            path: file,
            args: all,
            dirs: utils,
            playbook_dirs: playbookDir ? [playbookDir] : undefined,
          }),
        }
      const command = moduleCommand(name, module, all, ctx.vars)
      const discovers = command.argv.at(-1) === ''
      if (!ctx.checkMode || !module.python) return { module, command, discovers }
      return { module, command, discovers, checked: readResult(await io.run(command), discovers, ctx.log) }
    },
    plan: (state, _args, ctx) => planLibrary(state, ctx),
    after: (state, _args, results, ctx) => (results[0] ? readResult(results[0], state.discovers, ctx.log) : {}),
  })
}
