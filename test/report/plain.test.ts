/**
 * Plain output on long steps and skipped loops, driven with engine events on a fake clock: "still running" lines
 * at 30 s, 1 m, 2 m, 5 m and then every 5 m (hosts due together share a line), async poll lines held back to that
 * schedule without -v, nothing after a host's result; skipped loop items counted on one line unless -v.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { EngineEvent } from '../../engine/events.js'
import { PlainReporter } from '../../engine/report/plain.js'
import type { TaskResult } from '../../engine/types.js'

const play = 'p'
const start = (task: string, hosts: string[]): EngineEvent[] => [
  { type: 'task.start', play, task, hosts, handler: false },
  ...hosts.map((host): EngineEvent => ({ type: 'host.start', play, task, host })),
]
const result = (task: string, r: TaskResult): EngineEvent => ({
  type: 'task.result',
  play,
  task,
  host: r.host,
  result: r,
  handler: false,
})

function reporter(verbosity = 0) {
  const out: string[] = []
  const rep = new PlainReporter({ verbosity, diff: false, write: (t) => out.push(...t.split('\n').filter(Boolean)) })
  const feed = (evs: EngineEvent[]) => evs.forEach((e) => rep.handle(e))
  const still = () => out.filter((l) => l.startsWith('still running'))
  return { rep, out, feed, still }
}

describe('plain output: still running', () => {
  beforeEach(() => void vi.useFakeTimers())
  afterEach(() => void vi.useRealTimers())

  it('names long-running hosts on a slowing schedule, one line per task, and stops at the result', () => {
    const { rep, feed, still } = reporter()
    feed(start('Install Nix', ['pi1', 'pi2']))
    vi.advanceTimersByTime(29_000)
    expect(still()).toEqual([])
    vi.advanceTimersByTime(2_000)
    expect(still()).toEqual(['still running: Install Nix on pi1, pi2 (30s)'])
    feed([result('Install Nix', { status: 'ok', host: 'pi2', data: {} })])
    vi.advanceTimersByTime(29_000) // 1 m
    vi.advanceTimersByTime(60_000) // 2 m
    vi.advanceTimersByTime(180_000) // 5 m
    vi.advanceTimersByTime(299_000) // just before 10 m
    expect(still().slice(1)).toEqual([
      'still running: Install Nix on pi1 (1m00s)',
      'still running: Install Nix on pi1 (2m00s)',
      'still running: Install Nix on pi1 (5m00s)',
    ])
    vi.advanceTimersByTime(1_000)
    expect(still().at(-1)).toBe('still running: Install Nix on pi1 (10m00s)')
    expect(still()).toHaveLength(5) // 10 minutes: five lines, not a flood
    feed([
      result('Install Nix', { status: 'changed', host: 'pi1', data: {} }),
      { type: 'task.end', play, task: 'Install Nix' },
    ])
    vi.advanceTimersByTime(3_600_000)
    expect(still()).toHaveLength(5)
    rep.close()
  })

  it('shows the first poll line with output at once, even after empty ones', () => {
    const { rep, out, feed } = reporter(0)
    feed(start('Build', ['pi1']))
    for (const line of ['[0s]', '[1s]', '[2s] step one', '[3s] step one', '[4s] step two'])
      feed([{ type: 'host.log', play, task: 'Build', host: 'pi1', line, level: 0 }])
    expect(out.slice(1)).toEqual(['  [pi1] [0s]', '  [pi1] [2s] step one'])
    rep.close()
  })

  it('holds back async poll lines without -v and shows the latest on the schedule; -v prints them all', () => {
    for (const v of [0, 1]) {
      const { rep, out, feed } = reporter(v)
      feed(start('Build', ['pi1']))
      for (let s = 10; s <= 60; s += 10) {
        vi.advanceTimersByTime(10_000)
        feed([
          {
            type: 'host.log',
            play,
            task: 'Build',
            host: 'pi1',
            line: `[${s === 60 ? '1m00s' : `${s}s`}] step ${s}`,
            level: 0,
          },
        ])
      }
      vi.advanceTimersByTime(1_000)
      const polls = out.filter((l) => l.includes('step'))
      // the report at 30 s comes just before the poll line of 30 s: it shows the one of 20 s
      if (v === 0)
        expect(polls).toEqual([
          '  [pi1] [10s] step 10',
          'still running: Build on pi1 (30s): [20s] step 20',
          'still running: Build on pi1 (1m00s): [50s] step 50',
        ])
      else expect(polls).toHaveLength(6)
      rep.handle({ type: 'run.end', recap: {}, interrupted: false })
      rep.close()
    }
  })
})

describe('plain output: skipped loop items', () => {
  const items = (n: number, run: number[]) =>
    Array.from({ length: n }, (_, i) =>
      run.includes(i) ? { item: `i${i}`, changed: false } : { item: `nix-${i}`, skipped: true, changed: false },
    )

  it('one line per host for an all-skipped loop; every item with -v', () => {
    const r: TaskResult = {
      status: 'skipped',
      host: 'pi1',
      reason: 'all items skipped',
      data: { results: items(12, []), skipped: true },
    } as TaskResult
    const quiet = reporter(0)
    quiet.feed([result('Nix packages', r)])
    expect(quiet.out).toEqual(['skipping: [pi1] (12 items)'])
    const loud = reporter(1)
    loud.feed([result('Nix packages', r)])
    expect(loud.out).toHaveLength(12)
    expect(loud.out[0]).toBe('skipping: [pi1] => (item=nix-0)')
  })

  it("names each item by its label (loop_control's), carried beside the results", () => {
    const data = { results: [{ item: { n: 'a', big: 'x' } }, { item: { n: 'b', big: 'y' } }] }
    const r = { status: 'ok', host: 'pi1', data, itemLabels: ['a', 'b'] } as TaskResult
    const { out, feed } = reporter(0)
    feed([result('users', r)])
    expect(out).toEqual(['ok: [pi1] => (item=a)', 'ok: [pi1] => (item=b)'])
  })

  it('a loop with some items run: the skipped ones counted, the others listed', () => {
    const r = { status: 'ok', host: 'pi1', data: { results: items(4, [2]) } } as TaskResult
    const { out, feed } = reporter(0)
    feed([result('Nix packages', r)])
    expect(out).toEqual(['skipping: [pi1] (3 of 4 items)', 'ok: [pi1] => (item=i2)'])
  })
})
