/**
 * postgres_user, postgres_db and hydra_create_user against a REAL PostgreSQL server started for this test on
 * this machine (a throw-away cluster in a temp folder, socket only, no TCP). The modules are called as the runner
 * calls them (`runModule`); their commands run through the real quoting path (`renderCommand`), as the `postgres`
 * OS user with `runuser` (or the user a command asks for with `runAs`) — no SSH here (the fleet tests cover that),
 * and nothing is mocked.
 *
 * hydra_create_user runs against test/fixtures/hydra-standin: a TEST STAND-IN for Hydra's hydra-init and
 * hydra-create-user (Hydra cannot be installed offline) that writes the same rows in the same tables.
 */
import { spawnSync } from 'node:child_process'
import type { TSchema } from '@sinclair/typebox'
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ModuleDef } from '../../engine/module.js'
import type { Command } from '../../engine/types.js'
import pgUser from '../../modules/postgres_user.js'
import pgDb from '../../modules/postgres_db.js'
import hydraUser from '../../modules/hydra_create_user.js'
import { localIO, runLocal, runWith, testCtx, type WrittenArgs } from '../helpers/module-ctx.js'

const BIN = '/usr/lib/postgresql/15/bin'
const STANDIN = resolve(import.meta.dirname, '..', 'fixtures', 'hydra-standin', 'bin')
const can = process.getuid?.() === 0 && existsSync(`${BIN}/initdb`) && spawnSync('id', ['postgres']).status === 0
const why = can ? 'local PostgreSQL' : 'needs root and postgresql-15 (initdb) installed'

let dir = ''
const PORT = '54330'
const env = () => ({
  PGHOST: dir,
  PGPORT: PORT,
  HYDRA_DBI: `dbi:Pg:dbname=hydra;host=${dir};port=${PORT};`,
  PATH: `${STANDIN}:${process.env.PATH}`,
})
/** Every round trip the modules made (to check no password reached an argv). */
const trips: Command[][] = []
/** Commands without runAs get the task's become user; here that is `postgres` (as `become_user: postgres`). */
const asPostgres = () => ({ become: 'postgres', env: env() })
const sql = (db: string, q: string) =>
  runLocal({ argv: ['psql', '-X', '-At', '-d', db, '-c', q] }, asPostgres()).stdout.trim()

/** The module called as the runner calls it; a failure throws. Returns the plan. */
async function apply<S extends TSchema, F>(def: ModuleDef<S, F>, args: WrittenArgs<ModuleDef<S, F>>, check = false) {
  const r = await runWith(def, args, testCtx({ checkMode: check }), localIO({ ...asPostgres(), log: trips }))
  if (r.failed) throw new Error(r.failed)
  return r.plan
}
const seen = () => trips.flat()

describe.skipIf(!can)(`postgres modules and hydra_create_user (${why})`, () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tsplay-pg-'))
    chownSync(dir, Number(spawnSync('id', ['-u', 'postgres']).stdout.toString()), 0)
    const init = runLocal(
      { argv: [`${BIN}/initdb`, '-D', `${dir}/data`, '-A', 'peer', '-U', 'postgres'] },
      asPostgres(),
    )
    expect(init.rc, init.stderr).toBe(0)
    const start = runLocal(
      {
        argv: [
          `${BIN}/pg_ctl`,
          '-D',
          `${dir}/data`,
          '-w',
          '-l',
          `${dir}/log`,
          '-o',
          `-p ${PORT} -k ${dir} -c listen_addresses=`,
          'start',
        ],
      },
      asPostgres(),
    )
    expect(start.rc, start.stderr).toBe(0)
  }, 60_000)
  afterAll(() => {
    if (!dir) return
    runLocal({ argv: [`${BIN}/pg_ctl`, '-D', `${dir}/data`, '-m', 'immediate', 'stop'] }, asPostgres())
    rmSync(dir, { recursive: true, force: true })
  })

  const password = "s3cr'et; DROP ROLE postgres; --"
  it(
    'postgres_user: creates a role with a SCRAM password, then is idempotent, without the password in ' + 'argv',
    async () => {
      const args = { name: 'hy"dra', password, role_attr_flags: 'CREATEDB,NOSUPERUSER' }
      expect((await apply(pgUser, args, true)).changes).toEqual([
        'create role hy"dra (CREATEDB NOSUPERUSER) with a password',
      ])
      expect(sql('postgres', `SELECT count(*) FROM pg_roles WHERE rolname = 'hy"dra'`)).toBe('0')
      await apply(pgUser, args)
      expect(
        sql(
          'postgres',
          `SELECT rolcreatedb, rolcanlogin, rolsuper, rolpassword LIKE 'SCRAM-SHA-256$4096:%' FROM pg_authid ` +
            `WHERE rolname = 'hy"dra'`,
        ),
      ).toBe('t|t|f|t')
      expect((await apply(pgUser, args)).commands).toEqual([])
      const changed = await apply(pgUser, { ...args, password: 'other' })
      expect(changed.changes).toEqual(['set the password of role hy"dra'])
      expect((await apply(pgUser, { ...args, password: 'other' })).commands).toEqual([])
      expect((await apply(pgUser, { ...args, password: 'other', role_attr_flags: 'NOCREATEDB' })).changes).toEqual([
        'alter role hy"dra: NOCREATEDB',
      ])
      for (const c of seen()) expect([...c.argv, JSON.stringify(c.env ?? {})].join(' ')).not.toMatch(/s3cr|other/)
      expect(
        seen()
          .filter((c) => String(c.stdin ?? '').includes('SCRAM-SHA-256'))
          .every((c) => c.secretStdin),
      ).toBe(true)
    },
  )

  it('postgres_db: creates a database with owner and pg_trgm, then is idempotent; drops it', async () => {
    const args = { name: 'hydra', owner: 'hy"dra', encoding: 'UTF8', extensions: ['pg_trgm'] }
    const first = await apply(pgDb, args)
    expect(first.changes).toEqual(['create database hydra owned by hy"dra (UTF8)', 'create extension pg_trgm in hydra'])
    expect(sql('hydra', `SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'`)).toBe('pg_trgm')
    expect((await apply(pgDb, args)).commands).toEqual([])
    await expect(apply(pgDb, { name: 'hydra', extensions: ['no_such_ext'] })).rejects.toThrow(
      /extension no_such_ext is not available/,
    )
    await apply(pgDb, { name: 'scratch' })
    expect((await apply(pgDb, { name: 'scratch', state: 'absent' })).changes).toEqual(['drop database scratch'])
    expect(sql('postgres', `SELECT count(*) FROM pg_database WHERE datname = 'scratch'`)).toBe('0')
  })

  it(
    'hydra_create_user (stand-in hydra-create-user): creates, is idempotent, adds roles, password only on ' + 'stdin',
    async () => {
      const init = runLocal({ argv: [`${STANDIN}/hydra-init`] }, asPostgres())
      expect(init.rc, init.stderr).toBe(0)
      const args = {
        name: 'admin',
        full_name: 'The Admin',
        email: 'admin@example.org',
        password: 'hunter2-$(id)',
        roles: ['admin'],
      }
      const run = (a: WrittenArgs<typeof hydraUser>) =>
        apply(hydraUser, { ...a, command: `${STANDIN}/hydra-create-user`, login_user: 'postgres' })
      expect((await run(args)).changes).toEqual(['create Hydra user admin with roles admin'])
      expect(
        sql('hydra', `SELECT username, fullname, emailaddress, password LIKE '$standin-sha256$%' FROM users`),
      ).toBe('admin|The Admin|admin@example.org|t')
      expect((await run(args)).commands).toEqual([])
      expect((await run({ ...args, roles: ['admin', 'create-projects'] })).changes).toEqual([
        'admin: roles [admin] → [admin, create-projects]',
      ])
      expect(sql('hydra', `SELECT string_agg(role, ',' ORDER BY role) FROM userroles`)).toBe('admin,create-projects')
      expect((await run({ ...args, wipe_roles: true })).changes).toEqual([
        'admin: roles [admin, create-projects] → [admin]',
      ])
      expect((await run({ ...args, update_password: 'always' })).changes).toEqual(['admin: set password'])
      const hash = '$argon2id$v=19$m=262144,t=3,p=1$NFU1QXJRNnc4V1BhQ0NJQg$6GHqjqv5cNDDwZqrqUD0zQ'
      await run({ name: 'admin', password_hash: hash, update_password: 'always' })
      expect(sql('hydra', `SELECT password FROM users`)).toBe(hash)
      expect((await run({ name: 'admin', password_hash: hash, update_password: 'always' })).commands).toEqual([])
      for (const c of seen()) expect(c.argv.join(' ')).not.toMatch(/hunter2|argon2id/)
    },
  )
})
