/**
 * How much of one of this machine's cores a Raspberry Pi 4 is worth, for the Pi-speed targets. The yardstick is
 * sysbench 1.0.20's single-thread CPU test (`sysbench cpu --threads=1 run`, primes up to 10,000), for which a
 * Pi 4 (Cortex-A72, 1.5 GHz, 64-bit OS) is published at 1,477.83 events/s
 * (https://leoncode.co.uk/articles/raspberry-pi-benchmarks). Here the same test runs for a few seconds and its
 * events are divided by the CPU time it got (user + system from `/usr/bin/time`), not by the wall time, so a busy
 * machine does not make its cores look slow. The share is the Pi's rate over this machine's, clamped to 0.05–1.
 * Without sysbench (`apt-get install sysbench`) the share falls back to 0.5.
 *
 * @example
 * ```ts
 * const pi = piShare('auto')  // → { share: 0.53, how: 'sysbench: 2,760 events per CPU second here, Pi 4 1,478' }
 * ```
 */
import { spawnSync } from 'node:child_process'

/** sysbench 1.0.20 `cpu --threads=1`, Raspberry Pi 4 (leoncode.co.uk's table). */
export const PI4_SYSBENCH_EVENTS_PER_SEC = 1477.83
/** The share used when the machine cannot be measured. */
export const FALLBACK_SHARE = 0.5

/** A Pi-speed cap and how it was chosen. */
export interface PiShare {
  share: number
  how: string
  /** sysbench events per CPU second on this machine, when measured. */
  eventsPerCpuSec?: number
}

/** Parse `sysbench cpu` output and `/usr/bin/time -f '%U %S'` (last line) into events per CPU second. */
export function eventsPerCpuSecond(output: string): number {
  const events = /total number of events:\s+(\d+)/.exec(output)?.[1]
  const times = output.trim().split('\n').pop()?.trim().split(/\s+/).map(Number) ?? []
  const cpu = (times[0] ?? NaN) + (times[1] ?? NaN)
  return events && cpu > 0 ? Number(events) / cpu : NaN
}

/** The Pi-speed cap: a fixed share, or measured (`auto`). */
export function piShare(cap: number | 'auto', seconds = 5): PiShare {
  if (cap !== 'auto') return { share: cap, how: `set with BENCH_PI_CAP=${cap}` }
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', 'sysbench', 'cpu', '--threads=1', `--time=${seconds}`, 'run'], {
    encoding: 'utf8',
  })
  if (r.status !== 0) {
    const why = (r.error?.message ?? r.stderr).trim().split('\n')[0]
    return { share: FALLBACK_SHARE, how: `sysbench did not run (${why}): ${FALLBACK_SHARE} of a core, unmeasured` }
  }
  // time(1) writes its figures to stderr, after sysbench's own output on stdout
  return shareFrom(`${r.stdout}\n${r.stderr}`)
}

/** The share from sysbench's output (time's figures on the last line). */
export function shareFrom(out: string): PiShare {
  const rate = eventsPerCpuSecond(out)
  if (!Number.isFinite(rate))
    return { share: FALLBACK_SHARE, how: `sysbench output not understood: ${FALLBACK_SHARE} of a core, unmeasured` }
  const share = Math.min(1, Math.max(0.05, PI4_SYSBENCH_EVENTS_PER_SEC / rate))
  return {
    share: Number(share.toFixed(3)),
    eventsPerCpuSec: Math.round(rate),
    how: `sysbench cpu: ${Math.round(rate)} events per CPU second here, Raspberry Pi 4 ${PI4_SYSBENCH_EVENTS_PER_SEC}`,
  }
}
