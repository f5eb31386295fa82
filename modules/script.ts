/**
 * `script`: copy a script from the controller to the host and run it there, as Ansible's `script`. The script
 * is looked up like `copy`'s `src` (role `files/`, then the playbook's folder), sent over stdin into a 0700 temp
 * file that is removed afterwards, and run directly (its `#!` line decides) or as `EXECUTABLE SCRIPT ARGS`.
 * The free-form words after the script's name are its arguments, split as `command` splits (quotes respected,
 * no shell expansion). `chdir` works as in `command`; `creates`/`removes` skip the task (as Ansible's `script`
 * does). Always changed when it runs; skipped in check mode unless `creates`/`removes` can tell.
 *
 * @example
 * ```yaml
 * - script: bootstrap.sh --fast "two words"
 *   args: { creates: /etc/bootstrapped }
 * - script: { cmd: check.py, executable: python3 }
 * ```
 */
import { readFile } from 'node:fs/promises'
import { Type, type Static } from '@sinclair/typebox'
import { argRules } from '../engine/argrules.js'
import { sh } from '../engine/commands.js'
import { defineModule, ModuleFailure, type HostIO, type ModuleContext, type Plan } from '../engine/module.js'
import { splitArgs } from '../engine/source/split.js'
import { findSource } from './lib/files.js'
import { gatherRun, planRun, type RunState } from './lib/run.js'
import { afterRaw } from './raw.js'

const Args = Type.Object(
  {
    free_form: Type.Optional(
      Type.String({ description: 'The script (on the controller) and its arguments. The free-form value.' }),
    ),
    cmd: Type.Optional(Type.String({ description: 'The script and its arguments (instead of the free form).' })),
    creates: Type.Optional(
      Type.String({ description: 'A path (glob allowed): when it exists, the script is not run.' }),
    ),
    removes: Type.Optional(
      Type.String({ description: 'A path (glob allowed): when it does not exist, the script is not run.' }),
    ),
    chdir: Type.Optional(Type.String({ description: 'Change into this folder on the host before running.' })),
    executable: Type.Optional(
      Type.String({ description: 'Run the script with this program (`python3`) instead of its `#!` line.' }),
    ),
  },
  { additionalProperties: false, ...argRules({ required_one_of: [['free_form', 'cmd']] }) },
)
type Args = Static<typeof Args>

/** Facts: creates/removes, the script's words and its content (read on the controller). */
export interface ScriptState extends RunState {
  words: string[]
  content: Uint8Array
}

/**
 * Runs the script given on stdin: into a 0700 temp file (removed on exit), then `$1 FILE ARGS…` or `FILE ARGS…`
 * when `$1` is empty. Exit 125: the temp file could not be made.
 */
const RUN = [
  't=$(mktemp "${TMPDIR:-/tmp}/tsplay-script.XXXXXXXXXX") || exit 125',
  'trap \'rm -f -- "$t"\' EXIT',
  "trap 'exit 143' HUP INT TERM",
  'cat > "$t" && chmod 0700 "$t" || exit 125',
  'x=$1; shift',
  'if [ -n "$x" ]; then "$x" "$t" "$@"; else "$t" "$@"; fi',
].join('\n')

/** The script's words: its controller path, then its arguments. Throws ModuleFailure for unclosed quotes. */
export function scriptWords(a: Args): string[] {
  const line = (a.cmd ?? a.free_form ?? '').trim()
  let words: string[]
  try {
    words = splitArgs(line)
  } catch (e) {
    throw new ModuleFailure(`cannot split "${line}": ${(e as Error).message}`)
  }
  if (words.length === 0) throw new ModuleFailure('script needs the path of a script')
  return words
}

async function gather(a: Args, ctx: ModuleContext, io: HostIO): Promise<ScriptState> {
  const words = scriptWords(a)
  const file = await findSource(words[0], ctx.searchPaths, 'files')
  return { ...(await gatherRun(io, a)), words, content: await readFile(file) }
}

/**
 * Plan: skipped as `creates`/`removes` say (Ansible skips, unlike `command`'s ok), and in check mode without
 * them; else one command that receives and runs the script. Pure.
 */
export function planScript(f: ScriptState, a: Args, checkMode = false): Plan {
  if (f.createsExists) return { commands: [], skip: `${a.creates} exists, matching creates option` }
  if (a.removes !== undefined && !f.removesExists)
    return { commands: [], skip: `${a.removes} does not exist, matching removes option` }
  if (checkMode && a.creates === undefined && a.removes === undefined)
    return { commands: [], skip: 'Check mode is not supported for this task.' }
  const [script, ...rest] = f.words
  const argv = sh(RUN, [a.executable ?? '', ...rest]).argv
  const p = planRun(f, argv, { creates: a.creates, removes: a.removes, chdir: a.chdir }, f.words.join(' '))
  for (const c of p.commands) c.stdin = f.content
  if (p.commands.length) p.changes = [`run script ${script}${rest.length ? ` ${rest.join(' ')}` : ''}`]
  return p
}

export default defineModule({
  name: 'script',
  summary: 'Copy a script from the controller to the host and run it',
  schema: Args,
  freeForm: 'free_form',
  changedWhen: 'always when it runs; never when creates/removes say it is done (use changed_when)',
  check: 'partial',
  example: 'script: bootstrap.sh --fast',
  gather: (args: Args, ctx, io) => gather(args, ctx, io),
  plan: (facts, args, ctx) => planScript(facts, args, ctx.checkMode),
  after: (_state, _args, results) => afterRaw(results),
})
