/**
 * `copy` of a folder on the controller, as Ansible's copy action copies one: `src/` copies what the folder holds
 * into `dest`, `src` (no slash) the folder itself into `dest/NAME`. Files missing or different (SHA-1) are written
 * atomically with `mode` (`preserve`: each source file's; otherwise a replaced file keeps its mode, a new one gets
 * the umask's), folders the copy creates get `directory_mode` (else the umask's), and `owner`/`group` (and the
 * `attributes` chattr flags, links left out) reach every entry. Symlinks are followed (`local_follow: true`, the
 * default) or copied as symlinks. Nothing is deleted.
 *
 * @example
 * ```ts
 * const tree = await gatherLocalTree(io, '/play/files/conf.d/', '/etc/app/conf.d', true) // one round trip
 * planLocalTree(tree, { mode: '0644' })   // mkdir/writes/chmod for what differs, or nothing
 * ```
 */
import { createHash } from 'node:crypto'
import { lstat, readdir, readFile, readlink, stat } from 'node:fs/promises'
import { join, posix } from 'node:path'
import type { HostIO, Plan } from '../../engine/module.js'
import { sh } from '../../engine/commands.js'
import { randomHex } from '../../engine/randompool.js'
import type { Command } from '../../engine/types.js'
import { planAttrs, wantedMode } from './attrs.js'
import { putFile } from './files.js'
import { attributeWords, chattrEach, parseLsattrLines, pathsToChattr } from './chattr.js'
import { NO_PATH_INFO } from './pathinfo.js'
import { md5Of, putData } from './put.js'
import { parseTree, treeProbe, treeRoot, type TreeArgs, type TreeItem } from './remotecopy.js'

/** One entry of the controller folder, by its path relative to the folder. */
export interface LocalItem {
  type: 'f' | 'd' | 'l'
  mode: number
  content?: Buffer
  sha1?: string
  link?: string
  /** A folder with no file directly in it (Ansible sets its attributes even when it exists). */
  noFiles?: boolean
}

/** What `planLocalTree` decides from. */
export interface LocalTreeState {
  kind: 'local-tree'
  src: string
  root: string
  rootType: string | undefined
  srcTree: Map<string, LocalItem>
  destTree: Map<string, TreeItem>
  nonce: string
  /** With `attributes`: the flags of the root and what is under it on the host, by absolute path (links left out). */
  flags?: Map<string, string>
}

/** Make each missing folder of `$4…` in turn, with mode `$1`, owner `$2`, chattr flags `$3` (each when not empty). */
const MKDIRS = [
  'm=$1; o=$2; a=$3; shift 3',
  'for d do [ -d "$d" ] && continue; mkdir -- "$d" || exit 1',
  '[ -z "$m" ] || chmod -- "$m" "$d" || exit 1; [ -z "$o" ] || chown -- "$o" "$d" || exit 1',
  // chattr takes no `--`: a path that could read as an option gets `./`
  '[ -z "$a" ] || case $d in -*) chattr "$a" "./$d" ;; *) chattr "$a" "$d" ;; esac || exit 1; done',
].join('\n')

/** Arguments `planLocalTree` uses. */
export interface LocalTreeArgs extends TreeArgs {
  force?: boolean
  /** chattr flags for every file and folder the copy handles (links have none of their own). */
  attributes?: string
  /** As the task gives it (registered for a folder of several files). */
  dest?: string
}

/** What a file's bytes become before they are compared and written (a vaulted file decrypted). */
type Decode = (bytes: Buffer, file: string) => Buffer

/** Read the controller folder `dir` (following symlinks when `follow`), entries by relative path, sorted. */
export async function readLocalTree(
  dir: string,
  follow: boolean,
  decode: Decode = (b) => b,
): Promise<Map<string, LocalItem>> {
  const out = new Map<string, LocalItem>()
  // returns how many files the folder holds directly
  const walk = async (rel: string): Promise<number> => {
    const names = (await readdir(join(dir, rel))).sort()
    let files = 0
    for (const name of names) {
      const r = rel ? `${rel}/${name}` : name
      const full = join(dir, r)
      const st = follow ? await stat(full) : await lstat(full)
      if (st.isSymbolicLink()) out.set(r, { type: 'l', mode: st.mode, link: await readlink(full) })
      else if (st.isDirectory()) {
        const item: LocalItem = { type: 'd', mode: st.mode }
        out.set(r, item)
        item.noFiles = (await walk(r)) === 0
      } else if (st.isFile()) {
        files++
        const content = decode(await readFile(full), full)
        out.set(r, { type: 'f', mode: st.mode, content, sha1: createHash('sha1').update(content).digest('hex') })
      }
    }
    return files
  }
  await walk('')
  return out
}

/** Read-only: `lsattr -d` lines of a folder and everything under it (links left out); nothing when it is missing. */
function lsattrUnder(root: string): Command {
  return sh('[ -d "$1" ] || exit 0; find "$1" ! -type l -exec lsattr -d -- {} + 2>/dev/null; exit 0', [root], {
    describe: `lsattr under ${root}`,
  })
}

/** Read the source folder and probe where its entries go (and their flags, for `attributes`), in one round trip. */
export async function gatherLocalTree(
  io: HostIO,
  src: string,
  dest: string,
  follow: boolean,
  decode?: Decode,
  attributes = false,
): Promise<LocalTreeState> {
  const root = treeRoot(src, dest)
  const probes = [treeProbe(root), ...(attributes ? [lsattrUnder(root)] : [])]
  const [srcTree, [probe, lsattr]] = await Promise.all([readLocalTree(src, follow, decode), io.batch(probes)])
  const to = parseTree(probe.stdout)
  return {
    ...(lsattr ? { flags: parseLsattrLines(lsattr.stdout) } : {}),
    kind: 'local-tree',
    src,
    root,
    rootType: to.kind === 'absent' ? undefined : to.kind,
    srcTree,
    destTree: to.items,
    nonce: randomHex(6),
  }
}

/**
 * `attributes` as Ansible's copy action sets them: on every file and folder of the source (and on the copied folder
 * itself for `src` without a slash), not on links. An entry the plan writes, or one whose flags differ, is set by one
 * command that reads the flags again on the host first (a written file is a new one).
 */
function planFlags(t: LocalTreeState, wanted: string, written: ReadonlySet<string>) {
  const paths = [...(t.src.endsWith('/') ? [] : [t.root])]
  for (const [rel, s] of t.srcTree) if (s.type !== 'l') paths.push(posix.join(t.root, rel))
  const copied = new Set(paths)
  const seen = new Map([...(t.flags ?? [])].filter(([p]) => copied.has(p) && !written.has(p)))
  const stale = new Set(pathsToChattr(seen, wanted))
  const todo = paths.filter((p) => stale.has(p) || !seen.has(p))
  if (!todo.length) return { commands: [], changes: [] }
  return {
    commands: [chattrEach(todo, wanted)],
    changes: [`attributes ${wanted} on ${todo.length} of the copied entries`],
  }
}

/**
 * What the copy registers, as Ansible's copy action: for a folder holding one file and nothing else, that file's
 * result (as a copy of the file registers it: `md5sum` and `src` when written, `path` when not); else `dest` (as the
 * task gave it, ending in `/`) and `src`, without the folder's fields.
 */
function registered(
  t: LocalTreeState,
  a: LocalTreeArgs,
  written: ReadonlySet<string>,
): Record<string | symbol, unknown> {
  const [only] = t.srcTree
  if (t.srcTree.size === 1 && only[1].type === 'f' && only[1].content && only[1].sha1) {
    const [rel, { content, sha1 }] = only
    const dest = posix.join(t.root, rel)
    const data = putData(dest, sha1, content.length, a)
    return written.has(dest)
      ? { ...data, src: posix.join(t.src, rel), md5sum: md5Of(content) }
      : { ...data, path: dest }
  }
  // a folder copy's dest is a folder: Ansible's ends in `/` however the task wrote it
  const dest = a.dest ?? t.root
  return { dest: dest.endsWith('/') ? dest : `${dest}/`, src: t.src, [NO_PATH_INFO]: true }
}

/** Decide the commands. Pure: parents before children, nothing removed. */
export function planLocalTree(t: LocalTreeState, a: LocalTreeArgs): Plan {
  const data = { src: t.src, dest: t.root }
  if (t.rootType && t.rootType !== 'd') return { commands: [], data, fail: `dest ${t.root} exists and is not a folder` }
  const commands: Command[] = []
  const changes: string[] = []
  const written = new Set<string>()
  const dirMode = wantedMode(a.directory_mode, undefined, true)
  const attrs = { owner: a.owner, group: a.group }
  const mkdir = (path: string) => {
    commands.push({ argv: ['mkdir', '-p', '--', path], describe: `create ${path}/` })
    if (dirMode) commands.push({ argv: ['chmod', '--', dirMode, path] })
    commands.push(...planAttrs(path, undefined, attrs, { isDir: true }).commands)
    changes.push(`create ${path}/`)
  }
  if (!t.rootType) {
    // every folder the copy creates on the way gets directory_mode and owner/group, as Ansible's copy sets them
    const owner = `${a.owner ?? ''}${a.group ? `:${a.group}` : ''}`
    const made = [dirMode ?? '', owner, attributeWords(a.attributes).join(''), ...ancestors(t.root)]
    commands.push(sh(MKDIRS, made, { describe: `create ${t.root}/` }))
    changes.push(`create ${t.root}/`)
  }
  for (const [rel, s] of t.srcTree) {
    const d = t.destTree.get(rel)
    const to = posix.join(t.root, rel)
    if (d && d.type !== s.type && (d.type === 'd' || s.type === 'd'))
      return { commands: [], data, fail: `cannot copy ${rel} over ${to}: one is a folder, the other is not` }
    if (s.type === 'd') {
      if (!d) mkdir(to)
      else if (s.noFiles) add(planAttrs(to, inode(d), { ...attrs, mode: dirMode }, { isDir: true }))
    } else if (s.type === 'l') {
      if (!d || d.link !== s.link) {
        commands.push({ argv: ['ln', '-sfn', '--', s.link ?? '', to] })
        changes.push(`link ${to} → ${s.link}`)
      }
      add(planAttrs(to, d?.type === 'l' ? inode(d) : undefined, attrs, { isDir: false, link: true }))
    } else {
      const modeSpec = a.mode === 'preserve' ? (s.mode & 0o7777).toString(8) : a.mode
      const same = d?.type === 'f' && (d.sha1 === s.sha1 || a.force === false)
      if (same) add(planAttrs(to, inode(d), { ...attrs, mode: modeSpec }, { isDir: false }))
      else {
        const mode = wantedMode(modeSpec, d?.mode, false)
        commands.push(putFile(to, s.content!, { ...attrs, mode, nonce: `${t.nonce}${commands.length}` }))
        written.add(to)
        changes.push(`${d ? 'update' : 'create'} ${to}`)
      }
    }
  }
  if (a.attributes !== undefined) add(planFlags(t, a.attributes, written))
  return { commands: changes.length ? commands : [], changes, data: registered(t, a, written) }

  function add(p: { commands: Command[]; changes: string[] }): void {
    commands.push(...p.commands)
    changes.push(...p.changes)
  }
}

/** A probed entry as planAttrs reads it. */
function inode(d: TreeItem): { mode: number; owner: string; group: string; uid: number; gid: number } {
  return { mode: d.mode, owner: d.owner, group: d.group, uid: d.uid ?? Number.NaN, gid: d.gid ?? Number.NaN }
}

/** `path` and the folders above it, outermost first: `a/b/c` → `a`, `a/b`, `a/b/c`. */
function ancestors(path: string): string[] {
  const parts = path.split('/')
  return parts.map((_, i) => parts.slice(0, i + 1).join('/')).filter((p) => p !== '' && p !== '.')
}
