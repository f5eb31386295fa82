import { describe, expect, it } from 'vitest'
import pgUser, { parseFlags, type PgUserState, type RoleRow } from './postgres_user.js'
import { scramVerifier } from './lib/scram.js'
import { gatherOf, planOf, testCtx, type WrittenArgs } from '../test/helpers/module-ctx.js'

const SALT = Buffer.alloc(16, 7).toString('base64')
const role = (o: Partial<RoleRow> = {}): RoleRow => ({
  rolsuper: false,
  rolinherit: true,
  rolcreaterole: false,
  rolcreatedb: false,
  rolcanlogin: true,
  rolreplication: false,
  rolbypassrls: false,
  rolpassword: scramVerifier('pw', Buffer.alloc(16, 1)),
  ...o,
})
type Row = [
  string,
  WrittenArgs<typeof pgUser>,
  PgUserState,
  { sql?: string[]; changes?: string[]; fail?: RegExp; check?: boolean },
]
const rows: Row[] = [
  [
    'create with password',
    { name: 'hydra', password: 'pw' },
    { salt: SALT },
    { sql: [`CREATE ROLE :"name" WITH LOGIN  PASSWORD :'verifier';`], changes: ['create role hydra with a password'] },
  ],
  [
    'create with flags',
    { name: 'hydra', role_attr_flags: 'createdb,NOLOGIN' },
    { salt: SALT },
    { sql: ['CREATE ROLE :"name" WITH CREATEDB NOLOGIN;'] },
  ],
  [
    'same password, same flags',
    { name: 'hydra', password: 'pw', role_attr_flags: 'LOGIN' },
    { salt: SALT, role: role() },
    { sql: [] },
  ],
  [
    'other password',
    { name: 'hydra', password: 'pw2' },
    { salt: SALT, role: role() },
    { sql: [`\nALTER ROLE :"name" PASSWORD :'verifier';`], changes: ['set the password of role hydra'] },
  ],
  [
    'md5 stored password is replaced',
    { name: 'hydra', password: 'pw' },
    { salt: SALT, role: role({ rolpassword: 'md5abc' }) },
    { changes: ['set the password of role hydra'] },
  ],
  [
    'flag differs',
    { name: 'hydra', role_attr_flags: 'SUPERUSER' },
    { salt: SALT, role: role() },
    { sql: ['ALTER ROLE :"name" WITH SUPERUSER;\n'], changes: ['alter role hydra: SUPERUSER'] },
  ],
  [
    'given verifier equal',
    { name: 'hydra', password: role().rolpassword ?? '' },
    { salt: SALT, role: role() },
    { sql: [] },
  ],
  ['drop', { name: 'hydra', state: 'absent' }, { salt: SALT, role: role() }, { sql: ['DROP ROLE :"name";'] }],
  ['drop missing', { name: 'hydra', state: 'absent' }, { salt: SALT }, { sql: [] }],
  [
    'no PostgreSQL yet',
    { name: 'hydra' },
    { salt: SALT, unavailable: 'sudo: unknown user postgres' },
    { fail: /cannot query PostgreSQL as postgres: sudo: unknown user/ },
  ],
  [
    'no PostgreSQL yet, check mode predicts a create',
    { name: 'hydra' },
    { salt: SALT, unavailable: 'x' },
    { changes: ['create role hydra'], check: true },
  ],
]

describe('postgres_user plan', () => {
  it.each(rows)('%s', (_n, args, facts, want) => {
    const plan = planOf(pgUser, facts, args, testCtx({ checkMode: !!want.check }))
    if (want.fail) return expect(plan.fail).toMatch(want.fail)
    expect(plan.fail).toBeUndefined()
    const sqls = plan.commands.map((c) =>
      String(c.stdin)
        .replace(/^\\set verifier '[^']*'\n/, '')
        .replace(/\n$/, ''),
    )
    if (want.sql) expect(sqls).toEqual(want.sql)
    if (want.changes) expect(plan.changes).toEqual(want.changes)
    for (const c of plan.commands) {
      expect(c).toMatchObject({
        runAs: 'postgres',
        argv: [
          'psql',
          '-X',
          '-q',
          '-At',
          '-v',
          'ON_ERROR_STOP=1',
          '-d',
          'postgres',
          '-1',
          '-v',
          `name=${args.name}`,
          '-f',
          '-',
        ].filter((a) => a !== '-1' || c.argv.includes('-1')),
      })
      expect(c.argv.join(' ')).not.toMatch(/pw|SCRAM/)
      if (String(c.stdin).includes('SCRAM')) {
        expect(c.secretStdin).toBe(true)
        expect(String(c.stdin)).toContain(scramVerifier(String(args.password), Buffer.from(SALT, 'base64')))
      }
    }
  })
  it.each(['CREATEDB,FLY', 'NOPE'])('rejects unknown flags %j', (f) =>
    expect(() => parseFlags(f)).toThrow(/unknown role_attr_flags entry/),
  )
})

describe('name length', () => {
  it('refuses a role name PostgreSQL would truncate (over 63 bytes), before touching the host', async () => {
    const mod = (await import('./postgres_user.js')).default
    const io = {
      run: () => Promise.reject(new Error('must not run')),
      batch: () => Promise.reject(new Error('must not run')),
      reconnect: () => Promise.resolve(),
    }
    await expect(gatherOf(mod, { name: 'r'.repeat(64) }, testCtx(), io)).rejects.toThrow(
      /64 bytes; PostgreSQL keeps only the first 63/,
    )
    await expect(gatherOf(mod, { name: 'é'.repeat(32) }, testCtx(), io)).rejects.toThrow(/64 bytes/)
  })
})
