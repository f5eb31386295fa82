/**
 * user: create, change or delete a local user (useradd/usermod/userdel). A password is given as a crypt hash
 * (secret) and set with `chpasswd -e` on stdin, never in argv. Supplementary groups are set exactly, or
 * added to with `append: true`.
 *
 * @example
 * ```yaml
 * - user: { name: hydra-queue-runner, group: hydra, system: true, home: /var/lib/hydra/queue-runner, shell: /bin/sh }
 * ```
 */
import { Type } from '@sinclair/typebox'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { defineModule, ModuleFailure } from '../engine/module.js'
import type { Command } from '../engine/types.js'
import { toList } from './lib/argvalues.js'
import {
  ACCOUNT_RE,
  parseGroup,
  parseIdGroups,
  parsePasswd,
  parseShadowHash,
  type PasswdEntry,
} from './lib/accounts.js'

const Args = Type.Object(
  {
    name: Type.String({ minLength: 1, description: 'User name' }),
    uid: Type.Optional(Type.Integer({ minimum: 0, description: 'User id (default: the next free one)' })),
    group: Type.Optional(
      Type.String({ minLength: 1, description: 'Primary group, name or gid (default: a group named like the user)' }),
    ),
    groups: Type.Optional(
      Type.Union([Type.Array(Type.String()), Type.String()], {
        description: 'Supplementary groups: a list or a comma-separated string',
      }),
    ),
    append: Defaulted(Type.Boolean({ description: 'Add to `groups` instead of setting them exactly', default: false })),
    home: Type.Optional(Type.String({ minLength: 1, description: 'Home folder' })),
    create_home: Defaulted(
      Type.Boolean({ description: 'Create the home folder when creating the user', default: true }),
    ),
    shell: Type.Optional(Type.String({ minLength: 1, description: 'Login shell' })),
    system: Defaulted(Type.Boolean({ description: 'A system account (uid from the system range)', default: false })),
    comment: Type.Optional(Type.String({ description: 'Full name / GECOS field' })),
    password: Type.Optional(
      Type.String({ description: 'Password as a crypt(3) hash (e.g. from `mkpasswd -m yescrypt`)', secret: true }),
    ),
    update_password: Defaulted(
      Type.Union([Type.Literal('always'), Type.Literal('on_create')], {
        description: 'Set the password on every run when it differs, or only on creation',
        default: 'always',
      }),
    ),
    state: Defaulted(
      Type.Union([Type.Literal('present'), Type.Literal('absent')], {
        description: 'Whether the user exists',
        default: 'present',
      }),
    ),
    remove: Defaulted(
      Type.Boolean({ description: 'With state absent: remove the home folder and mail spool too', default: false }),
    ),
    force: Defaulted(
      Type.Boolean({
        description: 'With state absent: remove the user even while logged in or running processes (userdel -f)',
        default: false,
      }),
    ),
  },
  { additionalProperties: false },
)
/** The arguments as the module receives them (defaults filled in). */
type Args = ModuleArgs<typeof Args>

/** What gather found. */
export interface UserState {
  user?: PasswdEntry
  /** Primary group name. */
  primary?: string
  /** All groups (`id -Gn`), primary included. */
  groups: string[]
  /** The stored hash (only read when `password` is given; undefined when unreadable). */
  hash?: string
  /** A group named like the user exists. */
  ownGroup: boolean
}

export default defineModule({
  name: 'user',
  summary: 'Manage local users',
  schema: Args,
  changedWhen: 'the user is created or deleted, or one of the given attributes differs',
  check: 'full',
  example: '- user: { name: hydra, group: hydra, system: true, home: /var/lib/hydra, create_home: false }',

  async gather(args, _ctx, io): Promise<UserState> {
    if (!ACCOUNT_RE.test(args.name)) throw new ModuleFailure(`not a valid user name: ${JSON.stringify(args.name)}`)
    const opt = { okCodes: [0, 1, 2] }
    const cmds: Command[] = [
      { argv: ['getent', 'passwd', args.name], ...opt },
      { argv: ['id', '-Gn', '--', args.name], ...opt },
      { argv: ['id', '-gn', '--', args.name], ...opt },
      { argv: ['getent', 'group', args.name], ...opt },
    ]
    if (args.password !== undefined) cmds.push({ argv: ['getent', 'shadow', args.name], ...opt })
    const [pw, all, prim, own, shadow] = await io.batch(cmds)
    const user = parsePasswd(pw.stdout)
    return {
      user,
      primary: user ? prim.stdout.trim() : undefined,
      groups: user ? parseIdGroups(all.stdout) : [],
      hash: shadow ? parseShadowHash(shadow.stdout) : undefined,
      ownGroup: !!parseGroup(own.stdout),
    }
  },

  plan(f, args) {
    const u = f.user
    const n = args.name
    const cmds: Command[] = []
    const changes: string[] = []
    const wanted = args.groups === undefined ? undefined : toList(args.groups)
    const bad = [...(wanted ?? []), ...(args.group ? [args.group] : [])].filter(
      (g) => !ACCOUNT_RE.test(g) && !/^\d+$/.test(g),
    )
    if (bad.length) return { commands: [], fail: `not a valid group name: ${bad.join(', ')}` }
    const chpasswd = (): Command => ({
      argv: ['chpasswd', '-e'],
      stdin: `${n}:${args.password}\n`,
      secretStdin: true,
      describe: `set the password of ${n}`,
    })

    if (args.state === 'absent') {
      const flags = [...(args.force ? ['-f'] : []), ...(args.remove ? ['-r'] : [])]
      if (u) {
        cmds.push({ argv: ['userdel', ...flags, n] })
        changes.push(`delete user ${n}`)
      }
      return { commands: cmds, changes, data: { name: n, state: 'absent' } }
    }
    if (!u) {
      const argv = ['useradd']
      if (args.uid !== undefined) argv.push('-u', String(args.uid))
      if (args.group) argv.push('-g', args.group)
      else if (f.ownGroup) argv.push('-g', n)
      if (wanted?.length) argv.push('-G', wanted.join(','))
      if (args.home) argv.push('-d', args.home)
      argv.push(args.create_home ? '-m' : '-M')
      if (args.shell) argv.push('-s', args.shell)
      if (args.system) argv.push('-r')
      if (args.comment !== undefined) argv.push('-c', args.comment)
      argv.push(n)
      cmds.push({ argv, describe: `create user ${n}` })
      changes.push(`create user ${n}`)
      if (args.password !== undefined) cmds.push(chpasswd())
      return { commands: cmds, changes, data: { name: n, state: 'present' } }
    }

    const mod: string[] = []
    if (args.uid !== undefined && u.uid !== args.uid) {
      mod.push('-u', String(args.uid))
      changes.push(`uid ${u.uid} → ${args.uid}`)
    }
    if (args.group !== undefined) {
      const same = /^\d+$/.test(args.group) ? u.gid === Number(args.group) : f.primary === args.group
      if (!same) {
        mod.push('-g', args.group)
        changes.push(`primary group ${f.primary} → ${args.group}`)
      }
    }
    if (wanted !== undefined) {
      const current = f.groups.filter((g) => g !== f.primary)
      const missing = wanted.filter((g) => !current.includes(g) && g !== f.primary)
      if (args.append) {
        if (missing.length) {
          mod.push('-a', '-G', missing.join(','))
          changes.push(`add to groups ${missing.join(', ')}`)
        }
      } else {
        const extra = current.filter((g) => !wanted.includes(g))
        if (missing.length || extra.length) {
          mod.push('-G', wanted.join(','))
          changes.push(`groups [${current.join(', ')}] → [${wanted.join(', ')}]`)
        }
      }
    }
    if (args.home !== undefined && u.home !== args.home) {
      mod.push('-d', args.home)
      changes.push(`home ${u.home} → ${args.home}`)
    }
    if (args.shell !== undefined && u.shell !== args.shell) {
      mod.push('-s', args.shell)
      changes.push(`shell ${u.shell} → ${args.shell}`)
    }
    if (args.comment !== undefined && u.comment !== args.comment) {
      mod.push('-c', args.comment)
      changes.push(`comment ${JSON.stringify(u.comment)} → ${JSON.stringify(args.comment)}`)
    }
    if (mod.length) cmds.push({ argv: ['usermod', ...mod, n], describe: `change user ${n}` })
    if (args.password !== undefined && args.update_password === 'always') {
      if (f.hash === undefined)
        return { commands: [], fail: `cannot read the password hash of ${n} (needs become: true)` }
      if (f.hash !== args.password) {
        cmds.push(chpasswd())
        changes.push(`set the password of ${n}`)
      }
    }
    return {
      commands: cmds,
      changes: changes.map((c) => (c.startsWith('set the password') ? c : `${n}: ${c}`)),
      data: { name: n, uid: u.uid, state: 'present' },
    }
  },
})
