/**
 * `copy` with `remote_src`: the source is already on the host. A file is copied through a temp file beside the
 * destination and moved into place (modes as any copy: the replaced file's, 0644 for a new one, `preserve` the
 * source's), compared by SHA-1. A folder is copied as Ansible does: `src/` copies what the folder holds into
 * `dest`, `src` (no slash) copies the folder itself into `dest/NAME`; files missing or different (SHA-1) are
 * copied with their mode, symlinks are copied as symlinks, folders the copy creates get `directory_mode`
 * (else the source folder's mode); `mode`, `owner`/`group` and `attributes` (chattr flags) go to the folder the
 * entries go into, as Ansible's (its `mode` and flags on that folder only). Nothing is ever deleted from the
 * destination.
 *
 * @example
 * ```ts
 * const tree = await gatherTree(io, '/opt/app/', '/srv/app') // probes both trees in one round trip
 * planTree(tree, { directory_mode: '0750' })                // mkdir/cp/ln -s for what differs, or nothing
 * ```
 */
import { posix } from 'node:path'
import { sh } from '../../engine/commands.js'
import type { HostIO, Plan } from '../../engine/module.js'
import type { Command } from '../../engine/types.js'
import { sameId, wantedMode } from './attrs.js'
import { lsattrProbe, parseLsattr, planChattr } from './chattr.js'
import { octal } from './mode.js'

/** One entry of a folder tree, by its path relative to the tree's root. */
export interface TreeItem {
  /** `f` file, `d` folder, `l` symlink (find's %y; anything else is listed and refused). */
  type: string
  mode: number
  owner: string
  group: string
  /** Numeric owner and group (for a numeric `owner`/`group`). */
  uid?: number
  gid?: number
  /** A symlink's target as written. */
  link?: string
  sha1?: string
}

/** What `planTree` decides from. */
export interface TreeState {
  src: string
  /** The folder the source's entries go into. */
  root: string
  /** The root's kind: absent, `d`, or another type (refused). */
  rootType: string | undefined
  srcMode: number
  /** The root's mode, when it exists. */
  rootMode?: number
  srcTree: Map<string, TreeItem>
  destTree: Map<string, TreeItem>
  /** The root's chattr flags (read when `attributes` is asked and the root exists). */
  rootFlags?: string
}

/** Arguments `planTree` uses. */
export interface TreeArgs {
  directory_mode?: string | number
  mode?: string | number
  owner?: string
  group?: string
  /** chattr flags for the root, as Ansible sets them on the folder the entries go into (not on the entries). */
  attributes?: string
}

const TREE = [
  'if [ ! -d "$1" ]; then if [ -e "$1" ] || [ -L "$1" ]; then echo other; else echo absent; fi; exit 0; fi',
  'cd -- "$1" || exit 1',
  'stat -c %a .',
  "find . -mindepth 1 -printf '%y\\0%m\\0%u\\0%g\\0%U\\0%G\\0%P\\0%l\\0'",
  "printf '\\001\\0'",
  'find . -mindepth 1 -type f -exec sha1sum -z -- {} +',
].join('\n')

/** The read-only probe of a folder tree (kinds, modes, owners, link targets, SHA-1 of files). */
export function treeProbe(root: string): Command {
  return sh(TREE, [root], { describe: `list ${root}` })
}

/** Parse `treeProbe` output: the root's kind and mode, and its entries. */
export function parseTree(stdout: string): { kind: string; mode: number; items: Map<string, TreeItem> } {
  const nl = stdout.indexOf('\n')
  const head = nl < 0 ? stdout.trim() : stdout.slice(0, nl)
  const items = new Map<string, TreeItem>()
  if (head === 'absent' || head === 'other') return { kind: head, mode: 0, items }
  const mode = parseInt(head, 8)
  const [list, sums = ''] = stdout.slice(nl + 1).split('\x01\0')
  const f = list.split('\0')
  for (let i = 0; i + 7 < f.length; i += 8) {
    const [type, m, owner, group, uid, gid, path, link] = f.slice(i, i + 8)
    const ids = { uid: Number(uid), gid: Number(gid) }
    items.set(path, { type, mode: parseInt(m, 8), owner, group, ...ids, ...(type === 'l' ? { link } : {}) })
  }
  for (const line of sums.split('\0')) {
    const m = /^([0-9a-f]{40}) {2}\.\/(.*)$/s.exec(line)
    const it = m && items.get(m[2])
    if (it) it.sha1 = m[1]
  }
  return { kind: 'd', mode, items }
}

/**
 * The folder a copied folder's entries go into: `dest` for `src/` (what the folder holds), `dest/NAME` for `src`.
 *
 * @example treeRoot('/opt/app', '/srv') // → '/srv/app'
 */
export function treeRoot(src: string, dest: string): string {
  return src.endsWith('/') ? dest : posix.join(dest, posix.basename(src))
}

/** Probe the source folder and where its entries go (`treeRoot`). */
export async function gatherTree(io: HostIO, src: string, dest: string, attributes = false): Promise<TreeState> {
  const root = treeRoot(src, dest)
  const [s, d, a] = await io.batch([treeProbe(src), treeProbe(root), ...(attributes ? [lsattrProbe(root)] : [])])
  const from = parseTree(s.stdout)
  const to = parseTree(d.stdout)
  return {
    ...(a && to.kind === 'd' ? { rootFlags: parseLsattr(a.stdout) } : {}),
    src,
    root,
    rootType: to.kind === 'absent' ? undefined : to.kind,
    srcMode: from.mode,
    rootMode: to.kind === 'd' ? to.mode : undefined,
    srcTree: from.items,
    destTree: to.items,
  }
}

/** Decide the commands. Pure: parents before children, nothing removed. */
export function planTree(t: TreeState, a: TreeArgs): Plan {
  const data = { src: t.src, dest: t.root }
  if (t.rootType && t.rootType !== 'd') return { commands: [], data, fail: `dest ${t.root} exists and is not a folder` }
  const commands: Command[] = []
  const changes: string[] = []
  const dirMode = (m: number) => wantedMode(a.directory_mode, m, true) ?? octal(m)
  if (!t.rootType) {
    commands.push({ argv: ['mkdir', '-p', '--', t.root], describe: `create ${t.root}/` })
    commands.push({ argv: ['chmod', '--', dirMode(t.srcMode), t.root] })
    changes.push(`create ${t.root}/`)
  }
  const chown: string[] = []
  for (const rel of [...t.srcTree.keys()].sort()) {
    const s = t.srcTree.get(rel)!
    const d = t.destTree.get(rel)
    const from = posix.join(t.src, rel)
    const to = posix.join(t.root, rel)
    if (d && d.type !== s.type && (d.type === 'd' || s.type === 'd'))
      return { commands: [], data, fail: `cannot copy ${from} over ${to}: one is a folder, the other is not` }
    if (s.type === 'd' && !d) {
      commands.push({ argv: ['mkdir', '--', to] }, { argv: ['chmod', '--', dirMode(s.mode), to] })
      changes.push(`create ${to}/`)
    } else if (s.type === 'f' && (!d || d.type !== 'f' || d.sha1 !== s.sha1)) {
      commands.push(sh('rm -f -- "$2" && cp --preserve=mode -- "$1" "$2"', [from, to], { describe: `copy ${to}` }))
      changes.push(`${d ? 'update' : 'create'} ${to}`)
    } else if (s.type === 'l' && (!d || d.link !== s.link)) {
      commands.push({ argv: ['ln', '-sfn', '--', s.link ?? '', to] })
      changes.push(`link ${to} → ${s.link}`)
    } else if (!['d', 'f', 'l'].includes(s.type)) {
      return { commands: [], data, fail: `cannot copy ${from}: not a file, folder or symlink` }
    }
    const owned = d && d.type === s.type ? d : undefined
    if ((a.owner || a.group) && !(owned && sameOwner(owned, a))) chown.push(to)
  }
  if (a.owner || a.group) {
    const spec = `${a.owner ?? ''}${a.group ? `:${a.group}` : ''}`
    if (chown.length || !t.rootType) commands.push({ argv: ['chown', '-h', '--', spec, t.root, ...chown] })
    if (chown.length) changes.push(`owner/group ${spec} on ${chown.length} entries`)
  }
  const mode = a.mode === 'preserve' ? octal(t.srcMode) : wantedMode(a.mode, t.rootMode ?? t.srcMode, true)
  if (mode !== undefined) {
    commands.push({ argv: ['chmod', '--', mode, t.root] })
    if (t.rootMode !== undefined && parseInt(mode, 8) !== (t.rootMode & 0o7777))
      changes.push(`mode ${octal(t.rootMode)} → ${mode}`)
  }
  const flags = planChattr(t.root, t.rootType ? (t.rootFlags ?? '') : undefined, a.attributes)
  commands.push(...flags.commands)
  if (t.rootType) changes.push(...flags.changes)
  return { commands: changes.length ? commands : [], changes, data }
}

/** Does the entry have the owner and group asked for (each a name or a numeric id)? */
function sameOwner(it: TreeItem, a: TreeArgs): boolean {
  const ok = (who: string | undefined, name: string, id = Number.NaN) => !who || sameId(who, name, id)
  return ok(a.owner, it.owner, it.uid) && ok(a.group, it.group, it.gid)
}
