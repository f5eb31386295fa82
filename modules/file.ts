/**
 * `file`: make a path a file (attributes only), a directory, a symlink, a hard link, absent, or touched, with
 * mode/owner/group (optionally recursive) and access/modification times. The decision is in
 * `lib/filestate.ts` (pure); this file holds the arguments and the one-round-trip gather. `_diff_peek` (Ansible's
 * internal probe) only registers `appears_binary`: a NUL byte in the file's first 8 KiB.
 *
 * @example
 * ```yaml
 * - file: { path: /var/lib/hydra/scratch, state: directory, owner: hydra, mode: '0750' }
 * - file: { src: /nix/var/nix/profiles/default/bin/nix, dest: /usr/local/bin/nix, state: link }
 * - file: { path: /tmp/old-build, state: absent }
 * ```
 */
import { posix } from 'node:path'
import { Type } from '@sinclair/typebox'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { sh } from '../engine/commands.js'
import { defineModule, ModuleFailure } from '../engine/module.js'
import type { Command } from '../engine/types.js'
import { attrArgs, pathArgs } from './lib/args.js'
import { attributesArg, lsattrProbe, lsattrTreeProbe, parseLsattr, planChattr, planChattrTree } from './lib/chattr.js'
import { contextArgs } from './lib/contexts.js'
import { defaultState, parseTree, planFile, type PathState, type FileState } from './lib/filestate.js'
import { parsePathProbe, pathProbe, probedMissing } from './lib/probe.js'
import { DEFAULT_TIME_FORMAT, wantedTime } from './lib/times.js'
import { addPathInfo } from './lib/pathinfo.js'

const STATES = ['file', 'directory', 'link', 'hard', 'absent', 'touch'] as const

const Args = Type.Object(
  {
    ...pathArgs('The path to manage.'),
    state: Type.Optional(
      Type.Union(
        STATES.map((s) => Type.Literal(s)),
        {
          description:
            'file: only check/fix attributes (fails if missing); directory: create (with parents); ' +
            'link/hard: a symlink/hard link to `src`; absent: remove (recursively); touch: create or update ' +
            'times. Unset: the current kind of the path, `directory` with `recurse`, else `file` (as Ansible).',
        },
      ),
    ),
    src: Type.Optional(
      Type.String({ description: "Link target for state=link (relative to the link's folder) or hard." }),
    ),
    ...attrArgs,
    ...attributesArg,
    ...contextArgs,
    recurse: Defaulted(
      Type.Boolean({
        default: false,
        description: 'With state=directory: apply mode/owner/group (and attributes) to everything under it.',
      }),
    ),
    force: Defaulted(
      Type.Boolean({
        default: false,
        description: 'Links: replace an existing file, create a symlink to a missing src.',
      }),
    ),
    follow: Defaulted(Type.Boolean({ default: true, description: 'Apply attributes to what a symlink points at.' })),
    access_time: Type.Optional(
      Type.String({
        description: "'preserve', 'now', or a time in `access_time_format`. Default: preserve (now for touch).",
      }),
    ),
    access_time_format: Defaulted(
      Type.String({ default: DEFAULT_TIME_FORMAT, description: 'strftime format of `access_time`.' }),
    ),
    modification_time: Type.Optional(
      Type.String({
        description: "'preserve', 'now', or a time in `modification_time_format`. Default: preserve (now for touch).",
      }),
    ),
    modification_time_format: Defaulted(
      Type.String({ default: DEFAULT_TIME_FORMAT, description: 'strftime format of `modification_time`.' }),
    ),
    _diff_peek: Type.Optional(
      Type.Boolean({
        description:
          "Ansible's internal probe (true or false alike): only register whether the file's first 8 KiB hold a NUL " +
          'byte (`appears_binary`); nothing changes.',
      }),
    ),
  },
  // no required `src` for link/hard: an existing link's attributes can be changed without it (as in Ansible)
  { additionalProperties: false },
)
/** The arguments as the module receives them (defaults filled in). */
type Args = ModuleArgs<typeof Args>

/**
 * The ancestors of `path`, innermost first, as `dirname` names them, without `/` and `.`.
 *
 * @example
 * ```ts
 * ancestors('/srv/a/b') // → ['/srv/a', '/srv']
 * ```
 */
export function ancestors(path: string): string[] {
  const out: string[] = []
  for (let p = posix.dirname(path); ; p = posix.dirname(p)) {
    const q = p.replace(/(?<=.)\/+$/, '')
    if (q === '/' || q === '.' || out.includes(q)) return out
    out.push(q)
  }
}
/** `binary` when the file's first 8 KiB hold a NUL byte (an unreadable file counts as text, as Ansible's). */
const PEEK = 'n=$(head -c 8192 -- "$1" 2>/dev/null | tr -dc "\\000" | wc -c); [ "$n" -gt 0 ] && echo binary; exit 0'

/** What gather found: the path, or only whether the file looks binary (`_diff_peek`). */
type FileFacts = (PathState & { attrFlags?: string; treeFlags?: string[] }) | { peek: true; appearsBinary: boolean }

const TREE = 'find "$1" -mindepth 1 ! -type l -printf \'%m\\t%y\\t%u\\t%g\\t%U\\t%G\\n\' 2>/dev/null | sort -u'

export default defineModule({
  name: 'file',
  summary: 'Manage a file, directory, link or its absence, with mode/owner/group and times',
  schema: Args,
  changedWhen:
    'the path is created, removed, re-linked, or its mode/owner/group/times differ (touch: always, unless ' +
    'times are preserve)',
  check: 'full',
  example: 'file: { path: /srv/data, state: directory, mode: "0755" }',
  pathInfo: addPathInfo,
  async gather(args: Args, _ctx, io): Promise<FileFacts> {
    const path = args.path
    if (args._diff_peek !== undefined) {
      const [r] = await io.batch([sh(PEEK, [path], { describe: `peek into ${path}` })])
      return { peek: true, appearsBinary: r.stdout.trim() === 'binary' }
    }
    const touch = args.state === 'touch'
    const atime = wantedTime(args.access_time, args.access_time_format, touch)
    const mtime = wantedTime(args.modification_time, args.modification_time_format, touch)
    const srcPath =
      args.src === undefined
        ? undefined
        : args.state === 'hard' || posix.isAbsolute(args.src)
          ? args.src
          : posix.join(posix.dirname(path), args.src)
    const dirs = args.state === 'directory' || (args.state === undefined && args.recurse)
    // a missing folder's missing parents come with its probe
    const cmds: Command[] = [pathProbe(path, { follow: args.follow, ancestors: dirs ? ancestors(path) : undefined })]
    if (srcPath !== undefined) cmds.push(pathProbe(srcPath))
    if (args.recurse) cmds.push(sh(TREE, [path], { describe: `list ${path}` }))
    for (const t of [atime, mtime]) if (t.kind === 'at') cmds.push(sh('date -d "$1" +%s', [t.text]))
    const flags = args.attributes !== undefined && args.state !== 'absent'
    if (flags) cmds.push(lsattrProbe(path))
    const treeFlags = flags && args.recurse
    if (treeFlags) cmds.push(lsattrTreeProbe(path))
    const res = await io.batch(cmds)
    let i = 0
    const info = parsePathProbe(res[i++].stdout)
    const srcInfo = srcPath !== undefined ? parsePathProbe(res[i++].stdout) : undefined
    const tree = args.recurse ? parseTree(res[i++].stdout) : undefined
    const missingParents = dirs ? probedMissing(res[0].stdout).reverse() : undefined
    for (const t of [atime, mtime]) {
      if (t.kind !== 'at') continue
      const r = res[i++]
      const epoch = Number(r.stdout.trim())
      if (r.rc !== 0 || !Number.isFinite(epoch))
        throw new ModuleFailure(`the host could not read the time '${t.text}': ${r.stderr.trim()}`)
      t.epoch = epoch
    }
    const state: FileState = args.state ?? defaultState(info, args.recurse)
    const attrFlags = flags && info.exists ? parseLsattr(res[i++].stdout) : undefined
    const under = treeFlags && info.exists ? res[i]!.stdout.split('\n').filter(Boolean).map(parseLsattr) : undefined
    const found = { path, state, info, src: args.src, srcInfo, tree, missingParents, atime, mtime, attrFlags }
    return under ? { ...found, treeFlags: under } : found
  },
  plan(state, args, ctx) {
    const kind = 'peek' in state ? args.state : state.state
    if (args.src !== undefined && kind !== 'link' && kind !== 'hard') {
      return { commands: [], fail: `src option requires state to be 'link' or 'hard'` }
    }
    if ('peek' in state)
      return { commands: [], changed: false, data: { path: args.path, appears_binary: state.appearsBinary } }
    const plan = planFile(state, {
      mode: args.mode,
      owner: args.owner,
      group: args.group,
      force: args.force,
      follow: args.follow,
      recurse: args.recurse,
      checkMode: ctx.checkMode,
    })
    if (args.attributes === undefined || state.state === 'absent' || plan.fail || plan.skip) return plan
    // Ansible sets the flags last, after mode and owner; a path the task creates is read on the host then
    const flags = planChattr(args.path, state.info.exists ? (state.attrFlags ?? '') : undefined, args.attributes)
    const tree = state.treeFlags && planChattrTree(args.path, state.treeFlags, args.attributes)
    // a recursive chattr sets the folder's own flags too
    const commands = tree?.commands.length ? tree.commands : flags.commands
    return {
      ...plan,
      commands: [...plan.commands, ...commands],
      changes: [...(plan.changes ?? []), ...flags.changes, ...(tree?.changes ?? [])],
    }
  },
})
