/**
 * psql as data: constant SQL text on stdin, user values only as psql variables (`-v name=VALUE`, used in the
 * SQL as `:'name'` for a literal and `:"name"` for an identifier), so nothing a user writes is parsed as SQL.
 * Secrets (password verifiers) go on stdin through `\set`, never in argv.
 *
 * @example
 * ```ts
 * psql("SELECT 1 FROM pg_roles WHERE rolname = :'name'", { name: 'hydra' }, { runAs: 'postgres' })
 * ```
 */
import { ModuleFailure } from '../../engine/module.js'
import { HostError } from '../../engine/errors.js'
import type { Command, CommandResult } from '../../engine/types.js'

/** Options for `psql`. */
export interface PsqlOptions {
  /** Database to connect to (default `postgres`). */
  db?: string
  /** OS user to run psql as, over the local socket (default `postgres`). */
  runAs?: string
  /** Lines of `\set NAME 'VALUE'` put before the SQL on stdin; values must be pre-validated (verifiers). */
  secretSets?: Record<string, string>
  /** Run the script in one transaction (`-1`); not for CREATE/DROP DATABASE. */
  single?: boolean
  describe?: string
  okCodes?: readonly number[]
}

/** A psql command: `psql -X -q -At -v ON_ERROR_STOP=1 -d DB -v k=v… -f -` with the SQL on stdin. */
export function psql(sql: string, vars: Record<string, string> = {}, opts: PsqlOptions = {}): Command {
  const argv = ['psql', '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', opts.db ?? 'postgres']
  if (opts.single) argv.push('-1')
  for (const [k, v] of Object.entries(vars)) argv.push('-v', `${k}=${v}`)
  argv.push('-f', '-')
  const sets = Object.entries(opts.secretSets ?? {}).map(([k, v]) => `\\set ${k} '${v}'\n`)
  const cmd: Command = {
    argv,
    stdin: sets.join('') + sql + '\n',
    runAs: opts.runAs ?? 'postgres',
    describe: opts.describe,
  }
  if (sets.length) cmd.secretStdin = true
  if (opts.okCodes) cmd.okCodes = opts.okCodes
  return cmd
}

/** A database name safe to give psql's `-d` (no connection string or URI). */
/**
 * PostgreSQL keeps only the first 63 bytes of an identifier (NAMEDATALEN - 1): longer names are refused, not truncated.
 */
export function tooLongName(name: string): boolean {
  return Buffer.byteLength(name, 'utf8') > 63
}

/** Refuse a role or database name PostgreSQL would silently truncate. */
export function checkNameLength(what: string, name: string): void {
  if (tooLongName(name)) {
    throw new ModuleFailure(
      `${what} name is ${Buffer.byteLength(name, 'utf8')} bytes; PostgreSQL keeps only the first 63 and ` +
        `would silently use a truncated name: ${JSON.stringify(name)}`,
    )
  }
}

export function badDbName(name: string): boolean {
  return name === '' || name.includes('=') || /^postgres(ql)?:/i.test(name) || /[\0\n]/.test(name)
}

/** Parse the JSON value a fact query printed on its one output line. */
export function parseJsonLine<T>(res: CommandResult): T | undefined {
  const line = res.stdout.trim().split('\n').filter(Boolean).pop()
  if (!line) return undefined
  return JSON.parse(line) as T
}

/** A short reason why a psql fact query failed (for messages). */
export function psqlError(res: CommandResult): string {
  const msg = (res.stderr || res.stdout)
    .trim()
    .split('\n')
    .filter((l) => !/could not change directory/.test(l))
  return msg.join(' ').slice(0, 500) || `psql exited with ${res.rc}`
}

/**
 * For `.catch` on a fact query run as another OS user: a sudo failure (no `postgres` user yet, before
 * PostgreSQL is installed) becomes a failed result, so check mode can predict and a real run fails clearly.
 */
export async function becomeFailure(e: unknown): Promise<CommandResult> {
  if (e instanceof HostError && e.kind === 'sudo') return { rc: 1, stdout: '', stderr: e.message }
  throw e
}
