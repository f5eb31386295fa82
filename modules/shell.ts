/**
 * `shell`: run a script under `sh -c` (or `executable`). Variables in the script are shell-quoted by the
 * runner (`shellTemplate`), so a value can never inject shell; write `{{{ x }}}` to insert shell text raw.
 * Always changed when it runs (use `changed_when`); `creates`/`removes` make it idempotent.
 *
 * @example
 * ```yaml
 * - shell: nix-store --verify --check-contents | tail -1 > /var/log/nix-verify
 *   args: { creates: /var/log/nix-verify }
 * ```
 */
import { Type } from '@sinclair/typebox'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { defineModule } from '../engine/module.js'
import { runArgs } from './command.js'
import { splitArgs } from '../engine/source/split.js'
import { afterRun, gatherRun, planRun, type RunState } from './lib/run.js'

const Args = Type.Object(
  {
    cmd: Type.String({
      description:
        'The shell script. `{{ var }}` values are inserted shell-quoted; `{{{ var }}}` inserts raw text. ' +
        'The free-form value.',
      shellTemplate: true,
    }),
    executable: Defaulted(
      Type.String({ default: '/bin/sh', description: 'The shell that runs the script (`EXECUTABLE -c SCRIPT`).' }),
    ),
    ...runArgs,
  },
  { additionalProperties: false },
)
/** The arguments as the module receives them (defaults filled in). */
type Args = ModuleArgs<typeof Args>

/** Ansible's inline options at the end of a free-form script (`shell: ./build.sh >> log chdir=/src creates=out`). */
const INLINE_TAIL = /(?:\s+(?:creates|removes|chdir|executable)=(?:[^\s'"\\]+|'[^']*')+)+\s*$/
const INLINE_WORD = /(creates|removes|chdir|executable)=((?:[^\s'"\\]+|'[^']*')+)/g

/** The effective arguments: trailing inline `key=value` options taken out of the script (explicit ones win). Pure. */
export function resolveShell(args: Args): Args {
  const m = INLINE_TAIL.exec(` ${args.cmd}`)
  if (!m) return args
  const inline: Record<string, string> = {}
  // A value may be single-quoted (a `{{ var }}` rendered for the shell); quotes are removed as the shell would.
  for (const w of m[0].matchAll(INLINE_WORD)) inline[w[1]] = splitArgs(w[2]).join('')
  const cmd = ` ${args.cmd}`.slice(0, m.index).trim()
  return cmd ? { ...inline, ...args, cmd } : args
}

/** `EXECUTABLE -c SCRIPT`: the script is one argv element, never spliced into other shell text. */
export function shellArgv(args: Args): string[] {
  return [args.executable, '-c', args.cmd]
}

export default defineModule({
  name: 'shell',
  summary: 'Run a shell script on the host (values in it are shell-quoted)',
  schema: Args,
  freeForm: 'cmd',
  changedWhen: 'always when it runs; never when creates/removes say it is done (use changed_when)',
  check: 'partial',
  example: 'shell: "df -h / | tail -1"',
  gather: (args: Args, _ctx, io): Promise<RunState> => gatherRun(io, resolveShell(args)),
  plan(state, args, ctx) {
    const a = resolveShell(args)
    return planRun(state, shellArgv(a), a, a.cmd, ctx.checkMode ? 'Would' : 'Did')
  },
  after(state, args, results) {
    const a = resolveShell(args)
    return afterRun(state, a, results, a.cmd)
  },
})
