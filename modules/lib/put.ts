/**
 * The shared core of `copy` and `template`: given the new content (read or rendered on the controller),
 * probe the destination in one round trip, then plan a pure decision: write (atomically), fix attributes,
 * or nothing. Files are compared by SHA-1 (the checksum Ansible reports) and mode/owner/group.
 *
 * @example
 * ```ts
 * const state = await gatherPut(io, ctx, { dest: '/etc/motd', content: 'hi\n', basename: 'motd' })
 * planPut(state, { force: true, mode: '0644' })
 * ```
 */
import { createHash } from 'node:crypto'
import { dirname, posix } from 'node:path'
import type { HostIO, ModuleContext, Plan } from '../../engine/module.js'
import { sh } from '../../engine/commands.js'
import { randomHex } from '../../engine/randompool.js'
import type { Command, CommandResult, FileDiff } from '../../engine/types.js'
import { planAttrs, wantedMode } from './attrs.js'
import { lsattrProbe, parseLsattr, planChattr } from './chattr.js'
import { isText, putCopy, putFile, readCommand, textOf } from './files.js'
import { completeChecksum, effective, isType, parsePathProbe, pathProbe, probedFolder, type PathInfo } from './probe.js'

/** What `planPut` decides from. */
export interface PutState {
  /** Final destination (a folder `dest` resolved to `dest/basename(src)`). */
  dest: string
  info: PathInfo
  /** The destination's folder exists (or will be made: `makeParent`). */
  parentExists: boolean
  /** `dest` ended in `/`: create the folder if missing, as Ansible does. */
  makeParent: boolean
  /** Old content, when `--diff` is on and the file is text of at most 1 MiB. */
  before?: string
  content: Buffer
  sha1: string
  /** Mode bits of the controller source, for `mode: preserve`. */
  srcMode?: number
  nonce: string
  /** `remote_src`: the file on the host the content comes from (`content` is then empty; `sha1` is the source's). */
  remoteSrc?: { path: string; size: number }
  /** The chattr flags of the destination as it is (read when `attributes` is given and it exists). */
  attrFlags?: string
}

/** Arguments `planPut` uses. */
export interface PutArgs {
  force?: boolean
  mode?: string | number
  owner?: string
  group?: string
  backup?: boolean
  validate?: string
  /**
   * A symlink at `dest`: true writes to its target (Ansible's `follow: true`); false replaces the link with a file
   * (Ansible's default); undefined keeps a link whose target already has the content (what `template` does).
   */
  follow?: boolean
  /** chattr flags (`attributes`), set last, as Ansible sets them. */
  attributes?: string
  /** The source as the task names it: registered when the content is written (and always with `remoteSrc`). */
  src?: string
}

/** What `gatherPut` needs. */
export interface PutRequest {
  dest: string
  content: Buffer
  /** basename of `src`, when there is one: a folder `dest` then means `dest/basename`. */
  basename?: string
  srcMode?: number
  /** A symlink at `dest` stands for its target: the target is compared and written. */
  follow?: boolean
  /** `remote_src`: the source file on the host and its SHA-1 (`content` is ignored). */
  remoteSrc?: { path: string; size: number; sha1: string }
  /** Read the destination's chattr flags too (the call sets `attributes`). */
  attributes?: boolean
}

/**
 * Probe the destination in one round trip; where `dest` turns out to be a folder (and the source has a name),
 * `dest/basename` in a second one. The common case (dest a file or missing) sends one probe, not two.
 */
export async function gatherPut(io: HostIO, ctx: ModuleContext, req: PutRequest): Promise<PutState> {
  const makeParent = req.dest.endsWith('/')
  if (makeParent && !req.basename) throw new Error('unreachable: dest folder without a source name')
  const first = makeParent ? posix.join(req.dest, req.basename!) : req.dest
  const second = !makeParent && req.basename ? posix.join(req.dest, req.basename) : undefined
  const probe = async (path: string, folder?: string) => {
    const cmds: Command[] = [pathProbe(path, { checksum: 'sha1', folder })]
    if (ctx.diffMode) cmds.push(readCommand(path))
    if (req.attributes) cmds.push(lsattrProbe(path, true))
    const res = await io.batch(cmds)
    return {
      path,
      stdout: res[0].stdout,
      info: parsePathProbe(res[0].stdout),
      before: ctx.diffMode ? textOf(res[1]) : undefined,
      attrFlags: req.attributes ? parseLsattr(res[res.length - 1].stdout) : undefined,
    }
  }
  // the first probe also tells whether dest's folder exists
  const head = await probe(first, dirname(first))
  let found = head
  let dest = first
  if (second && isType(effective(head.info), 'directory')) {
    found = await probe(second)
    dest = second
  }
  const { before } = found
  const info = await completeChecksum(io, found.path, found.info)
  // follow: a link at dest stands for the file it points to
  if (req.follow && info.exists && isType(info.self, 'link') && info.realpath) dest = info.realpath
  return {
    dest,
    info,
    parentExists: probedFolder(head.stdout) === true || dest === second,
    makeParent,
    before,
    content: req.content,
    sha1: req.remoteSrc?.sha1 ?? createHash('sha1').update(req.content).digest('hex'),
    srcMode: req.srcMode,
    nonce: randomHex(6),
    ...(req.remoteSrc ? { remoteSrc: { path: req.remoteSrc.path, size: req.remoteSrc.size } } : {}),
    ...(found.attrFlags !== undefined && info.exists ? { attrFlags: found.attrFlags } : {}),
  }
}

/**
 * On a `remote_src` copy's result: the host file whose MD5 Ansible registers as `md5sum` (read by `sourceMd5Command`,
 * only for a task that registers its result: one more program on the host).
 */
export const MD5_OF = Symbol('md5sum of')

/** The read-only command for the `md5sum` a `remote_src` copy's result registers (none for another result). */
export function sourceMd5Command(data: Record<string | symbol, unknown>): Command[] {
  const src = data[MD5_OF]
  return typeof src === 'string' ? [sh('md5sum < "$1"', [src], { describe: `md5sum ${src}` })] : []
}

/** Register the MD5 `sourceMd5Command` read, as Ansible's copy module registers `md5sum`. */
export function addSourceMd5(data: Record<string, unknown>, r: CommandResult | undefined): void {
  const sum = r && r.rc === 0 ? r.stdout.split(' ')[0] : ''
  if (/^[0-9a-f]{32}$/.test(sum)) data.md5sum = sum
}

/**
 * The fields a copied file's result starts with (Ansible's copy: `dest`, `checksum`, `size`, and `owner`/`group`
 * when asked); a written one adds `md5sum` (`md5Of`) and `src`, one left as it was `path`.
 */
export function putData(dest: string, sha1: string, size: number, a: { owner?: string; group?: string }) {
  const data: Record<string, unknown> = { dest, checksum: sha1, size }
  if (a.owner) data.owner = a.owner
  if (a.group) data.group = a.group
  return data
}

/** The `md5sum` of written content, as Ansible's copy registers it. */
export const md5Of = (content: Buffer): string => createHash('md5').update(content).digest('hex')

/**
 * Decide what to do. Pure. In check mode a missing folder is not an error: an earlier task of the play (not
 * run in check mode) may create it, so the write is predicted instead (the real run fails if it is still missing).
 */
export function planPut(f: PutState, a: PutArgs, checkMode = false): Plan {
  const node = effective(f.info)
  const data: Record<string | symbol, unknown> = putData(f.dest, f.sha1, f.remoteSrc?.size ?? f.content.length, a)
  if (f.remoteSrc && a.src !== undefined) data.src = a.src // Ansible's copy module itself names it every time
  if (f.info.exists && !isType(node, 'file')) {
    return {
      commands: [],
      data,
      fail: `dest ${f.dest} exists and is a ${node?.type ?? 'dangling symbolic link'}, not a file`,
    }
  }
  if (f.info.exists && a.force === false) return { commands: [], data, msg: 'file already exists' }
  const modeSpec =
    a.mode === 'preserve' ? (f.srcMode !== undefined ? (f.srcMode & 0o7777).toString(8) : undefined) : a.mode
  // Ansible's copy replaces a symlink at dest with a file unless told to follow it
  const replaceLink = a.follow === false && f.info.exists && isType(f.info.self, 'link')
  const same = f.info.exists && f.info.checksum === f.sha1 && !replaceLink
  if (same) {
    const attrs = planAttrs(f.dest, node, { mode: modeSpec, owner: a.owner, group: a.group }, { isDir: false })
    const flags = planChattr(f.dest, f.attrFlags ?? '', a.attributes)
    // as Ansible's copy, whose file module sets the attributes of an unchanged file (and names it `path`); a
    // remote_src copy is its copy module's own result (`dest` and `src`)
    if (f.remoteSrc) data[MD5_OF] = f.remoteSrc.path
    else data.path = f.dest
    return { commands: [...attrs.commands, ...flags.commands], changes: [...attrs.changes, ...flags.changes], data }
  }
  const assumeParent = !f.info.exists && !f.parentExists && !f.makeParent && checkMode
  if (!f.info.exists && !f.parentExists && !f.makeParent && !checkMode) {
    // as Ansible's: this failure registers only the content's checksum
    return { commands: [], data: { checksum: f.sha1 }, fail: `Destination directory ${dirname(f.dest)} does not exist` }
  }
  const mode = wantedMode(modeSpec, node?.mode, false)
  const commands: Command[] = []
  if (!f.parentExists && !assumeParent)
    commands.push({
      argv: ['mkdir', '-p', '--', dirname(f.dest)],
      describe: `create ${dirname(f.dest)}/`,
      prepares: true,
    })
  const put = { mode, owner: a.owner, group: a.group, backup: a.backup, validate: a.validate, nonce: f.nonce }
  commands.push(f.remoteSrc ? putCopy(f.remoteSrc.path, f.dest, put) : putFile(f.dest, f.content, put))
  const changes = [
    replaceLink ? `replace the symlink ${f.dest} with a file` : f.info.exists ? `update ${f.dest}` : `create ${f.dest}`,
  ]
  // the written file is a new one: its flags are read on the host after the write
  const flags = planChattr(f.dest, undefined, a.attributes)
  commands.push(...flags.commands)
  changes.push(...flags.changes)
  if (assumeParent)
    changes.push(`${dirname(f.dest)} does not exist yet (check mode: assuming an earlier task creates it)`)
  if (f.info.exists)
    changes.push(...planAttrs(f.dest, node, { mode, owner: a.owner, group: a.group }, { isDir: false }).changes)
  if (a.src !== undefined) data.src = a.src
  if (f.remoteSrc) {
    data[MD5_OF] = f.remoteSrc.path
    return { commands, changes, data }
  }
  data.md5sum = md5Of(f.content)
  const after = f.content.toString('utf8')
  const diff: FileDiff[] = []
  const beforeText = f.info.exists ? f.before : ''
  if (beforeText !== undefined && isText(after)) diff.push({ path: f.dest, before: beforeText, after })
  return { commands, changes, diff, data }
}
