/**
 * Output at a thousand hosts stays readable: PLAY RECAP keeps Ansible's line per host up to `RECAP_HOSTS_MAX`
 * hosts and above that shows one line per set of counts (a failed host on its own line), and the live view shows
 * a task on many hosts as one counting row.
 */
import { describe, expect, it } from 'vitest'
import type { HostRecap } from '../../engine/events.js'
import { RECAP_HOSTS_MAX, recapLines } from '../../engine/report/format.js'
import { tally } from '../../engine/report/live.js'
import type { TaskResult } from '../../engine/types.js'

const counts = (ok: number, changed: number, failed = 0): HostRecap => ({
  ok,
  changed,
  unreachable: 0,
  failed,
  skipped: 0,
  rescued: 0,
  ignored: 0,
})

describe('PLAY RECAP at scale', () => {
  it('has a line per host up to the limit, as Ansible prints it', () => {
    const recap = Object.fromEntries(Array.from({ length: RECAP_HOSTS_MAX }, (_, i) => [`h${i + 1}`, counts(29, 0)]))
    const lines = recapLines(recap)
    expect(lines).toHaveLength(RECAP_HOSTS_MAX)
    expect(lines[0]).toBe(
      'h1                        : ok=29   changed=0    unreachable=0    failed=0    skipped=0    ' +
        'rescued=0    ignored=0',
    )
  })
  it('groups a thousand hosts by their counts, a failed host apart', () => {
    const recap: Record<string, HostRecap> = {}
    for (let i = 1; i <= 1000; i++) recap[`h${i}`] = i === 17 ? counts(3, 1, 1) : i % 2 ? counts(29, 24) : counts(29, 0)
    const lines = recapLines(recap)
    expect(lines).toHaveLength(3)
    expect(lines[0]).toMatch(/^500 hosts \(h2, h4, … h1000\) +: ok=29 +changed=0 /)
    expect(lines[1]).toMatch(/^499 hosts \(h1, h3, … h999\) +: ok=29 +changed=24 /)
    expect(lines[2]).toMatch(/^h17 +: ok=3 +changed=1 +unreachable=0 +failed=1 /)
  })
})

describe('live view at scale', () => {
  const r = (host: string, status: 'ok' | 'changed'): TaskResult => ({ host, status, data: {} })
  it('counts results on one row', () => {
    expect(tally(1000, [])).toBe('0/1000 hosts done')
    expect(tally(1000, [r('h1', 'ok'), r('h2', 'changed'), r('h3', 'ok'), undefined])).toBe(
      '4/1000 hosts done: ok 2, changed 1, no result 1',
    )
  })
})
