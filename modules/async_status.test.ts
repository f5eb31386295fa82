/**
 * async_status: the job-folder scripts run for real in a temporary HOME on this machine, and the plan turns what
 * they print into Ansible's results (running, finished with rc/stdout, failed, not found, cleanup).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { ModuleArgs } from '../engine/argtypes.js'
import { resolveArgs } from '../engine/load/args.js'
import asyncStatus, { parseStatus } from './async_status.js'
import { JOB_CLEANUP, JOB_STATUS } from './lib/jobs.js'
import { testCtx } from '../test/helpers/module-ctx.js'

const home = mkdtempSync(join(tmpdir(), 'tsplay-async-status-'))
afterAll(() => rmSync(home, { recursive: true, force: true }))
const sh = (script: string, id: string) =>
  execFileSync('sh', ['-c', script, 'sh', id], { env: { PATH: process.env.PATH, HOME: home }, encoding: 'utf8' })
const job = (id: string, files: Record<string, string>) => {
  const d = join(home, '.tsplay/jobs', id)
  mkdirSync(d, { recursive: true })
  for (const [f, text] of Object.entries(files)) writeFileSync(join(d, f), text)
}
const args = (raw: Record<string, unknown>) =>
  resolveArgs(asyncStatus, raw, { file: 'pb.yml', line: 1, col: 1 }) as ModuleArgs<typeof asyncStatus.schema>
const planFor = (out: string, raw: Record<string, unknown> = { jid: 'j1' }) =>
  asyncStatus.plan(parseStatus(out), args(raw), testCtx())

describe('async_status', () => {
  it('reads a finished, a running and an unknown job from the job folders', () => {
    job('done', { rc: '3\n', log: 'out\nerr\n', pid: '1' })
    job('busy', { pid: String(process.pid), start: '0' })
    expect(sh(JOB_STATUS, 'done')).toBe('finished 3\nout\nerr\n')
    expect(sh(JOB_STATUS, 'busy')).toBe('running\n')
    expect(sh(JOB_STATUS, 'nope')).toBe('missing\n')
    job('same', { rc: '0\n', log: '', pid: '1', mark: 'unchanged\n' })
    expect(sh(JOB_STATUS, 'same')).toBe('finished 0 unchanged\n')
  })

  it('cleanup removes the job, then the empty job folders', () => {
    sh(JOB_CLEANUP, 'done')
    expect(existsSync(join(home, '.tsplay/jobs/done'))).toBe(false)
    sh(JOB_CLEANUP, 'busy')
    sh(JOB_CLEANUP, 'same')
    expect(existsSync(join(home, '.tsplay'))).toBe(false)
  })

  it('reports as Ansible: running, finished (changed), failed on a non-zero rc, not found', () => {
    expect(planFor('running\n')).toMatchObject({ changed: false, data: { started: 1, finished: 0 } })
    expect(planFor('finished 0\nhello\n')).toMatchObject({
      changed: true,
      data: { ansible_job_id: 'j1', finished: 1, rc: 0, stdout: 'hello', stdout_lines: ['hello'] },
    })
    expect(planFor('finished 0 unchanged\n')).toMatchObject({ changed: false, data: { finished: 1, rc: 0 } })
    expect(planFor('finished 2\n')).toMatchObject({ fail: 'non-zero return code', data: { rc: 2, finished: 1 } })
    expect(planFor('missing\n')).toMatchObject({ fail: 'could not find job', data: { started: 1, finished: 1 } })
    const c = planFor('', { jid: 'j1', mode: 'cleanup' })
    expect(c.commands.map((x) => x.argv.slice(-1))).toEqual([['j1']])
    expect(c).toMatchObject({ changed: false, data: { erased: 'j1' } })
  })
})
