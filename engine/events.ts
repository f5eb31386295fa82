/**
 * Typed engine events. The runner emits them; reporters (engine/report/) subscribe. The engine never imports a
 * reporter. Every event passes through the bus's masking, so no secret reaches any output channel.
 */
import type { TaskResult, TaskStatus } from './types.js'

/** Per-host counters, as Ansible's PLAY RECAP (a changed result also counts as ok). */
export interface HostRecap {
  ok: number
  changed: number
  unreachable: number
  failed: number
  skipped: number
  rescued: number
  ignored: number
}

export type EngineEvent =
  | { type: 'run.start'; playbook: string; check: boolean; diff: boolean }
  | { type: 'play.start'; play: string; hosts: string[] }
  /** `hosts`: the hosts the task runs on, each of which gets a `task.result` (`run_once`: the first host only). */
  | { type: 'task.start'; play: string; task: string; hosts: string[]; handler: boolean }
  | { type: 'host.start'; play: string; task: string; host: string }
  | { type: 'host.log'; play: string; task: string; host: string; line: string; level: number }
  | {
      type: 'task.result'
      play: string
      task: string
      host: string
      result: TaskResult
      item?: string
      handler: boolean
    }
  | { type: 'task.end'; play: string; task: string }
  | { type: 'play.end'; play: string }
  | { type: 'warning'; msg: string }
  /** `customStats`: what `set_stats` recorded, per host or for the whole run (`_run`), when it recorded any. */
  | {
      type: 'run.end'
      recap: Record<string, HostRecap>
      interrupted: boolean
      customStats?: Record<string, Record<string, unknown>>
    }

export type EventOf<T extends EngineEvent['type']> = Extract<EngineEvent, { type: T }>

/** A reporter: subscribes to events; `close` runs after `run.end` (flush output). */
export interface Reporter {
  handle(ev: EngineEvent): void
  close?(): Promise<void> | void
  /** Show a notice from the command line now (e.g. that Ctrl-C was seen), if the reporter holds the screen. */
  notice?(text: string): void
  /** The most verbose `host.log` level it shows (-1: none); unset: every level. */
  readonly logLevel?: number
}

/** Replace every known secret in every string of a value (deep). */
export type Masker = <T>(value: T) => T

/** The event bus between runner and reporters. */
export class EventBus {
  private readonly subscribers: Reporter[] = []
  private mask: Masker = (v) => v

  /** The most verbose `host.log` level any subscriber shows. */
  private logLevel = -1

  subscribe(r: Reporter): void {
    this.subscribers.push(r)
    this.logLevel = Math.max(this.logLevel, r.logLevel ?? Number.POSITIVE_INFINITY)
  }
  /** Does any subscriber show `host.log` lines of this level? (Callers skip building lines nobody reads.) */
  wants(level: number): boolean {
    return level <= this.logLevel
  }
  setMasker(m: Masker): void {
    this.mask = m
  }
  emit(ev: EngineEvent): void {
    const masked = this.mask(ev)
    for (const s of this.subscribers) s.handle(masked)
  }
  async close(): Promise<void> {
    for (const s of this.subscribers) await s.close?.()
  }
}

/** The status word Ansible prints for a result. */
export function statusWord(s: TaskStatus): string {
  return s === 'skipped' ? 'skipping' : s === 'unreachable' ? 'fatal' : s
}
