/**
 * The pure planner of the `file` module: from what the probes found (the path, `src`, the recursive listing,
 * the wanted times in epoch seconds) decide the commands for each `state`, with Ansible's rules and messages.
 *
 * @example
 * ```ts
 * planFile({ path: '/srv/x', state: 'directory', info: { exists: false }, ... }) // mkdir -p, chmod, chown
 * ```
 */
import type { Plan } from '../../engine/module.js'
import type { Command } from '../../engine/types.js'
import { planAttrs, sameId, wantedMode, type WantedAttrs } from './attrs.js'
import { pathInfoFields } from './pathinfo.js'
import { effective, isType, type InodeInfo, type PathInfo } from './probe.js'
import type { WantedTime } from './times.js'
import { extend } from '../../engine/shape.js'

export type FileState = 'file' | 'directory' | 'link' | 'hard' | 'absent' | 'touch'

/** One distinct (mode, type, owner, group) under a folder, from `find -printf`. */
export interface TreeEntry {
  mode: number
  dir: boolean
  owner: string
  group: string
  uid: number
  gid: number
}

/** Everything `planFile` decides from. */
export interface PathState {
  path: string
  /** Wanted state (already defaulted: see `defaultState`). */
  state: FileState
  info: PathInfo
  src?: string
  srcInfo?: PathInfo
  /** Distinct attributes under the folder, for `recurse`. */
  tree?: TreeEntry[]
  /**
   * Missing parent folders of `path`, outermost first (state=directory: they get the same attributes, as in Ansible).
   */
  missingParents?: string[]
  atime: WantedTime
  mtime: WantedTime
}

/** Options that are not state. */
export interface FileOptions extends WantedAttrs {
  /** Check mode: a missing path or src is assumed to come from an earlier task (predicted, not failed). */
  checkMode?: boolean
  force: boolean
  follow: boolean
  recurse: boolean
}

/** Ansible's default state: the path's current kind, `directory` with `recurse`, else `file`. */
export function defaultState(info: PathInfo, recurse: boolean): FileState {
  if (recurse) return 'directory'
  if (!info.exists) return 'file'
  if (isType(info.self, 'link')) return 'link'
  return isType(info.self, 'directory') ? 'directory' : 'file'
}

/** Parse `find -printf '%m\t%y\t%u\t%g\t%U\t%G\n' | sort -u` output. */
export function parseTree(stdout: string): TreeEntry[] {
  return stdout
    .split('\n')
    .filter((l) => l.includes('\t'))
    .map((l) => {
      const [m, y, owner, group, uid, gid] = l.split('\t')
      return { mode: parseInt(m, 8), dir: y === 'd', owner, group, uid: Number(uid), gid: Number(gid) }
    })
}

const fail = (msg: string): Plan => ({ commands: [], fail: msg })

function timeCommands(path: string, node: InodeInfo | undefined, f: PathState, link: boolean, created: boolean): Plan {
  const commands: Command[] = []
  const changes: string[] = []
  const h = link ? ['-h'] : []
  for (const [flag, want, now, name] of [
    ['-a', f.atime, node?.atime, 'access time'],
    ['-m', f.mtime, node?.mtime, 'modification time'],
  ] as const) {
    if (want.kind === 'now' && !created) {
      commands.push({ argv: ['touch', ...h, flag, '--', path], describe: `touch ${path}` })
      changes.push(`${name} → now`)
    } else if (want.kind === 'at' && (created || want.epoch !== now)) {
      commands.push({
        argv: ['touch', ...h, flag, '-d', `@${want.epoch}`, '--', path],
        describe: `set ${name} of ${path}`,
      })
      changes.push(`${name} → ${want.text}`)
    }
  }
  return { commands, changes }
}

function recursePlan(f: PathState, o: FileOptions): Plan {
  const commands: Command[] = []
  const changes: string[] = []
  const tree = f.tree ?? []
  if (o.mode !== undefined) {
    const off = tree.some((e) => wantedMode(o.mode, e.mode, e.dir) !== (e.mode & 0o7777).toString(8).padStart(4, '0'))
    if (off) {
      commands.push({ argv: ['chmod', '-R', '--', modeArg(o.mode), f.path], describe: `chmod -R ${f.path}` })
      changes.push(`mode of files under ${f.path}`)
    }
  }
  const owner = o.owner && tree.some((e) => !sameId(o.owner!, e.owner, e.uid)) ? o.owner : undefined
  const group = o.group && tree.some((e) => !sameId(o.group!, e.group, e.gid)) ? o.group : undefined
  if (owner || group) {
    const spec = `${o.owner ?? ''}${o.group ? `:${o.group}` : ''}`
    commands.push({ argv: ['chown', '-R', '--', spec, f.path], describe: `chown -R ${spec} ${f.path}` })
    changes.push(`owner/group of files under ${f.path}`)
  }
  return { commands, changes }
}

/** The mode as chmod takes it: octal digits as four, symbolic as given. */
function modeArg(mode: string | number): string {
  const octalText = wantedMode(mode, undefined, false)
  return typeof mode === 'number' || /^(0o)?[0-7]+$/i.test(mode) ? octalText! : mode
}

function merge(...plans: Plan[]): Plan {
  return { commands: plans.flatMap((p) => p.commands), changes: plans.flatMap((p) => p.changes ?? []) }
}

/**
 * What the task registers, keyed as Ansible's `file` returns it: `path` and the state, but `dest` for `touch` (whose
 * state is then the path's type) and `dest` and `src` for links. The path's owner, mode and size are added after
 * the call where the result is used (modules/lib/pathinfo.ts), and that `state` is the path's type.
 */
function resultOf(f: PathState): Record<string, unknown> {
  const { path, info } = f
  if (f.state === 'link' || f.state === 'hard') return { dest: path, src: f.src, state: f.state }
  if (f.state !== 'touch') return { path, state: f.state }
  // what the path is now (a touch creates a missing one as a file); a registered result reads it after the touch
  return { dest: path, state: pathInfoFields(info).state ?? 'file' }
}

/** Decide the commands for `f.state`. Pure. */
export function planFile(f: PathState, o: FileOptions): Plan {
  const { path, info } = f
  const self = info.exists ? info.self : undefined
  const node = effective(info, o.follow)
  const attrs = (n: InodeInfo | undefined, isDir: boolean, link = false) => planAttrs(path, n, o, { isDir, link })
  const data = resultOf(f)
  const done = (p: Plan): Plan => extend(p, { data })

  switch (f.state) {
    case 'absent':
      if (!info.exists) return done({ commands: [] })
      return done({
        commands: [{ argv: ['rm', '-rf', '--', path], describe: `remove ${path}` }],
        changes: [`remove ${path} (${self!.type})`],
      })
    case 'file':
      if (!info.exists && o.checkMode)
        return done(
          merge(attrs(undefined, false), {
            commands: [],
            changes: [`${path} does not exist yet (check mode: assuming an earlier task creates it)`],
          }),
        )
      // as Ansible's: the failure names the path and its state
      if (!info.exists) return { ...fail(`file (${path}) is absent, cannot continue`), data: { path, state: 'absent' } }
      if (!isType(node, 'file'))
        return fail(`file (${path}) is ${node?.type ?? 'a dangling symbolic link'}, cannot continue`)
      return done(merge(attrs(node, false), timeCommands(path, node, f, false, false)))
    case 'directory': {
      if (info.exists && !isType(node, 'directory'))
        return fail(`${path} already exists as a ${node?.type ?? 'dangling symbolic link'}`)
      const parts: Plan[] = []
      // a new folder and its missing parents get their mode from mkdir itself (`-m` sets it as chmod does, whatever
      // the umask, on each folder named): one program for all of them; owner and group as before
      const mode = info.exists ? undefined : wantedMode(o.mode, undefined, true)
      if (!info.exists) {
        const parents = f.missingParents ?? []
        const made = mode ? [...parents, path] : [path]
        const argv = ['mkdir', '-p', ...(mode ? ['-m', mode] : []), '--', ...made]
        const changes = [...parents, path].map((d) => `create directory ${d}`)
        parts.push({ commands: [{ argv, describe: `create ${path}/` }], changes })
        for (const p of parents)
          parts.push(planAttrs(p, undefined, mode ? { ...o, mode: undefined } : o, { isDir: true }))
      }
      if (mode) parts.push({ commands: [], changes: [`mode ${mode}`] })
      parts.push(
        mode ? planAttrs(path, node, { ...o, mode: undefined }, { isDir: true }) : attrs(node, true),
        timeCommands(path, node, f, false, !info.exists),
      )
      if (o.recurse && info.exists) parts.push(recursePlan(f, o))
      return done(merge(...parts))
    }
    case 'touch': {
      const parts: Plan[] = []
      if (!info.exists)
        parts.push({
          commands: [{ argv: ['touch', '--', path], describe: `touch ${path}` }],
          changes: [`create ${path}`],
        })
      parts.push(attrs(node, isType(node, 'directory')), timeCommands(path, node, f, false, !info.exists))
      return done(merge(...parts))
    }
    case 'link': {
      if (!f.src) {
        // an existing link's own attributes may change without naming its target
        if (self && isType(self, 'link'))
          return done(merge(attrs(self, false, true), timeCommands(path, self, f, true, false)))
        return fail('src is required for creating new symlinks')
      }
      if (self && isType(self, 'link') && info.exists && info.linkTarget === f.src) {
        return done(merge(attrs(self, false, true), timeCommands(path, self, f, true, false)))
      }
      if (!o.force && !f.srcInfo?.exists && !o.checkMode)
        return fail(`src file does not exist, use force=yes if you really want to create the link: ${f.src}`)
      const cmds: Command[] = []
      if (self && isType(self, 'directory')) {
        if (!o.force) return fail(`refusing to convert from directory to symlink for ${path}`)
        cmds.push({ argv: ['rmdir', '--', path], describe: `remove empty folder ${path}` })
      } else if (self && !isType(self, 'link') && !o.force) {
        return fail(`refusing to convert from ${self.type} to symlink for ${path}`)
      }
      cmds.push({ argv: ['ln', '-sfn', '--', f.src, path], describe: `link ${path} → ${f.src}` })
      const change =
        self && isType(self, 'link')
          ? `link ${path}: ${info.exists ? info.linkTarget : ''} → ${f.src}`
          : `link ${path} → ${f.src}`
      return done(
        merge(
          { commands: cmds, changes: [change] },
          attrs(undefined, false, true),
          timeCommands(path, undefined, f, true, true),
        ),
      )
    }
    case 'hard': {
      if (!f.src) {
        if (self && isType(self, 'file') && self.nlink > 1)
          return done(merge(attrs(self, false), timeCommands(path, self, f, false, false)))
        return fail('src is required for creating new hardlinks')
      }
      const src = f.srcInfo?.exists ? f.srcInfo.self : undefined
      if (!src && o.checkMode)
        return done({
          commands: [{ argv: ['ln', '-f', '--', f.src, path] }],
          changes: [`hard link ${path} → ${f.src} (check mode: src does not exist yet)`],
        })
      if (!src) return fail(`src does not exist: ${f.src}`)
      // as Ansible's: a file with one name is a file, not a hard link, even when it is `src` itself
      if (self && isType(self, 'file') && self.nlink === 1 && !o.force)
        return fail(`Cannot link, file exists at destination ${path} (force: true replaces it)`)
      if (self && self.inode === src.inode && self.dev === src.dev) {
        return done(merge(attrs(self, false), timeCommands(path, self, f, false, false)))
      }
      if (self && isType(self, 'directory'))
        return fail(`${path} is a directory, refusing to replace it with a hard link`)
      if (self && !o.force && !isType(self, 'link'))
        return fail(`Cannot link, ${self.type} exists at destination ${path} (force: true replaces it)`)
      const cmd: Command = { argv: ['ln', '-f', '--', f.src, path], describe: `hard link ${path} → ${f.src}` }
      return done(
        merge(
          { commands: [cmd], changes: [`hard link ${path} → ${f.src}`] },
          attrs(src, false),
          timeCommands(path, src, f, false, false),
        ),
      )
    }
  }
}
