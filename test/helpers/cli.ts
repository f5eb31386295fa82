/**
 * Run the real `tsplay` CLI (the compiled bin, as a user runs it) from tests, and parse `--json` output.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import type { FileDiff } from '../../engine/types.js'
import { track } from './leftovers.js'
import { needTier } from './tier.js'

export const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '../..')
export const BIN = join(ROOT, 'bin/tsplay.js')

/**
 * One `--json` line (engine/report/json.ts): a task result (`type: 'task'`), a warning, or the recap. `result` is the
 * module's registered data, whose shape depends on the module.
 */
export interface JsonLine {
  type: string
  play?: string
  task?: string
  host?: string
  status?: string
  msg?: string
  handler?: boolean
  ignored?: boolean
  diff?: FileDiff[]
  changes?: string[]
  result?: Record<string, unknown>
  hosts?: Record<string, Record<string, number>>
  interrupted?: boolean
}

/** What a CLI run printed and returned. */
export interface CliResult {
  code: number
  stdout: string
  stderr: string
  /** `--json` lines, parsed. */
  events: JsonLine[]
  /** The recap line of `--json` output, if any. */
  recap?: Record<string, Record<string, number>>
}

/** Options for `tsplay()`. */
export interface CliOptions {
  cwd?: string
  env?: Record<string, string>
  input?: string
  /** Called with the child once started (e.g. to send SIGINT). */
  onSpawn?: (child: import('node:child_process').ChildProcess) => void
}

export function tsplay(args: string[], o: CliOptions = {}): Promise<CliResult> {
  needTier('runs of the built CLI', 'integration')
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: o.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '1', CI: '1', ...o.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', rej)
    child.stdin.end(o.input ?? '')
    o.onSpawn?.(child)
    child.on('close', (code) => {
      const events: JsonLine[] = []
      for (const l of stdout.split('\n')) {
        if (!l.startsWith('{')) continue
        try {
          events.push(JSON.parse(l))
        } catch {
          /* not JSON output */
        }
      }
      const recap = events.find((e) => e.type === 'recap')?.hosts
      res({ code: code ?? -1, stdout, stderr, events, recap })
    })
  })
}

/**
 * The `tsplay run` argv of the loopback tests' layout: the playbook `book` and `inventory.yml` (the fleet's
 * `inventoryYaml()`) in `dir`, the fleet's host keys trusted, then `extra`.
 *
 * @example
 * ```ts
 * const r = await tsplay(runArgs(dir, 'site.yml', fleet, ['--json']))
 * ```
 */
export function runArgs(dir: string, book: string, fleet: { knownHostsFile: string }, extra: string[] = []): string[] {
  return ['run', join(dir, book), '-i', join(dir, 'inventory.yml'), '--known-hosts', fleet.knownHostsFile, ...extra]
}

/**
 * Write files (path → content) into a new temp folder; returns its path. The folder is on this process's record
 * (leftovers.ts): removed when the test process ends, or by the run's teardown if it died.
 */
export function writeTree(files: Record<string, string>, prefix = 'tsplay-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  track({ dirs: [dir] })
  for (const [p, content] of Object.entries(files)) {
    const full = join(dir, p)
    mkdirSync(dirname(full), { recursive: true })
    writeFileSync(full, content)
  }
  return dir
}

/** Sum a recap field over hosts. */
export function total(recap: CliResult['recap'], field: string): number {
  return Object.values(recap ?? {}).reduce((n, r) => n + (r[field] ?? 0), 0)
}
