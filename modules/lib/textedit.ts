/**
 * The shared core of the modules that edit a text file in place (`blockinfile`, `replace`): read the file and its
 * probe in one round trip, then — given the new content a pure editor computed — plan an atomic write (following a
 * symlink to the real file, as Ansible does), `mode`/`owner`/`group`, `backup`, `validate`, and the `--diff`.
 * Messages follow Ansible's: the editor's message, then "ownership, perms or SE linux context changed".
 *
 * @example
 * ```ts
 * const f = await gatherText('/etc/hosts', io)
 * planText(f, args, { content: f.content + '10.0.0.1 pi1\n', msg: 'Block inserted' })
 * ```
 */
import { posix } from 'node:path'
import { sh } from '../../engine/commands.js'
import { randomHex } from '../../engine/randompool.js'
import { ModuleFailure, type HostIO, type Plan } from '../../engine/module.js'
import type { Command } from '../../engine/types.js'
import { planAttrs, wantedMode, type WantedAttrs } from './attrs.js'
import { lsattrProbe, parseLsattr, planChattr } from './chattr.js'
import { isText, putFile, readCommand, textOf } from './files.js'
import {
  arrivedWhole,
  effective,
  isType,
  parsePathProbe,
  pathProbe,
  probedContent,
  probedFolder,
  READ_IN_SHELL_MAX,
  type PathInfo,
} from './probe.js'

/** What planning an edit needs: the file's probe and its text. */
export interface TextFacts {
  path: string
  info: PathInfo
  /** Current content (undefined when missing, unreadable or not text). */
  content?: string
  /** Random suffix for the `validate` temp file (from gather, so plans stay pure). */
  nonce: string
  /** The file's chattr flags (read when the call sets `attributes` and the file exists). */
  attrFlags?: string
  /** Whether the file's folder is a folder (the probe's answer; undefined: not asked, so a missing one is made). */
  folderExists?: boolean
}

/** The file arguments the write honours. */
export interface TextWriteArgs extends WantedAttrs {
  backup?: boolean
  validate?: string
  /** chattr flags, set last. */
  attributes?: string
}

/** What the editor decided: the new content (undefined: leave the content alone) and Ansible's message. */
export interface TextEdit {
  content?: string
  msg: string
}

/**
 * Probe and read `path` in one command (the probe prints a plain file's content; a symlink's target is read in a
 * second round trip); an unreadable file fails clearly.
 */
export async function gatherText(path: string, io: HostIO, attributes = false): Promise<TextFacts> {
  // the folder's answer rides on the probe: a file to create in an existing folder needs no mkdir command
  const [probe, lsattr] = await io.batch([
    pathProbe(path, { content: true, folder: posix.dirname(path) }),
    ...(attributes ? [lsattrProbe(path, true)] : []),
  ])
  const info = parsePathProbe(probe.stdout)
  let content: string | undefined
  if (info.exists && isType(info.self, 'link')) content = textOf((await io.batch([readCommand(path, Infinity)]))[0])
  else {
    let read = probedContent(probe.stdout)
    // a small file the shell read itself that did not arrive whole (NUL bytes) is read again with `cat`
    if (read !== undefined && info.exists && info.self.size <= READ_IN_SHELL_MAX && !arrivedWhole(read, info.self.size))
      read = textOf((await io.batch([readCommand(path, Infinity)]))[0])
    content = read !== undefined && isText(read) ? read : undefined
  }
  if (info.exists && !info.readable && !isType(effective(info), 'directory'))
    throw new ModuleFailure(`cannot read ${path} (permission denied: use become?)`)
  const attrFlags = lsattr && info.exists ? parseLsattr(lsattr.stdout) : undefined
  const folderExists = probedFolder(probe.stdout)
  // a literal, then its optional keys (no spread: see engine/shape.ts)
  const file: TextFacts = { path, info, content, nonce: randomHex(6) }
  if (attrFlags !== undefined) file.attrFlags = attrFlags
  if (folderExists !== undefined) file.folderExists = folderExists
  return file
}

/** Ansible's suffix when attributes change too. */
export const ATTRS_MSG = 'ownership, perms or SE linux context changed'

/**
 * Plan writing `edit.content` (when it differs from the file's) and the attributes. Pure. `data` is registered
 * either way. A missing file is created (the module decided it may be).
 */
export function planText(f: TextFacts, a: TextWriteArgs, edit: TextEdit, data: Record<string, unknown> = {}): Plan {
  const node = effective(f.info)
  const target = f.info.exists && f.info.realpath ? f.info.realpath : f.path
  const before = f.info.exists ? (f.content ?? '') : undefined
  if (edit.content === undefined || edit.content === before) {
    if (!f.info.exists) return { commands: [], msg: edit.msg, data }
    const attrs = planAttrs(target, node, a, { isDir: false })
    const flags = planChattr(target, f.attrFlags ?? '', a.attributes)
    const commands = [...attrs.commands, ...flags.commands]
    const msg = commands.length ? join(edit.msg, ATTRS_MSG) : edit.msg
    return { commands, changes: [...attrs.changes, ...flags.changes], msg, data }
  }
  const { commands, attrChanges } = planWrite(f, a, edit.content)
  const msg = attrChanges.length ? join(edit.msg, ATTRS_MSG) : edit.msg
  return {
    commands,
    changes: [`${edit.msg || 'content changed'} in ${f.path}`, ...attrChanges],
    msg,
    data,
    diff: [{ path: f.path, before: before ?? '', after: edit.content }],
  }
}

/**
 * The commands that write `content` over the file atomically (its directory created when missing, the link
 * followed) and the attribute changes that write makes. Pure.
 */
export function planWrite(
  f: TextFacts,
  a: TextWriteArgs,
  content: string,
): { commands: Command[]; attrChanges: string[] } {
  const node = effective(f.info)
  const target = f.info.exists && f.info.realpath ? f.info.realpath : f.path
  const commands: Command[] = []
  // a missing file's folder: made where the probe did not find it (a shell test first: no mkdir process when it is)
  if (!f.info.exists && f.folderExists !== true)
    commands.push({
      ...sh(MKDIR_P, [posix.dirname(target)], { describe: `create ${posix.dirname(target)}/` }),
      prepares: true,
    })
  const mode = wantedMode(a.mode, node?.mode, false)
  commands.push(
    putFile(target, content, {
      mode,
      owner: a.owner,
      group: a.group,
      backup: a.backup,
      validate: a.validate,
      nonce: f.nonce,
    }),
  )
  const attrChanges = f.info.exists ? planAttrs(target, node, { ...a, mode }, { isDir: false }).changes : []
  // the written file is a new one: its flags are read on the host after the write
  commands.push(...planChattr(target, undefined, a.attributes).commands)
  return { commands, attrChanges }
}

/** `mkdir -p DIR` unless DIR is already a folder. */
const MKDIR_P = '[ -d "$1" ] || exec mkdir -p -- "$1"'

const join = (a: string, b: string): string => (a ? `${a} and ${b}` : b)
