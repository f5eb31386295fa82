/**
 * hydra_create_user: a Hydra web user with roles. Decides from Hydra's `users`/`userroles` tables (psql as
 * `postgres` on database `hydra`), then calls `hydra-create-user NAME …` with a password on stdin
 * (`--password-prompt`, never in argv). A ready Argon2 `password_hash` is stored with psql on stdin (what
 * `--password-hash` does, without putting the hash in argv) and compared exactly. Hydra hashes a password
 * with a new salt every time, so `update_password: always` with `password` is always a change; the default,
 * `on_create`, sets it only when the user is created.
 *
 * @example
 * ```yaml
 * - hydra_create_user: { name: admin, full_name: Admin, email: admin@example.org, password: "{{ hydra_admin_password
 * }}", roles: [admin] }
 * ```
 */
import { Type } from '@sinclair/typebox'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { argRules } from '../engine/argrules.js'
import { defineModule, ModuleFailure } from '../engine/module.js'
import type { Command } from '../engine/types.js'
import { badArg } from './lib/argvalues.js'
import { badDbName, becomeFailure, parseJsonLine, psql, psqlError } from './lib/psql.js'

const Args = Type.Object(
  {
    name: Type.String({ minLength: 1, description: 'Hydra user name' }),
    full_name: Type.Optional(Type.String({ description: 'Full name (`--full-name`)' })),
    email: Type.Optional(Type.String({ description: 'Email address (`--email-address`)' })),
    password: Type.Optional(
      Type.String({ minLength: 1, description: 'Password, hashed by Hydra (given on stdin)', secret: true }),
    ),
    password_hash: Type.Optional(
      Type.String({ minLength: 1, description: 'A ready Argon2id hash (as `--password-hash`)', secret: true }),
    ),
    roles: Defaulted(
      Type.Array(Type.String({ minLength: 1 }), { description: 'Roles to add (e.g. admin)', default: [] }),
    ),
    wipe_roles: Defaulted(Type.Boolean({ description: 'Remove roles not in `roles`', default: false })),
    update_password: Defaulted(
      Type.Union([Type.Literal('on_create'), Type.Literal('always')], {
        description: 'Set the password only for a new user, or on every run',
        default: 'on_create',
      }),
    ),
    database: Defaulted(
      Type.String({ minLength: 1, description: "Hydra's database (read with psql)", default: 'hydra' }),
    ),
    login_user: Defaulted(Type.String({ minLength: 1, description: 'OS user psql runs as', default: 'postgres' })),
    command: Defaulted(
      Type.String({
        minLength: 1,
        description: 'The hydra-create-user program (name or path)',
        default: 'hydra-create-user',
      }),
    ),
  },
  { additionalProperties: false, ...argRules({ mutually_exclusive: [['password', 'password_hash']] }) },
)
/** The arguments as the module receives them (defaults filled in). */
type Args = ModuleArgs<typeof Args>

/** A row of Hydra's `users` table and its roles. */
export interface HydraUser {
  fullname: string | null
  emailaddress: string
  password: string
  type: string
  roles: string[]
}

/** What gather found. */
export interface HydraState {
  unavailable?: string
  user?: HydraUser
}

const USER_SQL = `SELECT coalesce((SELECT row_to_json(u) FROM (SELECT fullname, emailaddress, password, type,
  (SELECT coalesce(json_agg(role ORDER BY role), '[]'::json) FROM userroles r
    WHERE r.username = users.username) AS roles
  FROM users WHERE username = :'name') u), 'null'::json);`

export default defineModule({
  name: 'hydra_create_user',
  summary: 'Create or update a Hydra user (hydra-create-user) with roles',
  schema: Args,
  changedWhen:
    'the user is created, its full name, email or roles differ, its password hash differs, or a password is ' +
    'set (update_password: always)',
  check: 'full',
  example: '- hydra_create_user: { name: admin, email: admin@example.org, password: "{{ pw }}", roles: [admin] }',

  async gather(args, _ctx, io): Promise<HydraState> {
    if (badArg(args.name) || args.roles.some(badArg))
      throw new ModuleFailure('user and role names must not start with "-"')
    if (args.password_hash !== undefined && !/^[A-Za-z0-9$=,./+_:-]+$/.test(args.password_hash))
      throw new ModuleFailure('password_hash is not an Argon2 or SHA1 hash')
    if (badDbName(args.database)) throw new ModuleFailure(`not a database name: ${JSON.stringify(args.database)}`)
    const r = await io
      .run(
        psql(
          USER_SQL,
          { name: args.name },
          { db: args.database, runAs: args.login_user, describe: `read Hydra user ${args.name}` },
        ),
      )
      .catch(becomeFailure)
    if (r.rc !== 0) return { unavailable: psqlError(r) }
    return { user: parseJsonLine<HydraUser | null>(r) ?? undefined }
  },

  plan(f, args, ctx) {
    if (f.unavailable && !ctx.checkMode) {
      return {
        commands: [],
        fail: `cannot read Hydra's users table in database ${args.database} (has hydra-init run?): ${f.unavailable}`,
      }
    }
    const u = f.user
    const n = args.name
    const opts: string[] = []
    const changes: string[] = []
    if (args.full_name !== undefined && (u?.fullname ?? '') !== args.full_name) {
      opts.push('--full-name', args.full_name)
      if (u) changes.push(`full name → ${args.full_name}`)
    }
    if (args.email !== undefined && u?.emailaddress !== args.email) {
      opts.push('--email-address', args.email)
      if (u) changes.push(`email → ${args.email}`)
    }
    const have = u?.roles ?? []
    const missing = args.roles.filter((r) => !have.includes(r))
    const extra = args.wipe_roles ? have.filter((r) => !args.roles.includes(r)) : []
    if (missing.length || extra.length) {
      if (extra.length) opts.push('--wipe-roles')
      for (const r of extra.length ? args.roles : missing) opts.push('--role', r)
      if (u)
        changes.push(
          `roles [${have.join(', ')}] → [${(args.wipe_roles ? args.roles : [...have, ...missing]).join(', ')}]`,
        )
    }
    const setPassword = args.password !== undefined && (!u || args.update_password === 'always')
    const setHash =
      args.password_hash !== undefined &&
      (!u || (args.update_password === 'always' && u.password !== args.password_hash))
    let stdin: string | undefined
    if (setPassword) {
      opts.push('--password-prompt')
      stdin = `${args.password}\n${args.password}\n`
      if (u) changes.push('set password')
    }
    const cmds: Command[] = []
    if (!u || opts.length) {
      const cmd: Command = { argv: [args.command, n, ...opts], describe: `hydra-create-user ${n}` }
      if (stdin !== undefined) {
        cmd.stdin = stdin
        cmd.secretStdin = true
      }
      cmds.push(cmd)
    }
    if (setHash) {
      cmds.push(
        psql(
          `UPDATE users SET password = :'hash' WHERE username = :'name';`,
          { name: n },
          {
            db: args.database,
            runAs: args.login_user,
            secretSets: { hash: args.password_hash! },
            describe: `set password hash of ${n}`,
          },
        ),
      )
      if (u) changes.push('set password hash')
    }
    if (!u) changes.unshift(`create Hydra user ${n}${args.roles.length ? ` with roles ${args.roles.join(', ')}` : ''}`)
    return { commands: cmds, changes: u ? changes.map((c) => `${n}: ${c}`) : changes }
  },
})
