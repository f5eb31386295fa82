/**
 * make: run make targets in a folder. `make -q` decides whether anything is out of date (rc 0: up to date,
 * 1: needs a run, 2: make cannot tell, so it runs and reports); `creates` skips the run when a file exists.
 * Builds stream their output to the live view and `-v` log and have no default timeout (use `async` for
 * builds that take hours).
 *
 * @example
 * ```yaml
 * - make: { chdir: /usr/local/src/nix, target: install, jobs: 4, params: { PREFIX: /usr/local } }
 * ```
 */
import { Type } from '@sinclair/typebox'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { defineModule, ModuleFailure } from '../engine/module.js'
import { sh } from '../engine/commands.js'
import type { Command } from '../engine/types.js'
import { badArg, lastLines } from './lib/argvalues.js'

const Args = Type.Object(
  {
    chdir: Type.String({ minLength: 1, description: 'Folder to run make in' }),
    target: Type.Optional(Type.String({ minLength: 1, description: "One target (default: the makefile's first)" })),
    targets: Defaulted(
      Type.Array(Type.String({ minLength: 1 }), { description: 'Several targets, in order', default: [] }),
    ),
    params: Defaulted(
      Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()]), {
        description: 'Variables passed as `NAME=VALUE` arguments',
        default: {},
      }),
    ),
    jobs: Type.Optional(Type.Integer({ minimum: 1, description: "Parallel jobs (`-j N`; default: make's own)" })),
    file: Type.Optional(Type.String({ minLength: 1, description: 'Makefile to use (`-f FILE`, relative to chdir)' })),
    creates: Type.Optional(Type.String({ minLength: 1, description: 'Skip the run when this path exists' })),
  },
  { additionalProperties: false },
)
/** The arguments as the module receives them (defaults filled in). */
type Args = ModuleArgs<typeof Args>

/** What gather found. */
export interface MakeState {
  /** `creates` exists. */
  created: boolean
  /** `make -q` exit code; 97 when chdir does not exist, 127 when make is missing. */
  questionRc: number
  questionOut: string
}

const VAR_RE = /^[A-Za-z_][A-Za-z0-9_.]*$/

/** make's arguments (targets and variables) after the options. */
function makeArgs(args: Args): string[] {
  const targets = [...(args.target ? [args.target] : []), ...args.targets]
  const bad = targets.filter(badArg)
  if (bad.length) throw new ModuleFailure(`not a make target: ${bad.map((t) => JSON.stringify(t)).join(', ')}`)
  const params = Object.entries(args.params).map(([k, v]) => {
    if (!VAR_RE.test(k)) throw new ModuleFailure(`not a make variable name: ${JSON.stringify(k)}`)
    return `${k}=${String(v)}`
  })
  return [...(args.file ? ['-f', args.file] : []), ...params, ...targets]
}

const QUESTION =
  'test -e "$1" && { echo created; exit 0; }; shift; cd -- "$1" 2>/dev/null || exit 97; shift; command -v ' +
  'make >/dev/null || exit 127; exec make -q "$@"'

export default defineModule({
  name: 'make',
  summary: 'Run make targets (skipped when `make -q` says they are up to date)',
  schema: Args,
  changedWhen: 'make ran: `make -q` found something out of date (or could not tell), and `creates` does not exist',
  check: 'full',
  example: '- make: { chdir: /usr/local/src/app, target: all, jobs: 2 }',

  async gather(args, _ctx, io): Promise<MakeState> {
    const res = await io.run(
      sh(QUESTION, [args.creates ?? '', args.chdir, ...makeArgs(args)], {
        okCodes: [0, 1, 2, 97, 127],
        describe: 'make -q',
      }),
    )
    if (res.stdout.trim() === 'created') return { created: true, questionRc: 0, questionOut: '' }
    return { created: false, questionRc: res.rc, questionOut: (res.stdout + res.stderr).trim() }
  },

  plan(state, args, ctx) {
    if (state.created) return { commands: [], msg: `${args.creates} exists` }
    if (state.questionRc === 0) return { commands: [], msg: 'up to date' }
    if (state.questionRc === 97 && !ctx.checkMode) return { commands: [], fail: `${args.chdir} does not exist (chdir)` }
    if (state.questionRc === 127 && !ctx.checkMode)
      return { commands: [], fail: 'make is not installed on the host (apt: { name: make })' }
    const argv = ['make', ...(args.jobs ? ['-j', String(args.jobs)] : []), ...makeArgs(args)]
    const cmd: Command = { argv, cwd: args.chdir, stream: true, describe: argv.join(' ') }
    const why =
      state.questionRc === 1 ? 'out of date' : state.questionRc === 2 ? 'make -q could not tell' : 'not there yet'
    return { commands: [cmd], changes: [`run ${argv.join(' ')} in ${args.chdir} (${why})`] }
  },

  after(_state, _raw, results) {
    const r = results[results.length - 1]
    if (!r) return {}
    const data = { rc: r.rc, stdout: r.stdout, stderr: r.stderr }
    if (r.rc !== 0) return { data, fail: `make failed with exit code ${r.rc}:\n${lastLines(r.stderr || r.stdout, 20)}` }
    return { data }
  },
})
