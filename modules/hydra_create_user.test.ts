import { describe, expect, it } from 'vitest'
import { resolveArgs } from '../engine/load/args.js'
import hydra, { type HydraState, type HydraUser } from './hydra_create_user.js'
import { gatherOf, planOf, scriptedIO, testCtx, type WrittenArgs } from '../test/helpers/module-ctx.js'

const HASH = '$argon2id$v=19$m=262144,t=3,p=1$NFU1QXJRNnc4V1BhQ0NJQg$6GHqjqv5cNDDwZqrqUD0zQ'
const u = (o: Partial<HydraUser> = {}): HydraState => ({
  user: { fullname: 'Admin', emailaddress: 'a@x', password: HASH, type: 'hydra', roles: ['admin'], ...o },
})
const base = { name: 'admin', full_name: 'Admin', email: 'a@x', roles: ['admin'] }
type Row = [
  string,
  WrittenArgs<typeof hydra>,
  HydraState,
  { argv?: string[][]; stdin?: string; fail?: RegExp; changes?: string[] },
]
const rows: Row[] = [
  [
    'create with password on stdin',
    { ...base, password: 'pw' },
    {},
    {
      argv: [
        [
          'hydra-create-user',
          'admin',
          '--full-name',
          'Admin',
          '--email-address',
          'a@x',
          '--role',
          'admin',
          '--password-prompt',
        ],
      ],
      stdin: 'pw\npw\n',
      changes: ['create Hydra user admin with roles admin'],
    },
  ],
  ['exists, on_create: nothing', { ...base, password: 'pw' }, u(), { argv: [] }],
  [
    'exists, always: password set again',
    { ...base, password: 'pw', update_password: 'always' },
    u(),
    { argv: [['hydra-create-user', 'admin', '--password-prompt']], changes: ['admin: set password'] },
  ],
  [
    'role added',
    { ...base, roles: ['admin', 'create-projects'] },
    u(),
    { argv: [['hydra-create-user', 'admin', '--role', 'create-projects']] },
  ],
  [
    'wipe roles',
    { ...base, wipe_roles: true },
    u({ roles: ['admin', 'bump-to-front'] }),
    { argv: [['hydra-create-user', 'admin', '--wipe-roles', '--role', 'admin']] },
  ],
  [
    'email and name differ',
    { ...base, full_name: 'Root', email: 'r@x' },
    u(),
    { argv: [['hydra-create-user', 'admin', '--full-name', 'Root', '--email-address', 'r@x']] },
  ],
  ['empty full name matches NULL', { ...base, full_name: '' }, u({ fullname: null }), { argv: [] }],
  [
    'hash: set with psql on stdin',
    { name: 'admin', password_hash: HASH },
    {},
    {
      argv: [
        ['hydra-create-user', 'admin'],
        ['psql', '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', 'hydra', '-v', 'name=admin', '-f', '-'],
      ],
    },
  ],
  ['hash equal, always: nothing', { name: 'admin', password_hash: HASH, update_password: 'always' }, u(), { argv: [] }],
  ['tables missing', base, { unavailable: 'relation "users" does not exist' }, { fail: /has hydra-init run\?/ }],
]

describe('hydra_create_user plan', () => {
  it.each(rows)('%s', (_n, args, facts, want) => {
    const plan = planOf(hydra, facts, args, testCtx())
    if (want.fail) return expect(plan.fail).toMatch(want.fail)
    expect(plan.commands.map((c) => c.argv)).toEqual(want.argv)
    if (want.stdin) expect(plan.commands[0]).toMatchObject({ stdin: want.stdin, secretStdin: true })
    if (want.changes) expect(plan.changes).toEqual(want.changes)
    for (const c of plan.commands) expect(c.argv.join(' ')).not.toMatch(/argon2|pw/)
    const psql = plan.commands.find((c) => c.argv[0] === 'psql')
    if (psql) expect(psql).toMatchObject({ secretStdin: true, runAs: 'postgres' })
  })
  it('refuses password and password_hash together, and hashes with quotes', async () => {
    // declared in the schema (mutually_exclusive), refused before any host is contacted
    expect(() =>
      resolveArgs(hydra, { name: 'a', password: 'x', password_hash: HASH }, { file: 't.yml', line: 1, col: 1 }),
    ).toThrow(/"password", "password_hash" of module hydra_create_user are mutually exclusive/)
    await expect(
      gatherOf(hydra, { name: 'a', password_hash: "x'; DROP TABLE users" }, testCtx(), scriptedIO([])),
    ).rejects.toThrow(/not an Argon2/)
  })
})
