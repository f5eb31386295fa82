/**
 * The targets' CPU, measured and capped with cgroups. Every sshd listener of the fleet gets a cgroup of its own
 * under one parent made for this benchmark; every session and command it starts inherits it, so the parent's usage
 * is the exact CPU time the targets spent (finished processes included), and a per-listener CPU cap makes each
 * target as slow as a Raspberry Pi (`cap(fraction)`: at most that fraction of one core per target, as a Pi
 * host runs one task's commands one after the other; `cap(undefined)`: uncapped).
 *
 * cgroup v2 (`cpu.max`, `cpu.stat` usage_usec) when the unified hierarchy has the cpu controller, else cgroup v1
 * (`cpu.cfs_quota_us` in the cpu hierarchy, `cpuacct.usage` in the cpuacct one). The groups are removed by
 * `detach()` once the fleet stopped. Without cgroups (not root, no controller) usage is NaN and caps are refused.
 *
 * @example
 * ```ts
 * const cg = TargetCgroup.attach(fleet)
 * cg.cap(0.5)                         // Pi-speed targets: half a core each
 * const before = await cg.read(10)
 * // … a run on the first 10 hosts …
 * const usedMs = (await cg.read(10)) - before
 * cg.cap(undefined)
 * ```
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { SshdFleet } from '../test/helpers/sshd.js'

/** cfs period used for caps, µs (the kernel's default). */
const PERIOD_US = 100_000

interface Layout {
  kind: 'v2' | 'v1'
  /** Folder whose usage counts every target. */
  acct: string
  /** Per-listener folders whose quota caps one target. */
  cap: string[]
}

function children(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim()
  } catch {
    return ''
  }
}

/** The cgroup v2 mount whose controllers include cpu, if any (`/sys/fs/cgroup` or a hybrid's `unified`). */
function v2Root(): string | undefined {
  for (const dir of ['/sys/fs/cgroup', '/sys/fs/cgroup/unified']) {
    try {
      if (readFileSync(join(dir, 'cgroup.controllers'), 'utf8').split(/\s+/).includes('cpu')) return dir
    } catch {
      /* not a v2 mount */
    }
  }
  return undefined
}

function makeLayout(name: string, count: number): Layout | undefined {
  const v2 = v2Root()
  if (v2) {
    const acct = join(v2, name)
    mkdirSync(acct)
    writeFileSync(join(acct, 'cgroup.subtree_control'), '+cpu')
    const cap = Array.from({ length: count }, (_, i) => join(acct, `t${i + 1}`))
    for (const d of cap) mkdirSync(d)
    return { kind: 'v2', acct, cap }
  }
  if (!existsSync('/sys/fs/cgroup/cpuacct/cpuacct.usage')) return undefined
  const acct = join('/sys/fs/cgroup/cpuacct', name)
  mkdirSync(acct)
  const layout: Layout = { kind: 'v1', acct, cap: [] }
  if (existsSync('/sys/fs/cgroup/cpu/cpu.cfs_quota_us')) {
    mkdirSync(join('/sys/fs/cgroup/cpu', name))
    layout.cap = Array.from({ length: count }, (_, i) => join('/sys/fs/cgroup/cpu', name, `t${i + 1}`))
    for (const d of layout.cap) mkdirSync(d)
  }
  return layout
}

export class TargetCgroup {
  /** The fraction of one core each target may use now (undefined: uncapped). */
  capped?: number

  private constructor(
    private readonly fleet: SshdFleet,
    private readonly layout?: Layout,
  ) {}

  /** Move the fleet's listeners into new cgroups (no cap yet). Never throws: without cgroups usage is NaN. */
  static attach(fleet: SshdFleet): TargetCgroup {
    let layout: Layout | undefined
    const name = `tsplay-bench-${process.pid}`
    try {
      layout = makeLayout(name, fleet.hosts.length)
    } catch {
      layout = undefined
    }
    const cg = new TargetCgroup(fleet, layout)
    if (!layout) return cg
    try {
      for (const [i, h] of fleet.hosts.entries()) {
        if (layout.kind === 'v1') writeFileSync(join(layout.acct, 'cgroup.procs'), `${h.pid}\n`)
        const leaf = layout.cap[i]
        if (leaf) writeFileSync(join(leaf, 'cgroup.procs'), `${h.pid}\n`)
      }
      return cg
    } catch {
      void cg.detach()
      return new TargetCgroup(fleet)
    }
  }

  /** Can targets be capped here? */
  get canCap(): boolean {
    return (this.layout?.cap.length ?? 0) > 0
  }

  /** Cap every target at `fraction` of one core (undefined: lift the cap). Throws when capping is not possible. */
  cap(fraction: number | undefined): void {
    if (fraction !== undefined && !(fraction > 0)) throw new Error(`a CPU cap must be above 0 (got ${fraction})`)
    if (!this.layout || !this.canCap) {
      if (fraction === undefined) return
      throw new Error('the targets cannot be capped: no cgroup cpu controller (cgroup v2 cpu.max or v1 cpu)')
    }
    const quota = fraction === undefined ? undefined : Math.max(1000, Math.round(fraction * PERIOD_US))
    for (const dir of this.layout.cap) {
      if (this.layout.kind === 'v2') writeFileSync(join(dir, 'cpu.max'), `${quota ?? 'max'} ${PERIOD_US}\n`)
      else {
        writeFileSync(join(dir, 'cpu.cfs_period_us'), `${PERIOD_US}\n`)
        writeFileSync(join(dir, 'cpu.cfs_quota_us'), `${quota ?? -1}\n`)
      }
    }
    this.capped = fraction
  }

  /** Total CPU ms of the targets so far, once the listeners of the first `n` hosts have no sessions left. */
  async read(n: number): Promise<number> {
    if (!this.layout) return NaN
    const pids = this.fleet.hosts.slice(0, n).map((h) => h.pid)
    const deadline = Date.now() + 3000
    while (pids.some((p) => children(p) !== '') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    if (this.layout.kind === 'v1') return Number(readFileSync(join(this.layout.acct, 'cpuacct.usage'), 'utf8')) / 1e6
    const usage = /^usage_usec (\d+)$/m.exec(readFileSync(join(this.layout.acct, 'cpu.stat'), 'utf8'))
    return usage ? Number(usage[1]) / 1000 : NaN
  }

  /** Listeners of the first `n` hosts that still have sessions (a run that left connections open). */
  openSessions(n: number): string[] {
    return this.fleet.hosts.slice(0, n).flatMap((h) => (children(h.pid) ? [h.name] : []))
  }

  /** Remove the cgroups once the fleet stopped (waits up to 2 s for the last processes to leave them). */
  async detach(): Promise<void> {
    if (!this.layout) return
    const dirs = [...this.layout.cap, this.layout.acct]
    if (this.layout.kind === 'v1' && this.layout.cap.length) dirs.push(join(this.layout.cap[0], '..'))
    for (const dir of dirs) {
      for (let i = 0; i < 40; i++) {
        try {
          rmdirSync(dir)
          break
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOENT') break
          await new Promise((r) => setTimeout(r, 50))
        }
      }
    }
  }
}
