/**
 * Reading `node --cpu-prof` output: self time per function and per file, so the report can name the engine
 * files and functions that cost most. Paths are shown relative to the checkout; node internals as `node:…`.
 *
 * @example
 * ```ts
 * const p = summarizeProfile(JSON.parse(readFileSync('CPU.cpuprofile', 'utf8')), '/work/main')
 * console.log(p.byFile.slice(0, 10))
 * ```
 */

/** The parts of a V8 CPU profile used here. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[]
  samples: number[]
  timeDeltas: number[]
  startTime: number
  endTime: number
}

/** Self time of one function or file, in ms. */
export interface SelfTime {
  name: string
  ms: number
}

/** A profile's totals and its top functions and files by self time. */
export interface ProfileSummary {
  totalMs: number
  /** `(idle)`, `(program)`, `(garbage collector)` */
  special: SelfTime[]
  byFunction: SelfTime[]
  byFile: SelfTime[]
}

function shortUrl(url: string, repo: string): string {
  if (!url) return '(native)'
  const path = url.replace(/^file:\/\//, '')
  if (path.startsWith(`${repo}/node_modules/`))
    return path.slice(repo.length + 1).replace(/^node_modules\/((?:@[^/]+\/)?[^/]+)\/.*$/, 'npm:$1')
  if (path.startsWith(`${repo}/`)) return path.slice(repo.length + 1)
  return path
}

const top = (m: Map<string, number>, n: number): SelfTime[] =>
  [...m.entries()]
    .map(([name, us]) => ({ name, ms: us / 1000 }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, n)

/** Sum self time by function and by file; `n` rows each. */
export function summarizeProfile(p: CpuProfile, repo: string, n = 15): ProfileSummary {
  const byId = new Map(p.nodes.map((x) => [x.id, x]))
  const fn = new Map<string, number>()
  const file = new Map<string, number>()
  const special = new Map<string, number>()
  p.samples.forEach((id, i) => {
    const node = byId.get(id)
    const dt = p.timeDeltas[i] ?? 0
    if (!node) return
    const { functionName, url, lineNumber } = node.callFrame
    if (functionName.startsWith('(') && !url) {
      special.set(functionName, (special.get(functionName) ?? 0) + dt)
      return
    }
    const f = shortUrl(url, repo)
    const name = `${functionName || '(anonymous)'} ${f}:${lineNumber + 1}`
    fn.set(name, (fn.get(name) ?? 0) + dt)
    file.set(f, (file.get(f) ?? 0) + dt)
  })
  return {
    totalMs: (p.endTime - p.startTime) / 1000,
    special: top(special, 5),
    byFunction: top(fn, n),
    byFile: top(file, n),
  }
}
