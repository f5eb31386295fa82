/**
 * "Still running" lines for plain output: a host that has been on one task for a while is named with its elapsed
 * time, on a slowing schedule (30 s, 1 m, 2 m, 5 m, then every 5 m), so a CI log shows a long step is alive without
 * a flood. Hosts due at the same moment on the same task share one line. An async job's poll lines (`[2m05s] …`,
 * one per poll) are held back the same way: the first (and the first with output) is printed, later ones ride on
 * the next "still running" line.
 *
 * @example
 * ```
 * still running: nix : Install Nix on pi1, pi2 (2m00s)
 * still running: hydra : Build Hydra on pi1 (5m00s): [4m58s] building '/nix/store/…-hydra.drv'
 * ```
 */
import { formatElapsed } from '../run/async.js'

/** Seconds on a task at which a host is reported; after the last, every `EVERY` seconds. */
export const REPORT_AT = [30, 60, 120, 300]
const EVERY = 300

interface Running {
  task: string
  since: number
  /** How many reports were made for this host on this task. */
  reports: number
  /** The latest held-back poll line. */
  tick?: string
  ticks: number
  /** A poll line with some of the job's output was printed. */
  shownOutput?: boolean
}

/** An async poll line as the engine writes it: `[3m05s] last output line`. */
export function isPollLine(line: string): boolean {
  return /^\[\d+(h\d\dm|m\d\ds|s)\]/.test(line)
}

export class ProgressLines {
  private readonly running = new Map<string, Running>()
  private timer?: NodeJS.Timeout

  /** `write` gets whole lines; `tickMs` is how often due hosts are looked for. */
  constructor(
    private readonly write: (line: string) => void,
    private readonly tickMs = 1000,
  ) {}

  start(host: string, task: string): void {
    this.running.set(host, { task, since: Date.now(), reports: 0, ticks: 0 })
    this.timer ??= setInterval(() => this.report(), this.tickMs)
    this.timer.unref() // never keeps tsplay alive
  }

  /**
   * A poll line of `host`: true if it is to be printed now (the first of its task, and the first that shows some
   * of the job's output), false if held back for the next "still running" line.
   */
  poll(host: string, line: string): boolean {
    const r = this.running.get(host)
    if (!r) return true
    r.ticks++
    const output = line.replace(/^\[[^\]]*\]\s*/, '') !== ''
    if (r.ticks === 1 || (output && !r.shownOutput)) {
      r.shownOutput ||= output
      return true
    }
    r.tick = line
    return false
  }

  done(host: string): void {
    this.running.delete(host)
  }

  /** The task ended: its hosts are no longer running. */
  taskEnded(task: string): void {
    for (const [h, r] of this.running) if (r.task === task) this.running.delete(h)
  }

  stop(): void {
    this.running.clear()
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
  }

  private due(r: Running, now: number): boolean {
    const at =
      r.reports < REPORT_AT.length
        ? REPORT_AT[r.reports]
        : REPORT_AT[REPORT_AT.length - 1] + EVERY * (r.reports - REPORT_AT.length + 1)
    return now - r.since >= at * 1000
  }

  /** Write the lines of the hosts now due: one per task for plain hosts, one per host with a held poll line. */
  report(now = Date.now()): void {
    const groups = new Map<string, { hosts: string[]; secs: number }>()
    for (const [h, r] of this.running) {
      if (!this.due(r, now)) continue
      r.reports++
      const secs = Math.floor((now - r.since) / 1000)
      if (r.tick) {
        this.write(`still running: ${r.task} on ${h} (${formatElapsed(secs)}): ${r.tick}`)
        r.tick = undefined
        continue
      }
      const g = groups.get(r.task) ?? { hosts: [], secs: 0 }
      g.hosts.push(h)
      g.secs = Math.max(g.secs, secs)
      groups.set(r.task, g)
    }
    for (const [task, g] of groups)
      this.write(`still running: ${task} on ${g.hosts.join(', ')} (${formatElapsed(g.secs)})`)
  }
}
