/**
 * The one place where commands become shell text. Everything a user can influence (argv, env values, cwd)
 * is single-quoted here; nothing else in tsplay concatenates values into shell. Also the transport's own
 * constant wrappers: shell start and sudo prefixes, exec commands (persistent-shell frames are in frametext.ts).
 *
 * @example
 * ```ts
 * renderCommand({ argv: ['echo', "it's"], cwd: '/tmp', timeoutSec: 30 })
 * // → cd -- '/tmp' && timeout -k 5 30 'echo' 'it'\''s'
 * ```
 */
import { createHash } from 'node:crypto'
import { UserError } from '../errors.js'
import { inShellSetup, inShellVars } from '../commands.js'
import type { Command } from '../types.js'
import { shQuote } from '../quote.js'

export { shQuote }
export { hereDocText, renderFrame, renderHello } from './frametext.js'

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/**
 * Render a command as one line of POSIX sh text for `sh -c` or a persistent shell:
 * `[cd -- DIR &&] [env -- K=V …] [timeout -k 5 N] ARGV…`. The timeout is applied on the host (the process
 * gets TERM after N seconds and KILL 5 s later), not only on the channel. Throws `UserError` for an empty
 * argv or an environment variable name that is not a valid identifier.
 */
export function renderCommand(cmd: Command, functions?: ScriptFunctions): string {
  if (cmd.argv.length === 0) throw new UserError('a command needs at least a program name (argv is empty)')
  const parts: string[] = []
  const env = Object.entries(cmd.env ?? {})
  if (env.length > 0) {
    for (const [k] of env) {
      if (!ENV_NAME.test(k)) throw new UserError(`invalid environment variable name ${JSON.stringify(k)}`)
    }
    parts.push('env', '--', ...env.map(([k, v]) => shQuote(`${k}=${v}`)))
  }
  if (cmd.timeoutSec !== undefined) {
    const n = Math.ceil(cmd.timeoutSec)
    if (!Number.isFinite(n) || n <= 0)
      throw new UserError(`invalid command timeout ${String(cmd.timeoutSec)}: must be a positive number of seconds`)
    parts.push('timeout', '-k', '5', String(n))
  }
  const [prog, flag, script] = cmd.argv
  const inShell =
    parts.length === 0 &&
    (prog === 'sh' || prog === '/bin/sh') &&
    flag === '-c' &&
    script !== undefined &&
    !/\$\{?0/.test(script)
  const args = cmd.argv.slice(4).map(shQuote).join(' ')
  const fn = inShell ? functions?.(script, staysInShell(cmd) ? inShellVars(script) : undefined) : undefined
  const line = fn
    ? `${fn}${args ? ` ${args}` : ''}`
    : inShell
      ? // `sh -c SCRIPT NAME ARGS…` runs in the shell that reads this text (a subshell in a frame) instead of a new
        // sh process: one fork+exec less per command on the host. `eval` of the quoted script keeps a syntax error
        // in the script inside it; the positional parameters are the same. $0 cannot be set that way: a script
        // that reads $0 runs in its own sh.
        `set -- ${args}; eval ${shQuote(script)}`
      : [...parts, ...cmd.argv.map(shQuote)].join(' ')
  return cmd.cwd !== undefined ? `cd -- ${shQuote(cmd.cwd)} && ${line}` : line
}

/**
 * Asked by `renderCommand` for a script it runs in the reading shell: the name of a shell function that runs it
 * (see `scriptFunction`), or undefined to send the script inline. `vars`: the script is one of `inShellScript`'s.
 */
export type ScriptFunctions = (script: string, vars?: readonly string[]) => string | undefined

/** Scripts shorter than this are sent inline: a function would save less than its definition costs. */
const FUNCTION_MIN_LENGTH = 200

/**
 * Whether `renderCommand` with functions runs `cmd` in the reading shell itself (its frame needs no subshell):
 * an `inShellScript` as `sh -c` with no folder, environment or timeout.
 */
export function staysInShell(cmd: Command): boolean {
  const [prog, flag, script] = cmd.argv
  return (
    (prog === 'sh' || prog === '/bin/sh') &&
    flag === '-c' &&
    script !== undefined &&
    inShellVars(script) !== undefined &&
    cmd.cwd === undefined &&
    cmd.timeoutSec === undefined &&
    Object.keys(cmd.env ?? {}).length === 0
  )
}

/**
 * A persistent shell's function for a long `sh -c` script, so a script sent many times (the file probe is about
 * 1.8 KB) crosses the connection and is parsed as a definition once per session, and each use is a short call:
 * `{ name, define }`, where `define` is the definition's text (`NAME() { eval 'SCRIPT'\n}`; run in the persistent
 * shell itself, outside any frame's subshell). The body is the quoted script given to `eval` inside the function,
 * so the definition always parses and a syntax error in the script stays inside the call's subshell, as with the
 * inline form; the call's arguments are its positional parameters. Undefined (send it inline) for a short script
 * and for one that uses `return` or `local`, which mean something else inside a function. With `vars` (an
 * `inShellScript`, called with no subshell, whatever its length), the script is the body itself (the engine's own
 * text, parsed once per session instead of once per call: about 0.15 ms of a host's CPU per call here), and the
 * function removes those variables after the script and returns its status; its `setup`, if any, comes first in
 * the definition's text (run once per shell).
 *
 * @example
 * ```ts
 * scriptFunction('p=$1; …')  // → { name: '_tsp_3f…', define: "_tsp_3f…() { eval 'p=$1; …'\n}" }
 * ```
 */
export function scriptFunction(script: string, vars?: readonly string[]): ScriptFunction | undefined {
  if (vars === undefined && script.length < FUNCTION_MIN_LENGTH) return undefined
  // by the script first: the engine's scripts are constants whose hash V8 keeps (a joined key is hashed per call)
  const byVars = functionCache.get(script)
  const varsKey = vars === undefined ? '' : `\n${vars.join(' ')}`
  let fn = byVars?.get(varsKey) // only scripts that qualified are kept
  if (!fn) {
    const key = vars === undefined ? script : `${vars.join(' ')}\n${script}`
    if (/\b(?:return|local)\b/.test(script)) return undefined
    const name = `_tsp_${createHash('sha1').update(key).digest('hex').slice(0, 20)}`
    const after = vars === undefined || vars.length === 0 ? '' : `set -- $?; unset ${vars.join(' ')}; return $1\n`
    // an in-shell script is the engine's own (tested) text: its body is parsed once, where `eval` parses it per call
    const body = vars === undefined ? `eval ${shQuote(script)}` : script
    // an in-shell script's set-up (the stat helper's start) runs once, where the function is defined
    const setup = vars === undefined ? undefined : inShellSetup(script)
    fn = { name, define: `${setup ? `${setup}\n` : ''}${name}() { ${body}\n${after}}` }
    // the scripts sent again and again are a few constants; a user's many different ones must not pile up
    if (functionCache.size >= 64) functionCache.clear()
    const m = functionCache.get(script) ?? new Map<string, ScriptFunction>()
    functionCache.set(script, m.set(varsKey, fn))
  }
  return fn
}

/** A script's shell function: its name and definition. */
export interface ScriptFunction {
  name: string
  define: string
}

const functionCache = new Map<string, Map<string, ScriptFunction>>()

/** How to become another user through sudo: no password, or an askpass helper that prints it. */
export interface SudoSpec {
  method?: 'sudo'
  user: string
  /** Path of the askpass helper on the host when a password is configured. */
  askpass?: string
  /** Extra words before `-u` (`become_flags` such as `-E`), each quoted here. */
  flags?: readonly string[]
}

/** How to become another user through su: its program and flags (the password is answered on stdin, su.ts). */
export interface SuSpec {
  method: 'su'
  user: string
  /** su's program (`become_exe`), default `su`. */
  exe?: string
  /** Extra words before the user (`become_flags`), each quoted here. */
  flags?: readonly string[]
}

/** How to become another user through doas, which must let the login user do it without a password (`-n`). */
export interface DoasSpec {
  method: 'doas'
  user: string
  /** doas's program (`become_exe`), default `doas`. */
  exe?: string
  /** Extra words before `-u` (`become_flags`), each quoted here. */
  flags?: readonly string[]
}

/** How to become another user. */
export type BecomeSpec = SudoSpec | SuSpec | DoasSpec

/** What a command started through su writes on stderr once su let it run (after any password prompt). */
export const SU_READY = '\x1eTSPSU\n'

/** sudo flags that run the command through a shell of the target's (`-i`: its login shell; `-s`: `$SHELL`). */
const SUDO_SHELL = new Set(['-i', '--login', '-s', '--shell'])

/** Whether sudo hands the command to a shell of its own first (`-i`/`-s` among `flags`). */
export const sudoShell = (flags: readonly string[] = []): boolean => flags.some((f) => SUDO_SHELL.has(f))

/** printf escapes for the characters `dollarFree` must not write as they are. */
const PRINTF_ESC: Record<string, string> = { $: '\\044', "'": '\\047', '"': '\\042', '`': '\\140', '\n': '\\n' }

/**
 * A `/bin/sh -c` text that runs `script` and holds no `$`, quote or backquote of its own: `eval` of what `printf`
 * writes. sudo's `-i`/`-s` join the command into one line for a login shell, escaping every character but letters,
 * digits, `_`, `-` and `$`: that shell would expand a `$` of the script before /bin/sh sees it.
 *
 * @example
 * ```ts
 * dollarFree('echo "$HOME"') // eval "`printf 'echo \042\044HOME\042'`"
 * ```
 */
export function dollarFree(script: string): string {
  let enc = ''
  // a backslash before a digit or `n` stays in backquotes, so printf reads `\044` as `$`; a backslash of the script
  // is written as four (two after the backquotes, one from printf), a `%` as `%%`
  for (const ch of script) enc += ch === '\\' ? '\\\\\\\\' : ch === '%' ? '%%' : (PRINTF_ESC[ch] ?? ch)
  return `eval "\`printf '${enc}'\`"`
}

/** `sudo … -u USER --` as argv words (quoted), for a shell start or a one-off exec. */
function sudoWords(s: SudoSpec): string {
  const flags = (s.flags ?? []).map((f) => ` ${shQuote(f)}`).join('')
  const base = `sudo ${s.askpass ? '-A' : '-n'} -H${flags} -u ${shQuote(s.user)} --`
  return s.askpass ? `env SUDO_ASKPASS=${shQuote(s.askpass)} ${base}` : base
}

/** `doas -n … -u USER` as argv words (quoted): doas runs the words after it as they are, with no shell. */
function doasWords(s: DoasSpec): string {
  return [s.exe ?? 'doas', '-n', ...(s.flags ?? []), '-u', s.user].map(shQuote).join(' ')
}

/**
 * `exec su FLAGS USER -c TEXT`: su runs TEXT with USER's login shell, first saying on stderr that it runs (the
 * controller answers a password prompt until then).
 */
function suExec(s: SuSpec, text: string): string {
  const words = [s.exe ?? 'su', ...(s.flags ?? []), s.user].map(shQuote).join(' ')
  return `exec ${words} -c ${shQuote(`printf '\\036TSPSU\\n' >&2; ${text}`)}`
}

/** The exec command that starts a persistent shell, as the login user or through sudo, su or doas. */
export function renderShellStart(become?: BecomeSpec): string {
  // as another user, start in the target user's home (the login user's may be unreadable for, e.g., postgres)
  const home = 'cd ~ 2>/dev/null || cd /; exec /bin/sh'
  if (!become) return 'exec /bin/sh'
  if (become.method === 'su') return suExec(become, home)
  const words = become.method === 'doas' ? doasWords(become) : sudoWords(become)
  return `exec ${words} /bin/sh -c ${shQuote(home)}`
}

/** The first stderr line of a `renderExec` command: `\x1eTSPPID:<pid>\n` (the controller strips it). */
export const EXEC_PID_PREFIX = '\x1eTSPPID:'

/**
 * The wrapper of every exec-channel command: reports its pid on stderr (so an aborted command can be killed on
 * the host, as the right user), then runs `$1`. With stdin (`$2` = its length in bytes), the bytes are first
 * received into a 0600 temp file and the command runs only if all of them arrived: stdin cut short by a lost
 * connection must not reach a command as an early EOF (a file write would keep the truncated content).
 */
const EXEC_WRAPPER = [
  'printf "\\036TSPPID:%d\\n" "$$" >&2',
  'if [ -z "$2" ]; then exec /bin/sh -c "$1"; fi',
  't=$(umask 077; mktemp) || exit 125',
  'trap \'rm -f "$t"\' EXIT',
  "trap 'exit 143' HUP INT TERM",
  'head -c "$2" > "$t"',
  'n=$(wc -c < "$t")',
  'if [ "$n" -ne "$2" ]; then echo "tsplay: stdin cut short ($n of $2 bytes); the command was not run" >&2; ' +
    'exit 125; fi',
  '/bin/sh -c "$1" < "$t"',
].join('\n')

/** A one-off exec channel command (streaming commands, big stdin), through sudo or su if asked. See `EXEC_WRAPPER`. */
export function renderExec(cmd: Command, become?: BecomeSpec, stdinBytes?: number): string {
  const inner =
    `/bin/sh -c ${shQuote(EXEC_WRAPPER)} sh ${shQuote(renderCommand(cmd))} ` +
    `${stdinBytes === undefined ? "''" : String(stdinBytes)}`
  if (!become) return `exec ${inner}`
  if (become.method === 'su') return suExec(become, `exec ${inner}`)
  if (become.method === 'doas') return `exec ${doasWords(become)} ${inner}`
  // through a login shell (`-i`/`-s`), the wrapper's `$` must reach /bin/sh unexpanded
  return sudoShell(become.flags)
    ? `${sudoWords(become)} /bin/sh -c ${shQuote(dollarFree(`exec ${inner}`))}`
    : `${sudoWords(become)} ${inner}`
}
