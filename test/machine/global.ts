/**
 * vitest global setup (once per `vitest run`, in the main process, whatever the tiers and workers): names the run
 * (TSPLAY_TEST_RUN, inherited by every worker and every process they start), sweeps what dead test processes left
 * (leftovers.ts), and snapshots the machine (snapshot.ts). Its teardown sweeps again — every worker is gone by
 * then — and fails the run if anything this run made is still there:
 * - each user, sudoers file, folder, mount, process and fleet slot a process of this run recorded;
 * - any process still running with this run's TSPLAY_TEST_RUN in its environment;
 * - in strict mode (CI, or TSPLAY_LEFTOVERS=strict: nothing else runs there), anything new in the snapshot at all.
 * Other runs on a shared machine (other checkouts) come and go meanwhile: their changes are listed, not failed.
 * For any user, root or not, the run gets its own temp parent (runtmp.ts): TMPDIR points at it for every worker and
 * their children, the teardown removes it, and the next run's setup removes it after a crash. Without root there
 * is nothing else to make or check: the unit tier runs as any user.
 */
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { type Entry, isMounted, liveEntries, registry, removeLegacyTestUsers, sweepDead } from '../helpers/leftovers.js'
import { enterRunTmp, processesOfRun, removeRunTmp, sweepRunTmps } from '../helpers/runtmp.js'
import { type Snapshot, snapshotDiff, takeSnapshot } from './snapshot.js'

const DAY = 24 * 3600 * 1000

/** Whether a read-only look-up finds something (exit 0). */
function exists(argv: string[]): boolean {
  try {
    execFileSync(argv[0], argv.slice(1), { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/** What the entries of a run made that is still on this machine, one line each. */
export function stillThere(entries: Entry[], users: Set<string>, cache = '/var/cache/tsplay-fleet'): string[] {
  const out: string[] = []
  const liveSlots = new Set(liveEntries().flatMap((e) => e.slots))
  for (const e of entries) {
    const m = e.made
    for (const u of m.users) if (users.has(u)) out.push(`user ${u}`)
    // test users' homes are /home/<name> (useradd -m); userdel -r can leave one behind
    for (const u of m.users) if (!users.has(u) && existsSync(`/home/${u}`)) out.push(`home folder /home/${u}`)
    for (const g of m.groups ?? []) if (exists(['getent', 'group', g])) out.push(`group ${g}`)
    for (const p of m.packages ?? []) if (exists(['dpkg-query', '-W', p])) out.push(`package ${p}`)
    for (const f of m.files) if (existsSync(f)) out.push(`file ${f}`)
    for (const d of m.dirs) if (existsSync(d)) out.push(`folder ${d}`)
    for (const p of m.mounts) if (isMounted(p)) out.push(`mount ${p}`)
    for (const s of m.slots) {
      // taken by another run since
      if (liveSlots.has(s) || existsSync(join(cache, 'slots', String(s), 'owner'))) continue
      if (existsSync(`/sys/class/net/tsfl${s}`)) out.push(`fleet bridge tsfl${s}`)
      if (existsSync(join(cache, `run-${s}`))) out.push(`fleet state ${join(cache, `run-${s}`)}`)
    }
  }
  return out
}

function readRun(run: string): Entry[] {
  const dir = join(registry(), 'swept', run)
  if (!existsSync(dir)) return []
  return readdirSync(dir).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Entry)
}

/** Drop the records of runs that ended (or died) more than a day ago. */
function pruneOldRuns(): void {
  const dir = join(registry(), 'swept')
  if (!existsSync(dir)) return
  for (const r of readdirSync(dir))
    if (Date.now() - statSync(join(dir, r)).mtimeMs > DAY) rmSync(join(dir, r), { recursive: true, force: true })
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export default function setup(): () => Promise<void> {
  const root = process.getuid?.() === 0
  const run = randomBytes(4).toString('hex')
  process.env.TSPLAY_TEST_RUN = run
  if (root) {
    sweepDead()
    pruneOldRuns()
    for (const r of removeLegacyTestUsers())
      console.warn(`removed a test account of an older checkout (fixed published password): ${r}`)
  }
  for (const d of sweepRunTmps()) console.warn(`removed the temp folder of a test run that died: ${d}`)
  const tmpBefore = process.env.TMPDIR
  const tmp = enterRunTmp(run)
  const before = root ? takeSnapshot() : undefined
  return async () => {
    // vitest may still be ending its workers, and their children (sshd, fleet watchdogs) follow them: wait (up to a
    // minute) until no process of this run is left, so the sweep sees every owner of this run dead
    const busy = () => processesOfRun(run).length > 0 || (root && liveEntries().some((e) => e.run === run))
    for (let i = 0; i < 600 && busy(); i++) await sleep(100)
    if (root) sweepDead()
    const kept = removeRunTmp(tmp)
    if (tmpBefore === undefined) delete process.env.TMPDIR
    else process.env.TMPDIR = tmpBefore
    if (!before) {
      if (kept) console.warn(`[leftovers] the run's temp folder ${tmp} is still there: ${kept}`)
      return
    }
    const problems = report(run, before, takeSnapshot(), kept ? [`temp folder ${tmp} (${kept})`] : [])
    if (problems) throw new Error(problems)
  }
}

/**
 * The final check's verdict: undefined when nothing is left, else a message naming every leftover (`alsoLeft`:
 * what the teardown found itself, e.g. the run's temp folder).
 */
export function report(run: string, before: Snapshot, after: Snapshot, alsoLeft: string[] = []): string | undefined {
  const strict =
    process.env.TSPLAY_LEFTOVERS === 'strict' ||
    (process.env.CI !== undefined && process.env.TSPLAY_LEFTOVERS !== 'shared')
  const left = stillThere([...readRun(run), ...liveEntries().filter((e) => e.run === run)], new Set(after.users))
  left.push(...alsoLeft)
  for (const p of processesOfRun(run))
    left.push(`process ${p}: ${readFileSync(`/proc/${p}/cmdline`, 'utf8').replaceAll('\0', ' ').trim()}`)
  const added = snapshotDiff(before, after)
  const addedLines = Object.entries(added).flatMap(([part, xs]) => xs.map((x) => `${part}: ${x}`))
  if (strict) left.push(...addedLines.map((l) => `new since the run started: ${l}`))
  else if (addedLines.length > 0) {
    console.log(
      `[leftovers] changed on this machine during the run, not made by it (other checkouts' runs?):\n  ` +
        `${addedLines.join('\n  ')}`,
    )
  }
  rmSync(join(registry(), 'swept', run), { recursive: true, force: true })
  if (left.length === 0) return undefined
  return (
    `the test run left things on this machine (run ${run}):\n  ${left.join('\n  ')}\n` +
    'Remove them by hand, then find the test that made them (test/helpers/leftovers.ts records what tests create).'
  )
}
