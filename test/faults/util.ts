/**
 * Shared helpers for the reliability and security tests: run the real CLI with a hard limit (the child is
 * SIGKILLed if it outlives it, so nothing can hang CI), start it in the background to signal or kill it, wait for
 * a condition, make folders the test user can write, and look at processes on the (loopback) host.
 *
 * @example
 * ```ts
 * const r = await bounded(['run', book, '-i', inv, '--json'], { limitMs: 60_000 })
 * expect(r.killed).toBe(false)
 * ```
 */
import type { ChildProcess } from 'node:child_process'
import { execFileSync } from 'node:child_process'
import { chmodSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { tsplay, type CliOptions, type CliResult, type JsonLine } from '../helpers/cli.js'
import { track } from '../helpers/leftovers.js'

/** Options for `bounded` and `background`. */
export interface BoundedOptions extends CliOptions {
  /** SIGKILL the CLI after this many ms (default 90 s). */
  limitMs?: number
}

/** A CLI run; `killed` says the limit was hit (the run hung). */
export type BoundedResult = CliResult & { killed: boolean }

/** A CLI run in the background: the child (to signal) and its result. */
export interface Background {
  child: ChildProcess
  done: Promise<BoundedResult>
}

/** Start the CLI; it is SIGKILLed after `limitMs`. */
export function background(args: string[], o: BoundedOptions = {}): Background {
  let child!: ChildProcess
  let killed = false
  let timer: NodeJS.Timeout | undefined
  const done = tsplay(args, {
    ...o,
    onSpawn: (c) => {
      child = c
      timer = setTimeout(() => {
        killed = true
        c.kill('SIGKILL')
      }, o.limitMs ?? 90_000)
      o.onSpawn?.(c)
    },
  }).then((r) => {
    clearTimeout(timer)
    return { ...r, killed }
  })
  return { child, done }
}

/** Run the CLI to the end, bounded by `limitMs`. */
export function bounded(args: string[], o: BoundedOptions = {}): Promise<BoundedResult> {
  return background(args, o).done
}

/** Poll `check` until it is true; throws naming `what` after `ms`. */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms
  for (;;) {
    if (await check()) return
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for: ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** A new folder in the run's temp folder owned by `user` (mode 0755), for files the login user writes; on record. */
export function userDir(user: string, prefix = 'tsplay-rel-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  track({ dirs: [dir] }) // removed with this process if the test does not remove it
  chmodSync(dir, 0o755)
  execFileSync('chown', [user, dir])
  return dir
}

/** Full command lines of every process on this machine (`ps -eo args`). */
export function psArgs(): string {
  return execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
}

/** Pids of `user`'s processes whose command line contains `needle` (pgrep -f). */
export function pids(user: string, needle: string): number[] {
  try {
    return execFileSync('pgrep', ['-u', user, '-f', needle], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number)
  } catch {
    return []
  }
}

/** Kill every process of `user` matching `needle` (test clean-up of jobs a failed test left running). */
export function killMatching(user: string, needle: string): void {
  for (const p of pids(user, needle)) {
    try {
      process.kill(p, 'SIGKILL')
    } catch {
      /* gone */
    }
  }
}

/** Recap counts of `host` in a `--json` run (throws a readable error when the run printed no recap). */
export function recapOf(r: CliResult, host: string): Record<string, number> {
  const h = r.recap?.[host]
  if (!h)
    throw new Error(
      `no recap for ${host}; exit ${r.code}\nstdout:\n${r.stdout.slice(-3000)}\nstderr:\n${r.stderr.slice(-3000)}`,
    )
  return h
}

/** The `--json` task results of one task name. */
export function resultsOf(r: CliResult, task: string): JsonLine[] {
  return r.events.filter((e) => e.type === 'task' && e.task === task)
}

/** stdout + stderr, for failure messages. */
export function explain(r: CliResult): string {
  return `exit ${r.code}\nstdout:\n${r.stdout.slice(-4000)}\nstderr:\n${r.stderr.slice(-4000)}`
}
