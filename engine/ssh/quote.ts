/**
 * The one place where commands become shell text. Everything a user can influence (argv, env values, cwd)
 * is single-quoted here; nothing else in tsplay concatenates values into shell.
 *
 * @example
 * ```ts
 * renderCommand({ argv: ['echo', "it's"], cwd: '/tmp', timeoutSec: 30 })
 * // → cd -- '/tmp' && timeout -k 5 30 'echo' 'it'\''s'
 * ```
 */
import { UserError } from '../errors.js'
import type { Command } from '../types.js'

/** POSIX single-quote a string: `it's` → `'it'\''s'`; the empty string → `''`. */
export function shQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/**
 * Render a command as one line of POSIX sh text for `sh -c` or a persistent shell:
 * `[cd -- DIR &&] [env -- K=V …] [timeout -k 5 N] ARGV…`. The timeout is applied on the host (the process
 * gets TERM after N seconds and KILL 5 s later), not only on the channel. Throws `UserError` for an empty
 * argv or an environment variable name that is not a valid identifier.
 */
export function renderCommand(cmd: Command): string {
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
    if (!Number.isFinite(n) || n <= 0) throw new UserError(`invalid command timeout ${String(cmd.timeoutSec)}: must be a positive number of seconds`)
    parts.push('timeout', '-k', '5', String(n))
  }
  parts.push(...cmd.argv.map(shQuote))
  const line = parts.join(' ')
  return cmd.cwd !== undefined ? `cd -- ${shQuote(cmd.cwd)} && ${line}` : line
}
