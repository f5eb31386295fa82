/**
 * Runs the real tsplay CLI (`node bin/tsplay.js …`, built by `npm run build`) for the Hydra playbook tests and
 * parses its `--json` lines into task results and the recap.
 *
 * @example
 * ```ts
 * const r = await tsplay(['run', 'playbooks/hydra-pi.yml', '-i', inv, '--json'])
 * expect(r.recap['pi1'].changed).toBe(0)
 * ```
 */
import { spawn } from 'node:child_process'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { HostRecap } from '../../engine/events.js'
import { needTier } from '../helpers/tier.js'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const PLAYBOOK = join(ROOT, 'playbooks', 'hydra-pi.yml')

/** One `{"type":"task"}` line. */
export interface TaskLine {
  type: 'task'
  play?: string
  task: string
  host: string
  status: 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable'
  msg?: string
  /** Set on a handler's result. */
  handler?: boolean
}

/** A host's counts in the recap line (the engine's own type). */
export type { HostRecap }

/** What one CLI run gave back. */
export interface CliResult {
  rc: number
  stdout: string
  stderr: string
  tasks: TaskLine[]
  recap: Record<string, HostRecap>
}

/** Run `node bin/tsplay.js ARGS` from the repository root; never rejects (the exit code is in `rc`). */
export function tsplay(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  needTier('runs of the built CLI', 'integration')
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'tsplay.js'), ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')))
    child.on('close', (code) => {
      const tasks: TaskLine[] = []
      let recap: Record<string, HostRecap> = {}
      for (const line of stdout.split('\n')) {
        if (!line.startsWith('{')) continue
        let obj: { type?: string; hosts?: Record<string, HostRecap> }
        try {
          obj = JSON.parse(line)
        } catch {
          continue
        }
        if (obj.type === 'task') tasks.push(obj as TaskLine)
        if (obj.type === 'recap') recap = obj.hosts ?? {}
      }
      done({ rc: code ?? 1, stdout, stderr, tasks, recap })
    })
  })
}

/** A short text of a failed run for assertion messages: failed task lines and the end of stderr. */
export function explain(r: CliResult): string {
  const failed = r.tasks.filter((t) => t.status === 'failed' || t.status === 'unreachable')
  return [
    `exit ${r.rc}`,
    ...failed.map((t) => `${t.status}: [${t.host}] ${t.task}: ${t.msg ?? ''}`),
    r.stderr.slice(-3000),
  ].join('\n')
}

/** Per host: `changed` and `ok` counts, for comparing a check run's prediction with the real run. */
export function changedOk(r: CliResult): Record<string, { ok: number; changed: number }> {
  return Object.fromEntries(Object.entries(r.recap).map(([h, c]) => [h, { ok: c.ok, changed: c.changed }]))
}

/** Names of the tasks that reported changed on `host`, in order (to show what differed). */
export function changedTasks(r: CliResult, host: string): string[] {
  return r.tasks.filter((t) => t.host === host && t.status === 'changed').map((t) => t.task)
}
