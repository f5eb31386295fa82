/**
 * The performance targets, checked against a benchmark's figures: each one met, missed, or not
 * measured in this invocation (quick mode, no ansible). Printed under the table and stored in the JSON.
 *
 * @example
 * ```ts
 * goals(results.cases(), results.ratios(), startupRows, factsRows) // → [{ goal: '10 hosts, second run: ansible/tsplay
 * ≥ 30×', … }]
 * ```
 */
import type { CaseResult, CommandTiming, FactsTiming, RatioRow } from './report.js'
import { num, table } from './stats.js'

/** One target and how this run did. */
export interface Goal {
  goal: string
  measured: string
  status: 'met' | 'MISSED' | 'not measured'
}

const judge = (x: number, ok: (x: number) => boolean): Goal['status'] =>
  Number.isFinite(x) ? (ok(x) ? 'met' : 'MISSED') : 'not measured'

/** The host counts where tsplay is held to the floor's wall time and CPU. */
const NEAR_FLOOR = [10, 100]
/** tsplay over the floor, at most: wall time (second / first run), controller CPU, target CPU. */
export const LIMITS = { wallSecond: 1.3, wallFirst: 1.5, controllerCpu: 1.5, targetCpu: 1.25 }
/** Peak controller RSS at 100 and at 1,000 hosts, MB. */
const RSS_100_MB = 300
const RSS_HUGE_MB = 500

/** Evaluate every performance target. `forks`: the configured forks (rows with other forks are the big rows). */
export function goals(
  cases: readonly CaseResult[],
  ratios: readonly RatioRow[],
  startup: readonly CommandTiming[],
  facts: readonly FactsTiming[],
  forks = 10,
): Goal[] {
  const plain = (x: { targets?: string; forks?: number }) => x.targets === undefined && x.forks === undefined
  const r = (h: number, run: string) => ratios.find((x) => x.hosts === h && x.run === run && plain(x))
  const out: Goal[] = []
  const add = (goal: string, x: number, unit: string, ok: (x: number) => boolean, digits = 1) =>
    out.push({ goal, measured: Number.isFinite(x) ? `${num(x, digits)}${unit}` : '–', status: judge(x, ok) })
  add(
    '10 hosts × 30 tasks, second run: ansible/tsplay ≥ 30×',
    r(10, 'second')?.ansibleOverTsplay ?? NaN,
    '×',
    (x) => x >= 30,
  )
  add(
    '10 hosts × 30 tasks, first run: ansible/tsplay ≥ 15×',
    r(10, 'first')?.ansibleOverTsplay ?? NaN,
    '×',
    (x) => x >= 15,
  )
  for (const row of ratios.filter(plain)) {
    const near = NEAR_FLOOR.includes(row.hosts)
    const wall = near ? (row.run === 'second' ? LIMITS.wallSecond : LIMITS.wallFirst) : 2
    const what = `${row.hosts} host(s), ${row.run} run`
    add(`${what}: tsplay/floor wall ≤ ${wall}×`, row.tsplayOverFloor, '×', (x) => x <= wall, 2)
    if (!near) continue
    const cpu = LIMITS.controllerCpu
    const target = LIMITS.targetCpu
    add(`${what}: tsplay/floor controller CPU ≤ ${cpu}×`, row.cpuTsplayOverFloor ?? NaN, '×', (x) => x <= cpu, 2)
    add(
      `${what}: tsplay/floor target CPU ≤ ${target}×`,
      row.targetCpuTsplayOverFloor ?? NaN,
      '×',
      (x) => x <= target,
      2,
    )
  }
  const t = (h: number, run: string, f?: number) =>
    cases.find((c) => c.engine === 'tsplay' && c.hosts === h && c.run === run && !c.targets && c.forks === f)
  for (const run of ['first', 'second']) {
    const big = t(100, run)
    const ten = t(10, run)
    add(
      `100 hosts, ${run} run: peak RSS < ${RSS_100_MB} MB`,
      big ? big.rssKb.max / 1024 : NaN,
      ' MB',
      (x) => x < RSS_100_MB,
      0,
    )
    add(
      `100 hosts, ${run} run: time per host ≤ at 10 hosts`,
      big && ten ? big.wall.median / 100 / (ten.wall.median / 10) : NaN,
      '× the 10-host figure',
      (x) => x <= 1,
      2,
    )
    const huge = cases.filter((c) => c.engine === 'tsplay' && c.run === run && !c.targets && c.forks !== undefined)
    for (const c of huge) {
      const what = `${c.hosts} hosts, forks ${c.forks ?? forks}, ${run} run`
      add(`${what}: peak RSS < ${RSS_HUGE_MB} MB`, c.rssKb.max / 1024, ' MB', (x) => x < RSS_HUGE_MB, 0)
      add(
        `${what}: time per host-task ≤ at 100 hosts`,
        big ? c.msPerTaskHost / big.msPerTaskHost : NaN,
        '× the 100-host figure',
        (x) => x <= 1,
        2,
      )
    }
  }
  const s = (what: string) => startup.find((x) => x.what.startsWith(what))
  const help = s('tsplay --help')
  const val = s('tsplay validate')
  add('tsplay --help < 150 ms', help ? help.wall.median : NaN, ' ms', (x) => x < 150, 0)
  if (val && val.exitCode !== 0)
    out.push({
      goal: 'tsplay validate playbooks/hydra-pi.yml < 300 ms',
      measured: `exit code ${val.exitCode}`,
      status: 'MISSED',
    })
  else add('tsplay validate playbooks/hydra-pi.yml < 300 ms', val ? val.wall.median : NaN, ' ms', (x) => x < 300, 0)
  for (const f of facts.filter((x) => x.engine === 'tsplay')) {
    add(`fact gathering, ${f.hosts} host(s): < 50 ms per host`, f.addedPerHostMs, ' ms/host', (x) => x < 50, 0)
  }
  return out
}

export function goalsTable(rows: readonly Goal[]): string {
  return table([['target', 'measured', 'status'], ...rows.map((g) => [g.goal, g.measured, g.status])])
}
