/**
 * Long-running tasks (`async: SECONDS`, `poll: SECONDS`): the command runs on the host detached from the SSH
 * session (`setsid nohup`), its output going to a log file in a 0700 job folder (`~/.tsplay/jobs/ID/`), and tsplay
 * polls it. A dropped connection is re-opened with back-off and polling goes on; the job does not notice.
 * The job ID comes from the play, task, host and command, so a second `tsplay run` after tsplay was stopped
 * re-attaches to a job still running, or reads back one that finished (its record is then removed), instead of
 * starting it again. The elapsed time shown is the job's own (from its start on the host), so it is right after a
 * re-attach too. A job still running past its `async` limit is killed on the host (its whole process group), as
 * Ansible does. A second Ctrl-C stops polling and leaves the job running; the next run re-attaches to it.
 *
 * @example
 * ```yaml
 * - name: build Nix from source (hours on a Pi)
 *   command: make -j2
 *   args: { chdir: /src/nix }
 *   async: 43200   # give up (and kill it) after 12 hours
 *   poll: 30       # look every 30 s; the live view shows "[1h02m] CC src/libstore/…"
 * ```
 */
import { createHash } from 'node:crypto'
import { HostError } from '../errors.js'
import type { HostIO } from '../module.js'
import type { Command, CommandResult } from '../types.js'
import { JOB_DIR, JOB_FORGET, JOB_LOG, JOB_RUNNING } from '../../modules/lib/jobs.js'

/**
 * Start the job `$1` unless a record exists; print `started`, `running` or `finished`. `$2`, when not empty, is kept
 * in the record as the job's `mark` (`unchanged`: async_status reports the finished job ok).
 */
const START = [
  'set -e',
  JOB_DIR,
  'm=$(umask)', // the job itself runs with the login's umask; only its record is private
  'umask 077',
  'mkdir -p "$HOME/.tsplay/jobs"',
  `if ${JOB_RUNNING}; then echo running; exit 0; fi`,
  'if [ -f "$d/rc" ]; then echo finished; exit 0; fi',
  'rm -rf "$d"; mkdir -p "$d"',
  'date +%s > "$d/start"',
  'if [ -n "$2" ]; then echo "$2" > "$d/mark"; fi',
  'cat > "$d/stdin"',
  'shift 2',
  // The job: run argv, record rc atomically. setsid+nohup: not tied to this SSH session.
  'setsid nohup sh -c \'d=$1; m=$2; shift 2; (umask "$m"; exec "$@") < "$d/stdin" > "$d/log" 2>&1; echo $? > ' +
    '"$d/rc.tmp"; rm -f "$d/stdin"; mv "$d/rc.tmp" "$d/rc"\' sh "$d" "$m" "$@" </dev/null >/dev/null 2>&1 &',
  'echo $! > "$d/pid"',
  'echo started',
].join('\n')

/**
 * Print `finished RC`, `running SECONDS` (since the job started, by the host's clock) or `lost`, then the log's last
 * line.
 */
export const POLL = [
  JOB_DIR,
  `if ${JOB_RUNNING}; then`,
  'printf "running %s\\n" "$(( $(date +%s) - $(cat "$d/start" 2>/dev/null || date +%s) ))";',
  'elif [ -f "$d/rc" ]; then printf "finished %s\\n" "$(cat "$d/rc")";',
  'else echo lost; fi',
  'tail -n 1 "$d/log" 2>/dev/null || true',
].join('\n')

/** Print the log (last 256 KiB) and remove the record. */
const COLLECT = [JOB_DIR, JOB_LOG, JOB_FORGET].join('\n')

/** Print the log, kill the job's process group (setsid made the job its leader), remove the record. */
const KILL = [
  JOB_DIR,
  JOB_LOG,
  'if [ -f "$d/pid" ]; then p=$(cat "$d/pid"); kill -TERM "-$p" 2>/dev/null; sleep 1; kill -KILL "-$p" 2>/dev/null; fi',
  JOB_FORGET,
].join('\n')

/** A stable job ID for a task's command on a host. */
export function jobId(play: string, task: string, host: string, cmd: Command): string {
  const h = createHash('sha256')
    .update(JSON.stringify([play, task, host, cmd.argv, cmd.env ?? {}, cmd.cwd ?? '']))
    .digest('hex')
  return `tsplay-${h.slice(0, 16)}`
}

/** Options for `runDetached`. */
export interface DetachedOptions {
  id: string
  /** Seconds between polls (Ansible's `poll`, default 5). */
  pollSec: number
  /** Give up (and report a failure; the job keeps running) after this many seconds (Ansible's `async`). */
  limitSec: number
  /** Progress lines; sent at level 0 (shown without `-v`, like Ansible's ASYNC POLL lines). */
  log: (line: string, level?: number) => void
  signal?: AbortSignal
  /** Seconds to keep trying to reconnect after a drop. */
  reconnectSec?: number
}

function wrap(cmd: Command, script: string, args: string[]): Command {
  const argv: string[] = []
  if (cmd.env) argv.push('env', ...Object.entries(cmd.env).map(([k, v]) => `${k}=${v}`))
  const inner = cmd.cwd
    ? ['sh', '-c', 'cd -- "$1" && shift && exec "$@"', 'sh', cmd.cwd, ...argv, ...cmd.argv]
    : [...argv, ...cmd.argv]
  return {
    argv: ['sh', '-c', script, 'sh', ...args, ...inner],
    runAs: cmd.runAs,
    stdin: cmd.stdin ?? '',
    secretStdin: cmd.secretStdin,
  }
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((res) => {
    const t = setTimeout(res, ms)
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t)
        res()
      },
      { once: true },
    )
  })

/** `[1h02m]`, `[3m05s]`, `[42s]`. */
export function formatElapsed(sec: number): string {
  const h = Math.floor(sec / 3600)
  const m = Math.floor((sec % 3600) / 60)
  const s = sec % 60
  return h ? `${h}h${String(m).padStart(2, '0')}m` : m ? `${m}m${String(s).padStart(2, '0')}s` : `${s}s`
}

/**
 * `poll: 0` (fire and forget): start the job under `timeout` (killed after `limitSec`, as Ansible's watchdog) and
 * return at once: rc 0 once it runs, or why it could not start. `async_status` reads it later; `unchanged`: it then
 * reports the job ok, not changed (a plan with nothing to do).
 */
export async function startJob(
  io: HostIO,
  cmd: Command,
  id: string,
  limitSec: number,
  unchanged = false,
): Promise<CommandResult> {
  const limited = { ...cmd, argv: ['timeout', '-k', '5', String(limitSec), ...cmd.argv] }
  const s = await io.run(wrap(limited, START, [id, unchanged ? 'unchanged' : '']))
  if (s.rc !== 0) return { rc: s.rc, stdout: s.stdout, stderr: `could not start the job: ${s.stderr}` }
  return { rc: 0, stdout: '', stderr: '' }
}

/** Thrown inside `runDetached` when the run is stopped (second Ctrl-C); turned into an rc 130 result. */
class Stopped extends Error {}

/** Run a command detached on the host and wait for it, surviving dropped connections. */
export async function runDetached(io: HostIO, cmd: Command, o: DetachedOptions): Promise<CommandResult> {
  try {
    return await detached(io, cmd, o)
  } catch (e) {
    if (!(e instanceof Stopped) && !o.signal?.aborted) throw e
    return {
      rc: 130,
      stdout: '',
      stderr: `interrupted; the job ${o.id} goes on on the host and a new run re-attaches to it`,
    }
  }
}

async function detached(io: HostIO, cmd: Command, o: DetachedOptions): Promise<CommandResult> {
  const call = async (c: Command): Promise<CommandResult> => {
    for (let attempt = 0; ; attempt++) {
      if (o.signal?.aborted) throw new Stopped()
      try {
        return await io.run(c)
      } catch (e) {
        if (!(e instanceof HostError) || (e.kind !== 'dropped' && e.kind !== 'unreachable') || o.signal?.aborted)
          throw e
        o.log(`connection lost (${e.message}); reconnecting…`, 0)
        await io.reconnect(o.reconnectSec ?? 600)
        if (attempt > 20) throw e
      }
    }
  }
  const s = await call(wrap(cmd, START, [o.id, '']))
  if (s.rc !== 0) return { rc: s.rc, stdout: s.stdout, stderr: `could not start the job: ${s.stderr}` }
  const state = s.stdout.trim()
  if (state !== 'started')
    o.log(
      state === 'running'
        ? 're-attached to the job still running on the host'
        : 'the job had finished: reading its result back',
      0,
    )
  for (;;) {
    const p = await call({ argv: ['sh', '-c', POLL, 'sh', o.id], runAs: cmd.runAs })
    const [status, last] = p.stdout.split('\n')
    if (status.startsWith('finished')) {
      const rc = Number(status.split(' ')[1])
      const out = await call({ argv: ['sh', '-c', COLLECT, 'sh', o.id], runAs: cmd.runAs })
      return { rc: Number.isFinite(rc) ? rc : 1, stdout: out.stdout, stderr: '' }
    }
    if (!status.startsWith('running'))
      return { rc: 1, stdout: '', stderr: `the job ${o.id} vanished on the host (rebooted?)` }
    const elapsed = Number(status.split(' ')[1]) || 0
    o.log(`[${formatElapsed(elapsed)}] ${last ?? ''}`.trimEnd(), 0)
    if (elapsed > o.limitSec) {
      const out = await call({ argv: ['sh', '-c', KILL, 'sh', o.id], runAs: cmd.runAs })
      return {
        rc: 1,
        stdout: out.stdout,
        stderr: `still running after its async limit of ${o.limitSec}s: killed on the host`,
      }
    }
    if (o.signal?.aborted) throw new Stopped()
    await sleep(o.pollSec * 1000, o.signal)
  }
}
