/**
 * Is an archive already unpacked? The two checks of Ansible's `unarchive`: GNU tar's `--diff` output filtered the
 * way Ansible filters it (owner/group only when running as root and not set by the task, mode only when not set),
 * and for zip the members listed by `unzip -Z -T -s` compared with what `find` says of the destination (type,
 * size and time of each file; with `keep_newer` a newer file on disk counts as unpacked). Pure parsers.
 *
 * @example
 * ```ts
 * tarDiffers('a.txt: Mod time differs\n', { root: false })              // ['a.txt: Mod time differs']
 * zipDiffers('/opt', parseZipinfo(out), parseFound(found), false)       // ['d/a.txt']
 * ```
 */
import { sh } from '../../engine/commands.js'
import type { Command } from '../../engine/types.js'

const OWNER = /: Uid differs$/
const GROUP = /: Gid differs$/
const MODE = /: Mode differs$/
const ALWAYS = [
  /: Mod time differs$/,
  /: Warning: Cannot stat: No such file or directory$/,
  /: Invalid owner/,
  /: Invalid group/,
]
const EMPTY = /: : Warning: Cannot stat: No such file or directory$/

/** The lines of tar's `--diff` that mean "not unpacked", as Ansible keeps them. */
export function tarDiffers(
  out: string,
  o: { root: boolean; owner?: string; group?: string; mode?: unknown },
): string[] {
  return out.split('\n').filter((l) => {
    if (!l || EMPTY.test(l)) return false
    if (o.root && !o.owner && OWNER.test(l)) return true
    if (o.root && !o.group && GROUP.test(l)) return true
    if (o.mode === undefined && MODE.test(l)) return true
    return ALWAYS.some((re) => re.test(l))
  })
}

/** A member as zipinfo lists it. */
export interface ZipMember {
  kind: 'd' | 'l' | 'f'
  size: number
  /** Local time, `YYYYMMDD.HHMMSS`. */
  time: string
  name: string
}

/** `unzip -Z -T -s` lines → members. */
export function parseZipinfo(out: string): ZipMember[] {
  const re = /^([-dl])[-rwxsStT]{9}\s+\S+\s+\S+\s+(\d+)\s+\S+\s+\S+\s+(\d{8}\.\d{6})\s(.*)$/
  return out.split('\n').flatMap((l) => {
    const m = re.exec(l)
    if (!m) return []
    const kind = m[1] === '-' ? 'f' : (m[1] as 'd' | 'l')
    return [{ kind, size: Number(m[2]), time: m[3], name: m[4] }]
  })
}

/** What `find -printf` says of one path. */
export interface Found {
  /** find's `%y`: f, d, l, … */
  type: string
  size: number
  mode: number
  owner: string
  group: string
  uid: number
  gid: number
  time: string
}

const FIND =
  'for p; do find "$p" -maxdepth 0 -printf "%y %s %m %U %G %TY%Tm%Td.%TH%TM%TS %u %g\\t%p\\n"; done 2>/dev/null'

/** One read-only command describing each path (missing ones left out). */
export function findCommand(paths: readonly string[]): Command {
  return sh(
    FIND,
    paths.map((p) => (p.startsWith('/') ? p : `./${p}`)),
  )
}

/** `findCommand`'s output → path → what it is. */
export function parseFound(out: string): Map<string, Found> {
  const map = new Map<string, Found>()
  for (const line of out.split('\n')) {
    const tab = line.indexOf('\t')
    if (tab < 0) continue
    const [type, size, mode, uid, gid, time, owner, group] = line.slice(0, tab).split(' ')
    const path = line.slice(tab + 1).replace(/^\.\//, '')
    map.set(path, {
      type,
      size: Number(size),
      mode: parseInt(mode, 8),
      uid: Number(uid),
      gid: Number(gid),
      time: (time ?? '').slice(0, 15),
      owner: owner ?? '',
      group: group ?? '',
    })
  }
  return map
}

/** The joined path of a member under `dest`. */
export const under = (dest: string, name: string) => `${dest.replace(/\/+$/, '')}/${name.replace(/\/+$/, '')}`

/** Members whose copy under `dest` is missing or differs. */
export function zipDiffers(
  dest: string,
  members: ZipMember[],
  found: Map<string, Found>,
  keepNewer: boolean,
): string[] {
  return members
    .filter((m) => {
      const f = found.get(under(dest, m.name))
      if (!f) return true
      if (m.kind === 'd') return f.type !== 'd'
      if (m.kind === 'l') return f.type !== 'l'
      if (f.type !== 'f') return true
      if (keepNewer && f.time > m.time) return false
      return f.size !== m.size || f.time !== m.time
    })
    .map((m) => m.name)
}
