/**
 * postgres_user: a PostgreSQL role with a password and attribute flags, run as the `postgres` OS user over
 * the local socket. Changes are decided from `pg_authid`; the password's SCRAM-SHA-256 verifier is computed on
 * the controller and sent on stdin, and an existing verifier is checked by recomputing it with its own salt —
 * the password never reaches the host, argv or logs.
 *
 * @example
 * ```yaml
 * - postgres_user: { name: hydra, password: "{{ hydra_db_password }}", role_attr_flags: NOSUPERUSER,NOCREATEDB }
 * ```
 */
import { randomBytes } from 'node:crypto'
import { Type } from '@sinclair/typebox'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { defineModule, ModuleFailure } from '../engine/module.js'
import { toList } from './lib/argvalues.js'
import { badDbName, becomeFailure, checkNameLength, parseJsonLine, psql, psqlError } from './lib/psql.js'
import { isScramVerifier, scramMatches, scramVerifier } from './lib/scram.js'

const Args = Type.Object(
  {
    name: Type.String({ minLength: 1, description: 'Role name' }),
    password: Type.Optional(
      Type.String({
        description: 'Password (stored as SCRAM-SHA-256), or a ready `SCRAM-SHA-256$…` verifier',
        secret: true,
      }),
    ),
    role_attr_flags: Defaulted(
      Type.String({
        description:
          'Comma-separated: [NO]SUPERUSER, [NO]CREATEROLE, [NO]CREATEDB, [NO]INHERIT, [NO]LOGIN, ' +
          '[NO]REPLICATION, [NO]BYPASSRLS',
        default: '',
      }),
    ),
    state: Defaulted(
      Type.Union([Type.Literal('present'), Type.Literal('absent')], {
        description: 'Whether the role exists',
        default: 'present',
      }),
    ),
    login_db: Defaulted(Type.String({ minLength: 1, description: 'Database psql connects to', default: 'postgres' })),
    login_user: Defaulted(
      Type.String({ minLength: 1, description: 'OS user psql runs as (peer authentication)', default: 'postgres' }),
    ),
  },
  { additionalProperties: false },
)
/** The arguments as the module receives them (defaults filled in). */
type Args = ModuleArgs<typeof Args>

/** A role's row in pg_authid. */
export interface RoleRow {
  rolsuper: boolean
  rolinherit: boolean
  rolcreaterole: boolean
  rolcreatedb: boolean
  rolcanlogin: boolean
  rolreplication: boolean
  rolbypassrls: boolean
  rolpassword: string | null
}

/** What gather found. */
export interface PgUserState {
  /** psql could not run (PostgreSQL not installed yet, no such OS user): the reason. */
  unavailable?: string
  role?: RoleRow
  /** A fresh salt for a new verifier (so plan stays deterministic). */
  salt: string
}

/** Flag keyword → pg_authid column. The SQL keywords come from this table, never from user text. */
export const FLAGS: Record<string, keyof RoleRow> = {
  SUPERUSER: 'rolsuper',
  CREATEROLE: 'rolcreaterole',
  CREATEDB: 'rolcreatedb',
  INHERIT: 'rolinherit',
  LOGIN: 'rolcanlogin',
  REPLICATION: 'rolreplication',
  BYPASSRLS: 'rolbypassrls',
}

const ROLE_SQL = `SELECT coalesce((SELECT row_to_json(r) FROM (
  SELECT rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin,
  rolreplication, rolbypassrls, rolpassword FROM pg_authid WHERE rolname = :'name') r), 'null'::json);`

/** Parse `role_attr_flags` into wanted values per flag; throws on unknown flags. */
export function parseFlags(text: string): Map<string, boolean> {
  const out = new Map<string, boolean>()
  for (const raw of toList(text.toUpperCase())) {
    const on = !raw.startsWith('NO')
    const key = on ? raw : raw.slice(2)
    if (!(key in FLAGS))
      throw new ModuleFailure(
        `unknown role_attr_flags entry ${JSON.stringify(raw)} (known: ${Object.keys(FLAGS).join(', ')}, ` +
          `each optionally prefixed with NO)`,
      )
    out.set(key, on)
  }
  return out
}

export default defineModule({
  name: 'postgres_user',
  aliases: ['postgresql_user', 'community.postgresql.postgresql_user'],
  summary: 'Manage a PostgreSQL role (password as SCRAM, attribute flags)',
  schema: Args,
  changedWhen: 'the role is created or dropped, a flag differs, or the stored verifier does not match the password',
  check: 'full',
  example: '- postgres_user: { name: hydra, role_attr_flags: LOGIN }',

  async gather(args, _ctx, io): Promise<PgUserState> {
    parseFlags(args.role_attr_flags)
    if (badDbName(args.login_db)) throw new ModuleFailure(`not a database name: ${JSON.stringify(args.login_db)}`)
    checkNameLength('role', args.name)
    const salt = randomBytes(16).toString('base64')
    const r = await io
      .run(
        psql(
          ROLE_SQL,
          { name: args.name },
          { db: args.login_db, runAs: args.login_user, describe: `read role ${args.name}` },
        ),
      )
      .catch(becomeFailure)
    if (r.rc !== 0) return { unavailable: psqlError(r), salt }
    return { role: parseJsonLine<RoleRow | null>(r) ?? undefined, salt }
  },

  plan(state, args, ctx) {
    if (state.unavailable && !ctx.checkMode)
      return { commands: [], fail: `cannot query PostgreSQL as ${args.login_user}: ${state.unavailable}` }
    const opts = { db: args.login_db, runAs: args.login_user }
    const vars = { name: args.name }
    const role = state.role
    if (args.state === 'absent') {
      if (!role) return { commands: [] }
      return {
        commands: [psql('DROP ROLE :"name";', vars, { ...opts, describe: `drop role ${args.name}` })],
        changes: [`drop role ${args.name}`],
      }
    }
    const flags = parseFlags(args.role_attr_flags)
    const diff = [...flags].filter(([k, on]) => !role || role[FLAGS[k]] !== on).map(([k, on]) => (on ? k : `NO${k}`))
    let verifier: string | undefined
    if (args.password !== undefined) {
      const stored = role?.rolpassword ?? ''
      if (isScramVerifier(args.password)) verifier = stored === args.password ? undefined : args.password
      else if (!role || !scramMatches(stored, args.password))
        verifier = scramVerifier(args.password, Buffer.from(state.salt, 'base64'))
    }
    if (role && diff.length === 0 && !verifier) return { commands: [] }
    const keywords = diff.join(' ')
    const sql = role
      ? [
          diff.length ? `ALTER ROLE :"name" WITH ${keywords};` : '',
          verifier ? `ALTER ROLE :"name" PASSWORD :'verifier';` : '',
        ].join('\n')
      : `CREATE ROLE :"name" WITH ` +
        `${flags.has('LOGIN') ? '' : 'LOGIN '}${keywords}${verifier ? ` PASSWORD :'verifier'` : ''};`
    const changes = role
      ? [
          ...(diff.length ? [`alter role ${args.name}: ${keywords}`] : []),
          ...(verifier ? [`set the password of role ${args.name}`] : []),
        ]
      : [`create role ${args.name}${keywords ? ` (${keywords})` : ''}${verifier ? ' with a password' : ''}`]
    const cmd = psql(sql, vars, {
      ...opts,
      single: true,
      secretSets: verifier ? { verifier } : undefined,
      describe: changes.join('; '),
    })
    return { commands: [cmd], changes }
  },
})
