/**
 * async_status: how a job started with `async` and `poll: 0` is doing, as Ansible's module reports it. While it runs:
 * `started: 1, finished: 0`; once it ended: `finished: 1` with its `rc` and `stdout` (stderr is in the log too), failed
 * when the exit code is not 0 and changed as `command` is (ok for a module's job whose plan changed nothing);
 * `mode: cleanup` removes the job's record. Run it with the same `become` as the task that started the job (jobs live
 * in that user's home). A module's job that this run started (`get_url`, `user`, `lineinfile`, …) registers the
 * module's own result instead (`dest`, `status_code`, …, changed or failed as the module says), as Ansible's does.
 *
 * @example
 * ```yaml
 * - command: /usr/local/bin/long-build
 *   async: 3600
 *   poll: 0
 *   register: job
 * - async_status: { jid: "{{ job.ansible_job_id }}" }
 *   register: st
 *   until: st.finished
 *   retries: 120
 *   delay: 30
 * ```
 */
import { Type } from '@sinclair/typebox'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { defineModule, type JobOutcome } from '../engine/module.js'
import { JOB_CLEANUP, JOB_STATUS } from './lib/jobs.js'

const Args = Type.Object(
  {
    jid: Type.String({ description: 'The job ID: `ansible_job_id` of the registered result of the async task.' }),
    mode: Defaulted(
      Type.Union([Type.Literal('status'), Type.Literal('cleanup')], {
        default: 'status',
        description: '`status`: how the job is doing; `cleanup`: remove its record on the host.',
      }),
    ),
  },
  { additionalProperties: false },
)
type Args = ModuleArgs<typeof Args>

/** What the host says of the job; `result`: what the job's module registers (a module's job this run started). */
type Job =
  | { state: 'running' | 'missing' }
  | { state: 'finished'; rc: number; log: string; unchanged?: boolean; result?: JobOutcome }

/** Parse JOB_STATUS's output. */
export function parseStatus(out: string): Job {
  const nl = out.indexOf('\n')
  const head = (nl < 0 ? out : out.slice(0, nl)).trim()
  if (head.startsWith('finished')) {
    const [, code, mark] = head.split(' ')
    const rc = Number(code)
    const log = nl < 0 ? '' : out.slice(nl + 1)
    return {
      state: 'finished',
      rc: Number.isFinite(rc) ? rc : 1,
      log,
      ...(mark === 'unchanged' && { unchanged: true }),
    }
  }
  return { state: head === 'running' ? 'running' : 'missing' }
}

export default defineModule({
  name: 'async_status',
  summary: 'Check on a job started with async and poll: 0 (or remove its record)',
  schema: Args,
  changedWhen:
    'a finished job is changed, as command is, unless its plan changed nothing; a running one and cleanup never',
  check: 'full',
  example: '- async_status: { jid: "{{ job.ansible_job_id }}" }',
  async gather(args: Args, ctx, io): Promise<Job> {
    if (args.mode === 'cleanup') return { state: 'missing' }
    const r = await io.run({ argv: ['sh', '-c', JOB_STATUS, 'sh', args.jid], describe: 'read the job' })
    const job = parseStatus(r.stdout)
    if (job.state !== 'finished' || !ctx.jobResult) return job
    return { ...job, result: await ctx.jobResult(args.jid, job.log) }
  },
  plan(job: Job, args: Args) {
    const id = { ansible_job_id: args.jid }
    if (args.mode === 'cleanup') {
      const cmd = { argv: ['sh', '-c', JOB_CLEANUP, 'sh', args.jid], describe: 'remove the job record' }
      return { commands: [cmd], changed: false, data: { ...id, erased: args.jid, started: 0, finished: 0 } }
    }
    if (job.state !== 'finished') {
      // as Ansible's: a job it cannot find counts as ended, so `until: x.finished` stops retrying
      if (job.state === 'missing')
        return { commands: [], fail: 'could not find job', data: { ...id, started: 1, finished: 1 } }
      return { commands: [], changed: false, data: { ...id, started: 1, finished: 0 } }
    }
    if (job.result) {
      const data: Record<string, unknown> = { ...job.result.data, ...id, started: 1, finished: 1 }
      const msg = typeof data.msg === 'string' ? data.msg : undefined
      const { facts, moduleFacts } = job.result
      return data.failed
        ? { commands: [], fail: msg ?? 'the job failed', data }
        : { commands: [], changed: data.changed === true, msg, data, facts, moduleFacts }
    }
    const stdout = job.log.replace(/\n+$/, '')
    const data = {
      ...id,
      started: 1,
      finished: 1,
      rc: job.rc,
      stdout,
      stdout_lines: stdout ? stdout.split('\n') : [],
      stderr: '',
      stderr_lines: [],
    }
    if (job.rc !== 0) return { commands: [], fail: 'non-zero return code', data }
    return { commands: [], changed: !job.unchanged, data: { ...data, msg: '' } }
  },
})
