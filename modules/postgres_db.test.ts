import { describe, expect, it } from 'vitest'
import pgDb, { type PgDbState } from './postgres_db.js'
import { planOf, testCtx, type WrittenArgs } from '../test/helpers/module-ctx.js'

const have = (o: Partial<PgDbState> = {}): PgDbState => ({
  db: { owner: 'hydra', encoding: 'UTF8' },
  installed: ['plpgsql', 'pg_trgm'],
  available: ['pg_trgm'],
  ...o,
})
type Row = [string, WrittenArgs<typeof pgDb>, PgDbState, { cmds?: [string, string, string[]][]; fail?: RegExp }]
const rows: Row[] = [
  [
    'create with owner, encoding and extension',
    { name: 'hydra', owner: 'hydra', encoding: 'UTF8', extensions: ['pg_trgm'] },
    { installed: [], available: ['pg_trgm'] },
    {
      cmds: [
        [
          'postgres',
          `CREATE DATABASE :"name" OWNER :"owner" ENCODING :'encoding' TEMPLATE :"template";`,
          ['name=hydra', 'owner=hydra', 'encoding=UTF8', 'template=template0'],
        ],
        ['hydra', 'CREATE EXTENSION IF NOT EXISTS :"ext0";', ['ext0=pg_trgm']],
      ],
    },
  ],
  [
    'create plain',
    { name: 'x' },
    { installed: [], available: [] },
    { cmds: [['postgres', 'CREATE DATABASE :"name";', ['name=x']]] },
  ],
  ['all there', { name: 'hydra', owner: 'hydra', encoding: 'utf-8', extensions: ['pg_trgm'] }, have(), { cmds: [] }],
  [
    'owner differs',
    { name: 'hydra', owner: 'other' },
    have(),
    { cmds: [['postgres', 'ALTER DATABASE :"name" OWNER TO :"owner";', ['name=hydra', 'owner=other']]] },
  ],
  [
    'extension missing',
    { name: 'hydra', extensions: ['pg_trgm'] },
    have({ installed: ['plpgsql'] }),
    { cmds: [['hydra', 'CREATE EXTENSION IF NOT EXISTS :"ext0";', ['ext0=pg_trgm']]] },
  ],
  [
    'extension not available',
    { name: 'hydra', extensions: ['pg_trgm'] },
    have({ available: [] }),
    { fail: /extension pg_trgm is not available/ },
  ],
  [
    'encoding cannot change',
    { name: 'hydra', encoding: 'LATIN1' },
    have(),
    { fail: /exists with encoding UTF8, not LATIN1/ },
  ],
  [
    'drop',
    { name: 'hydra', state: 'absent' },
    have(),
    { cmds: [['postgres', 'DROP DATABASE :"name";', ['name=hydra']]] },
  ],
  ['drop missing', { name: 'hydra', state: 'absent' }, { installed: [], available: [] }, { cmds: [] }],
  [
    'no PostgreSQL',
    { name: 'hydra' },
    { unavailable: 'psql: command not found', installed: [], available: [] },
    { fail: /cannot query PostgreSQL/ },
  ],
]

describe('postgres_db plan', () => {
  it.each(rows)('%s', (_n, args, facts, want) => {
    const plan = planOf(pgDb, facts, args, testCtx())
    if (want.fail) return expect(plan.fail).toMatch(want.fail)
    expect(plan.fail).toBeUndefined()
    expect(
      plan.commands.map((c) => {
        const vars = c.argv.flatMap((a, i) => (c.argv[i - 1] === '-v' && a !== 'ON_ERROR_STOP=1' ? [a] : []))
        return [c.argv[c.argv.indexOf('-d') + 1], String(c.stdin).trim(), vars]
      }),
    ).toEqual(want.cmds)
    for (const c of plan.commands) expect(c.runAs).toBe('postgres')
  })
})
