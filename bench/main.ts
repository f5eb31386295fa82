/**
 * The benchmark orchestrator (`npm run bench`). Starts loopback sshd targets, makes sure ansible-core is
 * installed, then: CLI start-up; ansible-playbook, tsplay and the floor alternating (A B F A B F …) on 1 and 10
 * hosts, first and second run each; tsplay and the floor alone on 50 and 100 hosts; all three again on Pi-speed
 * targets (CPU-capped, see cgroup.ts and calibrate.ts); tsplay and the floor on 1,000 inventory hosts over 100
 * listeners at forks 50 and 200; fact gathering; optionally CPU profiles. Prints the tables and the targets,
 * writes `bench/results/<date>.json`. Exit code 1 on any MISMATCH (a fast wrong answer is not a result), 0
 * otherwise. Settings: see bench/config.ts.
 *
 * @example
 * ```sh
 * npm run bench
 * ```
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { canRunSshd, type SshdFleet } from '../test/helpers/sshd.js'
import { Bench } from './compare.js'
import { readConfig } from './config.js'
import { REPO } from './engines.js'
import { startFleet } from './targets.js'
import { piShare, type PiShare } from './calibrate.js'
import { factsCost, profileTsplay, startup } from './extras.js'
import { benchRun } from './lifecycle.js'
import { goals, goalsTable } from './goals.js'
import type { ProfileSummary } from './profile.js'
import { commandTable, factsTable, Results, writeResult, type FactsTiming, type RunKind } from './report.js'
import { num } from './stats.js'
import { TASKS_PER_HOST } from './workload.js'

const log = (s: string) => process.stderr.write(`${s}\n`)

function quiet(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], cwd: REPO }).trim()
  } catch {
    return ''
  }
}

/** Install ansible-core with apt when `ansible-playbook` is missing. */
function ensureAnsible(): string {
  let v = quiet('ansible-playbook', ['--version'])
  if (!v) {
    log('ansible-playbook is missing: installing ansible-core with apt-get …')
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
    execFileSync('apt-get', ['update'], { stdio: 'inherit', env })
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'ansible-core'], { stdio: 'inherit', env })
    v = quiet('ansible-playbook', ['--version'])
  }
  return v.split('\n')[0] ?? ''
}

function machine(ansible: string): Record<string, unknown> {
  const os = /PRETTY_NAME="([^"]*)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? ''
  return {
    cpu: cpus()[0]?.model ?? '',
    cores: cpus().length,
    memoryGB: Math.round(totalmem() / 2 ** 30),
    os,
    kernel: release(),
    node: process.version,
    ansible,
    commit: quiet('git', ['rev-parse', '--short', 'HEAD']),
    uncommittedChanges: quiet('git', ['status', '--porcelain', '--untracked-files=no']).split('\n').filter(Boolean)
      .length,
    loadAverageAtStart: loadavg().map((x) => Number(x.toFixed(2))),
    // Node reads the whole CA bundle before any JavaScript runs when this is set: every engine's start pays for it
    nodeExtraCaCerts: Boolean(process.env.NODE_EXTRA_CA_CERTS),
  }
}

/** Run the whole benchmark; resolves with the process exit code. */
export async function main(): Promise<number> {
  const config = readConfig(process.env, REPO)
  const can = canRunSshd()
  if (!can.ok) {
    log(`bench: ${can.why}`)
    return 1
  }
  // every temp folder from here on (the engines' too) in the run's own folder, removed at exit, Ctrl-C or SIGTERM
  const run = benchRun()
  const engines = config.engines
  const ansible = engines.includes('ansible') ? ensureAnsible() : '(ansible not run)'
  const info = machine(ansible)
  log(`bench: ${JSON.stringify(config)}\nmachine: ${JSON.stringify(info)}`)

  // tsplay's parse and code caches: the benchmark's own, removed at the end (a user's later runs read them warm)
  process.env.TSPLAY_CACHE_DIR = mkdtempSync(join(tmpdir(), 'tsplay-bench-cache-'))

  log('\n== start-up')
  const startupRows = engines.includes('tsplay') ? await startup(config.startupRuns) : []
  log(commandTable(startupRows))

  const pi: PiShare | undefined = config.piCap === 0 || !config.piSizes.length ? undefined : piShare(config.piCap)
  if (pi) log(`\n== Pi-speed targets: ${pi.share} of one core each (${pi.how})`)
  const count = Math.max(
    ...config.sizes,
    ...config.scale,
    ...config.facts,
    ...(pi ? config.piSizes : []),
    config.huge ? Math.min(config.huge, config.hugeListeners) : 1,
  )
  log(`\n== starting ${count} loopback sshd targets`)
  const fleet: SshdFleet = await startFleet(count)
  const workDir = mkdtempSync(join(tmpdir(), 'tsplay-bench-'))
  const results = new Results()
  const bench = new Bench(fleet, workDir, config, results)
  run.onStop(async () => {
    await fleet.stop()
    rmSync(workDir, { recursive: true, force: true })
    await bench.targetCpu.detach()
  })

  const factsRows: FactsTiming[] = []
  const profiles: Record<string, Record<RunKind, ProfileSummary | undefined>> = {}
  const t0 = Date.now()
  try {
    for (const n of config.sizes) {
      log(`\n== ${n} host(s) × ${TASKS_PER_HOST} tasks: ${engines.join(', ')} alternating, ${config.runs} run(s)`)
      for (let i = 0; i < config.runs; i++) for (const e of engines) await bench.iteration(e, n)
    }
    const scaleEngines = engines.filter((e) => e !== 'ansible')
    for (const n of config.scale) {
      log(`\n== ${n} hosts × ${TASKS_PER_HOST} tasks: ${scaleEngines.join(', ')} alternating, ${config.runs} run(s)`)
      for (let i = 0; i < config.runs; i++) for (const e of scaleEngines) await bench.iteration(e, n)
    }
    if (pi && bench.targetCpu.canCap) {
      bench.targetCpu.cap(pi.share)
      try {
        for (const n of config.piSizes) {
          log(`\n== ${n} Pi-speed host(s) (${pi.share} core each) × ${TASKS_PER_HOST} tasks: ${engines.join(', ')}`)
          for (let i = 0; i < config.runs; i++) for (const e of engines) await bench.iteration(e, n)
        }
      } finally {
        bench.targetCpu.cap(undefined)
      }
    } else if (pi) log('\n== no Pi-speed rows: the targets cannot be capped here (no cgroup cpu controller)')
    for (const forks of config.huge ? config.hugeForks : []) {
      const n = config.huge
      const l = Math.min(n, config.hugeListeners)
      log(
        `\n== ${n} hosts on ${l} sshd listeners, forks ${forks}: ${scaleEngines.join(', ')}, ${config.hugeRuns} run(s)`,
      )
      for (let i = 0; i < config.hugeRuns; i++)
        for (const e of scaleEngines) await bench.iteration(e, n, undefined, forks)
    }
    log('\n== fact gathering')
    for (const n of config.facts) {
      for (const e of engines.filter((x): x is 'ansible' | 'tsplay' => x !== 'floor')) {
        // tsplay's fact gathering is small next to the run's noise: more samples (they are cheap)
        // one-host runs are short and vary most: more pairs there
        const runs = e === 'tsplay' ? Math.max(config.runs, n === 1 ? 15 : 5) : config.runs
        factsRows.push(await factsCost(bench, e, n, runs))
      }
    }
    if (config.profile && engines.includes('tsplay')) {
      for (const n of config.sizes) {
        log(`\n== CPU profile of tsplay on ${n} host(s) (bench/.profiles/${n}-first, ${n}-second)`)
        profiles[n] = await profileTsplay(bench, n)
      }
    }
  } finally {
    await run.stop()
  }

  const goalRows = goals(results.cases(), results.ratios(), startupRows, factsRows, config.forks)
  const out = [
    `\n== ${TASKS_PER_HOST} tasks per host, forks ${config.forks}; ${info.cores as number} cores ` +
      `(${info.cpu as string}); ${info.os as string}; node ${process.version}; ${ansible}`,
    results.table(),
    '\n== start-up',
    commandTable(startupRows),
    '\n== fact gathering (gather_facts: true, and with gather_subset: [min], against false, same one-task play; ' +
      "added: median of the rounds' differences)",
    factsTable(factsRows),
    '\n== targets',
    goalsTable(goalRows),
  ]
  for (const [n, p] of Object.entries(profiles)) {
    for (const run of ['first', 'second'] as const) {
      const s = p[run]
      if (!s) continue
      out.push(
        `\n== where tsplay spends CPU, ${n} host(s), ${run} run (self time; profile span ${num(s.totalMs, 0)} ms)`,
      )
      out.push([...s.special, ...s.byFile].map((x) => `  ${num(x.ms, 0).padStart(6)} ms  ${x.name}`).join('\n'))
      out.push(
        '  top functions:',
        s.byFunction
          .slice(0, 12)
          .map((x) => `  ${num(x.ms, 0).padStart(6)} ms  ${x.name}`)
          .join('\n'),
      )
    }
  }
  if (bench.mismatches.length > 0)
    out.push(
      `\n!!! ${bench.mismatches.length} MISMATCH(ES): these figures do not count:`,
      ...bench.mismatches.map((m) => `!!! MISMATCH: ${m}`),
    )
  process.stdout.write(`${out.join('\n')}\n`)

  const file = writeResult(config.outDir, {
    date: new Date().toISOString(),
    durationSec: Math.round((Date.now() - t0) / 1000),
    machine: { ...info, loadAverageAtEnd: loadavg().map((x) => Number(x.toFixed(2))) },
    config,
    ...(pi ? { piTargets: pi } : {}),
    tasksPerHost: TASKS_PER_HOST,
    cases: results.cases(),
    ratios: results.ratios(),
    startup: startupRows,
    facts: factsRows,
    goals: goalRows,
    profiles,
    mismatches: bench.mismatches,
  })
  log(`\nresults written to ${file}`)
  return bench.mismatches.length > 0 ? 1 : 0
}
