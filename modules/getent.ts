/**
 * `getent`: read a name-service database on the host (`getent DATABASE [KEY]`) and set it as the fact
 * `getent_DATABASE` (a variable, and `ansible_facts.getent_DATABASE`), as Ansible's `getent` does: each line is a
 * key → the list of its other fields, split at `split` (`:` for passwd, shadow, group and gshadow, else at
 * whitespace); a key found on several lines maps to a list of those lists. A missing `key` fails the task unless
 * `fail_key: false` (then the key maps to null). Read-only: never changed, the same in check mode.
 *
 * @example
 * ```yaml
 * - getent: { database: passwd, key: root }
 * - debug: { msg: "root's shell is {{ getent_passwd.root[5] }}" }
 * - getent: { database: hosts, key: localhost, fail_key: false }
 * ```
 */
import { Type } from '@sinclair/typebox'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { defineModule, type Plan } from '../engine/module.js'
import type { Command, CommandResult } from '../engine/types.js'
import { factsPlan } from './lib/factplan.js'
import { ALL_CODES } from './lib/run.js'

const Args = Type.Object(
  {
    database: Type.String({ description: 'The database (`passwd`, `group`, `hosts`, `services`, …).' }),
    key: Type.Optional(Type.String({ description: 'The key to look up; without it, the whole database.' })),
    service: Type.Optional(Type.String({ description: 'Read through this service only (`getent -s SERVICE`).' })),
    split: Type.Optional(
      Type.String({
        description: 'What separates the fields (default `:` for passwd, shadow, group and gshadow, else whitespace).',
      }),
    ),
    fail_key: Defaulted(Type.Boolean({ default: true, description: 'Fail the task when `key` is not found.' })),
  },
  { additionalProperties: false },
)
type Args = ModuleArgs<typeof Args>

const COLON = ['passwd', 'shadow', 'group', 'gshadow']
/** getent's exit codes, as Ansible reports them. */
const FAILURES: Record<number, string> = {
  1: 'Missing arguments, or database unknown.',
  2: 'One or more supplied key could not be found in the database.',
  3: 'Enumeration not supported on this database.',
}

/** The read-only command. */
export function getentCommand(a: Args): Command {
  const argv = ['getent', a.database, ...(a.key !== undefined ? [a.key] : [])]
  if (a.service !== undefined) argv.push('-s', a.service)
  return { argv, okCodes: ALL_CODES, describe: `read ${a.database}${a.key !== undefined ? ` ${a.key}` : ''}` }
}

/** Python's `str.split(sep)`: at every `sep`, or (no sep) at runs of whitespace with the ends trimmed. */
function pySplit(line: string, sep: string | undefined): string[] {
  if (sep === undefined) return line.trim() === '' ? [] : line.trim().split(/\s+/)
  return line.split(sep)
}

/** getent's output as Ansible's fact: key → fields, or a list of field lists for a repeated key. Pure. */
export function parseGetent(out: string, sep: string | undefined): Record<string, unknown> {
  const tree: Record<string, unknown> = {}
  const seen = new Map<string, number>()
  const lines = out.split(/\r\n|\n|\r/)
  if (lines.at(-1) === '') lines.pop() // as Python's splitlines
  for (const line of lines) {
    const rec = pySplit(line, sep)
    if (rec.length === 0) continue
    const [k, ...rest] = rec
    const n = seen.get(k) ?? 0
    if (n === 0) tree[k] = rest
    else {
      if (n === 1) tree[k] = [tree[k]]
      ;(tree[k] as unknown[]).push(rest)
    }
    seen.set(k, n + 1)
  }
  return tree
}

/** The plan from getent's result: the fact, or Ansible's failure. Pure. */
export function planGetent(r: CommandResult, a: Args): Plan {
  if (a.split === '') return { commands: [], fail: 'empty separator' }
  const name = `getent_${a.database}`
  const sep = a.split ?? (COLON.includes(a.database) ? ':' : undefined)
  if (r.rc === 0) {
    const facts = { [name]: parseGetent(r.stdout, sep) }
    return factsPlan(facts)
  }
  if (r.rc === 2 && !a.fail_key) {
    const facts = { [name]: { [a.key ?? '']: null } }
    return factsPlan(facts, FAILURES[2])
  }
  if (r.rc === 127) return { commands: [], fail: 'Failed to find required executable "getent"' }
  return { commands: [], fail: FAILURES[r.rc] ?? 'Unexpected failure!' }
}

export default defineModule({
  name: 'getent',
  summary: 'Read a name-service database (passwd, group, hosts, …) into the getent_<database> fact',
  schema: Args,
  changedWhen: 'never',
  check: 'full',
  example: 'getent: { database: passwd, key: root }',
  gather: async (args: Args, _ctx, io) => io.run(getentCommand(args)),
  plan: (r, args) => planGetent(r, args),
})
