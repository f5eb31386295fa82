/**
 * The measures besides the playbook runs: CLI start-up (`tsplay --help`, `tsplay validate` of the Hydra playbook,
 * median of N runs), fact gathering per host (the same one-task play with `gather_facts: true` and `false`,
 * the difference divided by the hosts), and CPU profiles of tsplay runs (where the engine spends its time).
 *
 * @example
 * ```ts
 * const rows = await startup(10)          // [{ what: 'tsplay --help', wall: { median: 95, … } }, …]
 * const facts = await factsCost(bench, 'tsplay', 10, 3)
 * ```
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Bench } from './compare.js'
import { REPO, timed } from './engines.js'
import { summarizeProfile, type CpuProfile, type ProfileSummary } from './profile.js'
import type { CommandTiming, FactsTiming, RunKind } from './report.js'
import { summarize } from './stats.js'
import { freshRoot, wipe } from './targets.js'
import { factsPlaybookYaml } from './workload.js'

/**
 * `tsplay --help` and `tsplay validate playbooks/hydra-pi.yml` (from the checkout), alternating, `runs` times each,
 * with `node -e 0` beside them: what Node's own start-up costs on this machine right now. `validate` runs with
 * tsplay's parse and code caches as a user's second and later runs have them (filled by one run first, not
 * counted), and with empty ones (a first run, or one after the files or tsplay changed).
 */
export async function startup(runs: number): Promise<CommandTiming[]> {
  const tsplay = join(REPO, 'bin/tsplay.js')
  const validate = [tsplay, 'validate', 'playbooks/hydra-pi.yml']
  const cmds: [string, string[], 'warm' | 'cold' | undefined][] = [
    ['node -e 0 (Node.js start-up alone)', ['-e', '0'], undefined],
    ['tsplay --help', [tsplay, '--help'], undefined],
    ['tsplay validate playbooks/hydra-pi.yml', validate, 'warm'],
    ['tsplay validate playbooks/hydra-pi.yml, caches empty', validate, 'cold'],
  ]
  const warm = mkdtempSync(join(tmpdir(), 'tsplay-bench-warm-'))
  const cold = mkdtempSync(join(tmpdir(), 'tsplay-bench-cold-'))
  const cacheFor = (c: 'warm' | 'cold' | undefined) => {
    if (c === 'cold') {
      rmSync(cold, { recursive: true, force: true })
      mkdirSync(cold, { mode: 0o700 })
    }
    return c && { TSPLAY_CACHE_DIR: c === 'warm' ? warm : cold }
  }
  await timed(process.execPath, validate, { env: cacheFor('warm') })
  const got = cmds.map(() => ({ wall: [] as number[], rss: [] as number[], code: 0 }))
  for (let i = 0; i < runs; i++) {
    for (const [k, [, args, cache]] of cmds.entries()) {
      const t = await timed(process.execPath, args, { env: cacheFor(cache) })
      got[k].wall.push(t.wallMs)
      got[k].rss.push(t.peakRssKb)
      if (t.code !== 0) {
        got[k].code = t.code
        if (i === 0)
          process.stderr.write(
            `  note: ${cmds[k][0]} exited ${t.code}: ${t.stderr.trim().split('\n').slice(0, 3).join(' / ')}\n`,
          )
      }
    }
  }
  for (const d of [warm, cold]) rmSync(d, { recursive: true, force: true })
  return cmds.map(([what], k) => ({
    what,
    exitCode: got[k].code,
    wall: summarize(got[k].wall),
    rssKb: summarize(got[k].rss),
  }))
}

/**
 * Fact gathering cost of one engine on the first `n` hosts: `runs` back-to-back rounds of runs without facts, with
 * all of them, and with `gather_subset: [min]` (the order turned every round), the cost being the median of each
 * round's difference. A round's runs see the same machine load, so the difference of medians of separate runs
 * (which a one-host run's spread of 100 ms or more swamps) is not needed.
 */
export async function factsCost(
  bench: Bench,
  engine: 'ansible' | 'tsplay',
  n: number,
  runs: number,
): Promise<FactsTiming> {
  const plays: [string, string][] = [
    ['false', factsPlaybookYaml(false)],
    ['true', factsPlaybookYaml(true)],
    ['min', factsPlaybookYaml(true, 'min')],
  ]
  const files = plays.map(([name, yaml]) => {
    const f = join(bench.workDir, `facts-${name}.yml`)
    writeFileSync(f, yaml)
    return f
  })
  const ms: number[][] = [[], [], []]
  const root = freshRoot(bench.fleet.user)
  try {
    for (let i = 0; i < runs; i++) {
      for (let k = 0; k < 3; k++) {
        const g = (i + k) % 3
        const m = await bench.runOnce(engine, n, root, files[g])
        const bad = Object.values(m.counts).some((c) => c.failed > 0 || c.unreachable > 0)
        if (m.code !== 0 || bad || Object.keys(m.counts).length !== n) {
          bench.mismatch(
            `${engine} facts play (gather_facts: ${plays[g][0]}), ${n} host(s): exit ${m.code}, recap ` +
              `${JSON.stringify(m.counts)}\n    ${m.stderr.trim().split('\n').slice(-5).join('\n    ')}`,
          )
        }
        ms[g].push(m.wallMs)
      }
    }
  } finally {
    wipe(root)
  }
  const withoutMs = summarize(ms[0])
  const withMs = summarize(ms[1])
  const added = (k: number) => summarize(ms[k].map((w, i) => w - ms[0][i])).median
  const addedMs = added(1)
  const minAddedMs = added(2)
  process.stderr.write(
    `  facts  ${engine.padEnd(7)} ${String(n).padStart(3)} hosts: +${addedMs.toFixed(0)} ms ` +
      `(${(addedMs / n).toFixed(0)} ms/host; gather_subset min +${(minAddedMs / n).toFixed(0)} ms/host)\n`,
  )
  return {
    ...{ engine, hosts: n, withoutMs, withMs, addedMs, addedPerHostMs: addedMs / n },
    ...{ minMs: summarize(ms[2]), minAddedPerHostMs: minAddedMs / n },
  }
}

/** Profile one tsplay iteration (first and second run) on `n` hosts with `node --cpu-prof`; summaries per run. */
export async function profileTsplay(bench: Bench, n: number): Promise<Record<RunKind, ProfileSummary | undefined>> {
  const dirs = { first: bench.profileDir(n, 'first'), second: bench.profileDir(n, 'second') }
  await bench.iteration('tsplay', n, (run) => ['--cpu-prof', '--cpu-prof-dir', dirs[run]])
  const read = (dir: string) => {
    const f = readdirSync(dir).find((x) => x.endsWith('.cpuprofile'))
    return f ? summarizeProfile(JSON.parse(readFileSync(join(dir, f), 'utf8')) as CpuProfile, REPO) : undefined
  }
  return { first: read(dirs.first), second: read(dirs.second) }
}
