/**
 * Parsers for the user and group modules' state: `getent passwd|group|shadow` lines and `id -Gn`.
 *
 * @example
 * ```ts
 * parsePasswd('hydra:x:998:998:Hydra:/var/lib/hydra:/bin/sh') // { name: 'hydra', uid: 998, … }
 * ```
 */

/** A `getent passwd` entry. */
export interface PasswdEntry {
  name: string
  uid: number
  gid: number
  comment: string
  home: string
  shell: string
}

/** A `getent group` entry. */
export interface GroupEntry {
  name: string
  gid: number
  members: string[]
}

/** Parse one `getent passwd NAME` line; undefined when there is none. */
export function parsePasswd(stdout: string): PasswdEntry | undefined {
  const line = stdout.split('\n').find((l) => l.includes(':'))
  if (!line) return undefined
  const [name, , uid, gid, comment, home, shell] = line.split(':')
  return { name, uid: Number(uid), gid: Number(gid), comment: comment ?? '', home: home ?? '', shell: shell ?? '' }
}

/** A user's entry as Ansible's user module registers it (`group` is the primary gid). */
export const entryData = (u: PasswdEntry) => ({
  uid: u.uid,
  group: u.gid,
  comment: u.comment,
  home: u.home,
  shell: u.shell,
})

/** Parse one `getent group NAME` line; undefined when there is none. */
export function parseGroup(stdout: string): GroupEntry | undefined {
  const line = stdout.split('\n').find((l) => l.includes(':'))
  if (!line) return undefined
  const [name, , gid, members] = line.split(':')
  return { name, gid: Number(gid), members: (members ?? '').split(',').filter(Boolean) }
}

/** The password hash field of a `getent shadow NAME` line ('' when unreadable). */
export function parseShadowHash(stdout: string): string | undefined {
  const line = stdout.split('\n').find((l) => l.includes(':'))
  return line ? line.split(':')[1] : undefined
}

/** `id -Gn NAME` → group names. */
export function parseIdGroups(stdout: string): string[] {
  return stdout.trim().split(/\s+/).filter(Boolean)
}

/** A user or group name useradd/groupadd accept (Debian's default NAME_REGEX, relaxed for system accounts). */
export const ACCOUNT_RE = /^[a-z_][a-z0-9_.-]*\$?$/i
