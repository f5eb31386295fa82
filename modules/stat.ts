/**
 * `stat`: details of a path on the host, registered as `stat` with Ansible's fields (`stat.exists`,
 * `stat.isdir`, `stat.mode`, `stat.checksum`, `stat.mimetype`, …). Read-only, never changed.
 *
 * @example
 * ```yaml
 * - stat: { path: /nix/store }
 *   register: nix
 * - debug: { msg: "Nix is installed" }
 *   when: nix.stat.exists and nix.stat.isdir
 * ```
 */
import { Type } from '@sinclair/typebox'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { defineModule } from '../engine/module.js'
import { pathArgs } from './lib/args.js'
import { octal } from './lib/mode.js'
import {
  CHECKSUM_ALGORITHMS,
  completeChecksum,
  parsePathProbe,
  pathProbe,
  probedMime,
  type PathInfo,
} from './lib/probe.js'
import { lsattrVersion, parseAttributes, type Attributes } from './lib/statdetail.js'

const Args = Type.Object(
  {
    ...pathArgs('The path to look at.'),
    follow: Defaulted(
      Type.Boolean({ default: false, description: 'Describe what a symlink points at instead of the link.' }),
    ),
    get_checksum: Defaulted(Type.Boolean({ default: true, description: 'Compute the checksum of a regular file.' })),
    checksum_algorithm: Defaulted(
      Type.Union(
        CHECKSUM_ALGORITHMS.map((a) => Type.Literal(a)),
        { default: 'sha1', description: 'Checksum algorithm.' },
      ),
    ),
    get_mime: Defaulted(
      Type.Boolean({
        default: true,
        description:
          'Report `mimetype` and `charset` of an existing path, as `file --mime-type --mime-encoding` says ' +
          '(`unknown` when the host has no `file` program), as Ansible does.',
      }),
    ),
    get_attributes: Defaulted(
      Type.Boolean({
        default: false,
        aliases: ['attr', 'attributes'],
        description:
          'Report the chattr flags as `lsattr -vd` reads them: `attributes`, `attr_flags` and `version` ([], empty ' +
          'and null where lsattr cannot read them, as on tmpfs or for a symlink). Off unless asked (Ansible: on): ' +
          'lsattr is one program more on the host for each stat.',
      }),
    ),
  },
  { additionalProperties: false },
)
/** The arguments as the module receives them (defaults filled in). */
type Args = ModuleArgs<typeof Args>

/** Ansible's `stat` result from a probe. Pure. */
export function statResult(path: string, info: PathInfo, follow: boolean): Record<string, unknown> {
  if (!info.exists) return { exists: false }
  const n = follow && info.target ? info.target : info.self
  const m = n.mode
  const bit = (b: number): boolean => (m & b) !== 0
  const islnk = n.type === 'symbolic link'
  const out: Record<string, unknown> = {
    exists: true,
    path,
    mode: octal(m),
    isdir: n.type === 'directory',
    isreg: n.type === 'regular file' || n.type === 'regular empty file',
    islnk,
    isblk: n.type === 'block special file',
    ischr: n.type === 'character special file',
    isfifo: n.type === 'fifo',
    issock: n.type === 'socket',
    uid: n.uid,
    gid: n.gid,
    pw_name: n.owner,
    gr_name: n.group,
    size: n.size,
    mtime: n.mtime,
    atime: n.atime,
    ctime: n.ctime,
    inode: n.inode,
    dev: n.dev,
    nlink: n.nlink,
    ...(n.blocks === undefined ? {} : { blocks: n.blocks, block_size: n.blockSize, device_type: n.rdev }),
    isuid: bit(0o4000),
    isgid: bit(0o2000),
    rusr: bit(0o400),
    wusr: bit(0o200),
    xusr: bit(0o100),
    rgrp: bit(0o40),
    wgrp: bit(0o20),
    xgrp: bit(0o10),
    roth: bit(0o4),
    woth: bit(0o2),
    xoth: bit(0o1),
    readable: info.readable,
    writeable: info.writeable,
    executable: info.executable,
  }
  if (islnk) {
    out.lnk_source = info.realpath
    out.lnk_target = info.linkTarget
  }
  if (info.checksum && (out.isreg as boolean)) out.checksum = info.checksum
  return out
}

/**
 * `{ mimetype, charset }` from `file -b`'s `TYPE; charset=CHARSET` (or with a `PATH: ` before it; both `unknown`
 * when it said nothing). Pure.
 *
 * @example parseMime('text/plain; charset=us-ascii\n') // → { mimetype: 'text/plain', charset: 'us-ascii' }
 */
export function parseMime(out: string): { mimetype: string; charset: string } {
  const m = /(?:^|:\s*)([^;:\s]+);\s*charset=(\S+)\s*$/.exec(out.trim())
  return m ? { mimetype: m[1], charset: m[2] } : { mimetype: 'unknown', charset: 'unknown' }
}

export default defineModule({
  name: 'stat',
  summary: 'Details of a file or folder on the host',
  schema: Args,
  changedWhen: 'never',
  check: 'full',
  example: 'stat: { path: /etc/hydra }',
  async gather(args: Args, _ctx, io) {
    const path = args.path
    const follow = args.follow
    const checksum = args.get_checksum ? args.checksum_algorithm : undefined
    // one round trip: `file` for the MIME type runs in the probe, and only when the path exists
    const attributes = args.get_attributes
    const [r, flags] = await io.batch([
      pathProbe(path, { checksum, follow, mime: args.get_mime }),
      ...(attributes ? [lsattrVersion(path)] : []),
    ])
    const mime = args.get_mime ? parseMime(probedMime(r.stdout) ?? '') : undefined
    const attrs: Attributes | undefined = flags ? parseAttributes(flags.stdout) : undefined
    return { path, follow, info: await completeChecksum(io, path, parsePathProbe(r.stdout)), mime, attrs }
  },
  plan: (state) => {
    const stat = statResult(state.path, state.info, state.follow)
    if (stat.exists) Object.assign(stat, state.attrs, state.mime)
    return { commands: [], changed: false, data: { stat } }
  },
})
