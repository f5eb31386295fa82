/**
 * `poll: 0` (fire and forget) for modules other than `command`/`shell`: tsplay gathers and plans at once, as for
 * any task, then runs the plan's commands, in order, as one job detached on the host (engine/run/async.ts) and
 * moves on; `async_status` reads the job later. Which modules qualify: engine/load/fireforget.ts.
 *
 * @example
 * ```yaml
 * - lineinfile: { path: /etc/motd, line: hello }
 *   async: 60
 *   poll: 0
 *   register: j
 * - async_status: { jid: "{{ j.ansible_job_id }}" }
 *   register: s
 *   until: s.finished
 * ```
 */
import { randomBytes } from 'node:crypto'
import type { ModuleArgs } from '../argtypes.js'
import {
  ModuleFailure,
  type HostIO,
  type JobOutcome,
  type ModuleContext,
  type ModuleDef,
  type Plan,
} from '../module.js'
import { renderCommand } from '../ssh/quote.js'
import type { Command, CommandResult } from '../types.js'
import { resultData, settle, type ModuleRun } from './module-call.js'

/**
 * The plan's commands as one command for a job: a `sh -c` script running each in turn (its environment, folder and
 * timeout rendered by `renderCommand`, its input cut from the job's one input), stopping with the exit code of the
 * first that fails (an exit code outside its `okCodes`). An empty plan gives `true`. The commands must run as the
 * task's user (no `runAs` of their own). Throws `ModuleFailure` otherwise.
 *
 * @example
 * ```ts
 * jobCommand([{ argv: ['mkdir', '/a'] }, { argv: ['tee', '/a/b'], stdin: 'x' }])
 * // → { argv: ['sh', '-c', "('mkdir' '/a') </dev/null …"], stdin: <x> }
 * ```
 */
export function jobCommand(cmds: readonly Command[], marker?: string): Command {
  if (cmds.length === 0) return { argv: ['true'], describe: 'nothing to do' }
  // a job lives in the home of the user it runs as: the task's, where async_status looks
  if (cmds.some((c) => c.runAs !== undefined))
    throw new ModuleFailure('"poll: 0": this task runs commands as a user of its own and cannot run them as a job')
  const lines: string[] = []
  const inputs: Uint8Array[] = []
  let offset = 0
  for (const c of cmds) {
    const input = typeof c.stdin === 'string' ? Buffer.from(c.stdin) : (c.stdin ?? new Uint8Array())
    // with a marker, each command's output and errors go to files, printed after it between marker lines
    const line = `(${renderCommand({ ...c, stdin: undefined })})${marker ? ' >"$o" 2>"$e"' : ''}`
    // the job's input is a file: /dev/stdin opens it afresh, so each command reads its own slice
    lines.push(
      input.length ? `tail -c +${offset + 1} /dev/stdin | head -c ${input.length} | ${line}` : `${line} </dev/null`,
    )
    lines.push('r=$?')
    if (marker) lines.push(`printf '%s out\\n' ${marker}; cat "$o"; printf '\\n%s err\\n' ${marker}; cat "$e"`)
    if (marker) lines.push(`printf '\\n%s rc %s\\n' ${marker} "$r"`)
    lines.push(`case " ${(c.okCodes ?? [0]).join(' ')} " in *" $r "*) ;; *) exit "$r" ;; esac`)
    inputs.push(input)
    offset += input.length
  }
  lines.push('exit 0')
  if (marker) lines.unshift('o=$(mktemp) && e=$(mktemp) || exit 4', `trap 'rm -f -- "$o" "$e"' EXIT`)
  return {
    argv: ['sh', '-c', lines.join('\n')],
    stdin: offset ? Buffer.concat(inputs) : undefined,
    secretStdin: cmds.some((c) => c.secretStdin) || undefined,
    describe: cmds.map((c) => c.describe ?? c.argv[0]).join('; '),
  }
}

/**
 * The results of a job's commands from its log (`jobCommand` with `marker`): each command's stdout, stderr and exit
 * code, in order, as many as ran. Undefined when the log does not hold them all from the first (cut to its tail).
 */
export function jobResults(log: string, marker: string): CommandResult[] | undefined {
  const out: CommandResult[] = []
  let at = 0
  for (;;) {
    const start = log.indexOf(`${marker} out\n`, at)
    if (start < 0) break
    if (out.length === 0 && start !== 0) return undefined
    const err = log.indexOf(`\n${marker} err\n`, start)
    const rc = log.indexOf(`\n${marker} rc `, err)
    if (err < 0 || rc < 0) return undefined
    const code = rc + marker.length + 5 // past `\n<marker> rc `
    const nl = log.indexOf('\n', code)
    const stdout = log.slice(start + marker.length + 5, err)
    const stderr = log.slice(err + marker.length + 6, rc)
    out.push({ rc: Number(log.slice(code, nl < 0 ? undefined : nl)), stdout, stderr })
    at = nl < 0 ? log.length : nl + 1
  }
  return out.length ? out : undefined
}

/** Starts a job; `unchanged`: the plan changes nothing (async_status then reports ok). */
export type StartJob = (cmd: Command, unchanged: boolean) => Promise<CommandResult>

/** Builds a finished job's registered result (for `async_status`) from its log, with the checking task's context. */
export type JobFinisher = (log: string, ctx: ModuleContext, io: HostIO) => Promise<JobOutcome | undefined>

/**
 * The module with an `apply` that starts the plan's commands as one job instead of running them (the task's
 * result is then the job's start; the runner reports it as Ansible reports a job it left running). The commands'
 * outputs are kept apart in the job's log, and `keep` receives how to build the module's result from it (its plan's
 * data, the first failing command, its `after` step) once the job has finished, as Ansible's async_status returns
 * the module's own result.
 */
export function detachedDef<D extends ModuleDef>(def: D, start: StartJob, keep?: (finish: JobFinisher) => void): D {
  let state: unknown
  return {
    ...def,
    plan(s: unknown, args: ModuleArgs<never>, ctx: ModuleContext): Plan {
      state = s
      return def.plan(s, args, ctx)
    },
    async apply(plan: Plan, args: ModuleArgs<never>) {
      const marker = plan.commands.length ? `tsplay-${randomBytes(8).toString('hex')}` : undefined
      const changed = plan.changed ?? plan.commands.length > 0
      const r = await start(jobCommand(plan.commands, marker), !changed)
      if (r.rc !== 0) return { fail: r.stderr || r.stdout || `could not start the job (rc ${r.rc})` }
      keep?.(async (log, ctx, io) => {
        const results = marker ? jobResults(log, marker) : []
        if (!results) return undefined
        const out: ModuleRun<unknown> = { state, plan, results, changed, data: { ...plan.data } }
        const run = marker ? await settle(def, out, args, ctx, io) : out
        // the facts the module read (setup, getent) reach the host when async_status reads the result
        const read = run.failed ? {} : { facts: run.plan.facts, moduleFacts: run.plan.moduleFacts }
        return { data: resultData(run, false), ...read }
      })
      return { changed: true }
    },
  }
}
