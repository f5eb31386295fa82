/**
 * The `find` module's facts and filters: one read-only `find -printf` listing per search path (NUL-separated, so any
 * file name is data), parsed and put back into Python's `os.walk` order (each folder's files, then its folders,
 * top-down), then filtered purely by Ansible's rules (glob or regexp on the base name, excludes, hidden names, type,
 * age, size, depth).
 *
 * @example
 * ```ts
 * const entries = walkOrder(parseListing(stdout), '/var/log')
 * entries.filter((e) => matchName(e.name, ['*.log'], [], false))
 * ```
 */
import { sh } from '../../engine/commands.js'
import type { Command } from '../../engine/types.js'
import { pyRegExp } from './pyre.js'
import { pythonTime } from './statdetail.js'

/** One entry of the listing. */
export interface FsEntry {
  path: string
  name: string
  /** Depth below the search path (1: directly in it). */
  depth: number
  /** find's `%y` of the entry itself: f, d, l, p, s, c, b. */
  type: string
  /** The type a symlink points at (`%Y`): d for a folder. */
  targetType: string
  mode: number
  uid: number
  gid: number
  size: number
  inode: number
  dev: number
  nlink: number
  atime: number
  mtime: number
  ctime: number
  owner: string
  group: string
}

const FORMAT = '%d\\t%y\\t%Y\\t%m\\t%U\\t%G\\t%s\\t%i\\t%D\\t%n\\t%A@\\t%T@\\t%C@\\t%u\\t%g\\t%p\\0'
const LIST = [
  'p=$1',
  'case $p in "~") p=$HOME ;; "~/"*) p=$HOME/${p#"~/"} ;; esac',
  'if [ ! -d "$p" ]; then printf "notdir\\n%s\\n" "$p"; exit 0; fi',
  'printf "dir\\n%s\\n" "$p"',
  `find \${3:+-L} "$p" -mindepth 1 \${2:+-maxdepth "$2"} -printf '${FORMAT}'`,
].join('\n')

/** The listing command for one search path (`maxDepth` empty: no limit). Read-only. */
export function listCommand(path: string, maxDepth: number | undefined, follow: boolean): Command {
  return {
    ...sh(LIST, [path, maxDepth === undefined ? '' : String(maxDepth), follow ? '1' : '']),
    okCodes: [0, 1],
    describe: `list ${path}`,
  }
}

/** What one listing said: the path as expanded, whether it is a folder, its entries, find's complaints. */
export interface Listing {
  path: string
  isDir: boolean
  entries: FsEntry[]
  errors: string
}

/** Parse a `listCommand` result. */
export function parseListing(stdout: string, stderr = ''): Listing {
  const nl1 = stdout.indexOf('\n')
  const nl2 = stdout.indexOf('\n', nl1 + 1)
  const kind = stdout.slice(0, nl1)
  const path = stdout.slice(nl1 + 1, nl2)
  const entries: FsEntry[] = []
  for (const rec of stdout.slice(nl2 + 1).split('\0')) {
    const f = rec.split('\t')
    if (f.length < 16) continue
    const p = f
      .slice(15)
      .join('\t')
      .replace(/\/{2,}/g, '/')
    const n = (i: number) => Number(f[i])
    entries.push({
      path: p,
      name: p.slice(p.lastIndexOf('/') + 1),
      depth: n(0),
      type: f[1],
      targetType: f[2],
      mode: parseInt(f[3], 8),
      uid: n(4),
      gid: n(5),
      size: n(6),
      inode: n(7),
      dev: n(8),
      nlink: n(9),
      atime: pythonTime(f[10]),
      mtime: pythonTime(f[11]),
      ctime: pythonTime(f[12]),
      owner: f[13],
      group: f[14],
    })
  }
  return { path, isDir: kind === 'dir', entries, errors: stderr.trim() }
}

const parentOf = (p: string): string => (p.lastIndexOf('/') <= 0 ? '/' : p.slice(0, p.lastIndexOf('/')))

/** Entries in `os.walk` order: per folder (top-down), its non-folders then its folders, each in listing order. */
export function walkOrder(entries: readonly FsEntry[], root: string, follow = false): FsEntry[] {
  const kids = new Map<string, FsEntry[]>()
  for (const e of entries) {
    const parent = parentOf(e.path)
    if (!kids.has(parent)) kids.set(parent, [])
    kids.get(parent)!.push(e)
  }
  const out: FsEntry[] = []
  const isDir = (e: FsEntry) => e.type === 'd' || (e.type === 'l' && e.targetType === 'd')
  const walk = (dir: string) => {
    const list = kids.get(dir) ?? []
    const dirs = list.filter(isDir)
    out.push(...list.filter((e) => !isDir(e)), ...dirs)
    for (const d of dirs) if (d.type === 'd' || follow) walk(d.path)
  }
  walk(root.replace(/\/{2,}/g, '/').replace(/\/+$/, '') || '/')
  return out
}

/** Python's `fnmatch.fnmatch` pattern as a regular expression (`*`, `?`, `[seq]`, `[!seq]`). */
export function fnmatchRe(pattern: string): RegExp {
  let re = ''
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]
    if (c === '*') re += '.*'
    else if (c === '?') re += '.'
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2)
      if (end < 0) re += '\\['
      else {
        let set = pattern.slice(i + 1, end).replace(/\\/g, '\\\\')
        if (set.startsWith('!')) set = `^${set.slice(1)}`
        else if (set.startsWith('^')) set = `\\${set}`
        re += `[${set}]`
        i = end
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
  }
  return new RegExp(`^(?:${re})$`, 's')
}

/** Ansible's `pfilter`: a name matching one of `patterns` and none of `excludes` (regexps: `re.match`). */
export function matchName(name: string, patterns: readonly string[], excludes: readonly string[], regex: boolean) {
  const test = (p: string) => (regex ? pyRegExp(p, 'y').test(name) : fnmatchRe(p).test(name))
  return patterns.some(test) && !excludes.some(test)
}

/** `age` ("2d", "-1h", "30") in seconds; undefined when malformed. */
export function parseAge(age: string): number | undefined {
  const m = /^(-?\d+)(s|m|h|d|w)?$/.exec(age.toLowerCase())
  const unit: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }
  return m ? Number(m[1]) * (unit[m[2] ?? 's'] ?? 1) : undefined
}

/** `size` ("10k", "-1m", "100") in bytes; undefined when malformed. */
export function parseSize(size: string): number | undefined {
  const m = /^(-?\d+)(b|k|m|g|t)?$/.exec(size.toLowerCase())
  const unit: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }
  return m ? Number(m[1]) * (unit[m[2] ?? 'b'] ?? 1) : undefined
}

/** Ansible's `agefilter`/`sizefilter`: non-negative means at least, negative at most. */
export const atLeastOrMost = (value: number, limit: number | undefined): boolean =>
  limit === undefined || (limit >= 0 ? value >= limit : value <= -limit)
