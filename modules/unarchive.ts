/**
 * `unarchive`: unpack a tar (plain, gzip, bzip2, xz, zstd) or zip archive into a folder on the host, as Ansible's
 * `unarchive`: `src` is a controller file (sent to the host) or, with `remote_src: true`, a file on the host (a URL is
 * downloaded there first). The archive is unpacked only when the folder does not match it already (GNU tar's `--diff`;
 * for zip each member's type, size and time), so a second run is ok. `mode`/`owner`/`group` are applied to every
 * member; `list_files` registers the members as `files`. Needs GNU tar, and `unzip` for zip (the task says so when it
 * is missing). In check mode a tar task is skipped, as Ansible's (zip is predicted).
 *
 * @example
 * ```yaml
 * - unarchive:
 *     src: files/app-1.2.tar.gz
 *     dest: /opt/app
 *     extra_opts: [--strip-components=1]
 *     creates: /opt/app/bin/app
 * ```
 */
import { readFile } from 'node:fs/promises'
import { Type } from '@sinclair/typebox'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { argRules } from '../engine/argrules.js'
import { sh } from '../engine/commands.js'
import { defineModule, ModuleFailure, type HostIO, type ModuleContext, type Plan } from '../engine/module.js'
import type { Command } from '../engine/types.js'
import { attrArgs } from './lib/args.js'
import * as ar from './lib/archive.js'
import { planAttrs } from './lib/attrs.js'
import {
  attributesArg,
  chattrEach,
  chattrPaths,
  lsattrEachProbe,
  parseLsattrLines,
  pathsToChattr,
} from './lib/chattr.js'
import { contextArgs } from './lib/contexts.js'
import { findSource } from './lib/files.js'
import { fetchOnHost, isUrl, removeFetched, thenRemove, type Fetched } from './lib/hostfetch.js'
import * as up from './lib/unpacked.js'
import { decryptIfVaulted } from '../engine/vault/keyring.js'
import { addPathInfo } from './lib/pathinfo.js'

const list = (description: string) => Defaulted(Type.Array(Type.String(), { default: [] as string[], description }))

const Args = Type.Object(
  {
    src: Type.String({
      minLength: 1,
      description:
        'The archive: a controller file, or a host file with `remote_src`; a URL with `remote_src` is downloaded ' +
        'on the host first (with curl, into a temp folder removed afterwards), also in check mode, as Ansible does.',
    }),
    dest: Type.String({ minLength: 1, description: 'Existing folder on the host to unpack into.' }),
    remote_src: Type.Optional(Type.Boolean({ description: '`src` is already on the host.' })),
    copy: Type.Optional(Type.Boolean({ description: 'Old spelling: `copy: false` is `remote_src: true`.' })),
    creates: Type.Optional(Type.String({ description: 'Skip the task when this path exists on the host.' })),
    list_files: Defaulted(Type.Boolean({ default: false, description: 'Register the members as `files`.' })),
    keep_newer: Defaulted(
      Type.Boolean({ default: false, description: 'Do not replace files newer than the archive.' }),
    ),
    extra_opts: list('More options for tar or unzip (e.g. `--strip-components=1`).'),
    exclude: list('Members (or fnmatch patterns) to leave out.'),
    include: list('Only these members.'),
    decrypt: Defaulted(
      Type.Boolean({ default: true, description: 'A vaulted `src` on the controller is decrypted first.' }),
    ),
    validate_certs: Defaulted(
      Type.Boolean({ default: true, description: 'Check the TLS certificate of a URL `src` (`false`: curl `-k`).' }),
    ),
    io_buffer_size: Type.Optional(Type.Integer({ description: 'Accepted (unused).' })),
    ...attrArgs,
    ...attributesArg,
    ...contextArgs,
  },
  {
    additionalProperties: false,
    ...argRules({
      mutually_exclusive: [
        ['include', 'exclude'],
        ['copy', 'remote_src'],
      ],
    }),
  },
)
type Args = ModuleArgs<typeof Args>

/** What planning needs. */
export interface UnarchiveState {
  /** `creates` exists: skip. */
  skip?: string
  fail?: string
  handler?: ar.Handler
  /** Where the archive is, for the extract step. */
  source?: ar.ArchiveSource
  files: string[]
  /** A URL `src` downloaded on the host (its temp folder goes with the unpack step, or at the end of gather). */
  fetched?: Fetched
  /** Members that differ (tar `--diff` lines or zip member names); empty: unpacked already. */
  differs: string[]
  /** Each member (and top folder) under dest as it is now, when attributes matter. */
  found: Map<string, up.Found>
  /** Each member's (and top folder's) chattr flags, links left out, when `attributes` is given. */
  attrFlags?: Map<string, string>
}

const PROBE = [
  'dest=$1; src=$2; creates=$3',
  'if [ -n "$creates" ] && [ -e "$creates" ]; then echo creates; fi',
  'if [ -d "$dest" ]; then echo dir; fi',
  'id -u',
  'if tar --version 2>/dev/null | head -n 1 | grep -q GNU; then echo tar; fi',
  'if command -v unzip >/dev/null; then echo unzip; fi',
  'if [ -n "$src" ]; then if [ ! -e "$src" ]; then echo nosrc; elif [ ! -r "$src" ]; then echo unreadable',
  '  else echo "size $(wc -c < "$src")"; head -c 512 "$src" | od -An -v -tx1 | tr -d " \\n"; echo; fi; fi',
].join('\n')

const hex = (s: string) => Uint8Array.from((s.match(/../g) ?? []).map((b) => parseInt(b, 16)))

const opts = (a: Args): ar.ArchiveOpts => ({
  dest: a.dest,
  extraOpts: a.extra_opts,
  exclude: a.exclude,
  include: a.include,
  owner: a.owner,
  group: a.group,
  keepNewer: a.keep_newer,
})

const isRemote = (a: Args) => a.remote_src ?? (a.copy === undefined ? false : !a.copy)

async function gatherUnarchive(a: Args, ctx: ModuleContext, io: HostIO): Promise<UnarchiveState> {
  if (!isRemote(a) || !isUrl(a.src)) return gatherFrom(a, a.src, ctx, io)
  const fetched = await fetchOnHost(a.src, io, {
    module: 'unarchive',
    name: up.urlFileName(a.src),
    validateCerts: a.validate_certs,
  })
  let s: UnarchiveState | undefined
  try {
    s = await gatherFrom(a, fetched.file, ctx, io)
    return { ...s, fetched }
  } finally {
    // kept only for the unpack step to come
    if (!s?.differs.length || ctx.checkMode) await io.run(removeFetched(fetched))
  }
}

/** Gather with the archive at `src` (the host's path of a downloaded URL). */
async function gatherFrom(a: Args, src: string, ctx: ModuleContext, io: HostIO): Promise<UnarchiveState> {
  const none = { files: [], differs: [], found: new Map<string, up.Found>() }
  const remote = isRemote(a)
  let bytes: Uint8Array | undefined
  if (!remote) {
    try {
      const file = await findSource(a.src, ctx.searchPaths, 'files')
      bytes = a.decrypt ? decryptIfVaulted(await readFile(file), file) : await readFile(file)
    } catch (e) {
      throw new ModuleFailure((e as Error).message)
    }
  }
  const [probe] = await io.batch([sh(PROBE, [a.dest, remote ? src : '', a.creates ?? ''])])
  const lines = probe.stdout.split('\n')
  if (lines.includes('creates')) return { ...none, skip: `skipped, since ${a.creates} exists` }
  if (!lines.includes('dir')) return { ...none, fail: `dest '${a.dest}' must be an existing dir` }
  if (remote && lines.includes('nosrc')) return { ...none, fail: `Source '${a.src}' does not exist` }
  if (remote && lines.includes('unreadable')) return { ...none, fail: `Source '${a.src}' not readable` }
  const sizeAt = lines.findIndex((l) => l.startsWith('size '))
  const size = remote ? Number(lines[sizeAt]?.slice(5)) : (bytes?.length ?? 0)
  if (size === 0) return { ...none, fail: `Invalid archive '${a.src}', the file is 0 bytes` }
  const handler = ar.handlerOf(remote ? hex(lines[sizeAt + 1] ?? '') : (bytes ?? new Uint8Array()))
  const need = handler === 'ZipArchive' ? 'unzip' : 'tar'
  if (handler === undefined || !lines.includes(need)) {
    const why =
      handler === undefined
        ? `Command "tar" could not handle archive: Unable to list files in the archive`
        : `Unable to find required '${need === 'tar' ? 'gtar' : 'unzip'}' binary in the path.`
    return {
      ...none,
      fail:
        `Failed to find handler for "${a.src}". ` +
        `Make sure the required command to extract the file is installed.\n${why}`,
    }
  }
  const source: ar.ArchiveSource = remote ? { remote: src } : { bytes: bytes ?? new Uint8Array() }
  if (ctx.checkMode && handler !== 'ZipArchive') return { ...none, handler, source }
  const o = opts(a)
  // run, not batch: a controller archive travels on stdin (a big one through its own channel)
  const run = await io.run(ar.runSteps([ar.listStep(handler, o), ar.diffStep(handler, o)], source))
  const [listed, diffed] = ar.parseSteps(run.stdout)
  if (!listed || listed.rc !== 0)
    return { ...none, fail: `Unable to list files in the archive: ${(listed?.out ?? run.stderr).trim()}` }
  const files = up.membersOf(listed.out, handler, a.exclude)
  if (!files.length) return { ...none, fail: `Failed to find handler for "${a.src}": no files in the archive` }
  const wantAttrs = a.mode !== undefined || a.owner !== undefined || a.group !== undefined
  const paths = up.attrPaths(a.dest, files)
  const needFound = handler === 'ZipArchive' || wantAttrs
  const withFlags = a.attributes !== undefined
  const probes = [...(needFound ? [up.findCommand(paths)] : []), ...(withFlags ? [lsattrEachProbe(paths)] : [])]
  const res = probes.length ? await io.batch(probes) : []
  const found = needFound ? up.parseFound(res[0].stdout) : new Map<string, up.Found>()
  const attrFlags = withFlags ? parseLsattrLines(res[res.length - 1].stdout) : undefined
  const uid = Number(lines.find((l) => /^\d+$/.test(l)))
  const differs =
    handler === 'ZipArchive'
      ? up.zipDiffers(a.dest, up.parseZipinfo(diffed?.out ?? ''), found, a.keep_newer)
      : up.tarDiffers(diffed?.out ?? '', { root: uid === 0, owner: a.owner, group: a.group, mode: a.mode })
  return { handler, source, files, differs, found, attrFlags }
}

/** Decide. Pure. */
export function planUnarchive(
  s: UnarchiveState,
  a: Args,
  ctx: { checkMode: boolean; searchPaths: readonly string[] },
): Plan {
  if (s.skip) return { commands: [], skip: s.skip }
  if (s.fail || !s.handler || !s.source) return { commands: [], fail: s.fail ?? 'no archive handler' }
  const data: Record<string, unknown> = { handler: s.handler, dest: a.dest, src: a.src }
  if (a.list_files) data.files = s.files
  if (ctx.checkMode && s.handler !== 'ZipArchive')
    return { commands: [], skip: 'remote module (unarchive) does not support check mode when using gtar', data }
  const paths = up.attrPaths(a.dest, s.files)
  const commands: Command[] = []
  const changes: string[] = []
  if (s.differs.length) {
    const steps = [ar.extractStep(s.handler, opts(a))]
    if (a.mode !== undefined) steps.push(['chmod', '--', String(a.mode), ...paths])
    if (a.owner !== undefined || a.group !== undefined)
      steps.push(['chown', '-h', '--', `${a.owner ?? ''}${a.group ? `:${a.group}` : ''}`, ...paths])
    const unpack = ar.runSteps(steps, s.source, `unpack ${a.src} into ${a.dest}`)
    commands.push(s.fetched && !ctx.checkMode ? { ...unpack, argv: thenRemove(s.fetched.dir, unpack.argv) } : unpack)
    changes.push(`unpack ${a.src} into ${a.dest} (${s.differs.length} differences)`)
    if (a.attributes !== undefined) commands.push(chattrEach(paths, a.attributes))
    return { commands, changes, data }
  }
  for (const p of paths) {
    const f = s.found.get(p)
    if (!f) continue
    const plan = planAttrs(p, f, a, { isDir: f.type === 'd', link: f.type === 'l' })
    commands.push(...plan.commands)
    changes.push(...plan.changes.map((c) => `${p}: ${c}`))
  }
  const flagged = s.attrFlags && a.attributes !== undefined ? pathsToChattr(s.attrFlags, a.attributes) : []
  if (flagged.length) {
    commands.push(chattrPaths(flagged, a.attributes ?? ''))
    changes.push(`attributes of ${flagged.length} unpacked paths → ${a.attributes}`)
  }
  return { commands, changes, data }
}

export default defineModule({
  name: 'unarchive',
  summary: 'Unpack a tar or zip archive (controller or host file) into a folder on the host',
  schema: Args,
  changedWhen: 'the folder does not match the archive yet (tar --diff; zip: type, size, time), or attributes change',
  check: 'partial',
  example: 'unarchive: { src: files/app.tar.gz, dest: /opt/app, extra_opts: [--strip-components=1] }',
  pathInfo: addPathInfo,
  gather: (args: Args, ctx, io) => gatherUnarchive(args, ctx, io),
  plan: (state, args, ctx) => planUnarchive(state, args, ctx),
  after(state, args, results) {
    const r = results.find((x) => x.stdout.includes('--tsplay-rc'))
    if (!r) return {}
    const steps = ar.parseSteps(r.stdout)
    const bad = steps.find((x) => x.rc !== 0)
    if (r.rc !== 0 || bad)
      return {
        fail: `failed to unpack ${args.src} to ${args.dest}`,
        data: { extract_results: { rc: bad?.rc ?? r.rc, err: bad?.out ?? r.stderr } },
      }
    // as Ansible's: the unpacking command (the archive named as the task names it) and what it printed
    const where = state.source && 'remote' in state.source ? state.source.remote : args.src
    const cmd = state.handler
      ? ar.extractStep(state.handler, opts(args)).map((w) => (w === ar.ARCHIVE ? where : w))
      : []
    return { data: { extract_results: { cmd, rc: 0, out: steps[0]?.out.replace(/\n$/, '') ?? '', err: '' } } }
  },
})
