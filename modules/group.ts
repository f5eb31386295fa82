/**
 * group: create, change the gid of, or delete a local group (groupadd/groupmod/groupdel). `local: true` uses
 * libuser's lgroupadd/lgroupmod/lgroupdel and looks the group up in /etc/group only (as Ansible: a gid another
 * local group has fails first); `non_unique` lets a gid be shared (`-o`).
 *
 * @example
 * ```yaml
 * - group: { name: nixbld, gid: 30000, system: true }
 * ```
 */
import { Type } from '@sinclair/typebox'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { defineModule, ModuleFailure } from '../engine/module.js'
import type { Command } from '../engine/types.js'

import { ACCOUNT_RE, parseGroup, type GroupEntry } from './lib/accounts.js'

const Args = Type.Object(
  {
    name: Type.String({ minLength: 1, description: 'Group name' }),
    gid: Type.Optional(Type.Integer({ minimum: 0, description: 'Group id (default: the next free one)' })),
    system: Defaulted(Type.Boolean({ description: 'A system group (gid from the system range)', default: false })),
    non_unique: Defaulted(
      Type.Boolean({ description: 'With `gid`: allow a gid another group already has (`-o`)', default: false }),
    ),
    local: Defaulted(
      Type.Boolean({
        description:
          "Use libuser's lgroupadd/lgroupmod/lgroupdel and look the group up in /etc/group only (hosts with a " +
          'central directory)',
        default: false,
      }),
    ),
    state: Defaulted(
      Type.Union([Type.Literal('present'), Type.Literal('absent')], {
        description: 'Whether the group exists',
        default: 'present',
      }),
    ),
  },
  { additionalProperties: false },
)
/** The arguments as the module receives them (defaults filled in). */
type Args = ModuleArgs<typeof Args>

/** What gather found. */
export interface GroupState {
  group?: GroupEntry
  /** With `local` and `gid`: the local group that has that gid (read to refuse taking it). */
  gidOwner?: GroupEntry
}

export default defineModule({
  name: 'group',
  summary: 'Manage local groups',
  schema: Args,
  changedWhen: 'the group is created, deleted or its gid changes',
  check: 'full',
  example: '- group: { name: hydra, system: true }',

  async gather(args, _ctx, io): Promise<GroupState> {
    if (!ACCOUNT_RE.test(args.name)) throw new ModuleFailure(`not a valid group name: ${JSON.stringify(args.name)}`)
    const files = args.local ? ['-s', 'files'] : []
    const cmds: Command[] = [{ argv: ['getent', ...files, 'group', args.name], okCodes: [0, 2] }]
    if (args.local && args.gid !== undefined)
      cmds.push({ argv: ['getent', 'group', String(args.gid)], okCodes: [0, 2] })
    const [r, byGid] = await io.batch(cmds)
    return { group: parseGroup(r.stdout), ...(byGid ? { gidOwner: parseGroup(byGid.stdout) } : {}) }
  },

  plan(state, args, ctx) {
    const g = state.group
    const cmds: Command[] = []
    const changes: string[] = []
    const tool = (verb: 'add' | 'mod' | 'del') => `${args.local ? 'l' : ''}group${verb}`
    const gid = args.gid !== undefined ? ['-g', String(args.gid), ...(args.non_unique ? ['-o'] : [])] : []
    const taken = state.gidOwner && state.gidOwner.name !== args.name ? state.gidOwner : undefined
    if (args.state === 'present' && taken)
      return { commands: [], fail: `GID '${args.gid}' already exists with group '${taken.name}'` }
    if (args.state === 'absent') {
      if (g) {
        cmds.push({ argv: [tool('del'), args.name] })
        changes.push(`delete group ${args.name}`)
      }
    } else if (!g) {
      const argv = [tool('add'), ...gid, ...(args.system ? ['-r'] : []), args.name]
      cmds.push({ argv })
      changes.push(`create group ${args.name}${args.gid !== undefined ? ` (gid ${args.gid})` : ''}`)
    } else if (args.gid !== undefined && g.gid !== args.gid) {
      cmds.push({ argv: [tool('mod'), ...gid, args.name] })
      changes.push(`change gid of ${args.name} from ${g.gid} to ${args.gid}`)
    }
    // as Ansible's: a group that is there after the task (in check mode: before it) has its gid and `system`
    const there = ctx.checkMode ? !!g : args.state !== 'absent'
    const known = there ? { gid: g?.gid ?? args.gid ?? null, system: !!args.system } : {}
    return { commands: cmds, changes, data: { name: args.name, ...known, state: args.state } }
  },

  async after(_f, args, results, _ctx, io) {
    if (results.some((r) => r.rc !== 0)) return { changed: false } // Ansible's group: a failure is no change
    if (args.state === 'absent') return {}
    const g = parseGroup((await io.run({ argv: ['getent', 'group', args.name], okCodes: [0, 2] })).stdout)
    return g ? { data: { gid: g.gid } } : {}
  },
})
