/**
 * Custom stats (`set_stats`), kept as Ansible keeps them for the end of the run: per host, or for the whole run
 * under `_run`. With `aggregate` a new value adds to the old one (numbers add, strings and lists join, maps merge
 * deeply); a value of another type than the old one is dropped, as Ansible drops it. Reporters get them with
 * `run.end` (the JSON reporter's recap line, as `custom_stats`).
 *
 * @example
 * ```ts
 * const custom: CustomStats = {}
 * updateStats(custom, '_run', { installed: 2 }, true)
 * updateStats(custom, '_run', { installed: 3 }, true) // custom._run.installed === 5
 * ```
 */
import type { Task } from '../ast.js'
import type { TaskResult } from '../types.js'
import type { RunContext } from './context.js'

/** Host name (or `_run`) → stat name → value. */
export type CustomStats = Record<string, Record<string, unknown>>

/** What `set_stats` registers under `ansible_stats`. */
export interface StatsRequest {
  data: Record<string, unknown>
  per_host: boolean
  aggregate: boolean
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** The kind a value has for Ansible's type check (JSON numbers are one kind). */
function kind(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'list'
  return typeof v
}

/** Ansible's deep merge of two maps: `b` wins, maps merge, lists are replaced. Pure. */
export function mergeMaps(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a }
  for (const [k, v] of Object.entries(b)) out[k] = isMap(out[k]) && isMap(v) ? mergeMaps(out[k], v) : v
  return out
}

/** Add `value` to the old stat as Ansible's `+`/merge does; undefined when the types do not match. Pure. */
function combine(old: unknown, value: unknown): unknown {
  // a boolean adds to a number (Python's bool is an int), not the other way round
  if (typeof old === 'number' && (typeof value === 'number' || typeof value === 'boolean')) return old + Number(value)
  if (typeof old === 'boolean' && typeof value === 'boolean') return Number(old) + Number(value)
  if (kind(old) !== kind(value)) return undefined
  if (isMap(old) && isMap(value)) return mergeMaps(old, value)
  if (Array.isArray(old) && Array.isArray(value)) return [...(old as unknown[]), ...(value as unknown[])]
  if (typeof old === 'string') return old + String(value)
  return undefined
}

/** Set (or with `aggregate`, add to) the stats of `who` (a host or `_run`). */
export function updateStats(custom: CustomStats, who: string, data: Record<string, unknown>, aggregate: boolean) {
  const mine = (custom[who] ??= {})
  for (const [k, v] of Object.entries(data)) {
    if (!aggregate || !(k in mine)) mine[k] = v
    else {
      const next = combine(mine[k], v)
      if (next !== undefined) mine[k] = next
    }
  }
}

/** The requests a result carries: its own, or each loop item's. */
function requests(r: TaskResult): StatsRequest[] {
  const items = Array.isArray(r.data.results) ? (r.data.results as unknown[]) : [r.data]
  return items
    .map((i) => (isMap(i) && isMap(i.ansible_stats) ? (i.ansible_stats as unknown as StatsRequest) : undefined))
    .filter((s): s is StatsRequest => s !== undefined && isMap(s.data) && Object.keys(s.data).length > 0)
}

/**
 * Record the stats a task's result asks for, as Ansible's strategy does: per host for the task's host (every host
 * of the task under `run_once`), else for the run. A failed result records nothing.
 */
export function recordStats(rc: RunContext, task: Task, r: TaskResult, hosts: readonly string[]): void {
  if ((r.module ?? task.module) !== 'set_stats' || (r.status !== 'ok' && r.status !== 'changed')) return
  for (const s of requests(r)) {
    const who = s.per_host ? hosts : ['_run']
    for (const h of who) updateStats((rc.run.stats ??= {}), h, s.data, s.aggregate)
  }
}
