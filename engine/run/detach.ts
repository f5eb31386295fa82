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
import { ModuleFailure, type ModuleDef } from '../module.js'
import { renderCommand } from '../ssh/quote.js'
import type { Command, CommandResult } from '../types.js'

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
export function jobCommand(cmds: readonly Command[]): Command {
  if (cmds.length === 0) return { argv: ['true'], describe: 'nothing to do' }
  // a job lives in the home of the user it runs as: the task's, where async_status looks
  if (cmds.some((c) => c.runAs !== undefined))
    throw new ModuleFailure('"poll: 0": this task runs commands as a user of its own and cannot run them as a job')
  const lines: string[] = []
  const inputs: Uint8Array[] = []
  let offset = 0
  for (const c of cmds) {
    const input = typeof c.stdin === 'string' ? Buffer.from(c.stdin) : (c.stdin ?? new Uint8Array())
    const line = `(${renderCommand({ ...c, stdin: undefined })})`
    // the job's input is a file: /dev/stdin opens it afresh, so each command reads its own slice
    lines.push(
      input.length ? `tail -c +${offset + 1} /dev/stdin | head -c ${input.length} | ${line}` : `${line} </dev/null`,
    )
    lines.push(`r=$?; case " ${(c.okCodes ?? [0]).join(' ')} " in *" $r "*) ;; *) exit "$r" ;; esac`)
    inputs.push(input)
    offset += input.length
  }
  lines.push('exit 0')
  return {
    argv: ['sh', '-c', lines.join('\n')],
    stdin: offset ? Buffer.concat(inputs) : undefined,
    secretStdin: cmds.some((c) => c.secretStdin) || undefined,
    describe: cmds.map((c) => c.describe ?? c.argv[0]).join('; '),
  }
}

/** Starts a job; `unchanged`: the plan changes nothing (async_status then reports ok). */
export type StartJob = (cmd: Command, unchanged: boolean) => Promise<CommandResult>

/**
 * The module with an `apply` that starts the plan's commands as one job instead of running them (the task's
 * result is then the job's start; the runner reports it as Ansible reports a job it left running).
 */
export function detachedDef<D extends ModuleDef>(def: D, start: StartJob): D {
  return {
    ...def,
    async apply(plan) {
      const r = await start(jobCommand(plan.commands), !(plan.changed ?? plan.commands.length > 0))
      return r.rc === 0 ? { changed: true } : { fail: r.stderr || r.stdout || `could not start the job (rc ${r.rc})` }
    },
  }
}
