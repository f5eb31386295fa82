/**
 * expect: run a command in a pseudo-terminal and answer its prompts. Each key of `responses` is a Python regular
 * expression; its value is the answer (or a list: one answer per match, in order). Like Ansible, this needs Python 3
 * with pexpect on the host (Debian: `python3-pexpect`); without it the task fails saying so. The answers may be
 * secrets: they reach the host over the command's stdin, never in its argv, a file or the log.
 *
 * @example
 * ```yaml
 * - expect:
 *     command: passwd alice
 *     responses: { "(?i)new password": "{{ pw }}", "(?i)retype": "{{ pw }}" }
 *   no_log: true
 * ```
 */
import { Type } from '@sinclair/typebox'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { defineModule } from '../engine/module.js'
import type { Command } from '../engine/types.js'
import { gatherRun, lines, planRun, type RunState } from './lib/run.js'

const Answer = Type.Union([Type.String(), Type.Number(), Type.Boolean()])

const Args = Type.Object(
  {
    command: Type.String({ description: 'The command line (split into words by pexpect, no shell)' }),
    responses: Type.Record(Type.String(), Type.Union([Answer, Type.Array(Answer)]), {
      description: 'Prompt regex → answer, or → list of answers given in turn; a newline is added to each',
      secret: true,
    }),
    chdir: Type.Optional(Type.String({ minLength: 1, description: 'Folder to run the command in' })),
    creates: Type.Optional(Type.String({ minLength: 1, description: 'Skip the command when this path exists' })),
    removes: Type.Optional(Type.String({ minLength: 1, description: 'Skip the command unless this path exists' })),
    timeout: Defaulted(
      Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], {
        default: 30,
        description: 'Seconds to wait for each expected prompt (null: forever)',
      }),
    ),
    echo: Defaulted(Type.Boolean({ default: false, description: 'Echo the answers into stdout' })),
  },
  { additionalProperties: false },
)
/** The arguments as the module receives them (defaults filled in). */
type Args = ModuleArgs<typeof Args>

/**
 * Runs on the host: reads {command, responses, timeout, echo, chdir} as JSON from stdin, answers the prompts as
 * `pexpect.run` does and prints one JSON line (stdout, rc, start, end, delta, or error). Exit 3: no pexpect. Unlike
 * `pexpect.run` it waits for the command's exit after its output ends: `pexpect.run` closes the terminal at once and
 * may kill a command that is just exiting (rc None, reported as a timeout). A command whose prompt has no answer left
 * is killed before its terminal closes, so it never goes on reading end-of-file as an empty answer.
 */
const RUNNER = `import datetime, json, sys
try:
    import pexpect
except ImportError:
    sys.exit(3)
spec = json.loads(sys.stdin.read())
keys = [k.encode() for k in spec['responses']]
queues = [v if isinstance(v, list) else None for v in spec['responses'].values()]
fixed = [None if isinstance(v, list) else v for v in spec['responses'].values()]
line = lambda a: b'%s\\n' % a.encode().rstrip(b'\\n')
start = datetime.datetime.now()
out, got, error, rc = {}, [], None, None
try:
    child = pexpect.spawn(spec['command'], timeout=spec['timeout'], cwd=spec['chdir'], echo=spec['echo'],
                          encoding=None)
    ended = False
    while True:
        try:
            i = child.expect(keys)
        except pexpect.TIMEOUT:
            got.append(child.before)
            break
        except pexpect.EOF:
            got.append(child.before)
            ended = True
            break
        got.append(child.before + child.after)
        if queues[i] is None:
            child.send(line(fixed[i]))
        elif queues[i]:
            child.send(line(queues[i].pop(0)))
        else:
            last = got[-1].decode('utf-8', 'replace')
            error = "No remaining responses for '%s', output was '%s'" % (list(spec['responses'])[i], last)
            child.kill(9)
            break
    if ended:
        child.wait()
    child.close(force=True)
    rc = child.exitstatus
    out = {'stdout': b''.join(got).decode('utf-8', 'replace').rstrip('\\r\\n'), 'rc': rc}
except pexpect.ExceptionPexpect as e:
    error = str(e)
end = datetime.datetime.now()
out.update(start=str(start), end=str(end), delta=str(end - start))
if error:
    out['error'] = error
print(json.dumps(out))`

/** The exit code of the runner when pexpect is missing. */
const NO_PEXPECT = 3

/** What gather found: `creates`/`removes` and whether Python 3 with pexpect is there. */
export interface ExpectState extends RunState {
  pexpect: boolean
}

/** An answer as Python's `str()` writes it (True/False). */
function answer(v: string | number | boolean): string {
  return typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v)
}

/** The JSON the runner reads from stdin (the answers travel only here). */
export function runnerInput(args: Args): string {
  const responses = Object.fromEntries(
    Object.entries(args.responses).map(([k, v]) => [k, Array.isArray(v) ? v.map(answer) : answer(v)]),
  )
  return JSON.stringify({
    command: args.command,
    responses,
    timeout: args.timeout,
    echo: args.echo,
    chdir: args.chdir ?? null,
  })
}

const HOW_TO = 'expect needs Python 3 with pexpect on the host (Debian: apt: { name: python3-pexpect })'

export default defineModule({
  name: 'expect',
  summary: 'Run a command and answer its prompts (needs python3-pexpect on the host)',
  schema: Args,
  changedWhen: 'the command ran (always, unless `creates`/`removes` skip it)',
  check: 'none',
  example: '- expect: { command: ssh-keygen -f /tmp/k, responses: { "passphrase": "" }, creates: /tmp/k }',

  async gather(args, _ctx, io): Promise<ExpectState> {
    const run = await gatherRun(io, { creates: args.creates, removes: args.removes, chdir: args.chdir })
    const probe = await io.run({ argv: ['python3', '-c', 'import pexpect'], okCodes: [0, 1, 127] })
    return { ...run, pexpect: probe.rc === 0 }
  },

  plan(state, args, ctx) {
    if (!args.command.trim()) return { commands: [], fail: 'no command given' }
    const base = planRun(state, [], args, args.command)
    if (!base.commands.length) return base
    if (ctx.checkMode) return { commands: [], skip: 'check mode: expect does not support check mode' }
    if (!state.pexpect) return { commands: [], fail: HOW_TO }
    const cmd: Command = {
      argv: ['python3', '-c', RUNNER],
      stdin: runnerInput(args),
      secretStdin: true,
      okCodes: [0, NO_PEXPECT],
      describe: args.command,
    }
    return { commands: [cmd], changes: [`run ${args.command} and answer its prompts`] }
  },

  after(_state, args, results) {
    const r = results[0]
    if (!r) return {}
    if (r.rc === NO_PEXPECT) return { fail: HOW_TO }
    let out: { stdout?: string; rc?: number | null; start?: string; end?: string; delta?: string; error?: string }
    try {
      out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as typeof out
    } catch {
      return { fail: `expect: the runner failed: ${(r.stderr || r.stdout).trim().slice(-2000)}` }
    }
    const stdout = out.stdout ?? ''
    const data = {
      cmd: args.command,
      stdout,
      stdout_lines: lines(stdout),
      rc: out.rc ?? null,
      start: out.start,
      end: out.end,
      delta: out.delta,
      changed: true,
    }
    // a list of answers that ran out fails before a result exists (Ansible: not changed)
    if (out.error) return { data: { ...data, changed: false }, fail: out.error, msg: out.error, changed: false }
    if (out.rc === null || out.rc === undefined) return { data, fail: 'command exceeded timeout' }
    if (out.rc !== 0) return { data, fail: 'non-zero return code', msg: 'non-zero return code' }
    return { data }
  },
})
