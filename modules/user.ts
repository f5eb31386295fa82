/**
 * user: create, change or delete a local user (useradd/usermod/userdel). A password is given as a crypt hash
 * (secret) and set with `chpasswd -e` on stdin, never in argv. Supplementary groups are set exactly, or
 * added to with `append: true`. Account expiry, password lock and aging are read from the shadow entry and set as
 * Ansible sets them (lib/useraging.ts); `local: true` uses libuser's tools (lib/userplan.ts). `generate_ssh_key`
 * makes the user an ssh key unless one is there (lib/usersshkey.ts: the passphrase on stdin, never in argv). As
 * Ansible's, with `create_home` (the default) an existing user whose home folder is missing gets one, copied from
 * the skeleton (lib/userhome.ts). The registered result holds the user's entry (uid, group, comment, home, shell)
 * as the task left it.
 *
 * @example
 * ```yaml
 * - user: { name: hydra-queue-runner, group: hydra, system: true, home: /var/lib/hydra/queue-runner, shell: /bin/sh }
 * ```
 */
import { Type } from '@sinclair/typebox'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { sh as shCommand } from '../engine/commands.js'
import { defineModule, ModuleFailure, type Plan } from '../engine/module.js'
import type { Command } from '../engine/types.js'
import { toList } from './lib/argvalues.js'
import { ACCOUNT_RE, entryData, parseGroup, parseIdGroups, parsePasswd, type PasswdEntry } from './lib/accounts.js'
import { parseShadow, type ShadowAging } from './lib/useraging.js'
import { HOMES, makeHome, parseHomes } from './lib/userhome.js'
import { planCreate, planModify, planRemove } from './lib/userplan.js'
import {
  badPassphrase,
  keyData,
  keyDue,
  keyFile,
  keygenCommand,
  readKey,
  SSH_KEY_ARGS,
  type KeyState,
} from './lib/usersshkey.js'

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
      Type.Boolean({
        description: "Create the home folder when creating the user, and when an existing user's home is missing",
        default: true,
        aliases: ['createhome'],
      }),
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
    expires: Type.Optional(
      Type.Number({
        description: 'Account expiry in epoch seconds (compared by UTC day); a negative value removes the expiry',
      }),
    ),
    password_lock: Type.Optional(
      Type.Boolean({
        description: 'Lock (`usermod -L`) or unlock (`-U`) the password; unset leaves it as it is',
      }),
    ),
    password_expire_min: Type.Optional(
      Type.Integer({ description: 'Minimum number of days between password changes (`chage -m`)' }),
    ),
    password_expire_max: Type.Optional(
      Type.Integer({ description: 'Maximum number of days between password changes (`chage -M`)' }),
    ),
    password_expire_warn: Type.Optional(
      Type.Integer({ description: 'Days of warning before the password expires (`chage -W`; ansible-core 2.16)' }),
    ),
    umask: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'The umask the home folder is created with (`useradd -K UMASK=`); not with `local`',
      }),
    ),
    skeleton: Type.Optional(
      Type.String({ minLength: 1, description: 'The folder a new home folder is copied from (`useradd -k`)' }),
    ),
    move_home: Defaulted(
      Type.Boolean({
        description: 'With a changed `home`: move the old home folder there (`usermod -m`)',
        default: false,
      }),
    ),
    non_unique: Defaulted(
      Type.Boolean({ description: 'With `uid`: allow a uid another user has (`-o`)', default: false }),
    ),
    ...SSH_KEY_ARGS,
    local: Defaulted(
      Type.Boolean({
        description:
          'Use the local-files tools of libuser (luseradd, lusermod, luserdel, lchage, lgroupmod) and look the user ' +
          'up in /etc/passwd only, for hosts with a central user directory',
        default: false,
      }),
    ),
  },
  { additionalProperties: false },
)
/** The arguments as the module receives them (defaults filled in). */
export type UserArgs = ModuleArgs<typeof Args>
type Args = UserArgs

/** What gather found. */
export interface UserState {
  /** The user (with `local`: only as /etc/passwd has it). */
  user?: PasswdEntry
  /** Primary group name. */
  primary?: string
  /** All groups (`id -Gn`), primary included. */
  groups: string[]
  /** The stored hash (only read when a shadow setting is given; undefined when unreadable). */
  hash?: string
  /** The shadow entry's aging fields (read with `hash`). */
  aging?: ShadowAging
  /** A group named like the user exists. */
  ownGroup: boolean
  /** With `generate_ssh_key` and an existing user: the key's path and what is there. */
  key?: KeyState
  /** With `create_home` and an existing user: which of its home and the `home` asked for exist. */
  homesExisting?: string[]
}

/** The user's passwd entry (`local`: from /etc/passwd only). */
const getentPasswd = (a: Args): Command => ({
  argv: ['getent', ...(a.local ? ['-s', 'files'] : []), 'passwd', a.name],
  okCodes: [0, 1, 2],
})

/** Whether the task sets something stored in the shadow file (so gather reads it). */
const needsShadow = (a: Args) =>
  a.password !== undefined ||
  a.expires !== undefined ||
  a.password_lock !== undefined ||
  a.password_expire_min !== undefined ||
  a.password_expire_max !== undefined ||
  a.password_expire_warn !== undefined

/**
 * As Ansible's user after it changed an existing user: with `create_home`, a home folder that is missing (after a
 * `move_home` moved the old one there) is made.
 */
function missingHome(plan: Plan, f: UserState, u: PasswdEntry, a: Args): void {
  if (!a.create_home || a.state !== 'present' || f.homesExisting === undefined) return
  const home = a.home ?? u.home
  const moved = a.move_home && a.home !== undefined && a.home !== u.home && f.homesExisting.includes(u.home)
  if (moved || f.homesExisting.includes(home)) return
  plan.commands.push(makeHome(home, a.skeleton, a.name))
  plan.changes = [...(plan.changes ?? []), `${a.name}: create the missing home folder ${home}`]
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
      getentPasswd(args),
      { argv: ['id', '-Gn', '--', args.name], ...opt },
      { argv: ['id', '-gn', '--', args.name], ...opt },
      { argv: ['getent', 'group', args.name], ...opt },
    ]
    const homes = args.state === 'present' && args.create_home
    if (homes) cmds.push(shCommand(HOMES, [args.name, args.home ?? ''], { describe: 'which home folders exist' }))
    if (needsShadow(args)) cmds.push({ argv: ['getent', 'shadow', args.name], ...opt })
    const results = await io.batch(cmds)
    const [pw, all, prim, own] = results
    const homeCheck = homes ? results[4] : undefined
    const shadow = results[homes ? 5 : 4]
    const user = parsePasswd(pw.stdout)
    const sh = shadow ? parseShadow(shadow.stdout) : undefined
    const withKey = user && args.generate_ssh_key && args.state === 'present'
    return {
      key: withKey ? await readKey(io, keyFile(args), args.home ?? user.home) : undefined,
      user,
      primary: user ? prim.stdout.trim() : undefined,
      groups: user ? parseIdGroups(all.stdout) : [],
      hash: sh?.hash,
      aging: sh && { min: sh.min, max: sh.max, warn: sh.warn, expire: sh.expire },
      ownGroup: !!parseGroup(own.stdout),
      ...(user && homeCheck ? { homesExisting: parseHomes(homeCheck.stdout) } : {}),
    }
  },

  plan(f, args) {
    const wanted = args.groups === undefined ? undefined : toList(args.groups)
    const bad = [...(wanted ?? []), ...(args.group ? [args.group] : [])].filter(
      (g) => !ACCOUNT_RE.test(g) && !/^\d+$/.test(g),
    )
    if (bad.length) return { commands: [], fail: `not a valid group name: ${bad.join(', ')}` }
    if (args.umask !== undefined && args.local) return { commands: [], fail: "'umask' can not be used with 'local'" }
    if (args.state === 'absent') return planRemove(f, args)
    const plan = f.user ? planModify(f, args, f.user, wanted) : planCreate(f, args, wanted)
    if (f.user && !plan.fail) missingHome(plan, f, f.user, args)
    if (!args.generate_ssh_key || plan.fail) return plan
    const badPass = badPassphrase(args.ssh_key_passphrase)
    if (badPass) return { commands: [], fail: badPass }
    if (f.key) plan.data = { ...plan.data, ...keyData(f.key) }
    if (!keyDue(args, f.key)) return plan
    plan.commands.push(keygenCommand(args))
    plan.changes = [...(plan.changes ?? []), `generate the ssh key of ${args.name}`]
    return plan
  },

  // Ansible's user: a failed command is no change (its recap counts none for an ignored failure)
  // then, as Ansible, the user's entry (and its ssh key) as the commands left them
  async after(_f, args, results, _ctx, io) {
    if (results.some((r) => r.rc !== 0)) return { changed: false }
    if (args.state !== 'present') return {}
    const [pw] = await io.batch([getentPasswd(args)])
    const u = parsePasswd(pw.stdout)
    if (!u) return {}
    const key = args.generate_ssh_key ? keyData(await readKey(io, keyFile(args), u.home)) : {}
    return { data: { ...entryData(u), ...key } }
  },
})
