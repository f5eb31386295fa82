/**
 * What `unarchive` runs on the host, as data: the archive kind (from its first bytes), the argv of GNU tar's and
 * unzip's list, compare and extract steps as Ansible's handlers build them, and one runner script that feeds them
 * the archive: a path on the host, or the controller's bytes on stdin kept in a scratch temp file (removed by the
 * script). A step names the archive with the word `@ARCHIVE@`; the runner evaluates only constant text (`"${N}"`,
 * `"$a"`), so no value is ever parsed as shell.
 *
 * @example
 * ```ts
 * const steps = [listStep('TgzArchive', opts), diffStep('TgzArchive', opts)]
 * runSteps(steps, { remote: '/srv/a.tgz' })        // one command; parseSteps(stdout) → [{ out, rc }, …]
 * ```
 */
import { sh } from '../../engine/commands.js'
import type { Command } from '../../engine/types.js'

/** Ansible's handler names for what tsplay unpacks (bzip2, xz and zstd tars are `TarArchive`, as in Ansible). */
export type Handler = 'ZipArchive' | 'TgzArchive' | 'TarArchive'

/** GNU tar's decompression flag per handler ('' for a plain tar, which GNU tar reads any compression of). */
export const TAR_FLAG: Record<Exclude<Handler, 'ZipArchive'>, string> = { TgzArchive: '-z', TarArchive: '' }

/** The handler for an archive's first bytes (at least 512 for a plain tar), or undefined. Pure. */
export function handlerOf(head: Uint8Array): Handler | undefined {
  const starts = (...b: number[]) => b.every((x, i) => head[i] === x)
  if (starts(0x50, 0x4b, 0x03, 0x04) || starts(0x50, 0x4b, 0x05, 0x06)) return 'ZipArchive'
  if (starts(0x1f, 0x8b)) return 'TgzArchive'
  // Ansible tries `tar -z` before a plain `tar`, which reads bzip2, xz and zstd by itself: those are TarArchive too
  if (starts(0x42, 0x5a, 0x68) || starts(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00) || starts(0x28, 0xb5, 0x2f, 0xfd))
    return 'TarArchive'
  if (new TextDecoder('latin1').decode(head.slice(257, 262)) === 'ustar') return 'TarArchive'
  return undefined
}

/** What the steps take from the task. */
export interface ArchiveOpts {
  dest: string
  extraOpts: readonly string[]
  exclude: readonly string[]
  include: readonly string[]
  owner?: string
  group?: string
  keepNewer: boolean
}

/** The archive's place in a step's argv. */
export const ARCHIVE = '@ARCHIVE@'

function tarStep(action: string, flag: string, o: ArchiveOpts, withAttrs: boolean): string[] {
  const argv = ['tar', action, '-C', o.dest]
  if (flag) argv.push(flag)
  if (o.extraOpts.length) argv.push('--show-transformed-names', ...o.extraOpts)
  if (withAttrs && o.owner) argv.push(`--owner=${o.owner}`)
  if (withAttrs && o.group) argv.push(`--group=${o.group}`)
  if (withAttrs && o.keepNewer) argv.push('--keep-newer-files')
  for (const x of o.exclude) argv.push(`--exclude=${x.replace(/\/+$/, '')}`)
  return [...argv, '-f', ARCHIVE, ...o.include]
}

const zipFilter = (o: ArchiveOpts) => [...(o.exclude.length ? ['-x', ...o.exclude] : []), ...o.include]

/** List the archive's members (tar `--list`; `unzip -Z1`). */
export function listStep(h: Handler, o: ArchiveOpts): string[] {
  if (h === 'ZipArchive') return ['unzip', '-Z1', ARCHIVE, ...zipFilter(o)]
  return tarStep('--list', TAR_FLAG[h], o, false)
}

/** Compare with the destination: tar `--diff`; for zip the members with sizes and times (`unzip -Z -T -s`). */
export function diffStep(h: Handler, o: ArchiveOpts): string[] {
  if (h === 'ZipArchive') return ['unzip', '-Z', '-T', '-s', ARCHIVE, ...zipFilter(o)]
  return tarStep('--diff', TAR_FLAG[h], o, true)
}

/** Extract into the destination. */
export function extractStep(h: Handler, o: ArchiveOpts): string[] {
  if (h === 'ZipArchive') {
    const x = o.exclude.length ? ['-x', ...o.exclude] : []
    return ['unzip', '-o', ...o.extraOpts, ARCHIVE, ...x, ...o.include, '-d', o.dest]
  }
  return tarStep('--extract', TAR_FLAG[h], o, true)
}

/** Where the archive is: a path on the host, or bytes from the controller. */
export type ArchiveSource = { remote: string } | { bytes: Uint8Array }

const RUNNER = [
  't=$(mktemp)',
  'export LC_ALL=C LANG=C LANGUAGE=C',
  'if [ -n "$1" ]; then a=$1; else cat > "$t"; a=$t; fi',
  'shift',
  'while [ $# -gt 0 ]; do',
  '  n=$1; shift; c=; i=1',
  '  while [ "$i" -le "$n" ]; do eval "w=\\${$i}"',
  '    if [ "$w" = @ARCHIVE@ ]; then c="$c \\"\\$a\\""; else c="$c \\"\\${$i}\\""; fi; i=$((i + 1)); done',
  '  echo "--tsplay-step"; eval "$c" 2>&1; r=$?; echo; echo "--tsplay-rc $r"',
  '  shift "$n"',
  'done',
  'rm -f -- "$t"',
].join('\n')

/** One command running the steps in order (every step runs; each one's output and exit code are reported). */
export function runSteps(steps: readonly (readonly string[])[], src: ArchiveSource, describe?: string): Command {
  const args = steps.flatMap((s) => [String(s.length), ...s])
  const remote = 'remote' in src ? src.remote : ''
  return {
    ...sh(RUNNER, [remote, ...args]),
    ...('bytes' in src ? { stdin: src.bytes } : {}),
    ...(describe ? { describe } : {}),
  }
}

/** Each step's output (stdout and stderr together) and exit code. Pure. */
export function parseSteps(stdout: string): { out: string; rc: number }[] {
  const parts = stdout.split('--tsplay-step\n').slice(1)
  return parts.map((p) => {
    const m = /\n--tsplay-rc (\d+)\n?$/.exec(p)
    return { out: m ? p.slice(0, m.index) : p, rc: m ? Number(m[1]) : 1 }
  })
}

/** GNU tar's escapes in names (`\ooo`, `\\`, `\n`…) decoded, as Ansible's `escape_decode`. */
export function tarName(s: string): string {
  const bytes: number[] = []
  const enc = new TextEncoder()
  for (let i = 0; i < s.length; i++) {
    const m = /^\\([0-7]{3})/.exec(s.slice(i))
    if (m) {
      bytes.push(parseInt(m[1], 8))
      i += 3
    } else if (s[i] === '\\' && i + 1 < s.length) {
      const e: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', a: '\x07', b: '\b', f: '\f', v: '\v' }
      bytes.push(...enc.encode(e[s[i + 1]] ?? s[i + 1]))
      i++
    } else bytes.push(...enc.encode(s[i]))
  }
  return new TextDecoder().decode(new Uint8Array(bytes))
}
