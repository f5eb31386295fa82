/**
 * The shared core of `command` and `shell`: `creates`/`removes` checks (one round trip, globs allowed as in
 * Ansible, never run as shell), the command itself, and the registered result (`rc`, `stdout`, `stdout_lines`,
 * `start`, `end`, `delta`, …) with Ansible's "non-zero return code" failure.
 *
 * @example
 * ```ts
 * const state = await gatherRun(io, { creates: '/opt/app/built', chdir: '/opt/app' })
 * planRun(state, ['make'], { chdir: '/opt/app' }, ['make'])
 * ```
 */
import type { AfterResult, HostIO, Plan } from '../../engine/module.js'
import { inShellScript, sh } from '../../engine/commands.js'
import type { Command, CommandResult } from '../../engine/types.js'

/** Arguments both modules share. */
export interface RunArgs {
  creates?: string
  removes?: string
  chdir?: string
  stdin?: string
  stdin_add_newline?: boolean
  strip_empty_ends?: boolean
}

/** State: whether `creates`/`removes` match, and when planning started (for `start`/`delta`). */
export interface RunState {
  createsExists?: boolean
  removesExists?: boolean
  startedAt: number
}

/** Every exit code: a non-zero rc is judged in `afterRun` so `register`/`failed_when` still see rc and output. */
export const ALL_CODES: readonly number[] = Array.from({ length: 256 }, (_, i) => i)

/** A PATH with the sbin folders, so a login user finds `dpkg`, `systemctl`, … too (as Ansible's `get_bin_path`). */
export const SBIN_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

/**
 * Exits 0 when any path matching the glob in $1 exists ($1 is expanded as a pattern only: IFS is empty while it is,
 * and put back after: the script runs in the persistent shell itself).
 */
const EXISTS = inShellScript(
  'e=1; i=$IFS; IFS=; for p in $1; do if [ -e "$p" ] || [ -L "$p" ]; then e=0; break; fi; done; IFS=$i; [ $e = 0 ]',
  ['e', 'i', 'p'],
)

/** Check `creates`/`removes` on the host (relative to `chdir`), in one round trip. */
export async function gatherRun(io: HostIO, args: RunArgs): Promise<RunState> {
  const checks: Command[] = []
  const cwd = args.chdir ? { cwd: args.chdir } : {}
  if (args.creates !== undefined) checks.push(sh(EXISTS, [args.creates], { ...cwd, describe: `test ${args.creates}` }))
  if (args.removes !== undefined) checks.push(sh(EXISTS, [args.removes], { ...cwd, describe: `test ${args.removes}` }))
  const res = checks.length ? await io.batch(checks) : []
  const state: RunState = { startedAt: Date.now() }
  let i = 0
  if (args.creates !== undefined) state.createsExists = res[i++].rc === 0
  if (args.removes !== undefined) state.removesExists = res[i].rc === 0
  return state
}

/** Plan: skip when `creates` exists or `removes` is absent (ok, Ansible's message), else run `argv`. Pure. */
export function planRun(
  state: RunState,
  argv: readonly string[],
  args: RunArgs,
  shown: unknown,
  asCommand?: 'Did' | 'Would',
): Plan {
  // `asCommand` (command, shell): as Ansible's command module, the message is `Did not run command since '…' …`
  // (`Would` in check mode) and the times are null
  const skip = (why: string, path: string): Plan => {
    const out = `skipped, since ${path} ${why}`
    const msg = asCommand ? `${asCommand} not run command since '${path}' ${why}` : out
    const lines = { stdout_lines: [out], stderr_lines: [] }
    const times = asCommand ? { start: null, end: null, delta: null } : {}
    return {
      commands: [],
      msg,
      data: { cmd: shown, rc: 0, stdout: out, stderr: '', ...lines, ...times, changed: false, msg },
    }
  }
  if (state.createsExists) return skip('exists', args.creates!)
  if (args.removes !== undefined && !state.removesExists) return skip('does not exist', args.removes)
  const cmd: Command = { argv, okCodes: ALL_CODES, describe: Array.isArray(shown) ? shown.join(' ') : String(shown) }
  if (args.chdir) cmd.cwd = args.chdir
  if (args.stdin !== undefined) cmd.stdin = args.stdin_add_newline === false ? args.stdin : `${args.stdin}\n`
  return { commands: [cmd], changes: [`run ${cmd.describe}`] }
}

/** Ansible's `YYYY-MM-DD HH:MM:SS.ffffff` in local time. */
export function ansibleTime(ms: number): string {
  const d = new Date(ms)
  const p = (n: number, w = 2) => String(n).padStart(w, '0')
  return (
    `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ` +
    `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}000`
  )
}

/** Ansible's `H:MM:SS.ffffff` duration. */
export function ansibleDelta(ms: number): string {
  const s = Math.floor(ms / 1000)
  const p = (n: number, w = 2) => String(n).padStart(w, '0')
  return `${Math.floor(s / 3600)}:${p(Math.floor(s / 60) % 60)}:${p(s % 60)}.${p(ms % 1000, 3)}000`
}

function strip(s: string, on: boolean): string {
  return on ? s.replace(/[\r\n]+$/, '') : s
}

/** Split output into lines as Python's `splitlines` does. */
export function lines(s: string): string[] {
  if (s === '') return []
  const out = s.split(/\r\n|\n|\r/)
  if (out[out.length - 1] === '') out.pop()
  return out
}

/** Build the registered result; fail on a non-zero rc with its stderr. No results: check mode or skipped. */
export function afterRun(
  state: RunState,
  args: RunArgs,
  results: CommandResult[],
  shown: unknown,
  now = Date.now(),
): AfterResult {
  const r = results[0]
  if (!r) return {}
  const on = args.strip_empty_ends !== false
  const stdout = strip(r.stdout, on)
  const stderr = strip(r.stderr, on)
  const data: Record<string, unknown> = {
    cmd: shown,
    rc: r.rc,
    stdout,
    stderr,
    stdout_lines: lines(stdout),
    stderr_lines: lines(stderr),
    start: ansibleTime(state.startedAt),
    end: ansibleTime(now),
    delta: ansibleDelta(Math.max(0, now - state.startedAt)),
    msg: '',
    changed: true,
  }
  if (r.rc === 0) return { data }
  const tail = stderr.split('\n').slice(-20).join('\n').trim()
  const msg = `non-zero return code (rc ${r.rc})${tail ? `: ${tail}` : ''}`
  data.msg = 'non-zero return code'
  return { data, fail: msg, msg }
}
