/**
 * Is an archive already unpacked? The two checks of Ansible's `unarchive`: GNU tar's `--diff` output filtered the
 * way Ansible filters it (owner/group only when running as root and not set by the task, mode only when not set),
 * and for zip the members listed by `unzip -Z -T -s` compared with what `find` says of the destination (type,
 * size and time of each file; with `keep_newer` a newer file on disk counts as unpacked). Also the members as
 * Ansible lists them and the paths whose attributes it sets. Pure.
 *
 * @example
 * ```ts
 * tarDiffers('a.txt: Mod time differs\n', { root: false })              // ['a.txt: Mod time differs']
 * zipDiffers('/opt', parseZipinfo(out), parseFound(found), false)       // ['d/a.txt']
 * ```
 */
import { sh } from '../../engine/commands.js'
import type { Command } from '../../engine/types.js'
import * as ar from './archive.js'
import { fnmatchRe } from './findfs.js'

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

/** Members as Ansible lists them: names without a leading `/`, excluded patterns left out. */
export function membersOf(out: string, h: ar.Handler, exclude: readonly string[]): string[] {
  const res = exclude.map((x) => fnmatchRe(x.replace(/\/+$/, '')))
  return out
    .split('\n')
    .filter(Boolean)
    .map((l) => (h === 'ZipArchive' ? l : ar.tarName(l)).replace(/^\//, ''))
    .filter((n) => !res.some((re) => re.test(n)))
}

/** Paths whose attributes are set: every member and each member's top folder. */
export function attrPaths(dest: string, files: readonly string[]): string[] {
  const tops = files.filter((f) => f.includes('/')).map((f) => f.split('/')[0])
  return [...new Set([...files.map((f) => under(dest, f)), ...tops.map((t) => under(dest, t))])]
}

/** The file name a URL ends with (`archive` when it names none). */
export function urlFileName(url: string): string {
  const last =
    url
      .replace(/[?#].*$/, '')
      .split('/')
      .pop() ?? ''
  return last === '' || last === '.' || last === '..' ? 'archive' : last
}
