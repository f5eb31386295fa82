/**
 * Planning `mode`/`owner`/`group` for an existing path: compare what the probe found with what is wanted and
 * return `chmod`/`chown` commands (argv) plus one change line each. Pure.
 *
 * @example
 * ```ts
 * planAttrs('/etc/x', info.self, { mode: '0600', owner: 'root' }, { isDir: false })
 * // { commands: [{ argv: ['chmod', '--', '0600', '/etc/x'] }], changes: ['mode 0644 → 0600'] }
 * ```
 */
import type { Command } from '../../engine/types.js'
import { ModuleFailure } from '../../engine/module.js'
import { ModeError, octal, resolveMode } from './mode.js'
import type { InodeInfo } from './probe.js'

/** Attributes a task asks for (absent = leave as is). */
export interface WantedAttrs {
  mode?: string | number
  owner?: string
  group?: string
}

/** Options for `planAttrs`. */
export interface AttrOptions {
  isDir: boolean
  /** The path is a symlink to change itself (`chown -h`; modes are not settable on Linux symlinks). */
  link?: boolean
}

/** Commands and change lines. */
export interface AttrPlan {
  commands: Command[]
  changes: string[]
}

/** Does `who` (a name or a numeric id) name the owner/group with this name and id? */
export function sameId(who: string, name: string, id: number): boolean {
  return /^\d+$/.test(who) ? Number(who) === id : who === name
}

/** The wanted mode as octal, turning a bad mode into a task failure. */
export function wantedMode(
  spec: string | number | undefined,
  current: number | undefined,
  isDir: boolean,
): string | undefined {
  try {
    return resolveMode(spec, current, isDir)
  } catch (e) {
    if (e instanceof ModeError) throw new ModuleFailure(e.message)
    throw e
  }
}

/**
 * `chmod`/`chown` needed to bring `node` (undefined: created just before, attributes unknown) to `want`.
 */
export function planAttrs(
  path: string,
  node: Pick<InodeInfo, 'mode' | 'uid' | 'gid' | 'owner' | 'group'> | undefined,
  want: WantedAttrs,
  opts: AttrOptions,
): AttrPlan {
  const commands: Command[] = []
  const changes: string[] = []
  if (!opts.link) {
    const mode = wantedMode(want.mode, node?.mode, opts.isDir)
    if (mode !== undefined && (!node || (node.mode & 0o7777) !== parseInt(mode, 8))) {
      commands.push({ argv: ['chmod', '--', mode, path], describe: `chmod ${mode} ${path}` })
      changes.push(node ? `mode ${octal(node.mode)} → ${mode}` : `mode ${mode}`)
    }
  }
  const owner = want.owner && (!node || !sameId(want.owner, node.owner, node.uid)) ? want.owner : undefined
  const group = want.group && (!node || !sameId(want.group, node.group, node.gid)) ? want.group : undefined
  if (owner || group) {
    const spec = `${owner ?? ''}${group ? `:${group}` : ''}`
    commands.push({
      argv: ['chown', ...(opts.link ? ['-h'] : []), '--', spec, path],
      describe: `chown ${spec} ${path}`,
    })
    if (owner) changes.push(node ? `owner ${node.owner} → ${owner}` : `owner ${owner}`)
    if (group) changes.push(node ? `group ${node.group} → ${group}` : `group ${group}`)
  }
  return { commands, changes }
}
