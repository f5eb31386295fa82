/**
 * A benchmark run's temp folder and clean-up, as a test run has them (test/helpers/runtmp.ts): its own
 * `/tmp/tsplay-run-<id>` as TMPDIR, so whatever the benchmark, tsplay, ansible-playbook and ssh make there goes with
 * it — at exit, on Ctrl-C or SIGTERM (after the clean-ups registered with `onStop`, newest first), and after a
 * SIGKILL by the next test or benchmark run's sweep. Folders of dead runs are swept when one starts.
 *
 * @example
 * ```ts
 * const run = benchRun()
 * const fleet = await startFleet(10)
 * run.onStop(() => fleet.stop())
 * try { … } finally { await run.stop() }
 * ```
 */
import { randomBytes } from 'node:crypto'
import { enterRunTmp, removeRunTmp, sweepRunTmps } from '../test/helpers/runtmp.js'

export interface BenchRun {
  /** The run's temp folder (TMPDIR from now on). */
  dir: string
  /** Add a clean-up, run by `stop()` or on SIGINT/SIGTERM before the process exits. */
  onStop(cleanup: () => Promise<void>): void
  /** Run the clean-ups registered so far (once each, all of them; throws the first failure). */
  stop(): Promise<void>
}

/** Start a benchmark run: sweep dead runs' folders, make this one's, and remove it however the process ends. */
export function benchRun(): BenchRun {
  for (const d of sweepRunTmps()) process.stderr.write(`removed the temp folder of a run that died: ${d}\n`)
  const dir = enterRunTmp(randomBytes(4).toString('hex'))
  process.once('exit', () => {
    const kept = removeRunTmp(dir)
    if (kept) process.stderr.write(`the run's temp folder ${dir} is still there: ${kept}\n`)
  })
  const cleanups: (() => Promise<void>)[] = []
  const stop = async () => {
    const failed: unknown[] = []
    for (const c of cleanups.splice(0).reverse()) await c().catch((e: unknown) => failed.push(e))
    if (failed.length > 0) throw failed[0]
  }
  // signal listeners keep no process alive: they stay until exit, which then removes the folder
  const onSignal = () => void stop().finally(() => process.exit(130))
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  return { dir, onStop: (c) => void cleanups.push(c), stop }
}
