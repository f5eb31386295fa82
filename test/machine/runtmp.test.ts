/**
 * The run's own temp folder (test/helpers/runtmp.ts), as any user: this worker's TMPDIR is its run's folder, which
 * also holds the scratch paths tests name for loopback targets (tempdir.ts); in a private base folder (never /tmp, so
 * other runs' folders are never touched), the sweep removes the folders of dead runs — owner gone, pid reused, or no
 * owner record for longer than the grace time — with the processes they left running, and leaves live runs'
 * folders, folders still being made and every other name alone.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ownerAlive, startTime } from '../helpers/leftovers.js'
import {
  makeRunTmp,
  mountsUnder,
  OWNERLESS_GRACE_MS,
  processesOfRun,
  removeRunTmp,
  runTmpOwner,
  runTmpPath,
  sweepRunTmps,
} from '../helpers/runtmp.js'
import { scratchPath } from '../helpers/tempdir.js'

/** The pid of a process that has exited. */
const deadPid = (): number => Number(spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' }).stdout.trim())

describe('the run temp folder', () => {
  const base = mkdtempSync(join(tmpdir(), 'tsplay-runtmp-'))
  afterAll(() => rmSync(base, { recursive: true, force: true }))

  it("is this worker's TMPDIR, made by the run's live main process, open to all like /tmp", () => {
    const run = process.env.TSPLAY_TEST_RUN
    expect(run).toMatch(/^[0-9a-f]{8}$/)
    expect(basename(tmpdir())).toBe(`tsplay-run-${run}`)
    const owner = runTmpOwner(tmpdir())
    expect(owner && ownerAlive(owner)).toBe(true)
    expect(owner?.pid).not.toBe(process.pid) // the vitest main process, not this worker
    expect(statSync(tmpdir()).mode & 0o7777).toBe(0o1777)
  })

  it('holds the scratch paths tests give loopback targets: fresh names, nothing made', () => {
    const [a, b] = [scratchPath('tsplay-it-'), scratchPath('tsplay-it-')]
    expect(dirname(a)).toBe(tmpdir())
    expect(basename(a)).toMatch(/^tsplay-it-[0-9a-f]{8}$/)
    expect(b).not.toBe(a)
    expect(existsSync(a)).toBe(false)
  })

  it('is made once, names its owner, and refuses a folder that exists', () => {
    const dir = makeRunTmp('0000000a', base)
    expect(dir).toBe(runTmpPath('0000000a', base))
    expect(runTmpOwner(dir)).toEqual({ pid: process.pid, start: startTime(process.pid) })
    expect(statSync(dir).mode & 0o7777).toBe(0o1777)
    expect(() => makeRunTmp('0000000a', base)).toThrow(/EEXIST/)
    expect(() => makeRunTmp('../../x', base)).toThrow(/8 hex digits/)
    expect(removeRunTmp(dir)).toBeUndefined()
    expect(existsSync(dir)).toBe(false)
  })

  it("removes dead runs' folders with all they hold, and nothing else", () => {
    const dead = deadPid()
    const live = makeRunTmp('00000001', base)
    const gone = makeRunTmp('00000002', base, { pid: dead, start: '12345' })
    const reused = makeRunTmp('00000003', base, { pid: process.pid, start: '1' }) // same pid, another process
    mkdirSync(join(gone, 'tsplay-x-abc', 'deep'), { recursive: true })
    writeFileSync(join(gone, 'tsplay-x-abc', 'deep', 'f'), 'x')
    const ownerless = runTmpPath('00000004', base)
    const making = runTmpPath('00000005', base)
    mkdirSync(ownerless)
    mkdirSync(making)
    const old = (Date.now() - 2 * OWNERLESS_GRACE_MS) / 1000
    utimesSync(ownerless, old, old)
    const others = ['tsplay-hport-yjRJok', 'tsplay-run-', 'tsplay-run-0000000g', 'tsplay-run-000000001']
    for (const o of others) mkdirSync(join(base, o))
    writeFileSync(join(base, 'tsplay-run-00000006'), 'a file, not a run folder')

    expect(sweepRunTmps(base).sort()).toEqual([gone, reused, ownerless])
    expect(readdirSync(base).sort()).toEqual(
      [basename(live), basename(making), 'tsplay-run-00000006', ...others].sort(),
    )
    expect(sweepRunTmps(base)).toEqual([])
  })

  it('kills what a dead run left running before it removes its folder', async () => {
    const run = 'deadbe01'
    const dir = makeRunTmp(run, base, { pid: deadPid(), start: '12345' })
    const left = spawn('sleep', ['300'], { env: { ...process.env, TSPLAY_TEST_RUN: run }, stdio: 'ignore' })
    const exited = new Promise((r) => left.once('exit', (_code, signal) => r(signal)))
    expect(processesOfRun(run)).toEqual([left.pid])
    expect(sweepRunTmps(base)).toEqual([dir])
    expect(await exited).toBe('SIGKILL')
    expect(processesOfRun(run)).toEqual([])
  })

  it('finds what is mounted in a folder (octal escapes of the mount table decoded)', () => {
    const table = [
      'proc /proc proc rw 0 0',
      'tsplay-full /tmp/r/a\\040b tmpfs rw 0 0',
      'x /tmp/r/a\\040b/c tmpfs rw 0 0',
      'y /tmp/rr tmpfs rw 0 0',
      '',
    ].join('\n')
    expect(mountsUnder('/tmp/r', table)).toEqual(['/tmp/r/a b', '/tmp/r/a b/c'])
    expect(mountsUnder('/tmp/r/a b', table)).toEqual(['/tmp/r/a b', '/tmp/r/a b/c'])
    expect(mountsUnder('/tmp/none', table)).toEqual([])
  })
})
