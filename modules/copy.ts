/**
 * `copy`: put a file on the host from inline `content` or a controller `src`, atomically, with mode/owner/group.
 * Changed only when the content (SHA-1) or an attribute differs. With `remote_src` the source is on the host: a
 * file, or a folder copied entry by entry (modules/lib/remotecopy.ts). A symlink at `dest` is replaced by a file
 * unless `follow` is set, as in Ansible. A folder `src` on the controller is copied entry by entry too
 * (modules/lib/localtree.ts).
 *
 * @example
 * ```yaml
 * - name: a message of the day
 *   copy: { content: "Welcome to {{ inventory_hostname }}\n", dest: /etc/motd, mode: '0644' }
 * - copy: { src: hydra.conf, dest: /etc/hydra/, owner: hydra, backup: true }
 * - copy: { src: /opt/app/, dest: /srv/app, remote_src: true, directory_mode: '0750' }
 * - copy: { src: conf.d/, dest: /etc/app/conf.d, mode: '0644' }   # a folder in the role's files/
 * ```
 */
import { readFile, stat } from 'node:fs/promises'
import { basename, posix } from 'node:path'
import { Type } from '@sinclair/typebox'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { argRules } from '../engine/argrules.js'
import { defineModule, ModuleFailure, type HostIO, type ModuleContext } from '../engine/module.js'
import { attrArgs, backupArg } from './lib/args.js'
import { attributesArg } from './lib/chattr.js'
import { contextArgs } from './lib/contexts.js'
import { findSource } from './lib/files.js'
import { wantedMode } from './lib/attrs.js'
import { completeChecksum, effective, isType, parsePathProbe, pathProbe } from './lib/probe.js'
import { addSourceMd5, gatherPut, planPut, sourceMd5Command, type PutState } from './lib/put.js'
import { gatherTree, planTree, type TreeState } from './lib/remotecopy.js'
import { decryptIfVaulted } from '../engine/vault/keyring.js'
import { gatherLocalTree, planLocalTree, type LocalTreeState } from './lib/localtree.js'
import { pyJson } from '../engine/expr/pystr.js'
import { addPathInfo } from './lib/pathinfo.js'

const Args = Type.Object(
  {
    content: Type.Optional(
      Type.Union([Type.String(), Type.Record(Type.String(), Type.Unknown()), Type.Array(Type.Unknown())], {
        description:
          'The file content, written as given (use instead of `src`); a map or list a template gives is written ' +
          "as JSON, as Python's `json.dumps` writes it (Ansible's copy does so).",
      }),
    ),
    src: Type.Optional(
      Type.String({
        description:
          'File or folder on the controller: absolute, or looked up as Ansible does in the role, then the folder ' +
          "of the task's file, then the playbook's folder (each one's files/ first). A folder: `src/` copies " +
          'what it holds into `dest`, `src` the folder itself into `dest/NAME`; files that differ are written, ' +
          'nothing is deleted.',
      }),
    ),
    dest: Type.String({
      description:
        "Path on the host. Ending in `/` (or naming an existing folder): the file goes into it under `src`'s name.",
    }),
    force: Defaulted(
      Type.Boolean({
        default: true,
        description: 'Replace the file when its content differs; false: only write it when absent.',
      }),
    ),
    ...attrArgs,
    ...attributesArg,
    ...contextArgs,
    mode: Type.Optional(
      Type.Union([Type.String(), Type.Integer()], {
        description: "Permissions: octal ('0644'), symbolic ('u=rw,g=r,o=r'), or 'preserve' (the mode of `src`).",
      }),
    ),
    ...backupArg,
    remote_src: Defaulted(
      Type.Boolean({
        default: false,
        description:
          '`src` is on the host: a file, or a folder (`src/` copies what it holds into `dest`, `src` the folder ' +
          'itself into `dest/NAME`; files that differ are copied, symlinks stay symlinks, nothing is deleted).',
      }),
    ),
    decrypt: Defaulted(
      Type.Boolean({
        default: true,
        description: 'A vaulted `src` on the controller is decrypted (false: copied as it is, still encrypted).',
      }),
    ),
    follow: Defaulted(
      Type.Boolean({
        default: false,
        description: 'A symlink at `dest`: write to the file it points to (false: replace the link with a file).',
      }),
    ),
    local_follow: Defaulted(
      Type.Boolean({
        default: true,
        description: 'A folder `src` on the controller: copy what its symlinks point to (false: copy the symlinks).',
      }),
    ),
    directory_mode: Type.Optional(
      Type.Union([Type.String(), Type.Integer()], {
        description:
          'Mode of the folders the copy creates (a folder `src`, or the folders of a `dest` ending in `/`); ' +
          "default: the source folder's mode, else the umask's.",
      }),
    ),
    validate: Type.Optional(
      Type.String({
        description:
          'Command to check the new file before it replaces the old one; `%s` is its path (e.g. `visudo -cf %s`).',
      }),
    ),
  },
  {
    additionalProperties: false,
    ...argRules({
      required_one_of: [['content', 'src']],
      mutually_exclusive: [['content', 'src']],
      required_if: [['remote_src', true, ['src']]],
    }),
  },
)
/** The arguments as the module receives them (defaults filled in). */
type Args = ModuleArgs<typeof Args>

export default defineModule({
  name: 'copy',
  summary: 'Copy inline content or a controller file to the host (atomic, checksum-compared)',
  schema: Args,
  changedWhen: 'the content (SHA-1) or mode/owner/group differ',
  check: 'full',
  example: 'copy: { content: "hello\\n", dest: /etc/motd, mode: "0644" }',
  // the file's fields and, for a remote_src copy, its source's MD5, in one round trip
  pathInfo: async (data, io) => addSourceMd5(data, (await addPathInfo(data, io, sourceMd5Command(data)))[0]),
  async gather(args: Args, ctx, io): Promise<PutState | TreeState | LocalTreeState> {
    if (args.remote_src) return gatherRemote(args, ctx, io)
    let content: Buffer
    let name: string | undefined
    let srcMode: number | undefined
    if (args.src !== undefined) {
      const file = await findSource(args.src, ctx.searchPaths, 'files', true)
      const st = await stat(file)
      const decode = (b: Buffer, f: string) => (args.decrypt ? decryptIfVaulted(b, f) : b)
      if (st.isDirectory()) {
        const src = args.src.endsWith('/') && !file.endsWith('/') ? `${file}/` : file
        return gatherLocalTree(io, src, args.dest, args.local_follow, decode, args.attributes !== undefined)
      }
      content = decode(await readFile(file), file)
      srcMode = st.mode
      name = basename(file)
    } else {
      if (args.dest.endsWith('/')) throw new ModuleFailure('can not use content with a folder as dest: name the file')
      const text = args.content === undefined || typeof args.content === 'string' ? args.content : pyJson(args.content)
      content = Buffer.from(text ?? '', 'utf8')
    }
    const attributes = args.attributes !== undefined
    return gatherPut(io, ctx, { dest: args.dest, content, basename: name, srcMode, follow: args.follow, attributes })
  },
  plan(state, args, ctx) {
    if ('kind' in state) return planLocalTree(state, args)
    if ('srcTree' in state) return planTree(state, args)
    const plan = planPut(state, args, ctx.checkMode)
    if (state.makeParent && args.directory_mode !== undefined && !state.parentExists)
      plan.commands.splice(1, 0, { argv: ['chmod', '--', String(directoryMode(args)), posix.dirname(state.dest)] })
    return plan
  },
})

/** `directory_mode` as octal text. */
function directoryMode(args: Args): string {
  return wantedMode(args.directory_mode, undefined, true) ?? ''
}

/** `remote_src`: probe the source on the host; a folder is copied entry by entry, a file like any copy. */
async function gatherRemote(args: Args, ctx: ModuleContext, io: HostIO): Promise<PutState | TreeState> {
  const src = args.src!
  const [probe] = await io.batch([pathProbe(src, { checksum: 'sha1' })])
  const info = await completeChecksum(io, src, parsePathProbe(probe.stdout))
  const node = effective(info)
  if (!info.exists || !node) throw new ModuleFailure(`Source ${src} not found`)
  if (isType(node, 'directory')) return gatherTree(io, src, args.dest, args.attributes !== undefined)
  if (!isType(node, 'file')) throw new ModuleFailure(`Cannot copy invalid source '${src}': not a file`)
  if (!info.readable || !info.checksum) throw new ModuleFailure(`Source ${src} not readable`)
  return gatherPut(io, ctx, {
    dest: args.dest,
    content: Buffer.alloc(0),
    basename: posix.basename(src),
    srcMode: node.mode,
    follow: args.follow,
    remoteSrc: { path: src, size: node.size, sha1: info.checksum },
    attributes: args.attributes !== undefined,
  })
}
