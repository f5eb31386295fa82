/**
 * Each test run's own temp parent, `<tmp>/tsplay-run-<run>`: the global setup (test/machine/global.ts) makes it and
 * points TMPDIR at it, so whatever any worker, helper or child process of the run makes with `os.tmpdir()` or
 * `mktemp` is in it and goes with it; the benchmark does the same for its runs. The folder names its owner (the
 * run's main process: pid and start time, as leftovers.ts's registry does), so after a crash, SIGKILL or Ctrl-C the
 * next run's setup removes it once that owner is dead, and never a live run's folder (other checkouts may be
 * running their tests on this machine); processes of that run still going then (a tmux server, a daemon: they
 * carry its TSPLAY_TEST_RUN) are killed first. Mode 01777 like /tmp itself: tests hand folders in it to test users,
 * and tsplay run as a test user writes its temp files there.
 *
 * @example
 * ```ts
 * sweepRunTmps()                        // folders of dead runs removed
 * const dir = enterRunTmp('1a2b3c4d')   // /tmp/tsplay-run-1a2b3c4d; TMPDIR points at it
 * removeRunTmp(dir)                     // undefined: gone
 * ```
 */
import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { mountsUnder, ownerAlive, startTime } from './leftovers.js'

export { mountsUnder }

export const RUN_TMP_PREFIX = 'tsplay-run-'
const RUN_ID = /^[0-9a-f]{8}$/
const OWNER_FILE = 'owner'
/** A folder without a readable owner record is still being made for this long (mkdir, then the record). */
export const OWNERLESS_GRACE_MS = 60_000

/** The process a run folder belongs to: a pid and its start time (a reused pid is another owner). */
export interface RunTmpOwner {
  pid: number
  start: string
}

const self = (): RunTmpOwner => ({ pid: process.pid, start: startTime(process.pid) })

/** The run folder of run `run` (8 hex digits) in `base`. */
export const runTmpPath = (run: string, base = tmpdir()): string => join(base, `${RUN_TMP_PREFIX}${run}`)

/**
 * Make run `run`'s folder in `base` owned by `owner` (this process by default): private until its owner record is
 * written, then 01777. Fails if the folder exists (it would be someone else's).
 *
 * @example makeRunTmp('1a2b3c4d') // → '/tmp/tsplay-run-1a2b3c4d'
 */
export function makeRunTmp(run: string, base = tmpdir(), owner: RunTmpOwner = self()): string {
  if (!RUN_ID.test(run)) throw new Error(`a run id is 8 hex digits, not ${JSON.stringify(run)}`)
  const dir = runTmpPath(run, base)
  mkdirSync(dir, { mode: 0o700 })
  writeFileSync(join(dir, OWNER_FILE), `${JSON.stringify(owner)}\n`, { mode: 0o644, flag: 'wx' })
  chmodSync(dir, 0o1777)
  return dir
}

/**
 * Make this process's run folder and point TMPDIR at it (children started from now on inherit it).
 *
 * @example enterRunTmp(process.env.TSPLAY_TEST_RUN!) // os.tmpdir() → '/tmp/tsplay-run-…'
 */
export function enterRunTmp(run: string, base = tmpdir()): string {
  const dir = makeRunTmp(run, base)
  process.env.TMPDIR = dir
  return dir
}

/** The owner a run folder names, or undefined when it names none (being made, or not a run folder). */
export function runTmpOwner(dir: string): RunTmpOwner | undefined {
  try {
    const o = JSON.parse(readFileSync(join(dir, OWNER_FILE), 'utf8')) as Partial<RunTmpOwner>
    if (typeof o.pid === 'number' && typeof o.start === 'string') return { pid: o.pid, start: o.start }
  } catch {
    /* no record, or half written */
  }
  return undefined
}

/**
 * Whether the run that made `dir` is over: its owner is dead (or its pid now belongs to another process), or the
 * folder names no owner and is older than OWNERLESS_GRACE_MS.
 *
 * @example runTmpDead('/tmp/tsplay-run-1a2b3c4d') // → true once that run's main process is gone
 */
export function runTmpDead(dir: string, now = Date.now()): boolean {
  const owner = runTmpOwner(dir)
  if (owner) return !ownerAlive(owner)
  try {
    return now - lstatSync(dir).mtimeMs > OWNERLESS_GRACE_MS
  } catch {
    return false
  }
}

/**
 * Pids of processes (other than this one) started with `TSPLAY_TEST_RUN=run` in their environment, as far as this
 * user may read them.
 *
 * @example processesOfRun('1a2b3c4d') // → [4242] while a worker of that run is alive
 */
export function processesOfRun(run: string): number[] {
  const want = `TSPLAY_TEST_RUN=${run}`
  const out: number[] = []
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p) || Number(p) === process.pid) continue
    try {
      if (readFileSync(`/proc/${p}/environ`, 'utf8').split('\0').includes(want)) out.push(Number(p))
    } catch {
      /* gone, or not ours to read */
    }
  }
  return out
}

/**
 * Remove the folders of dead runs in `base` that belong to this user (a run folder is owned by its runner), after
 * killing what still runs of them; returns the removed folders. Anything else in `base` — other `tsplay-*` folders,
 * live runs' folders — is left alone.
 *
 * @example sweepRunTmps() // → ['/tmp/tsplay-run-0badf00d'] after a run was killed
 */
export function sweepRunTmps(base = tmpdir()): string[] {
  let names: string[]
  try {
    names = readdirSync(base)
  } catch {
    return []
  }
  const removed: string[] = []
  for (const name of names) {
    if (!name.startsWith(RUN_TMP_PREFIX) || !RUN_ID.test(name.slice(RUN_TMP_PREFIX.length))) continue
    const dir = join(base, name)
    try {
      const st = lstatSync(dir)
      if (!st.isDirectory() || st.uid !== process.getuid?.()) continue
    } catch {
      continue // removed meanwhile
    }
    if (!runTmpDead(dir)) continue
    for (const pid of processesOfRun(name.slice(RUN_TMP_PREFIX.length))) killQuietly(pid)
    if (removeRunTmp(dir) === undefined) removed.push(dir)
  }
  return removed
}

/**
 * Remove a run folder (first, as root, detaching whatever is still mounted in it, so the removal never reaches into
 * a mounted file system); undefined once it is gone, else why it is still there.
 *
 * @example removeRunTmp('/tmp/tsplay-run-1a2b3c4d') // → undefined
 */
export function removeRunTmp(dir: string): string | undefined {
  let mounts = mountsUnder(dir, readFileSync('/proc/self/mounts', 'utf8'))
  if (mounts.length > 0 && process.getuid?.() === 0) {
    for (const m of mounts.reverse()) quietly(['umount', '-l', m])
    mounts = mountsUnder(dir, readFileSync('/proc/self/mounts', 'utf8'))
  }
  if (mounts.length > 0) return `still mounted in it: ${mounts.join(', ')}`
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 })
  } catch (e) {
    if (existsSync(dir)) return e instanceof Error ? e.message : String(e)
  }
  return existsSync(dir) ? 'still there after removing it' : undefined
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL')
  } catch {
    /* gone meanwhile */
  }
}

function quietly(argv: string[]): void {
  try {
    execFileSync(argv[0], argv.slice(1), { stdio: 'ignore' })
  } catch {
    /* the caller looks again */
  }
}
