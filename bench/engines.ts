/**
 * Running the three contestants as child processes and reading what they report: `ansible-playbook` (with
 * bench/ansible.cfg: pipelining and ControlPersist on), `tsplay run --json`, and the floor script. Each runs
 * under `/usr/bin/time -f %M`, so its peak RSS is measured by the kernel (for ansible: its largest process).
 *
 * @example
 * ```ts
 * const m = await runTsplay({ playbook, inventory, knownHosts, forks: 10, extraVars: { bench_root: root } })
 * console.log(m.wallMs, m.peakRssKb, m.counts.t1.changed)
 * ```
 */
import { execFileSync, spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { removeTempDir, tempDir } from '../test/helpers/tempdir.js'
import type { Counts } from './workload.js'

const here = dirname(fileURLToPath(import.meta.url))
/** The checkout: above bench/.build/bench/ when compiled, above bench/ when run from source (vitest). */
export const REPO = here.includes('/bench/.build/')
  ? here.slice(0, here.indexOf('/bench/.build/'))
  : resolve(here, '..')

/** One timed process. */
export interface Timed {
  wallMs: number
  peakRssKb: number
  /** User + system CPU of the process and the children it waited for (ansible's forks and ssh), in ms. */
  cpuMs: number
  code: number
  stdout: string
  stderr: string
}

/** One engine run: the process measure and the recap it printed (host → counters). */
export interface Measure extends Timed {
  counts: Record<string, Counts>
}

/** Options for `timed`. */
export interface TimedOptions {
  env?: NodeJS.ProcessEnv
  cwd?: string
}

/** Run `cmd args` under `/usr/bin/time`, measuring wall time (from the spawn to the exit), peak RSS and CPU time. */
export function timed(cmd: string, args: readonly string[], opts: TimedOptions = {}): Promise<Timed> {
  const dir = tempDir('tsplay-bench-time-')
  const rssFile = join(dir, 'rss')
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint()
    const p = spawn('/usr/bin/time', ['-f', '%M %U %S', '-o', rssFile, cmd, ...args], {
      cwd: opts.cwd ?? REPO,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const out: Buffer[] = []
    const err: Buffer[] = []
    p.stdout.on('data', (d: Buffer) => out.push(d))
    p.stderr.on('data', (d: Buffer) => err.push(d))
    p.once('error', reject)
    p.once('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6
      let figures: number[] = []
      try {
        // time(1) writes "Command exited with non-zero status N" before the figures when the command fails
        figures = (readFileSync(rssFile, 'utf8').trim().split('\n').pop() ?? '').split(' ').map(Number)
      } catch {
        /* no figures */
      }
      removeTempDir(dir)
      const [peakRssKb = NaN, user = NaN, sys = NaN] = figures
      resolve({
        wallMs,
        peakRssKb,
        cpuMs: (user + sys) * 1000,
        code: code ?? -1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      })
    })
  })
}

const RECAP_LINE = /^(\S+)\s+:\s+((?:\w+=\d+\s*)+)$/

/** Parse the `PLAY RECAP` of ansible-playbook's default output: host → counters. */
export function parseAnsibleRecap(stdout: string): Record<string, Counts> {
  const at = stdout.lastIndexOf('PLAY RECAP')
  const hosts: Record<string, Counts> = {}
  if (at < 0) return hosts
  for (const line of stdout.slice(at).split('\n').slice(1)) {
    const m = RECAP_LINE.exec(line.trim())
    if (!m) continue
    const f = Object.fromEntries(
      m[2]
        .trim()
        .split(/\s+/)
        .map((kv) => kv.split('='))
        .map(([k, v]) => [k, Number(v)]),
    )
    hosts[m[1]] = {
      ok: f.ok ?? 0,
      changed: f.changed ?? 0,
      unreachable: f.unreachable ?? 0,
      failed: f.failed ?? 0,
      skipped: f.skipped ?? 0,
    }
  }
  return hosts
}

/** Parse the last `{"type":"recap"}` line of `tsplay run --json`: host → counters. */
export function parseTsplayRecap(stdout: string): Record<string, Counts> {
  const lines = stdout.trim().split('\n')
  for (let i = lines.length - 1; i >= 0; i--) {
    if (!lines[i].includes('"recap"')) continue
    let o: { type?: string; hosts?: Record<string, Partial<Counts>> }
    try {
      o = JSON.parse(lines[i]) as typeof o
    } catch {
      continue
    }
    if (o.type !== 'recap' || !o.hosts) continue
    const hosts: Record<string, Counts> = {}
    for (const [h, c] of Object.entries(o.hosts)) {
      hosts[h] = {
        ok: c.ok ?? 0,
        changed: c.changed ?? 0,
        unreachable: c.unreachable ?? 0,
        failed: c.failed ?? 0,
        skipped: c.skipped ?? 0,
      }
    }
    return hosts
  }
  return {}
}

/** What an engine run needs. */
export interface EngineRun {
  playbook: string
  inventory: string
  knownHosts: string
  forks: number
  extraVars: Record<string, string>
  /** Extra node flags for tsplay (e.g. `--cpu-prof`). */
  nodeFlags?: string[]
  /** Extra ansible-playbook arguments (`--check`, `--tags x`). */
  extraArgs?: string[]
}

const extraVarArgs = (vars: Record<string, string>) => Object.entries(vars).flatMap(([k, v]) => ['-e', `${k}=${v}`])

/** `tsplay run PLAYBOOK -i INVENTORY --known-hosts FILE --json -f N`. */
export async function runTsplay(r: EngineRun): Promise<Measure> {
  const args = [
    ...(r.nodeFlags ?? []),
    join(REPO, 'bin/tsplay.js'),
    'run',
    r.playbook,
    '-i',
    r.inventory,
    '--known-hosts',
    r.knownHosts,
    '--json',
    '-f',
    String(r.forks),
    ...extraVarArgs(r.extraVars),
  ]
  const t = await timed(process.execPath, args)
  return { ...t, counts: parseTsplayRecap(t.stdout) }
}

/**
 * `ansible-playbook` with bench/ansible.cfg. Each run gets its own ControlPath folder (so no run inherits another's
 * master connections) and its masters are closed after the timing.
 */
export async function runAnsible(r: EngineRun): Promise<Measure> {
  const cp = tempDir('tsplay-bench-cp-')
  const env = {
    ANSIBLE_CONFIG: join(REPO, 'bench/ansible.cfg'),
    ANSIBLE_SSH_CONTROL_PATH_DIR: cp,
    ANSIBLE_SSH_COMMON_ARGS: `-o UserKnownHostsFile=${r.knownHosts} -o StrictHostKeyChecking=yes`,
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_FORCE_COLOR: '0',
  }
  try {
    const t = await timed(
      'ansible-playbook',
      ['-i', r.inventory, '-f', String(r.forks), ...extraVarArgs(r.extraVars), ...(r.extraArgs ?? []), r.playbook],
      { env },
    )
    return { ...t, counts: parseAnsibleRecap(t.stdout) }
  } finally {
    closeMasters(cp)
  }
}

/** Ask every ssh ControlMaster with a socket in `dir` to exit, then remove the folder. */
function closeMasters(dir: string): void {
  for (const sock of readdirSync(dir)) {
    try {
      execFileSync('ssh', ['-o', `ControlPath=${join(dir, sock)}`, '-O', 'exit', 'bench-master'], {
        stdio: 'ignore',
        timeout: 5000,
      })
    } catch {
      /* already gone */
    }
  }
  removeTempDir(dir)
}

/** The floor script (bench/floor.ts) with a spec file. */
export async function runFloorProcess(specFile: string): Promise<Measure> {
  const t = await timed(process.execPath, [join(REPO, 'bench/.build/bench/floor.js'), specFile])
  let counts: Record<string, Counts> = {}
  try {
    counts = (JSON.parse(t.stdout.trim().split('\n').pop() ?? '{}') as { hosts?: Record<string, Counts> }).hosts ?? {}
  } catch {
    /* reported as a mismatch by the caller */
  }
  return { ...t, counts }
}
