/**
 * A job that ends between two looks: the job scripts (async_status's, the poll of a task waiting on its job, and
 * the start that re-attaches) run for real on this machine in a temporary HOME, with a `cat` first on PATH that
 * ends the job while the script reads its pid: it writes the job's exit code, and the pid is of no process. A job
 * writes its exit code before its process ends, so the scripts must read such a job as finished, not as lost (a host
 * whose init reaps at once, as systemd does, showed that when the exit code was looked for before the process).
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { POLL, startJob } from '../../engine/run/async.js'
import asyncStatus, { parseStatus } from '../../modules/async_status.js'
import { JOB_STATUS } from '../../modules/lib/jobs.js'
import { localIO, testCtx } from '../helpers/module-ctx.js'

const root = mkdtempSync(join(tmpdir(), 'tsplay-jobstart-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
const home = join(root, 'home')
const bin = join(root, 'bin')
mkdirSync(bin)
// reading a job's pid ends that job: its exit code (7) appears as the real job's does, just before its process goes
const realCat = '/bin/cat'
writeFileSync(
  join(bin, 'cat'),
  `#!/bin/sh\ncase "$1" in */pid) echo 7 > "\${1%/pid}/rc.tmp"; mv "\${1%/pid}/rc.tmp" "\${1%/pid}/rc" ;; esac\n` +
    `exec ${realCat} "$@"\n`,
)
chmodSync(join(bin, 'cat'), 0o755)
const io = localIO({ env: { HOME: home, PATH: `${bin}:${process.env.PATH}` } })

/** A job record whose process is gone (a pid no process has) and whose exit code is not written yet. */
function ending(id: string): void {
  const d = join(home, '.tsplay/jobs', id)
  mkdirSync(d, { recursive: true })
  writeFileSync(join(d, 'pid'), '2147483646\n')
  writeFileSync(join(d, 'start'), '0\n')
  writeFileSync(join(d, 'log'), 'built\n')
}
const run = async (script: string, id: string) => (await io.run({ argv: ['sh', '-c', script, 'sh', id] })).stdout

describe('a job that ends between two looks', () => {
  it('async_status reads it as finished with its exit code, not "could not find job"', async () => {
    ending('s')
    const job = parseStatus(await run(JOB_STATUS, 's'))
    expect(job).toMatchObject({ state: 'finished', rc: 7, log: 'built\n' })
    const plan = asyncStatus.plan(job, { jid: 's', mode: 'status' }, testCtx())
    expect(plan).toMatchObject({ fail: 'non-zero return code', data: { started: 1, finished: 1, rc: 7 } })
  })

  it('a task waiting on its job (poll > 0) reads it as finished, not lost', async () => {
    ending('w')
    expect(await run(POLL, 'w')).toBe('finished 7\nbuilt\n')
  })

  it('a new run re-attaching to it reads it back instead of starting it again', async () => {
    ending('r')
    expect(await startJob(io, { argv: ['sh', '-c', 'echo again'] }, 'r', 30)).toMatchObject({ rc: 0 })
    expect(await run(JOB_STATUS, 'r')).toBe('finished 7\nbuilt\n')
  })
})
