/**
 * The user module's three plans — remove, create, modify — as commands (argv data). With `local` the libuser
 * tools stand in for shadow-utils as in Ansible: luseradd/lusermod/luserdel, expiry by `lchage -E DAYS`, group
 * membership by `lgroupmod -M/-m` (one group a command). A password hash always goes on chpasswd's stdin.
 *
 * @example
 * ```ts
 * planCreate({ groups: [], ownGroup: false }, args, undefined).commands // [{ argv: ['useradd', '-m', 'hy'] }]
 * ```
 */
import type { Plan } from '../../engine/module.js'
import type { Command } from '../../engine/types.js'
import type { UserArgs as Args, UserState } from '../user.js'
import { entryData, type PasswdEntry } from './accounts.js'
import { agingArgv, expiryDate, expiryDays, expiryFlag, lockFlag, sameHash } from './useraging.js'

const chpasswd = (a: Args, lock: boolean): Command => ({
  argv: ['chpasswd', '-e'],
  stdin: `${a.name}:${lock ? '!' : ''}${a.password}\n`,
  secretStdin: true,
  describe: `set the password of ${a.name}`,
})
/** The password aging the task asks for. */
const agingOf = (a: Args) => ({ min: a.password_expire_min, max: a.password_expire_max, warn: a.password_expire_warn })

const lgroupmod = (flag: '-M' | '-m', user: string, group: string): Command => ({
  argv: ['lgroupmod', flag, user, group],
})

/** `state: absent`: userdel (luserdel with `local`, which has no `-f`). */
export function planRemove(f: UserState, a: Args): Plan {
  const flags = [...(a.force && !a.local ? ['-f'] : []), ...(a.remove ? ['-r'] : [])]
  if (!f.user) return { commands: [], data: { name: a.name, state: 'absent' } }
  return {
    commands: [{ argv: [a.local ? 'luserdel' : 'userdel', ...flags, a.name] }],
    changes: [`delete user ${a.name}`],
    // as Ansible's: the flags it removed the user with
    data: { name: a.name, state: 'absent', force: !!a.force, remove: !!a.remove },
  }
}

/** A new user: useradd, then its password, expiry and groups (with `local`), and password aging. */
export function planCreate(f: UserState, a: Args, groups: string[] | undefined): Plan {
  const n = a.name
  const argv = [a.local ? 'luseradd' : 'useradd']
  if (a.uid !== undefined) argv.push('-u', String(a.uid), ...(a.non_unique ? ['-o'] : []))
  if (a.group) argv.push('-g', a.group)
  else if (f.ownGroup) argv.push('-g', n)
  if (groups?.length && !a.local) argv.push('-G', groups.join(','))
  if (a.home) argv.push('-d', a.home)
  if (!a.create_home) argv.push('-M')
  else if (!a.local) argv.push('-m')
  if (a.create_home && a.skeleton !== undefined) argv.push('-k', a.skeleton)
  if (a.create_home && a.umask !== undefined) argv.push('-K', `UMASK=${a.umask}`)
  if (a.shell) argv.push('-s', a.shell)
  if (a.system) argv.push('-r')
  if (a.comment !== undefined) argv.push('-c', a.comment)
  if (a.expires !== undefined && !a.local) argv.push('-e', a.expires < 0 ? '' : expiryDate(a.expires))
  argv.push(n)
  const cmds: Command[] = [{ argv, describe: `create user ${n}` }]
  if (a.password !== undefined) cmds.push(chpasswd(a, a.password_lock === true))
  if (a.local && a.expires !== undefined) cmds.push({ argv: ['lchage', '-E', String(expiryDays(a.expires)), n] })
  if (a.local) for (const g of groups ?? []) cmds.push(lgroupmod('-M', n, g))
  const aging = agingArgv(n, undefined, agingOf(a))
  if (aging) cmds.push({ argv: aging, describe: `set the password aging of ${n}` })
  const data = { name: n, state: 'present', system: !!a.system, create_home: a.create_home !== false }
  return { commands: cmds, changes: [`create user ${n}`], data }
}

/** An existing user: one usermod for what differs, then password, lchage/lgroupmod (`local`) and chage. */
export function planModify(f: UserState, a: Args, u: PasswdEntry, wanted: string[] | undefined): Plan {
  const n = a.name
  const mod: string[] = []
  const after: Command[] = []
  const changes: string[] = []
  const setPassword = a.password !== undefined && a.update_password === 'always'
  const shadowSet =
    a.expires !== undefined ||
    a.password_lock !== undefined ||
    a.password_expire_min !== undefined ||
    a.password_expire_max !== undefined ||
    a.password_expire_warn !== undefined
  if ((setPassword || shadowSet) && (f.hash === undefined || f.aging === undefined))
    return { commands: [], fail: `cannot read the password hash of ${n} (needs become: true)` }
  if (a.uid !== undefined && u.uid !== a.uid) {
    mod.push('-u', String(a.uid), ...(a.non_unique ? ['-o'] : []))
    changes.push(`uid ${u.uid} → ${a.uid}`)
  }
  if (a.group !== undefined) {
    const same = /^\d+$/.test(a.group) ? u.gid === Number(a.group) : f.primary === a.group
    if (!same) {
      mod.push('-g', a.group)
      changes.push(`primary group ${f.primary} → ${a.group}`)
    }
  }
  if (wanted !== undefined) {
    const current = f.groups.filter((g) => g !== f.primary)
    const missing = wanted.filter((g) => !current.includes(g) && g !== f.primary)
    const extra = a.append ? [] : current.filter((g) => !wanted.includes(g))
    if (missing.length || extra.length) {
      if (a.local) {
        after.push(...missing.map((g) => lgroupmod('-M', n, g)), ...extra.map((g) => lgroupmod('-m', n, g)))
      } else if (a.append) mod.push('-a', '-G', missing.join(','))
      else mod.push('-G', wanted.join(','))
      changes.push(
        a.append ? `add to groups ${missing.join(', ')}` : `groups [${current.join(', ')}] → [${wanted.join(', ')}]`,
      )
    }
  }
  if (a.home !== undefined && u.home !== a.home) {
    mod.push('-d', a.home, ...(a.move_home ? ['-m'] : []))
    changes.push(`${a.move_home ? 'move ' : ''}home ${u.home} → ${a.home}`)
  }
  if (a.shell !== undefined && u.shell !== a.shell) {
    mod.push('-s', a.shell)
    changes.push(`shell ${u.shell} → ${a.shell}`)
  }
  if (a.comment !== undefined && u.comment !== a.comment) {
    mod.push('-c', a.comment)
    changes.push(`comment ${JSON.stringify(u.comment)} → ${JSON.stringify(a.comment)}`)
  }
  const expire = a.expires === undefined ? undefined : expiryFlag(a.expires, f.aging!.expire)
  if (expire !== undefined) {
    if (a.local) after.unshift({ argv: ['lchage', '-E', String(expiryDays(a.expires!)), n] })
    else mod.push('-e', expire)
    changes.push(expire === '' ? 'remove the account expiry' : `account expires ${expire}`)
  }
  const pwChange = setPassword && !sameHash(f.hash!, a.password!)
  const lock = pwChange ? undefined : lockFlag(a.password_lock, f.hash ?? '')
  if (lock) {
    mod.push(lock)
    changes.push(lock === '-L' ? 'lock the password' : 'unlock the password')
  }
  const cmds: Command[] = []
  if (mod.length) cmds.push({ argv: [a.local ? 'lusermod' : 'usermod', ...mod, n], describe: `change user ${n}` })
  if (pwChange) {
    cmds.push(chpasswd(a, a.password_lock === true))
    changes.push(`set the password of ${n}`)
  }
  cmds.push(...after)
  const aging = agingArgv(n, f.aging, agingOf(a))
  if (aging) {
    cmds.push({ argv: aging, describe: `set the password aging of ${n}` })
    changes.push(`password aging ${aging.slice(1, -1).join(' ')}`)
  }
  return {
    commands: cmds,
    changes: changes.map((c) => (c.startsWith('set the password') ? c : `${n}: ${c}`)),
    data: { name: n, ...entryData(u), state: 'present', append: !!a.append, move_home: !!a.move_home },
  }
}
