/**
 * `find`: list files on the host by name pattern (glob or regexp), type, age, size, content and depth, as Ansible's
 * `find` does, registered as `files` (each with `stat`'s fields), `matched`, `examined` and `skipped_paths`.
 * Read-only, never changed. The listing is one `find -printf` per path; every filter is a pure function here.
 *
 * @example
 * ```yaml
 * - find: { paths: /var/log, patterns: "*.gz", age: 4w, recurse: true }
 *   register: old_logs
 * - file: { path: "{{ item.path }}", state: absent }
 *   loop: "{{ old_logs.files }}"
 * ```
 */
import { Type, type Static } from '@sinclair/typebox'
import { defineModule, type Plan } from '../engine/module.js'
import type { Command, CommandResult } from '../engine/types.js'
import { toList } from './lib/argvalues.js'
import { readCommand, textOf } from './lib/files.js'
import {
  atLeastOrMost,
  listCommand,
  matchName,
  parseAge,
  parseListing,
  parseSize,
  walkOrder,
  type FsEntry,
  type Listing,
} from './lib/findfs.js'
import { LineError } from './lib/lines.js'
import { pyRegExp } from './lib/pyre.js'

const list = (description: string, aliases: string[]) =>
  Type.Union([Type.String(), Type.Array(Type.String())], { description, aliases })

const Args = Type.Object(
  {
    paths: list('Folders to search (a list, or names separated by commas).', ['name', 'path']),
    patterns: Type.Optional(
      Type.Union([Type.String(), Type.Array(Type.String())], {
        default: [],
        description: "Globs (or regexps with `use_regex`) the base name must match one of; default all ('*').",
        aliases: ['pattern'],
      }),
    ),
    excludes: Type.Optional(list('Globs (or regexps) of base names to leave out.', ['exclude'])),
    contains: Type.Optional(
      Type.String({ description: 'A regexp one line of the file must match from its start (files only).' }),
    ),
    read_whole_file: Type.Optional(
      Type.Boolean({ default: false, description: '`contains` is searched anywhere in the whole file instead.' }),
    ),
    file_type: Type.Optional(
      Type.Union([Type.Literal('any'), Type.Literal('directory'), Type.Literal('file'), Type.Literal('link')], {
        default: 'file',
        description: 'Kind of entry to return.',
      }),
    ),
    age: Type.Optional(
      Type.String({ description: 'At least this old ("2d", s/m/h/d/w); negative: at most this old.' }),
    ),
    age_stamp: Type.Optional(
      Type.Union([Type.Literal('atime'), Type.Literal('ctime'), Type.Literal('mtime')], {
        default: 'mtime',
        description: 'Which time `age` compares.',
      }),
    ),
    size: Type.Optional(
      Type.String({ description: 'At least this big ("10m", b/k/m/g/t); negative: at most this big.' }),
    ),
    recurse: Type.Optional(Type.Boolean({ default: false, description: 'Look into sub-folders too.' })),
    hidden: Type.Optional(Type.Boolean({ default: false, description: 'Include names starting with a dot.' })),
    follow: Type.Optional(Type.Boolean({ default: false, description: 'Follow symlinks to folders when recursing.' })),
    get_checksum: Type.Optional(
      Type.Boolean({ default: false, description: 'Add the SHA-1 `checksum` of each regular file.' }),
    ),
    use_regex: Type.Optional(
      Type.Boolean({ default: false, description: '`patterns`/`excludes` are Python regexps matched from the start.' }),
    ),
    depth: Type.Optional(
      Type.Integer({ minimum: 0, description: 'With `recurse`: how deep to go (1: only the top).' }),
    ),
  },
  { additionalProperties: false },
)
type Args = Static<typeof Args>

/** What `find` decides from. */
export interface FindFacts {
  /** The host's clock, in seconds. */
  now: number
  listings: Listing[]
  /** Content of candidate files (for `contains`), by path; missing: unreadable or not text. */
  contents: Record<string, string>
  /** SHA-1 of candidate regular files (for `get_checksum`), by path. */
  checksums: Record<string, string>
}

interface Filters {
  patterns: string[]
  excludes: string[]
  age?: number
  size?: number
}

function filters(a: Args): Filters | string {
  const patterns = toList(a.patterns)
  const age = a.age === undefined ? undefined : parseAge(a.age)
  if (a.age !== undefined && age === undefined) return 'failed to process age'
  const size = a.size === undefined ? undefined : parseSize(a.size)
  if (a.size !== undefined && size === undefined) return 'failed to process size'
  return { patterns: patterns.length ? patterns : [a.use_regex ? '.*' : '*'], excludes: toList(a.excludes), age, size }
}

/** Entries passing every filter but `contains`. Pure. */
export function candidates(l: Listing, a: Args, f: Filters, now: number): FsEntry[] {
  const type = a.file_type ?? 'file'
  const maxDepth = a.recurse && a.depth ? a.depth : undefined
  return walkOrder(l.entries, l.path, a.follow).filter((e) => {
    if (maxDepth !== undefined && e.depth > maxDepth) return false
    if (!a.recurse && e.depth > 1) return false
    if (e.name.startsWith('.') && !a.hidden) return false
    const kind = e.type === 'f' ? 'file' : e.type === 'd' ? 'directory' : e.type === 'l' ? 'link' : 'other'
    if (type !== 'any' && kind !== type) return false
    if (!matchName(e.name, f.patterns, f.excludes, !!a.use_regex)) return false
    if (!atLeastOrMost(now - e[a.age_stamp ?? 'mtime'], f.age)) return false
    return e.type !== 'f' || atLeastOrMost(e.size, f.size)
  })
}

/** Ansible's `contentfilter`. */
export function contentMatches(text: string | undefined, pattern: string, whole: boolean): boolean {
  if (text === undefined) return false
  if (whole) return pyRegExp(pattern).test(text)
  const re = pyRegExp(pattern, 'y')
  return text.split(/(?<=\n)/).some((line) => {
    re.lastIndex = 0
    return re.test(line.endsWith('\n') ? line.slice(0, -1) : line)
  })
}

/** Ansible's per-file fields (its `statinfo`). */
export function statInfo(e: FsEntry): Record<string, unknown> {
  const bit = (b: number) => (e.mode & b) !== 0
  return {
    path: e.path,
    mode: (e.mode & 0o7777).toString(8).padStart(4, '0'),
    isdir: e.type === 'd',
    ischr: e.type === 'c',
    isblk: e.type === 'b',
    isreg: e.type === 'f',
    isfifo: e.type === 'p',
    islnk: e.type === 'l',
    issock: e.type === 's',
    uid: e.uid,
    gid: e.gid,
    size: e.size,
    inode: e.inode,
    dev: e.dev,
    nlink: e.nlink,
    atime: e.atime,
    mtime: e.mtime,
    ctime: e.ctime,
    gr_name: e.group,
    pw_name: e.owner,
    wusr: bit(0o200),
    rusr: bit(0o400),
    xusr: bit(0o100),
    wgrp: bit(0o20),
    rgrp: bit(0o40),
    xgrp: bit(0o10),
    woth: bit(0o2),
    roth: bit(0o4),
    xoth: bit(0o1),
    isuid: bit(0o4000),
    isgid: bit(0o2000),
  }
}

/** Decide (nothing to change: the result only). Pure. */
export function planFind(f: FindFacts, a: Args): Plan {
  const fl = filters(a)
  if (typeof fl === 'string') return { commands: [], fail: fl }
  const files: Record<string, unknown>[] = []
  const skipped: Record<string, string> = {}
  let examined = 0
  try {
    for (const l of f.listings) {
      if (!l.isDir) {
        skipped[l.path] = `'${l.path}' is not a directory`
        continue
      }
      if (l.errors) skipped[l.path] = l.errors
      const maxDepth = a.recurse ? (a.depth ? a.depth + 1 : Infinity) : 1
      examined += l.entries.filter((e) => e.depth <= maxDepth).length
      for (const e of candidates(l, a, fl, f.now)) {
        if (a.contains !== undefined && (a.file_type ?? 'file') === 'file') {
          if (!contentMatches(f.contents[e.path], a.contains, !!a.read_whole_file)) continue
        }
        const r = statInfo(e)
        if (a.get_checksum && e.type === 'f' && f.checksums[e.path]) r.checksum = f.checksums[e.path]
        files.push(r)
      }
    }
  } catch (e) {
    if (e instanceof LineError) return { commands: [], fail: e.message }
    throw e
  }
  const msg = Object.keys(skipped).length ? 'Not all paths examined, check warnings for details' : 'All paths examined'
  return {
    commands: [],
    msg,
    data: { files, matched: files.length, examined, skipped_paths: skipped },
  }
}

const sha1Command = (path: string): Command => ({ argv: ['sha1sum', '--', path], okCodes: [0, 1] })

export default defineModule({
  name: 'find',
  summary: 'Find files by name, type, age, size or content (read-only)',
  schema: Args,
  changedWhen: 'never',
  check: 'full',
  example: 'find: { paths: /var/log, patterns: "*.log", age: 2d, recurse: true }',
  async gather(args: Args, _ctx, io): Promise<FindFacts> {
    const paths = toList(args.paths)
    const maxDepth = args.recurse ? (args.depth ? args.depth + 1 : undefined) : 1
    const res = await io.batch([
      { argv: ['date', '+%s.%N'] },
      ...paths.map((p) => listCommand(p, maxDepth, !!args.follow)),
    ])
    const now = Number(res[0].stdout.trim())
    const listings = res.slice(1).map((r: CommandResult) => parseListing(r.stdout, r.stderr))
    const facts: FindFacts = { now, listings, contents: {}, checksums: {} }
    const fl = filters(args)
    if (typeof fl === 'string' || (args.contains === undefined && !args.get_checksum)) return facts
    let files: FsEntry[]
    try {
      files = listings
        .filter((l) => l.isDir)
        .flatMap((l) => candidates(l, args, fl, now))
        .filter((e) => e.type === 'f')
    } catch (e) {
      if (e instanceof LineError) return facts
      throw e
    }
    const reads = args.contains !== undefined ? files.map((e) => readCommand(e.path, 1 << 26)) : []
    const sums = args.get_checksum ? files.map((e) => sha1Command(e.path)) : []
    if (!reads.length && !sums.length) return facts
    const out = await io.batch([...reads, ...sums])
    files.forEach((e, i) => {
      if (reads.length) {
        const text = textOf(out[i])
        if (text !== undefined) facts.contents[e.path] = text
      }
      if (sums.length) {
        const sum = out[reads.length + i].stdout.split(' ')[0]
        if (/^[0-9a-f]{40}$/.test(sum)) facts.checksums[e.path] = sum
      }
    })
    return facts
  },
  plan: (facts, args) => planFind(facts, args),
})
