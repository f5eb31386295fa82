/**
 * The benchmark's results: collected samples per case, the printed table (wall time median and range, peak RSS,
 * per-task-per-host cost, ratios ansible/tsplay and tsplay/floor from the same invocation), and the JSON record
 * written to `bench/results/<date>.json` so later changes can be compared.
 *
 * @example
 * ```ts
 * const r = new Results()
 * r.add('tsplay', 10, 'second', { wallMs: 512, peakRssKb: 90_000, cpuMs: 400, targetCpuMs: 300 })
 * console.log(r.table())
 * ```
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { num, ratio, secs, summarize, table, type Summary } from './stats.js'
import { TASKS_PER_HOST } from './workload.js'

export type Engine = 'ansible' | 'tsplay' | 'floor'
export type RunKind = 'first' | 'second'

/** One measured process. */
export interface Sample {
  wallMs: number
  peakRssKb: number
  /** CPU time of the engine on the controller (user + system, with waited-for children). */
  cpuMs: number
  /** CPU time spent on the targets (the sshd sessions and everything they ran), summed over hosts. */
  targetCpuMs: number
}

/**
 * What sets a case apart besides engine, hosts and run: Pi-speed targets (each sshd listener capped to a
 * fraction of one core, see bench/cgroup.ts) and a fork count other than the configured one (the 1,000-host rows).
 */
export interface Variant {
  targets?: 'pi'
  forks?: number
}

/** A case's host count with its variant, for tables: `10`, `10 Pi`, `1000 f200`. */
export function hostsLabel(c: { hosts: number } & Variant): string {
  return [String(c.hosts), c.targets === 'pi' ? 'Pi' : '', c.forks ? `f${c.forks}` : ''].filter(Boolean).join(' ')
}

const variantOf = (c: Variant): Variant => ({
  ...(c.targets ? { targets: c.targets } : {}),
  ...(c.forks ? { forks: c.forks } : {}),
})
const sameVariant = (a: Variant, b: Variant) => a.targets === b.targets && a.forks === b.forks

/** All samples of one engine on one host count and run kind. */
export interface CaseResult extends Variant {
  engine: Engine
  hosts: number
  run: RunKind
  samples: Sample[]
  wall: Summary
  rssKb: Summary
  cpuMs: Summary
  targetCpuMs: Summary
  msPerTaskHost: number
}

/** Ratios for one host count and run kind, from medians measured in the same invocation. */
export interface RatioRow extends Variant {
  hosts: number
  run: RunKind
  ansibleOverTsplay: number
  tsplayOverFloor: number
  /** Controller CPU, tsplay over the floor (medians). */
  cpuTsplayOverFloor?: number
  /** Target CPU, tsplay over the floor (medians). */
  targetCpuTsplayOverFloor?: number
  /** Target CPU, ansible over tsplay (medians). */
  targetCpuAnsibleOverTsplay?: number
}

const ENGINES: Engine[] = ['ansible', 'tsplay', 'floor']

export class Results {
  private readonly samples = new Map<string, Sample[]>()
  /** Cases (hosts/run/variant) where an engine was wrong: no ratio is reported for them. */
  private readonly refused = new Set<string>()

  /** No ratios for this host count, run and variant: an engine reported wrong counts or left different files. */
  refuse(hosts: number, run: RunKind, v: Variant = {}): void {
    this.refused.add(`${hosts}/${run}/${v.targets ?? ''}/${v.forks ?? ''}`)
  }

  add(engine: Engine, hosts: number, run: RunKind, s: Sample, v: Variant = {}): void {
    const k = `${engine}/${hosts}/${run}/${v.targets ?? ''}/${v.forks ?? ''}`
    this.samples.set(k, [...(this.samples.get(k) ?? []), s])
  }

  /** Every case with its summaries, ordered by host count, run kind, engine. */
  cases(): CaseResult[] {
    const out: CaseResult[] = []
    for (const [k, samples] of this.samples) {
      const [engine, hosts, run, targets, forks] = k.split('/') as [Engine, string, RunKind, string, string]
      const wall = summarize(samples.map((s) => s.wallMs))
      out.push({
        engine,
        hosts: Number(hosts),
        run,
        ...(targets === 'pi' ? { targets } : {}),
        ...(forks ? { forks: Number(forks) } : {}),
        samples,
        wall,
        rssKb: summarize(samples.map((s) => s.peakRssKb)),
        cpuMs: summarize(samples.map((s) => s.cpuMs)),
        targetCpuMs: summarize(samples.map((s) => s.targetCpuMs)),
        msPerTaskHost: wall.median / (TASKS_PER_HOST * Number(hosts)),
      })
    }
    const order = (c: CaseResult) =>
      (c.targets === 'pi' ? 1e9 : 0) +
      c.hosts * 1e5 +
      (c.forks ?? 0) * 100 +
      (c.run === 'first' ? 0 : 10) +
      ENGINES.indexOf(c.engine)
    return out.sort((a, b) => order(a) - order(b))
  }

  ratios(): RatioRow[] {
    const cases = this.cases()
    const find = (e: Engine, c: CaseResult) =>
      cases.find((x) => x.engine === e && x.hosts === c.hosts && x.run === c.run && sameVariant(x, c))
    const rows: RatioRow[] = []
    for (const c of cases) {
      if (c.engine !== 'tsplay') continue
      if (this.refused.has(`${c.hosts}/${c.run}/${c.targets ?? ''}/${c.forks ?? ''}`)) {
        rows.push({ hosts: c.hosts, run: c.run, ...variantOf(c), ansibleOverTsplay: NaN, tsplayOverFloor: NaN })
        continue
      }
      const a = find('ansible', c)
      const f = find('floor', c)
      rows.push({
        hosts: c.hosts,
        run: c.run,
        ...variantOf(c),
        ansibleOverTsplay: ratio(a?.wall, c.wall),
        tsplayOverFloor: ratio(c.wall, f?.wall),
        cpuTsplayOverFloor: ratio(c.cpuMs, f?.cpuMs),
        targetCpuTsplayOverFloor: ratio(c.targetCpuMs, f?.targetCpuMs),
        targetCpuAnsibleOverTsplay: ratio(a?.targetCpuMs, c.targetCpuMs),
      })
    }
    return rows
  }

  /** The ratio row of a case (same host count, run and variant). */
  static ratioOf(ratios: readonly RatioRow[], c: CaseResult): RatioRow | undefined {
    return ratios.find((x) => x.hosts === c.hosts && x.run === c.run && sameVariant(x, c))
  }

  /** The main table. */
  table(): string {
    const ratios = this.ratios()
    const rows: string[][] = [
      [
        'hosts',
        'run',
        'engine',
        'n',
        'wall median s',
        'min–max s',
        'peak RSS MB',
        'CPU s',
        'target CPU s',
        'ms/task/host',
        'ansible/tsplay',
        'tsplay/floor',
        'CPU tsplay/floor: controller, targets',
      ],
    ]
    for (const c of this.cases()) {
      const r = c.engine === 'tsplay' ? Results.ratioOf(ratios, c) : undefined
      rows.push([
        hostsLabel(c),
        c.run,
        c.engine,
        String(c.wall.n),
        secs(c.wall.median),
        `${secs(c.wall.min)}–${secs(c.wall.max)}`,
        num(c.rssKb.median / 1024, 0),
        secs(c.cpuMs.median),
        secs(c.targetCpuMs.median),
        num(c.msPerTaskHost, 2),
        r && Number.isFinite(r.ansibleOverTsplay) ? `${num(r.ansibleOverTsplay)}×` : '',
        r && Number.isFinite(r.tsplayOverFloor) ? `${num(r.tsplayOverFloor, 2)}×` : '',
        r ? cpuRatios(r) : '',
      ])
    }
    return table(rows)
  }
}

/** `1.40×, 1.20×`: controller and target CPU of tsplay over the floor's (empty without a floor). */
export function cpuRatios(r: RatioRow): string {
  const f = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? `${num(x, 2)}×` : '')
  const c = f(r.cpuTsplayOverFloor)
  const t = f(r.targetCpuTsplayOverFloor)
  return c || t ? `${c || '–'}, ${t || '–'}` : ''
}

/** A timed command outside the playbook runs (start-up, validate). */
export interface CommandTiming {
  what: string
  exitCode: number
  wall: Summary
  rssKb: Summary
}

/** Fact gathering: the added wall time of `gather_facts: true`, in all and per host. */
export interface FactsTiming {
  engine: 'ansible' | 'tsplay'
  hosts: number
  withoutMs: Summary
  withMs: Summary
  addedMs: number
  addedPerHostMs: number
  /** The same play with `gather_subset: [min]` (results before 2026-12-07 have none). */
  minMs?: Summary
  minAddedPerHostMs?: number
}

export function commandTable(rows: readonly CommandTiming[]): string {
  return table([
    ['command', 'n', 'median ms', 'min–max ms', 'peak RSS MB', 'exit'],
    ...rows.map((r) => [
      r.what,
      String(r.wall.n),
      num(r.wall.median, 0),
      `${num(r.wall.min, 0)}–${num(r.wall.max, 0)}`,
      num(r.rssKb.median / 1024, 0),
      String(r.exitCode),
    ]),
  ])
}

export function factsTable(rows: readonly FactsTiming[]): string {
  return table([
    ['engine', 'hosts', 'gather_facts false s', 'true s', 'added s', 'added per host ms', 'min: added per host ms'],
    ...rows.map((r) => [
      r.engine,
      String(r.hosts),
      secs(r.withoutMs.median),
      secs(r.withMs.median),
      secs(r.addedMs),
      num(r.addedPerHostMs, 0),
      r.minAddedPerHostMs === undefined ? '–' : num(r.minAddedPerHostMs, 0),
    ]),
  ])
}

/** Write `record` as `DIR/<date>.json` (through a temp file) and return the path. */
export function writeResult(dir: string, record: unknown, date = new Date()): string {
  mkdirSync(dir, { recursive: true })
  const file = join(
    dir,
    `${date
      .toISOString()
      .replace(/:/g, '-')
      .replace(/\.\d+Z$/, 'Z')}.json`,
  )
  writeFileSync(`${file}.tmp`, `${JSON.stringify(record, null, 2)}\n`)
  renameSync(`${file}.tmp`, file)
  return file
}
