/**
 * A benchmark result file as Markdown tables, for the README's performance section (docs/performance.md).
 *
 * @example
 * ```sh
 * node bench/.build/bench/markdown.js bench/results/2026-11-26T06-40-00Z.json
 * ```
 */
import { readFileSync } from 'node:fs'
import type { Goal } from './goals.js'
import {
  cpuRatios,
  hostsLabel,
  Results,
  type CaseResult,
  type CommandTiming,
  type FactsTiming,
  type RatioRow,
} from './report.js'
import { num, secs } from './stats.js'

/** The parts of a result file used here (see main.ts for the whole record). */
export interface ResultRecord {
  date: string
  machine: Record<string, unknown>
  config: { runs: number; forks: number }
  /** The Pi-speed cap of the capped rows, and how it was chosen. */
  piTargets?: { share: number; how: string }
  tasksPerHost: number
  cases: CaseResult[]
  ratios: RatioRow[]
  startup: CommandTiming[]
  facts: FactsTiming[]
  goals: Goal[]
  mismatches: string[]
}

const row = (cells: readonly string[]) => `| ${cells.join(' | ')} |`
const md = (head: readonly string[], rows: readonly (readonly string[])[]) =>
  [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n')

/** All tables of a result, with a line naming the machine. */
export function markdown(r: ResultRecord): string {
  const m = r.machine
  const ratio = (c: CaseResult) => Results.ratioOf(r.ratios, c)
  const cases = md(
    [
      'hosts',
      'run',
      'engine',
      'wall median',
      'min–max',
      'peak RSS',
      'controller CPU',
      'target CPU',
      'per task per host',
      'ansible / tsplay',
      'tsplay / floor',
      'CPU tsplay / floor: controller, targets',
    ],
    r.cases.map((c) => {
      const x = c.engine === 'tsplay' ? ratio(c) : undefined
      return [
        hostsLabel(c),
        c.run,
        c.engine === 'tsplay' ? '**tsplay**' : c.engine,
        `${secs(c.wall.median)} s`,
        `${secs(c.wall.min)}–${secs(c.wall.max)} s`,
        `${num(c.rssKb.median / 1024, 0)} MB`,
        `${secs(c.cpuMs.median)} s`,
        `${secs(c.targetCpuMs.median)} s`,
        `${num(c.msPerTaskHost, 1)} ms`,
        x && Number.isFinite(x.ansibleOverTsplay) ? `**${num(x.ansibleOverTsplay)}×**` : '',
        x && Number.isFinite(x.tsplayOverFloor) ? `${num(x.tsplayOverFloor, 2)}×` : '',
        x ? cpuRatios(x) : '',
      ]
    }),
  )
  const startup = md(
    ['command', 'median', 'min–max', 'peak RSS'],
    r.startup.map((s) => [
      `\`${s.what}\``,
      `${num(s.wall.median, 0)} ms`,
      `${num(s.wall.min, 0)}–${num(s.wall.max, 0)} ms`,
      `${num(s.rssKb.median / 1024, 0)} MB`,
    ]),
  )
  const facts = md(
    ['engine', 'hosts', 'gather_facts: false', 'true', 'added per host', 'with `gather_subset: [min]`'],
    r.facts.map((f) => [
      f.engine,
      String(f.hosts),
      `${secs(f.withoutMs.median)} s`,
      `${secs(f.withMs.median)} s`,
      `${num(f.addedPerHostMs, 0)} ms`,
      f.minAddedPerHostMs === undefined ? '–' : `${num(f.minAddedPerHostMs, 0)} ms`,
    ]),
  )
  const goals = md(
    ['target', 'measured', ''],
    r.goals.map((g) => [g.goal, g.measured, g.status]),
  )
  return [
    `Measured ${r.date.slice(0, 16).replace('T', ' ')} UTC on ${String(m.cores)} cores (${String(m.cpu)}), ` +
      `${String(m.memoryGB)} GB, ${String(m.os)}, ` +
      `Node.js ${String(m.node)}, ${String(m.ansible)}; commit ${String(m.commit)}; median of ` +
      `${r.config.runs} runs, forks ${r.config.forks}, ` +
      `${r.tasksPerHost} tasks per host; load average ${JSON.stringify(m.loadAverageAtStart)} at the start` +
      (m.loadAverageAtEnd ? `, ${JSON.stringify(m.loadAverageAtEnd)} at the end` : '') +
      '.' +
      (m.nodeExtraCaCerts
        ? ' NODE_EXTRA_CA_CERTS was set: every Node.js process (tsplay and the floor alike) read the CA bundle at' +
          ' its start, the same CPU added to both engines of each ratio.'
        : '') +
      (r.piTargets
        ? ` Rows marked *Pi*: each target capped at ${r.piTargets.share} of one core (${r.piTargets.how}).`
        : ''),
    '',
    cases,
    '',
    startup,
    '',
    ...(r.facts.length ? [facts, ''] : []), // a result without the facts cases has no facts table (no empty table)
    goals,
    ...(r.mismatches.length
      ? [
          '',
          `**${r.mismatches.length} mismatch(es)** — these figures do not count:`,
          ...r.mismatches.map((x) => `- ${x}`),
        ]
      : []),
    '',
  ].join('\n')
}

if (process.argv[1]?.endsWith('markdown.js') && process.argv[2]) {
  process.stdout.write(markdown(JSON.parse(readFileSync(process.argv[2], 'utf8')) as ResultRecord))
}
