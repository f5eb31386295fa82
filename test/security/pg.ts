/**
 * A private PostgreSQL cluster for the security tests: `initdb` into a temp folder owned by `postgres`, listening
 * only on a Unix socket in that folder (no TCP at all), started with `pg_ctl` and stopped in `stop()`. Plays reach
 * it through `environment: { PGHOST, PGPORT }`. `canRunPg()` says whether PostgreSQL 15 is installed.
 *
 * @example
 * ```ts
 * const pg = await startPg()
 * // play: environment: { PGHOST: "{{ pg_host }}", PGPORT: "{{ pg_port }}" }
 * await pg.stop()
 * ```
 */
import { execFileSync } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const BIN = '/usr/lib/postgresql/15/bin'

/** The hydra-create-user stand-in (test/fixtures), for PATH. */
export const HYDRA_STANDIN = resolve(import.meta.dirname, '..', 'fixtures', 'hydra-standin', 'bin')

/** A running private cluster. */
export interface PgCluster {
  /** Socket folder (PGHOST). */
  host: string
  port: string
  /** Run SQL as postgres; returns stdout. */
  sql(db: string, query: string): string
  stop(): Promise<void>
}

export function canRunPg(): boolean {
  try {
    execFileSync('id', ['postgres'], { stdio: 'ignore' })
  } catch {
    return false
  }
  return process.getuid?.() === 0 && existsSync(join(BIN, 'initdb'))
}

const asPg = (argv: string[]): string =>
  execFileSync('runuser', ['-u', 'postgres', '--', ...argv], {
    encoding: 'utf8',
    cwd: '/',
    stdio: ['ignore', 'pipe', 'pipe'],
  })

/** Start a cluster on a Unix socket only (port number used for the socket's name). */
export async function startPg(port = String(54400 + (process.pid % 500))): Promise<PgCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-sec-pg-'))
  chmodSync(dir, 0o755)
  chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), 0)
  asPg([join(BIN, 'initdb'), '-D', join(dir, 'data'), '-A', 'peer', '-U', 'postgres'])
  asPg([
    join(BIN, 'pg_ctl'),
    '-D',
    join(dir, 'data'),
    '-l',
    join(dir, 'log'),
    '-w',
    '-o',
    `-k ${dir} -p ${port} -c listen_addresses=`,
    'start',
  ])
  return {
    host: dir,
    port,
    sql: (db, query) => asPg(['psql', '-X', '-At', '-h', dir, '-p', port, '-d', db, '-c', query]).trim(),
    async stop() {
      try {
        asPg([join(BIN, 'pg_ctl'), '-D', join(dir, 'data'), '-m', 'immediate', 'stop'])
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
  }
}
