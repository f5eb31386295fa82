/**
 * The benchmark's settings, read once from `BENCH_*` environment variables (defaults: the full run the goals are
 * measured on). `BENCH_QUICK=1` is a quick look: one run per case, no 50/100-host rows, fewer start-up samples.
 *
 * @example
 * ```sh
 * BENCH_RUNS=5 BENCH_SCALE=50,100,200 npm run bench
 * BENCH_QUICK=1 BENCH_NO_ANSIBLE=1 BENCH_PROFILE=1 npm run bench   # while working on the engine
 * BENCH_PI_CAP=0.25 BENCH_HUGE=0 npm run bench                     # slower Pis, no 1,000-host rows
 * ```
 */
import type { Engine } from './report.js'

/** Options for one benchmark invocation. */
export interface BenchConfig {
  /** Runs per case (each run: clean targets, first run, second run). `BENCH_RUNS`, default 3 (quick: 1). */
  runs: number
  /** Host counts where ansible, tsplay and the floor are compared. `BENCH_SIZES`, default 1,10. */
  sizes: number[]
  /** Host counts for tsplay and the floor alone. `BENCH_SCALE`, default 50,100 (quick: none; `0`: none). */
  scale: number[]
  /** Forks for every engine. `BENCH_FORKS`, default 10. */
  forks: number
  /** Samples of `tsplay --help` and `tsplay validate`. `BENCH_STARTUP_RUNS`, default 10 (quick: 3). */
  startupRuns: number
  /** Host counts for the fact-gathering measure. `BENCH_FACTS`, default 1,10 (`0`: skip). */
  facts: number[]
  /** The contestants, in the order they alternate. `BENCH_ENGINES` (e.g. `tsplay,floor`), default all three;
   * `BENCH_NO_ANSIBLE=1` drops ansible. */
  engines: Engine[]
  /**
   * Also profile one tsplay run per compared size with `node --cpu-prof` and print where time goes. `BENCH_PROFILE=1`.
   */
  profile: boolean
  /** Where the JSON result goes. `BENCH_OUT`, default bench/results. */
  outDir: string
  /** The play's strategy, for both engines. `BENCH_STRATEGY`: `linear` (default) or `free`. */
  strategy: 'linear' | 'free'
  /**
   * Extra `node` flags for every tsplay process (e.g. `--max-old-space-size=256`). `BENCH_NODE_FLAGS`, space separated.
   */
  nodeFlags: string[]
  /**
   * Pi-speed targets: the share of one core each target may use (a cgroup CPU cap), `auto` to calibrate it with
   * sysbench against a Raspberry Pi 4's published figure (see bench/calibrate.ts), `0` for no Pi-speed rows.
   * `BENCH_PI_CAP`, default auto (quick: 0).
   */
  piCap: number | 'auto'
  /** Host counts run on Pi-speed targets, every engine. `BENCH_PI_SIZES`, default 1,10. */
  piSizes: number[]
  /** Inventory hosts of the big rows (tsplay and the floor), spread over `hugeListeners` sshd listeners.
   * `BENCH_HUGE`, default 1000 (quick: none; `0`: none). */
  huge: number
  /** sshd listeners the big rows share out. `BENCH_HUGE_LISTENERS`, default 100. */
  hugeListeners: number
  /** Forks of the big rows, one row each. `BENCH_HUGE_FORKS`, default 50,200. */
  hugeForks: number[]
  /** Runs per big row. `BENCH_HUGE_RUNS`, default 1. */
  hugeRuns: number
}

function list(v: string | undefined, dflt: number[]): number[] {
  if (v === undefined) return dflt
  return v
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0)
}

const ALL: Engine[] = ['ansible', 'tsplay', 'floor']

function engines(env: NodeJS.ProcessEnv): Engine[] {
  const want = env.BENCH_ENGINES?.split(',').map((s) => s.trim()) ?? ALL
  const bad = want.filter((e) => !ALL.includes(e as Engine))
  if (bad.length) throw new Error(`BENCH_ENGINES: unknown engine(s) ${bad.join(', ')} (known: ${ALL.join(', ')})`)
  return ALL.filter((e) => want.includes(e) && !(e === 'ansible' && env.BENCH_NO_ANSIBLE === '1'))
}

function strategy(v: string | undefined): 'linear' | 'free' {
  if (v === undefined || v === '' || v === 'linear') return 'linear'
  if (v === 'free') return 'free'
  throw new Error(`BENCH_STRATEGY must be linear or free (got ${JSON.stringify(v)})`)
}

function piCap(v: string | undefined, quick: boolean): number | 'auto' {
  if (v === undefined || v === '') return quick ? 0 : 'auto'
  if (v === 'auto') return v
  const n = Number(v)
  if (!(n >= 0 && n <= 64))
    throw new Error(`BENCH_PI_CAP must be auto, 0 or a share of one core such as 0.5 (got ${JSON.stringify(v)})`)
  return n
}

function whole(v: string | undefined, dflt: number, name: string): number {
  if (v === undefined || v === '') return dflt
  const n = Number(v)
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`${name} must be a whole number of at least 1 (got ${JSON.stringify(v)})`)
  return n
}

/** Read the configuration from an environment (default `process.env`). */
export function readConfig(env: NodeJS.ProcessEnv = process.env, repo = '.'): BenchConfig {
  const quick = env.BENCH_QUICK === '1'
  return {
    runs: whole(env.BENCH_RUNS, quick ? 1 : 3, 'BENCH_RUNS'),
    sizes: list(env.BENCH_SIZES, [1, 10]),
    scale: list(env.BENCH_SCALE, quick ? [] : [50, 100]),
    forks: whole(env.BENCH_FORKS, 10, 'BENCH_FORKS'),
    startupRuns: whole(env.BENCH_STARTUP_RUNS, quick ? 3 : 10, 'BENCH_STARTUP_RUNS'),
    facts: list(env.BENCH_FACTS, [1, 10]),
    engines: engines(env),
    profile: env.BENCH_PROFILE === '1',
    outDir: env.BENCH_OUT ?? `${repo}/bench/results`,
    strategy: strategy(env.BENCH_STRATEGY),
    nodeFlags: (env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean),
    piCap: piCap(env.BENCH_PI_CAP, quick),
    piSizes: list(env.BENCH_PI_SIZES, [1, 10]),
    huge: env.BENCH_HUGE === '0' ? 0 : whole(env.BENCH_HUGE, quick ? 0 : 1000, 'BENCH_HUGE'),
    hugeListeners: whole(env.BENCH_HUGE_LISTENERS, 100, 'BENCH_HUGE_LISTENERS'),
    hugeForks: list(env.BENCH_HUGE_FORKS, [50, 200]),
    hugeRuns: whole(env.BENCH_HUGE_RUNS, 1, 'BENCH_HUGE_RUNS'),
  }
}
