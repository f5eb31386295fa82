/**
 * One read-only probe of a path on the host, shared by `stat`, `file`, `copy`, `template` and `lineinfile`:
 * its own metadata (lstat), the metadata of what a symlink points at, access for the login user, an
 * optional checksum and the link target — one command, parsed by a pure function.
 *
 * @example
 * ```ts
 * const [out] = await io.batch([pathProbe('/etc/motd', { checksum: 'sha1' })])
 * parsePathProbe(out.stdout).checksum // 'da39a3ee…'
 * ```
 */
import { createHash } from 'node:crypto'
import { inShellScript, joinedOutput, sh } from '../../engine/commands.js'
import type { HostIO } from '../../engine/module.js'
import { askStatHelper, LSTAT_FORMAT, STAT_HELPER_SETUP } from '../../engine/stathelper.js'
import type { Command } from '../../engine/types.js'
import { makedev, pythonTime } from './statdetail.js'

/** Checksum algorithms the probe can compute (Ansible's names). */
export const CHECKSUM_ALGORITHMS = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'] as const
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number]

/** Metadata of one inode. */
export interface InodeInfo {
  /** `regular file`, `directory`, `symbolic link`, `block special file`, … as `stat %F` prints it. */
  type: string
  /** Mode bits including setuid/setgid/sticky. */
  mode: number
  uid: number
  gid: number
  owner: string
  group: string
  size: number
  mtime: number
  atime: number
  ctime: number
  inode: number
  dev: number
  nlink: number
  /** 512-byte blocks allocated, the preferred I/O size and a device's number (`st_rdev`): stat's own fields. */
  blocks?: number
  blockSize?: number
  rdev?: number
}

/** What `pathProbe` found. */
export type PathInfo =
  | { exists: false }
  | {
      exists: true
      /** The path itself (lstat). */
      self: InodeInfo
      /** What a symlink points at (stat), when the path is a symlink that resolves. */
      target?: InodeInfo
      readable: boolean
      writeable: boolean
      executable: boolean
      checksum?: string
      /**
       * The checksum to compute on the host after all (`completeChecksum`): the probe sent a small file's content to
       * be hashed here, and it did not arrive byte for byte (NUL bytes, or bytes that are not UTF-8).
       */
      unhashed?: ChecksumAlgorithm
      /** Canonical path a symlink resolves to. */
      realpath?: string
      /** The symlink's text (`readlink`). */
      linkTarget?: string
    }

/** Options for `pathProbe`. */
export interface ProbeOptions {
  /** Compute the checksum of the (followed) file with this algorithm when it is a readable regular file. */
  checksum?: ChecksumAlgorithm
  /** Checksum a symlink's target too (stat's `follow`). Default true. */
  follow?: boolean
  /** Also tell whether this folder exists (usually the path's parent; read with `probedFolder`). */
  folder?: string
  /** Also ask `file` for the (followed) path's MIME type and charset (read with `probedMime`). */
  mime?: boolean
  /** Also print a readable regular file's content, when the path is not a symlink (read with `probedContent`). */
  content?: boolean
  /**
   * The path's ancestors, innermost first: when the path is missing, also print those missing up to the first that
   * exists (read with `probedMissing`).
   */
  ancestors?: readonly string[]
}

/** The metadata fields (`LSTAT_FORMAT` without the size it starts with): also of a symlink's target. */
const FORMAT = LSTAT_FORMAT.slice(LSTAT_FORMAT.indexOf('\\t') + 2)
/**
 * Files up to this many bytes are read by the shell itself (`read` and `printf` are built in: no program started)
 * and hashed on the controller. The shell's `read` takes one byte per system call: at 1 KiB it costs about a
 * fifth of starting `cat` or `sha1sum` (about 1.2 ms of CPU here), at 4 KiB about as much.
 */
export const READ_IN_SHELL_MAX = 2048
/** `stat`'s line for `$p`, its size first. */
const STAT_SIZED = `stat --printf '${LSTAT_FORMAT}' -- "$p"`
// The output is gathered in `o` and written at once (before a program that prints its own, and at the end): each
// write of the shell can become an SSH packet of its own, which sshd sends and the controller decrypts and parses.
const PROBE_LINES = [
  // `nl` is a newline (the quotes hold a line break)
  "p=$1; follow=$2; algo=$3; d=; h=; o=; nl='",
  "'",
  // the folder's answer rides on the first line (` d`: a folder, ` -`: not), saving a command of its own
  'if [ -n "$4" ]; then if [ -d "$4" ]; then d=\' d\'; else d=\' -\'; fi; fi',
  'if [ ! -e "$p" ] && [ ! -L "$p" ]; then',
  '  o="absent$d$nl"',
  '  if [ $# -gt 6 ]; then shift 6',
  '    for a; do if [ -e "$a" ] || [ -L "$a" ]; then break; fi; o="$o$a$nl"; done',
  '  fi',
  'else',
  'r=-; w=-; x=-; [ -r "$p" ] && r=r; [ -w "$p" ] && w=w; [ -x "$p" ] && x=x',
  'o="exists$d$nl$r$w$x$nl"',
  // one `stat` gives the line and (first field, cut off by the shell) the size that decides how to read the file
  // (the tab in `\${s%%\t*}` is a tab character in the script). The persistent shell's stat helper answers it with
  // no program started (engine/stathelper.ts); else, with the scratch file on fd 4 (`_tsp_e` is 1, see frametext.ts)
  // the line goes through that file: `$(…)` would cost a fork
  askStatHelper('p', 's'),
  'if [ -n "$s" ]; then :',
  'elif [ "${_tsp_e-}" = 1 ]; then',
  `  ${STAT_SIZED} >/proc/$$/fd/4; IFS= read -r s </proc/$$/fd/4`,
  `else s=$(${STAT_SIZED}); fi`,
  `z=\${s%%\t*}; o="$o\${s#*\t}$nl"`,
  'small=; if [ ! -L "$p" ] && [ -f "$p" ] && [ -r "$p" ] &&',
  `  [ "$z" -le ${READ_IN_SHELL_MAX} ] 2>/dev/null; then small=1; fi`,
  'if [ -L "$p" ]; then printf %s "$o"; o=',
  `  if [ -e "$p" ]; then stat -L --printf '${FORMAT}' -- "$p"; else echo -; fi`,
  '  readlink -f -- "$p" || echo -',
  'else o="$o-$nl-$nl"; fi',
  // the checksum program reads the file on its stdin (prints `HASH  -`): no subshell to capture its output; a small
  // file's content is sent instead (`=ALGO`, the content at the end) and hashed on the controller
  'c=; case $algo in md5|sha1|sha224|sha256|sha384|sha512) c=${algo}sum ;; esac',
  'if [ -n "$c" ] && [ -f "$p" ] && [ -r "$p" ] && { [ -n "$follow" ] || [ ! -L "$p" ]; }; then',
  '  if [ -n "$small" ]; then h=1; o="$o=$algo$nl"; else printf %s "$o"; o=; "$c" < "$p" || echo -; fi',
  'else o="$o-$nl"; fi',
  // libmagic answers a folder, an empty regular file, a fifo, a socket or a device from its type alone, without
  // reading it: in a persistent shell with its scratch file, the host's own answer for the first path of each kind
  // is kept in the shell (`_tsp_m` and the kind's letter, not removed after the probe) and given for the next ones
  'if [ -n "$5" ] && command -v file >/dev/null 2>&1; then',
  '  k=; if [ "${_tsp_e-}" = 1 ] && [ ! -L "$p" ]; then',
  '    if [ -d "$p" ]; then k=d; elif [ -f "$p" ]; then if [ "$z" = 0 ]; then k=e; fi',
  '    elif [ -p "$p" ]; then k=p; elif [ -S "$p" ]; then k=s; elif [ -c "$p" ]; then k=c',
  '    elif [ -b "$p" ]; then k=b; fi',
  '  fi; m=; if [ -n "$k" ]; then eval "m=\\${_tsp_m$k-}"; fi',
  '  if [ -n "$m" ]; then o="$o$m$nl"',
  '  elif [ -n "$k" ]; then',
  '    if file -b -h --mime-type --mime-encoding -- "$p" >/proc/$$/fd/4; then',
  '      IFS= read -r m </proc/$$/fd/4; if [ -n "$m" ]; then eval "_tsp_m$k=\\$m"; fi; o="$o$m$nl"',
  '    else o="$o-$nl"; fi',
  '  else printf %s "$o"; o=',
  '    if [ -n "$follow" ]; then f=-L; else f=-h; fi',
  '    file -b "$f" --mime-type --mime-encoding -- "$p" || echo -',
  '  fi',
  'else o="$o-$nl"; fi',
  'if [ -L "$p" ]; then printf %s "$o"; o=; readlink -- "$p"',
  // the content last (everything after the `+` line), so it needs no length or delimiter; a small file's lines are
  // gathered by the shell (a last line without a newline as it is)
  'elif [ -n "$6" ] || [ -n "$h" ]; then if [ -f "$p" ] && [ -r "$p" ]; then o="$o+$nl"',
  '  if [ -n "$small" ]; then',
  '    while IFS= read -r l; do o="$o$l$nl"; done < "$p"; o="$o$l"',
  '  else printf %s "$o"; o=; cat -- "$p"; fi',
  'else o="$o-$nl"; fi; fi',
  'fi',
  // the rest of the answer rides on the frame's end marker when the frame allows it (one write, one SSH packet)
  joinedOutput('o'),
]
/** Every variable the probe sets (removed after it: it runs in the persistent shell itself, see `inShellScript`). */
const PROBE_VARS = [
  'p',
  'follow',
  'algo',
  'd',
  'h',
  'o',
  'nl',
  'a',
  'r',
  'w',
  'x',
  's',
  'z',
  'small',
  'c',
  'f',
  'k',
  'm',
  'l',
]
const PROBE = inShellScript(PROBE_LINES.join('\n'), PROBE_VARS, STAT_HELPER_SETUP)

/** The probe command for `path` (read-only; batch it with the module's other reads). */
export function pathProbe(path: string, opts: ProbeOptions = {}): Command {
  const args = [path, opts.follow === false ? '' : '1', opts.checksum ?? '', opts.folder ?? '', opts.mime ? '1' : '']
  args.push(opts.content ? '1' : '')
  if (opts.ancestors?.length) args.push(...opts.ancestors)
  else while (args.length > 3 && args[args.length - 1] === '') args.pop()
  return sh(PROBE, args, { describe: `stat ${path}` })
}

/** The missing ancestors `pathProbe` found (innermost first), when it was given them and the path is missing. */
export function probedMissing(stdout: string): string[] {
  const lines = stdout.split('\n')
  return lines[0].startsWith('absent') ? lines.slice(1).filter(Boolean) : []
}

/**
 * The file's content when `content` was asked of `pathProbe` and the probe could read it (a readable regular file,
 * not a symlink: read those on their own); undefined otherwise.
 */
export function probedContent(stdout: string): string | undefined {
  const lines = stdout.split('\n')
  if (!lines[0].startsWith('exists') || lines[2]?.startsWith('symbolic link\t') || lines[7] !== '+') return undefined
  return lines.slice(8).join('\n')
}

/**
 * Whether `text`, read from a file of `size` bytes, is every byte of it: as many bytes, none replaced on the way.
 * A file the shell read itself (up to `READ_IN_SHELL_MAX` bytes) loses NUL bytes; read it with `cat` when not.
 *
 * @example arrivedWhole('a\n', 2) // → true
 */
export function arrivedWhole(text: string, size: number): boolean {
  return Buffer.byteLength(text) === size && !text.includes('\uFFFD')
}

/** The probe's info with the checksum the host computes, when the probe left it `unhashed`. One round trip. */
export async function completeChecksum(io: HostIO, path: string, info: PathInfo): Promise<PathInfo> {
  if (!info.exists || !info.unhashed) return info
  const program = `${info.unhashed}sum`
  const [r] = await io.batch([sh('"$1" < "$2"', [program, path], { describe: `${program} ${path}` })])
  const sum = r.rc === 0 ? r.stdout.split(' ')[0] : ''
  return { ...info, checksum: sum || undefined, unhashed: undefined }
}

/** The checksum line's answer: the host's `HASH  -`, or `=ALGO`: the content after `+` hashed here when whole. */
function checksumOf(lines: string[], self: InodeInfo): { checksum?: string; unhashed?: ChecksumAlgorithm } | undefined {
  const line = lines[5]
  if (!line.startsWith('=')) {
    const sum = line.split(' ')[0]
    return { checksum: sum === '-' || sum === '' ? undefined : sum }
  }
  const algo = line.slice(1) as ChecksumAlgorithm
  if (!CHECKSUM_ALGORITHMS.includes(algo)) return undefined
  const text = lines[7] === '+' ? lines.slice(8).join('\n') : undefined
  if (text === undefined || !arrivedWhole(text, self.size)) return { unhashed: algo }
  return { checksum: createHash(algo).update(text).digest('hex') }
}

/** `file -b`'s answer (`text/plain; charset=us-ascii`) when `mime` was asked of `pathProbe` and the path exists. */
export function probedMime(stdout: string): string | undefined {
  const lines = stdout.split('\n')
  return lines[0].startsWith('exists') && lines[6] !== undefined && lines[6] !== '-' ? lines[6] : undefined
}

/** Whether the `folder` asked of `pathProbe` is a folder (undefined when none was asked). */
export function probedFolder(stdout: string): boolean | undefined {
  const word = stdout.slice(0, stdout.indexOf('\n')).split(' ')[1]
  return word === undefined ? undefined : word === 'd'
}

function parseInode(line: string): InodeInfo | undefined {
  const f = line.split('\t')
  if (f.length < 13) return undefined
  const n = (i: number): number => Number(f[i])
  return {
    type: f[0],
    mode: parseInt(f[1], 8),
    uid: n(2),
    gid: n(3),
    owner: f[4],
    group: f[5],
    size: n(6),
    mtime: pythonTime(f[7]),
    atime: pythonTime(f[8]),
    ctime: pythonTime(f[9]),
    inode: n(10),
    dev: n(11),
    nlink: n(12),
    ...(f.length >= 17
      ? { blocks: n(13), blockSize: n(14), rdev: makedev(parseInt(f[15], 16), parseInt(f[16], 16)) }
      : {}),
  }
}

/**
 * Parse the output of `pathProbe`: `exists`, access (`rwx`), the path's own stat line, the followed stat line or
 * `-`, the resolved path or `-`, the checksum (`HASH  -`, or `=ALGO`: hash the content here) or `-`, the MIME type
 * or `-`, then a link's text (or, when asked or to hash, `+` and the file's content, or `-`). Throws when the output
 * is not a probe's. A checksum left `unhashed` is computed on the host by `completeChecksum`.
 */
export function parsePathProbe(stdout: string): PathInfo {
  const lines = stdout.split('\n')
  const head = lines[0].split(' ')[0]
  if (head === 'absent') return { exists: false }
  const self = head === 'exists' ? parseInode(lines[2] ?? '') : undefined
  if (!self || lines.length < 7) throw new Error(`unexpected output from the file probe: ${stdout.slice(0, 200)}`)
  const access = lines[1]
  const realpath = lines[4] === '-' ? undefined : lines[4]
  const sum = checksumOf(lines, self)
  if (!sum) throw new Error(`unexpected output from the file probe: ${stdout.slice(0, 200)}`)
  return {
    exists: true,
    self,
    target: lines[3] === '-' ? undefined : parseInode(lines[3]),
    readable: access[0] === 'r',
    writeable: access[1] === 'w',
    executable: access[2] === 'x',
    checksum: sum.checksum,
    ...(sum.unhashed ? { unhashed: sum.unhashed } : {}),
    realpath,
    linkTarget: self.type === 'symbolic link' ? lines.slice(7).join('\n').replace(/\n$/, '') : undefined,
  }
}

/** The inode a path stands for: the link's target when following and it resolves, else the path itself. */
export function effective(info: PathInfo, follow = true): InodeInfo | undefined {
  if (!info.exists) return undefined
  return follow && info.target ? info.target : info.self
}

/** `stat %F` types by kind. */
export function isType(node: InodeInfo | undefined, kind: 'file' | 'directory' | 'link'): boolean {
  if (!node) return false
  if (kind === 'file') return node.type === 'regular file' || node.type === 'regular empty file'
  if (kind === 'directory') return node.type === 'directory'
  return node.type === 'symbolic link'
}
