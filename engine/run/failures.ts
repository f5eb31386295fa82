/**
 * When a batch's failures end the run for every host, as Ansible's "NO MORE HOSTS LEFT": a failure under
 * `any_errors_fatal`, more than `max_fail_percentage` of a batch failed (engine/run/play.ts checks after the batch's
 * fact gathering and after each task), or every host of a batch failed.
 */
import type { RunContext } from './context.js'
import { usable } from './dispatch.js'

/** End the run for every host, saying why. */
export function endRun(rc: RunContext, why: string): void {
  rc.run.ended = true
  rc.bus.emit({ type: 'warning', msg: `no more hosts left: ${why}; the run ends here` })
}

/**
 * `any_errors_fatal` / `max_fail_percentage`: has this batch failed too much to go on? Ends the run if so, with exit
 * code 2 (as Ansible's, whatever became of the hosts). As Ansible 2.14 counts: under `any_errors_fatal` a failed or
 * unreachable host is enough; `max_fail_percentage` counts the batch's failed hosts only, not the unreachable ones.
 * The batch's size counts the hosts that failed in an earlier play and keep their places in it (`rc.batchSize`).
 * `fatalHere`: a task of a block with `any_errors_fatal` just left a host failed.
 */
export function tooManyFailures(rc: RunContext, playName: string, batch: string[], fatalHere = false): boolean {
  if (batch.every((h) => usable(rc, h))) return false
  const given = rc.play.maxFailPercentage
  const pct = typeof given === 'number' ? given : undefined // a template was rendered before the play
  const fatal = rc.play.anyErrorsFatal || fatalHere
  const failed = batch.filter((h) => rc.states.get(h)!.failed && !rc.states.get(h)!.unreachable).length
  // compared as Ansible does (7 of 100 hosts is not more than 7%, though 7 / 100 * 100 is 7.000000000000001)
  if (!fatal && (pct === undefined || failed / (rc.batchSize ?? batch.length) <= pct / 100)) return false
  endRun(rc, `play "${playName}": ${fatal ? 'any_errors_fatal is set' : `more than ${pct}% of its hosts failed`}`)
  rc.run.failedOut = true
  return true
}
