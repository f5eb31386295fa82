/**
 * A/B of two builds of tsplay on the benchmark's workload: this checkout (B) against another checkout (A, built
 * with `npm run build`), alternating A B A B … in one invocation on the same loopback sshd targets, so a change in
 * machine load hits both alike. Each round is a first run on clean targets and a second run on the same folder;
 * every run must report the correct counts. Each build has its own cache folder (code cache, parse cache), as a
 * user's single installation has. Prints medians of wall time, controller CPU (user + system) and target
 * CPU (the targets' cgroup), and how many rounds B was lower. Needs root (the targets' users and cgroups).
 *
 * @example
 * ```sh
 * git worktree add /tmp/base HEAD~1 && (cd /tmp/base && ln -s "$OLDPWD/node_modules" . && npm run build)
 * npm run build && node bench/run-ab.mjs /tmp/base 10 12   # 10 hosts, 12 rounds
 * ```
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { REPO, parseTsplayRecap, timed } from './engines.js'
import { summarize } from './stats.js'
import { TargetCgroup } from './cgroup.js'
import { removeTempDir, tempDir } from '../test/helpers/tempdir.js'
import { benchRun } from './lifecycle.js'
import { freshRoot, inventoryYaml, startFleet, wipe } from './targets.js'
import { expectedCounts, playbookYaml, TEMPLATE_NAME, TEMPLATE_TEXT, type Counts } from './workload.js'

/** One measured run. */
interface Sample {
  wallMs: number
  cpuMs: number
  targetMs: number
}

const sameCounts = (a: Counts | undefined, b: Counts): boolean =>
  a !== undefined && (Object.keys(b) as (keyof Counts)[]).every((k) => a[k] === b[k])

/** Run the A/B; resolves to the exit code (1 when a run reported wrong counts). */
export async function ab(baseRepo: string, hosts: number, rounds: number, forks = 10): Promise<number> {
  const run = benchRun() // temp folders in the run's own, removed at exit, Ctrl-C or SIGTERM
  const fleet = await startFleet(hosts)
  const cg = TargetCgroup.attach(fleet)
  const work = tempDir('tsplay-bench-ab-')
  run.onStop(async () => {
    await fleet.stop()
    await cg.detach()
    removeTempDir(work)
  })
  const samples = new Map<string, Sample[]>()
  let code = 0
  try {
    const playbook = join(work, 'bench.yml')
    writeFileSync(playbook, playbookYaml())
    writeFileSync(join(work, TEMPLATE_NAME), TEMPLATE_TEXT)
    const inventory = join(work, 'inventory.yml')
    writeFileSync(inventory, inventoryYaml(fleet, hosts))
    const builds = [
      ['A', baseRepo],
      ['B', REPO],
    ] as const
    // a cache folder per build: one shared folder would hold the other build's code cache entry at every run
    const caches = { A: join(work, 'cache-a'), B: join(work, 'cache-b') }
    for (const dir of Object.values(caches)) mkdirSync(dir, { mode: 0o700 })
    for (let round = 0; round < rounds; round++) {
      for (const [label, repo] of round % 2 ? [...builds].reverse() : builds) {
        const root = freshRoot(fleet.user)
        try {
          for (const run of ['first', 'second'] as const) {
            const cpu0 = await cg.read(hosts)
            const args = [join(repo, 'bin/tsplay.js'), 'run', playbook, '-i', inventory]
            args.push('--known-hosts', fleet.knownHostsFile, '--json', '-f', String(forks), '-e', `bench_root=${root}`)
            const t = await timed(process.execPath, args, { env: { TSPLAY_CACHE_DIR: caches[label] } })
            const targetMs = (await cg.read(hosts)) - cpu0
            const counts = parseTsplayRecap(t.stdout)
            const want = expectedCounts(run)
            if (t.code !== 0 || !fleet.hosts.slice(0, hosts).every((h) => sameCounts(counts[h.name], want))) {
              process.stderr.write(`${label} ${run}: wrong run (exit ${t.code})\n${t.stdout.slice(-500)}\n`)
              code = 1
              continue
            }
            const key = `${label} ${run}`
            samples.set(key, [...(samples.get(key) ?? []), { wallMs: t.wallMs, cpuMs: t.cpuMs, targetMs }])
            process.stderr.write(
              `${key.padEnd(9)} wall ${t.wallMs.toFixed(0)} ms  CPU ${t.cpuMs.toFixed(0)} ms  ` +
                `targets ${targetMs.toFixed(0)} ms\n`,
            )
          }
        } finally {
          wipe(root)
        }
      }
    }
    for (const run of ['first', 'second']) {
      const a = samples.get(`A ${run}`) ?? []
      const b = samples.get(`B ${run}`) ?? []
      for (const f of ['wallMs', 'cpuMs', 'targetMs'] as const) {
        const lower = b.filter((s, i) => a[i] !== undefined && s[f] < a[i][f]).length
        const ma = summarize(a.map((s) => s[f])).median
        const mb = summarize(b.map((s) => s[f])).median
        process.stdout.write(
          `${run.padEnd(6)} ${f.padEnd(8)} A ${ma.toFixed(0).padStart(6)}  B ${mb.toFixed(0).padStart(6)}  ` +
            `B/A ${(mb / ma).toFixed(3)}  B lower in ${lower} of ${Math.min(a.length, b.length)}\n`,
        )
      }
    }
  } finally {
    await run.stop()
  }
  return code
}
