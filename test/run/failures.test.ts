/**
 * When a batch's failures end the run (engine/run/failures.ts), counted as Ansible 2.14 counts them: any failed or
 * unreachable host under any_errors_fatal; only the failed hosts toward max_fail_percentage, compared as Python does.
 */
import { describe, expect, it } from 'vitest'
import type { RunContext } from '../../engine/run/context.js'
import { tooManyFailures } from '../../engine/run/failures.js'

/** A run context with `n` hosts h0…, those in `failed` failed and those in `unreachable` unreachable. */
function ctx(n: number, play: { maxFailPercentage?: number; anyErrorsFatal?: boolean }, failed = 0, unreachable = 0) {
  const hosts = Array.from({ length: n }, (_, i) => `h${i}`)
  const states = new Map(
    // an unreachable host's walk ends failed too: it is both
    hosts.map((h, i) => [
      h,
      { failed: i < failed + unreachable, unreachable: i >= failed && i < failed + unreachable },
    ]),
  )
  const warnings: string[] = []
  const rc = {
    play,
    states,
    run: { ended: false },
    bus: { emit: (e: { msg: string }) => warnings.push(e.msg) },
  } as unknown as RunContext
  return { rc, hosts, warnings }
}

describe('a batch that failed too much', () => {
  it('max_fail_percentage: more than the share of failed hosts ends the run, marked for exit code 2', () => {
    const { rc, hosts, warnings } = ctx(3, { maxFailPercentage: 33 }, 1)
    expect(tooManyFailures(rc, 'p', hosts)).toBe(true)
    expect(rc.run).toEqual({ ended: true, failedOut: true })
    expect(warnings).toEqual(['no more hosts left: play "p": more than 33% of its hosts failed; the run ends here'])
    expect(tooManyFailures(ctx(2, { maxFailPercentage: 50 }, 1).rc, 'p', ['h0', 'h1'])).toBe(false)
  })

  it('max_fail_percentage: exactly the share is not more (7 of 100 at 7%), as Python compares', () => {
    const { rc, hosts } = ctx(100, { maxFailPercentage: 7 }, 7)
    expect(tooManyFailures(rc, 'p', hosts)).toBe(false)
    const eight = ctx(100, { maxFailPercentage: 7 }, 8)
    expect(tooManyFailures(eight.rc, 'p', eight.hosts)).toBe(true)
  })

  it('max_fail_percentage does not count unreachable hosts; any_errors_fatal does', () => {
    const pct = ctx(2, { maxFailPercentage: 0 }, 0, 1)
    expect(tooManyFailures(pct.rc, 'p', pct.hosts)).toBe(false)
    expect(pct.rc.run.ended).toBe(false)
    const fatal = ctx(2, { anyErrorsFatal: true }, 0, 1)
    expect(tooManyFailures(fatal.rc, 'p', fatal.hosts)).toBe(true)
    expect(fatal.warnings[0]).toMatch(/any_errors_fatal is set/)
    const block = ctx(2, {}, 1)
    expect(tooManyFailures(block.rc, 'p', block.hosts)).toBe(false)
    expect(tooManyFailures(block.rc, 'p', block.hosts, true)).toBe(true)
  })
})
