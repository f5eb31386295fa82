/**
 * Becoming another user through sudo: the askpass helper that feeds a become password to `sudo -A` (the password
 * travels on a shell's stdin into a 0600 file in a 0700 `mktemp -d` session folder; never argv, env or logs), and
 * the translation of sudo's complaints into clear, distinct `HostError('sudo', …)` messages.
 *
 * @example
 * ```yaml
 * # inventory: the password comes from here (or --ask-become-pass), never from a command line
 * pi1: { ansible_become_password: "{{ vault_pi_sudo }}" }
 * ```
 */
import { sh } from '../commands.js'
import { HostError } from '../errors.js'
import type { Command, CommandResult } from '../types.js'

/**
 * Constant script run as the login user with the password on stdin: creates the session folder, the password file
 * and the askpass helper, and prints the folder. The folder is in the user's runtime folder (`$XDG_RUNTIME_DIR`,
 * `/run/user/UID` under systemd: in memory, and removed by logind when the user's last session ends, so a
 * controller killed mid-run leaves no password file on the host's disk), else in /tmp, else in $HOME (where the
 * others are missing or mounted noexec). The
 * helper answers once per sudo process (a second call, i.e. sudo retrying after a wrong password, fails at once
 * instead of looping through three PAM delays).
 */
const SETUP_SCRIPT = [
  'umask 077',
  'pw=$(cat)',
  'for d in "${XDG_RUNTIME_DIR:-/nonexistent}/tsplay" /tmp/tsplay "$HOME/.tsplay"; do',
  '  d=$(mktemp -d "$d.XXXXXXXXXX") || continue',
  '  printf \'%s\\n\' "$pw" > "$d/pw" &&',
  "  printf '%s\\n' '#!/bin/sh' 'd=${0%/*}; f=\"$d/try.$PPID\"' '[ -e \"$f\" ] && exit 1' ': > \"$f\"' " +
    '\'exec cat "$d/pw"\' > "$d/askpass" &&',
  '  chmod 0700 "$d/askpass" &&',
  '  "$d/askpass" > /dev/null 2>&1 && rm -f "$d"/try.* && printf %s "$d" && exit 0',
  '  rm -rf -- "$d"',
  'done',
  'echo "cannot create an executable sudo askpass helper in /tmp or $HOME" >&2',
  'exit 1',
].join('\n')

/** The command that sets up the session folder and askpass helper (stdin: the password). */
export function askpassSetup(password: string): Command {
  return sh(SETUP_SCRIPT, [], { stdin: `${password}\n`, secretStdin: true, describe: 'prepare sudo askpass helper' })
}

/** The command that removes the session folder on close. */
export function sessionCleanup(dir: string): Command {
  const ours = '"${XDG_RUNTIME_DIR:-/nonexistent}"/tsplay.*|/tmp/tsplay.*|"$HOME"/.tsplay.*'
  return sh(`case "$1" in ${ours}) rm -rf -- "$1" ;; esac`, [dir], {
    describe: 'remove tsplay session folder',
  })
}

/**
 * The `HostError('sudo', …)` maker for a failed become of `becomeUser` through `tool`: the cause given to it, then the
 * last two non-empty `lines` the tool said.
 *
 * @example
 * ```ts
 * becomeFailure('pi1', 'app', 'su', ['su: Authentication failure'])('the become password is wrong')
 * // → pi1: cannot become app: the become password is wrong (su said: su: Authentication failure)
 * ```
 */
export function becomeFailure(
  host: string,
  becomeUser: string,
  tool: 'sudo' | 'su' | 'doas',
  lines: readonly string[],
): (cause: string) => HostError {
  const said = lines.filter(Boolean).slice(-2).join(' / ')
  return (cause) =>
    new HostError(
      host,
      'sudo',
      `${host}: cannot become ${becomeUser}: ${cause}${said ? ` (${tool} said: ${said})` : ''}`,
    )
}

/**
 * A become program's failure (what it wrote on stderr, its exit code) as one clear `HostError('sudo', …)` for
 * `host`; `hasPassword`: a become password was configured.
 */
export type BecomeError = (
  host: string,
  becomeUser: string,
  stderr: string,
  code: number | null,
  hasPassword: boolean,
) => HostError

/** Turn sudo's failure output into one clear message per cause. */
export const sudoError: BecomeError = (host, becomeUser, stderr, code, hasPassword) => {
  const msg = becomeFailure(host, becomeUser, 'sudo', stderr.trim().split('\n'))
  if (/must have a tty|requiretty/i.test(stderr)) {
    return msg('sudo requires a terminal (Defaults requiretty); remove requiretty for this user in /etc/sudoers')
  }
  if (/incorrect password|no password was provided|try again/i.test(stderr)) {
    return msg('the become password is wrong (ansible_become_password / --ask-become-pass)')
  }
  if (/not in the sudoers|not allowed to (execute|run)|may not run sudo/i.test(stderr)) {
    return msg('the user is not allowed to use sudo for this (check /etc/sudoers)')
  }
  if (/a password is required/i.test(stderr)) {
    return hasPassword
      ? msg('sudo asked for a password and did not accept the one given')
      : msg('sudo needs a password; set ansible_become_password or use --ask-become-pass')
  }
  if (code === 127 || /sudo: (command )?not found|No such file/i.test(stderr)) {
    return msg('sudo is not installed on the host (apt-get install sudo)')
  }
  if (/unknown user/i.test(stderr)) return msg(`there is no user ${becomeUser} on the host`)
  return msg(`sudo failed with exit code ${String(code)}`)
}

/**
 * doas's failure output as one clear message. tsplay runs doas with `-n`: doas reads a password only from a
 * terminal, which tsplay's channels do not have, so a rule without `nopass` cannot be used.
 */
export const doasError: BecomeError = (host, becomeUser, stderr, code, hasPassword) => {
  const msg = becomeFailure(host, becomeUser, 'doas', stderr.trim().split('\n'))
  if (/a password is required|authentication (required|failed)/i.test(stderr)) {
    const given = hasPassword ? ' (the become password is not used: doas reads one only from a terminal)' : ''
    return msg(`doas wants a password; give the login user a nopass rule for this in /etc/doas.conf${given}`)
  }
  if (/not permitted/i.test(stderr)) return msg('/etc/doas.conf has no rule that lets the login user do this')
  if (code === 127 || /doas: (command )?not found|No such file/i.test(stderr)) {
    return msg('doas is not installed on the host (apt-get install doas)')
  }
  if (/unknown user/i.test(stderr)) return msg(`there is no user ${becomeUser} on the host`)
  return msg(`doas failed with exit code ${String(code)}`)
}

/**
 * The session folder holding the askpass helper, per connection: created on first use (one command on the
 * login shell, password on stdin), set aside when the connection drops, removed after a reconnect or on close.
 */
export class AskpassFolder {
  private current?: Promise<string>
  private stale: Promise<string>[] = []

  constructor(
    private readonly host: string,
    private readonly password: string,
    private readonly run: (cmd: Command) => Promise<CommandResult>,
  ) {}

  /** The folder, created once. Rejects with `HostError('sudo')` if it cannot be made. */
  dir(): Promise<string> {
    if (!this.current) {
      const p = this.run(askpassSetup(this.password)).then((r) => {
        if (r.rc !== 0 || !/^\/.*\/\.?tsplay\.[A-Za-z0-9]+$/.test(r.stdout)) {
          throw new HostError(
            this.host,
            'sudo',
            `${this.host}: cannot prepare the sudo password helper: ${r.stderr.trim() || `exit code ${r.rc}`}`,
          )
        }
        return r.stdout
      })
      p.catch(() => this.current === p && (this.current = undefined))
      this.current = p
    }
    return this.current
  }

  /** The folder if one was made (for close()), without creating it. */
  existing(): Promise<string | undefined> {
    return this.current ? this.current.catch(() => undefined) : Promise.resolve(undefined)
  }

  /** The connection dropped: the folder is left for `cleanStale` after the reconnect. */
  drop(): void {
    if (this.current) this.stale.push(this.current)
    this.current = undefined
  }

  /** Remove folders left by dropped connections (already gone if the host rebooted). */
  async cleanStale(): Promise<void> {
    const dirs = await Promise.all(this.stale.map((p) => p.catch(() => undefined)))
    this.stale = []
    for (const d of dirs) if (d) await this.run(sessionCleanup(d)).catch(() => undefined)
  }
}
