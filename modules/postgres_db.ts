/**
 * postgres_db: a PostgreSQL database with an owner, encoding and extensions (such as `pg_trgm`), run as the
 * `postgres` OS user over the local socket. Changes are decided from `pg_database` and `pg_extension`.
 *
 * @example
 * ```yaml
 * - postgres_db: { name: hydra, owner: hydra, extensions: [pg_trgm] }
 * ```
 */
import { Type } from '@sinclair/typebox'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { defineModule, ModuleFailure } from '../engine/module.js'
import type { Command } from '../engine/types.js'

import { badDbName, becomeFailure, checkNameLength, parseJsonLine, psql, psqlError } from './lib/psql.js'

const Args = Type.Object(
  {
    name: Type.String({ minLength: 1, description: 'Database name' }),
    owner: Type.Optional(Type.String({ minLength: 1, description: 'Owning role (default: the role psql runs as)' })),
    encoding: Type.Optional(
      Type.String({ minLength: 1, description: "Encoding of a new database, e.g. UTF8 (default: the server's)" }),
    ),
    template: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'Template of a new database (default: template0 when encoding is given, else template1)',
      }),
    ),
    state: Defaulted(
      Type.Union([Type.Literal('present'), Type.Literal('absent')], {
        description: 'Whether the database exists',
        default: 'present',
      }),
    ),
    extensions: Defaulted(
      Type.Array(Type.String({ pattern: '^[A-Za-z0-9_-]+$' }), {
        description: 'Extensions to create in it',
        default: [],
      }),
    ),
    login_db: Defaulted(
      Type.String({ minLength: 1, description: 'Database psql connects to for CREATE/DROP', default: 'postgres' }),
    ),
    login_user: Defaulted(
      Type.String({ minLength: 1, description: 'OS user psql runs as (peer authentication)', default: 'postgres' }),
    ),
  },
  { additionalProperties: false },
)
/** The arguments as the module receives them (defaults filled in). */
type Args = ModuleArgs<typeof Args>

/** What gather found. */
export interface PgDbState {
  unavailable?: string
  db?: { owner: string; encoding: string }
  /** Extensions installed in the database. */
  installed: string[]
  /** Of the wanted extensions, those the server can install. */
  available: string[]
}

const DB_SQL = `SELECT json_build_object(
  'db', (SELECT json_build_object('owner', pg_get_userbyid(datdba), 'encoding', pg_encoding_to_char(encoding))
    FROM pg_database WHERE datname = :'name'),
  'available', (SELECT coalesce(json_agg(name), '[]'::json) FROM pg_available_extensions
    WHERE name = ANY(string_to_array(:'exts', ','))));`
const EXT_SQL = `SELECT coalesce(json_agg(extname), '[]'::json) FROM pg_extension;`

export default defineModule({
  name: 'postgres_db',
  aliases: ['postgresql_db', 'community.postgresql.postgresql_db'],
  summary: 'Manage a PostgreSQL database (owner, encoding, extensions)',
  schema: Args,
  changedWhen: 'the database is created or dropped, its owner changes, or a wanted extension is created',
  check: 'full',
  example: '- postgres_db: { name: hydra, owner: hydra, extensions: [pg_trgm] }',

  async gather(args, _ctx, io): Promise<PgDbState> {
    for (const d of [args.name, args.login_db])
      if (badDbName(d)) throw new ModuleFailure(`not a database name: ${JSON.stringify(d)}`)
    checkNameLength('database', args.name)
    if (args.owner) checkNameLength('owner role', args.owner)
    const who = { runAs: args.login_user }
    const [main, ext] = await io
      .batch([
        psql(
          DB_SQL,
          { name: args.name, exts: args.extensions.join(',') },
          { ...who, db: args.login_db, describe: `read database ${args.name}` },
        ),
        psql(EXT_SQL, {}, { ...who, db: args.name, okCodes: [0, 1, 2], describe: `read extensions of ${args.name}` }),
      ])
      .catch(async (e: unknown) => [await becomeFailure(e), { rc: 1, stdout: '', stderr: '' }])
    if (main.rc !== 0) return { unavailable: psqlError(main), installed: [], available: [] }
    const j = parseJsonLine<{ db: PgDbState['db'] | null; available: string[] }>(main)!
    const installed = j.db && ext.rc === 0 ? (parseJsonLine<string[]>(ext) ?? []) : []
    return { db: j.db ?? undefined, installed, available: j.available }
  },

  plan(f, args, ctx) {
    if (f.unavailable && !ctx.checkMode)
      return { commands: [], fail: `cannot query PostgreSQL as ${args.login_user}: ${f.unavailable}` }
    const n = args.name
    const base = { runAs: args.login_user, db: args.login_db }
    if (args.state === 'absent') {
      if (!f.db) return { commands: [] }
      return {
        commands: [psql('DROP DATABASE :"name";', { name: n }, { ...base, describe: `drop database ${n}` })],
        changes: [`drop database ${n}`],
      }
    }
    const cmds: Command[] = []
    const changes: string[] = []
    if (!f.unavailable) {
      const missing = args.extensions.filter((e) => !f.available.includes(e))
      if (missing.length)
        return {
          commands: [],
          fail: `extension ${missing.join(', ')} is not available on the server (apt: postgresql-contrib?)`,
        }
    }
    if (!f.db) {
      const vars: Record<string, string> = { name: n }
      let sql = 'CREATE DATABASE :"name"'
      if (args.owner) {
        vars.owner = args.owner
        sql += ' OWNER :"owner"'
      }
      if (args.encoding) {
        vars.encoding = args.encoding
        sql += " ENCODING :'encoding'"
      }
      const template = args.template ?? (args.encoding ? 'template0' : undefined)
      if (template) {
        vars.template = template
        sql += ' TEMPLATE :"template"'
      }
      cmds.push(psql(sql + ';', vars, { ...base, describe: `create database ${n}` }))
      changes.push(
        `create database ` +
          `${n}${args.owner ? ` owned by ${args.owner}` : ''}${args.encoding ? ` (${args.encoding})` : ''}`,
      )
    } else {
      if (
        args.encoding &&
        f.db.encoding.toUpperCase().replace(/[-_]/g, '') !== args.encoding.toUpperCase().replace(/[-_]/g, '')
      ) {
        return {
          commands: [],
          fail:
            `database ${n} exists with encoding ${f.db.encoding}, not ${args.encoding} (an encoding ` +
            `cannot be changed)`,
        }
      }
      if (args.owner && f.db.owner !== args.owner) {
        cmds.push(
          psql(
            'ALTER DATABASE :"name" OWNER TO :"owner";',
            { name: n, owner: args.owner },
            { ...base, describe: `owner of ${n}` },
          ),
        )
        changes.push(`change owner of database ${n} from ${f.db.owner} to ${args.owner}`)
      }
    }
    const toCreate = args.extensions.filter((e) => !f.installed.includes(e))
    if (toCreate.length) {
      const vars = Object.fromEntries(toCreate.map((e, i) => [`ext${i}`, e]))
      const sql = toCreate.map((_, i) => `CREATE EXTENSION IF NOT EXISTS :"ext${i}";`).join('\n')
      cmds.push(psql(sql, vars, { runAs: args.login_user, db: n, single: true, describe: `create extensions in ${n}` }))
      changes.push(...toCreate.map((e) => `create extension ${e} in ${n}`))
    }
    return { commands: cmds, changes }
  },
})
