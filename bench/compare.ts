/**
 * The comparison runs: for one engine on the fleet's first N hosts, clean targets, a first run, a second run,
 * each checked (exit code, recap counters against what a correct engine reports, and the files left behind
 * against the other engines'). Every problem is recorded as a loud MISMATCH line; the invocation then fails.
 *
 * @example
 * ```ts
 * const bench = new Bench(fleet, workDir, config, results)
 * await bench.iteration('ansible', 10)
 * await bench.iteration('tsplay', 10)
 * ```
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { SshdFleet } from '../test/helpers/sshd.js'
import type { BenchConfig } from './config.js'
import { REPO, runAnsible, runFloorProcess, runTsplay, type EngineRun, type Measure } from './engines.js'
import { hostsLabel, type Engine, type Results, type RunKind, type Variant } from './report.js'
import { secs } from './stats.js'
import { TargetCgroup } from './cgroup.js'
import { benchHosts, firstDifference, floorSpec, freshRoot, inventoryYaml, treeDigest, wipe } from './targets.js'
import { expectedCounts, playbookYaml, TEMPLATE_NAME, TEMPLATE_TEXT, type Counts } from './workload.js'

const FIELDS: (keyof Counts)[] = ['ok', 'changed', 'unreachable', 'failed', 'skipped']
const show = (c: Counts | undefined) => (c ? FIELDS.map((f) => `${f}=${c[f]}`).join(' ') : '(no recap line)')

export class Bench {
  /** Every MISMATCH found (counts, files, failed runs). */
  readonly mismatches: string[] = []
  /** The latest recap of each engine per host count and run kind (tsplay's is compared with ansible's). */
  private readonly lastCounts = new Map<string, Record<string, Counts>>()
  /** The files left by the first engine run at each host count: the reference for the others. */
  private readonly digests = new Map<number, { engine: Engine; digest: string }>()
  readonly playbook: string
  /** CPU used on the targets, and their Pi-speed cap (see TargetCgroup; `detach()` after the fleet stopped). */
  readonly targetCpu: TargetCgroup

  constructor(
    readonly fleet: SshdFleet,
    readonly workDir: string,
    readonly config: BenchConfig,
    readonly results: Results,
  ) {
    this.targetCpu = TargetCgroup.attach(fleet)
    this.playbook = join(workDir, 'bench.yml')
    writeFileSync(this.playbook, playbookYaml({ strategy: config.strategy }))
    writeFileSync(join(workDir, TEMPLATE_NAME), TEMPLATE_TEXT)
  }

  /** The inventory file for the fleet's first `n` hosts (written once). */
  inventory(n: number): string {
    const file = join(this.workDir, `inventory-${n}.yml`)
    writeFileSync(file, inventoryYaml(this.fleet, n))
    return file
  }

  mismatch(line: string): void {
    this.mismatches.push(line)
    process.stderr.write(`\n!!! MISMATCH: ${line}\n\n`)
  }

  /** Run an engine once (any playbook) on the first `n` hosts with `bench_root = root`. */
  async runOnce(
    engine: Engine,
    n: number,
    root: string,
    playbook = this.playbook,
    nodeFlags?: string[],
    forks = this.config.forks,
  ): Promise<Measure> {
    if (engine === 'floor') {
      const spec = join(this.workDir, `floor-${n}.json`)
      writeFileSync(spec, JSON.stringify(floorSpec(this.fleet, n, root, forks)))
      return runFloorProcess(spec)
    }
    const r: EngineRun = {
      playbook,
      inventory: this.inventory(n),
      knownHosts: this.fleet.knownHostsFile,
      forks,
      extraVars: { bench_root: root },
      nodeFlags: [...this.config.nodeFlags, ...(nodeFlags ?? [])],
    }
    return engine === 'ansible' ? runAnsible(r) : runTsplay(r)
  }

  /**
   * Check a run's exit code and recap: against what a correct engine reports, and tsplay's against ansible's of the
   * same round. Returns whether all was right.
   */
  check(engine: Engine, n: number, run: RunKind, m: Measure, v: Variant = {}): boolean {
    const what = `${engine}, ${hostsLabel({ hosts: n, ...v })} host(s), ${run} run`
    if (m.code !== 0) {
      this.results.refuse(n, run, v)
      const tail = `${m.stderr}\n${m.stdout}`
        .trim()
        .split('\n')
        .slice(-8)
        .map((l) => (l.length > 300 ? `${l.slice(0, 300)}…` : l))
        .join('\n    ')
      const want = expectedCounts(run)
      const bad = benchHosts(this.fleet, n).filter((h) => FIELDS.some((f) => m.counts[h.name]?.[f] !== want[f]))
      const hosts = bad.length
        ? `\n    ${bad.length} host(s) with other counts than ${show(want)}, e.g. ` +
          bad
            .slice(0, 3)
            .map((h) => `${h.name}: ${show(m.counts[h.name])}`)
            .join('; ')
        : ''
      // the first failure tsplay reported (its JSON lines), which the tail may not show
      const first = m.stdout.split('\n').find((l) => /"status":"(unreachable|failed)"/.test(l))
      const firstLine = first ? `\n    first failure: ${first.slice(0, 300)}` : ''
      this.mismatch(`${what}: exit code ${m.code}${hosts}${firstLine}\n    ${tail}`)
      return false
    }
    const other = engine === 'tsplay' ? this.lastCounts.get(`ansible/${n}/${run}`) : undefined
    if (engine !== 'floor') this.lastCounts.set(`${engine}/${n}/${run}`, m.counts)
    const differ =
      other && benchHosts(this.fleet, n).filter((h) => FIELDS.some((f) => m.counts[h.name]?.[f] !== other[h.name]?.[f]))
    if (differ?.length) {
      this.results.refuse(n, run, v)
      const h = differ[0].name
      this.mismatch(
        `${what}: tsplay and ansible-playbook report different counts on ${differ.length} host(s), e.g. ` +
          `${h}: tsplay ${show(m.counts[h])}, ansible ${show(other?.[h])}`,
      )
    }
    const want = expectedCounts(run)
    const bad = benchHosts(this.fleet, n)
      .filter((h) => FIELDS.some((f) => m.counts[h.name]?.[f] !== want[f]))
      .map((h) => `${h.name}: ${show(m.counts[h.name])}`)
    if (bad.length > 0) {
      this.results.refuse(n, run, v)
      this.mismatch(
        `${what}: recap differs from the correct counts (${show(want)}) on ${bad.length} host(s): ` +
          `${bad.slice(0, 3).join('; ')}`,
      )
      return false
    }
    return true
  }

  /** Compare the files a run left behind with the first engine's at this host count. */
  checkFiles(engine: Engine, n: number, root: string, v: Variant = {}): void {
    const digest = treeDigest(root)
    const ref = this.digests.get(n)
    if (!ref) {
      this.digests.set(n, { engine, digest })
      return
    }
    if (ref.digest !== digest) {
      this.results.refuse(n, 'first', v)
      this.results.refuse(n, 'second', v)
      this.mismatch(
        `${engine}, ${n} host(s): the files left behind differ from ${ref.engine}'s: ` +
          `${firstDifference(digest, ref.digest)}`,
      )
    }
  }

  /**
   * Clean targets, first run, second run, checks; samples go to the results. `forks` other than the configured
   * ones make a variant of their own; the targets count as Pi-speed while `targetCpu` is capped.
   */
  async iteration(engine: Engine, n: number, nodeFlags?: (run: RunKind) => string[], forks?: number): Promise<void> {
    const root = freshRoot(this.fleet.user)
    const v: Variant = {
      ...(this.targetCpu.capped !== undefined ? { targets: 'pi' as const } : {}),
      ...(forks !== undefined ? { forks } : {}),
    }
    const listeners = Math.min(n, this.fleet.hosts.length)
    try {
      for (const run of ['first', 'second'] as const) {
        const cpu0 = await this.targetCpu.read(listeners)
        const m = await this.runOnce(engine, n, root, this.playbook, nodeFlags?.(run), forks)
        const targetCpu = (await this.targetCpu.read(listeners)) - cpu0
        let ok = this.check(engine, n, run, m, v)
        const open = engine === 'ansible' ? [] : this.targetCpu.openSessions(listeners)
        if (open.length) {
          this.results.refuse(n, run, v)
          this.mismatch(
            `${engine}, ${n} host(s), ${run} run: sessions still open 3 s after the exit on ${open.join(', ')}`,
          )
          ok = false
        }
        // a wrong run is no sample: its figures would meet goals they do not count for
        if (!nodeFlags && ok)
          this.results.add(
            engine,
            n,
            run,
            { wallMs: m.wallMs, peakRssKb: m.peakRssKb, cpuMs: m.cpuMs, targetCpuMs: targetCpu },
            v,
          )
        const figures =
          `${secs(m.wallMs).padStart(6)} s  ${(m.peakRssKb / 1024).toFixed(0).padStart(4)} MB ` +
          ` CPU ${secs(m.cpuMs)} s  targets ${secs(targetCpu)} s`
        process.stderr.write(
          `  ${hostsLabel({ hosts: n, ...v }).padStart(9)} hosts  ${run.padEnd(6)}  ${engine.padEnd(7)}  ` +
            `${figures}  ${ok ? 'ok' : 'WRONG'}\n`,
        )
        if (!ok) return
      }
      if (!nodeFlags) this.checkFiles(engine, n, root, v)
    } finally {
      wipe(root)
    }
  }

  /** A fresh folder for CPU profiles of one case (bench/.profiles/N-RUN, kept for `chrome://inspect`). */
  profileDir(n: number, run: RunKind): string {
    const dir = join(REPO, 'bench/.profiles', `${n}-${run}`)
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir, { recursive: true })
    return dir
  }
}
