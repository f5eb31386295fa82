/**
 * `command`: run a program on the host with arguments, WITHOUT a shell. A free-form or `cmd` string is split
 * into words with quotes and backslashes only (`engine/source/split.ts`): no globs, no `$VAR`, no pipes or `;`.
 * Always changed when it runs (use `changed_when`); `creates`/`removes` make it idempotent.
 *
 * @example
 * ```yaml
 * - command: nix-channel --update
 * - command:
 *     argv: [createdb, -O, hydra, hydra]
 *     creates: /var/lib/hydra/.db-created
 *   register: out
 * ```
 */
import { Type } from '@sinclair/typebox'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { argRules } from '../engine/argrules.js'
import { defineModule, type AfterResult } from '../engine/module.js'
import type { CommandResult } from '../engine/types.js'
import { splitArgs, SplitError } from '../engine/source/split.js'
import { afterRun, gatherRun, planRun, type RunState } from './lib/run.js'

/** Arguments shared with `shell`. */
export const runArgs = {
  creates: Type.Optional(
    Type.String({ description: 'A path (glob allowed): when it exists, the command is not run.' }),
  ),
  removes: Type.Optional(
    Type.String({ description: 'A path (glob allowed): when it does not exist, the command is not run.' }),
  ),
  chdir: Type.Optional(
    Type.String({ description: 'Change into this folder before running (and before checking creates/removes).' }),
  ),
  stdin: Type.Optional(Type.String({ description: "Text written to the command's standard input." })),
  stdin_add_newline: Defaulted(Type.Boolean({ default: true, description: 'Add a newline after `stdin`.' })),
  strip_empty_ends: Defaulted(
    Type.Boolean({ default: true, description: 'Strip trailing newlines from stdout/stderr in the result.' }),
  ),
}

const Args = Type.Object(
  {
    cmd: Type.Optional(
      Type.String({
        description: 'The command line, split into words (quotes respected, no shell). The free-form value.',
      }),
    ),
    argv: Type.Optional(
      Type.Array(Type.String(), { description: 'The command as a list: program then arguments, passed exactly.' }),
    ),
    executable: Type.Optional(
      Type.String({
        description:
          'Accepted and ignored, as ansible-core ignores it for `command` since 2.4 (use `shell` with ' +
          '`executable` to pick the shell).',
      }),
    ),
    ...runArgs,
  },
  {
    additionalProperties: false,
    ...argRules({ required_one_of: [['cmd', 'argv']], mutually_exclusive: [['cmd', 'argv']] }),
  },
)
/** The arguments as the module receives them (defaults filled in). */
type Args = ModuleArgs<typeof Args>

/** Ansible's inline `key=value` options in a free-form command (`command: make all creates=/opt/app/built`). */
const INLINE = new Set(['creates', 'removes', 'chdir', 'stdin', 'executable'])

/**
 * The argv to run and the effective arguments (inline `creates=`/`removes=`/`chdir=`/`stdin=` words of the free
 * form taken out, as Ansible does; explicit arguments win), or why there is none. Pure.
 */
export function resolveCommand(args: Args): Resolved {
  let r = resolved.get(args)
  if (!r) resolved.set(args, (r = resolveOnce(args)))
  return r
}

type Resolved = { argv: string[]; args: Args } | { fail: string }

/** `resolveCommand` per arguments object: a task's gather, plan and after each ask for the same arguments. */
const resolved = new WeakMap<Args, Resolved>()

function resolveOnce(args: Args): Resolved {
  if ((args.cmd === undefined) === (args.argv === undefined))
    return { fail: 'give exactly one of cmd (or the free form) and argv' }
  if (args.argv) return args.argv.length ? { argv: args.argv, args } : { fail: 'argv is empty' }
  let words: string[]
  try {
    words = splitArgs(args.cmd ?? '')
  } catch (e) {
    if (e instanceof SplitError) return { fail: `${e.message} at character ${e.offset + 1} of: ${args.cmd}` }
    throw e
  }
  const inline: Record<string, string> = {}
  const argv = words.filter((w) => {
    const m = /^([a-z_]+)=(.*)$/s.exec(w)
    if (!m || !INLINE.has(m[1])) return true
    inline[m[1]] = m[2]
    return false
  })
  return argv.length ? { argv, args: { ...inline, ...args } } : { fail: 'no command given' }
}

/** The argv only (see `resolveCommand`). */
export function commandArgv(args: Args): { argv: string[] } | { fail: string } {
  const r = resolveCommand(args)
  return 'fail' in r ? r : { argv: r.argv }
}

/**
 * A program that is not there, as Ansible's command module reports it: `rc` 2, no output, the OS error as `msg`
 * (the host's shell said "not found" with rc 127). Undefined for any other result.
 *
 * @example
 * ```ts
 * notFound(['nope'], { rc: 127, stdout: '', stderr: 'sh: 1: nope: not found\n' }) // rc 2, "[Errno 2] No such file…"
 * ```
 */
export function notFound(argv: readonly string[], r: CommandResult | undefined): AfterResult | undefined {
  const program = argv[0]
  if (!program || r?.rc !== 127 || r.stdout !== '') return undefined
  const said = r.stderr.trim()
  if (!said.endsWith(`${program}: not found`) && !said.endsWith(`${program}: No such file or directory`))
    return undefined
  const msg = `[Errno 2] No such file or directory: b'${program}'`
  return {
    changed: false,
    data: { cmd: argv, rc: 2, stdout: '', stderr: '', stdout_lines: [], stderr_lines: [], msg },
    fail: msg,
    msg,
  }
}

export default defineModule({
  name: 'command',
  summary: 'Run a program with arguments on the host (no shell)',
  schema: Args,
  freeForm: 'cmd',
  changedWhen: 'always when it runs; never when creates/removes say it is done (use changed_when)',
  check: 'partial',
  example: 'command: { argv: [systemctl, is-active, nginx] }',
  gather(args: Args, _ctx, io): Promise<RunState> {
    const r = resolveCommand(args)
    return gatherRun(io, 'fail' in r ? args : r.args)
  },
  plan(state, args, ctx) {
    const r = resolveCommand(args)
    if ('fail' in r) return { commands: [], fail: r.fail }
    return planRun(state, r.argv, r.args, r.argv, ctx.checkMode ? 'Would' : 'Did')
  },
  after(state, args, results) {
    const r = resolveCommand(args)
    if ('fail' in r) return afterRun(state, args, results, args.cmd)
    return notFound(r.argv, results[0]) ?? afterRun(state, r.args, results, r.argv)
  },
})
