/**
 * Whether a SysV service runs, read as Ansible's `sysvinit` module reads it: with a `pattern`, a line of `ps auxww`
 * holding it; else the status command's words when it printed at most one line (`stop`, `is dead`, … before `run`,
 * `start`, `active` without `not `), then its exit code (1–4 and 69: not running; 0: running), then a line of
 * `ps auxww` holding the service's name (a warning says how unreliable that is). Pure.
 *
 * @example
 * ```ts
 * isRunning({ rc: 0, stdout: 'sshd is running.\n' }, 'ssh', console.warn) // true
 * ```
 */

/** What the host answered. */
export interface Status {
  rc: number
  /** The status command's output, or `ps auxww`'s with a pattern. */
  stdout: string
  pattern?: string
  /** `ps auxww`, read when the status command's exit code says nothing. */
  ps?: string
}

const STOPPED = ['stop', 'is dead ', 'dead but ', 'could not access pid file', 'inactive']
const STARTED = ['run', 'start', 'active']

/** Whether the service runs (false when it cannot tell, with a warning, as Ansible assumes). */
export function isRunning(s: Status | undefined, name: string, warn: (msg: string) => void): boolean {
  if (!s) return false
  const psHas = (text: string | undefined, needle: string) => (text ?? '').split('\n').some((l) => l.includes(needle))
  if (s.pattern !== undefined) return s.rc === 0 && psHas(s.stdout, s.pattern)
  let worked = false
  let started = false
  if (s.rc !== -1) {
    if (name === 'iptables' && s.stdout.includes('ACCEPT')) [worked, started] = [true, true]
    if (!worked && (s.stdout.match(/\n/g) ?? []).length <= 1) {
      const clean = s.stdout.toLowerCase().replaceAll(name.toLowerCase(), '')
      if (STOPPED.some((w) => clean.includes(w))) worked = true
      else if (STARTED.some((w) => clean.includes(w)) && !clean.includes('not ')) [worked, started] = [true, true]
    }
    if (!worked && [1, 2, 3, 4, 69].includes(s.rc)) worked = true
  }
  if (!worked) {
    if (s.rc === 0) return true
    if (psHas(s.ps, name)) {
      warn('Used ps output to match service name and determine it is up, this is very unreliable')
      return true
    }
    warn('Unable to determine if service is up, assuming it is down')
  }
  return started
}
