/**
 * `dpkg_selections`: set a package's dpkg selection (`install`, `hold`, `deinstall`, `purge`), as Ansible's
 * `dpkg_selections` does: the current one is read with `dpkg --get-selections NAME` (`not present` when dpkg does
 * not know the package), and a different one is set with `dpkg --set-selections` (the line on standard input).
 * Registers `before` and `after`. Changed when the selection differs; check mode predicts it.
 *
 * @example
 * ```yaml
 * - dpkg_selections: { name: linux-image-arm64, selection: hold }
 *   become: true
 * ```
 */
import { Type } from '@sinclair/typebox'
import type { ModuleArgs } from '../engine/argtypes.js'
import { defineModule, ModuleFailure, type Plan } from '../engine/module.js'
import type { Command, CommandResult } from '../engine/types.js'
import { ALL_CODES, SBIN_PATH } from './lib/run.js'

const SELECTIONS = ['install', 'hold', 'deinstall', 'purge'] as const

const Args = Type.Object(
  {
    name: Type.String({ minLength: 1, description: 'The package.' }),
    selection: Type.Union(
      SELECTIONS.map((s) => Type.Literal(s)),
      { description: 'Its selection.' },
    ),
  },
  { additionalProperties: false },
)
type Args = ModuleArgs<typeof Args>

/** dpkg found in sbin for a login user too (as Ansible's `get_bin_path`), with C messages. */
const ENV = { LC_ALL: 'C', PATH: SBIN_PATH }

/** The read-only command. */
export function readCommand(name: string): Command {
  return {
    argv: ['dpkg', '--get-selections', name],
    env: ENV,
    okCodes: ALL_CODES,
    describe: `read the selection of ${name}`,
  }
}

/** The current selection from dpkg's output (`not present` when there is none). Pure. */
export function currentSelection(r: CommandResult): string {
  if (r.rc !== 0) throw new ModuleFailure(`dpkg --get-selections failed (rc ${r.rc}): ${r.stderr.trim()}`)
  const words = r.stdout.trim().split(/\s+/)
  return r.stdout.trim() === '' ? 'not present' : (words[1] ?? 'not present')
}

/** Decide. Pure. */
export function planSelection(current: string, a: Args): Plan {
  const data = { before: current, after: a.selection }
  if (current === a.selection) return { commands: [], data }
  return {
    commands: [
      {
        argv: ['dpkg', '--set-selections'],
        stdin: `${a.name} ${a.selection}`,
        env: ENV,
        describe: `set the selection of ${a.name} to ${a.selection}`,
      },
    ],
    changes: [`${a.name}: ${current} → ${a.selection}`],
    data,
  }
}

export default defineModule({
  name: 'dpkg_selections',
  summary: "Set a package's dpkg selection (install, hold, deinstall, purge)",
  schema: Args,
  changedWhen: 'the selection differs',
  check: 'full',
  example: 'dpkg_selections: { name: linux-image-arm64, selection: hold }',
  gather: async (args: Args, _ctx, io) => currentSelection(await io.run(readCommand(args.name))),
  plan: (current, args) => planSelection(current, args),
})
