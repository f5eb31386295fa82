/**
 * Builders for the commands modules use most. Scripts here are constant text; user values are passed
 * only as positional arguments ("$1", "$2"), so nothing a user writes is ever parsed as shell.
 *
 * @example
 * ```ts
 * writeFile('/etc/motd', 'hello\n', { mode: '0644' }) // atomic: temp file in the same folder, then rename
 * ```
 */
import type { Command } from './types.js'

/** A constant POSIX sh script with positional arguments: `sh -c SCRIPT sh ARG...`. */
export function sh(script: string, args: readonly string[] = [], extra: Partial<Command> = {}): Command {
  return { ...extra, argv: ['sh', '-c', script, 'sh', ...args] }
}

/** Options for `writeFile`. */
export interface WriteFileOptions {
  mode?: string
  owner?: string
  group?: string
  /** Keep the old file as `DEST.<timestamp>~` before replacing it. */
  backup?: boolean
  describe?: string
  secret?: boolean
}

const WRITE_SCRIPT = [
  'set -e',
  'dest=$1; mode=$2; owner=$3; group=$4; backup=$5',
  'dir=$(dirname -- "$dest")',
  'tmp=$(mktemp "$dir/.tsplay-tmp.XXXXXXXX")',
  "trap 'rm -f -- \"$tmp\"' EXIT HUP INT TERM",
  'cat > "$tmp"',
  'if [ -n "$mode" ]; then chmod -- "$mode" "$tmp"; elif [ -e "$dest" ]; then chmod --reference="$dest" -- "$tmp"; else chmod 0644 -- "$tmp"; fi',
  'if [ -z "$owner" ] && [ -e "$dest" ]; then owner=$(stat -c %U -- "$dest"); fi',
  'if [ -z "$group" ] && [ -e "$dest" ]; then group=$(stat -c %G -- "$dest"); fi',
  'if [ -n "$owner" ] || [ -n "$group" ]; then chown -- "$owner${group:+:$group}" "$tmp"; fi',
  'if [ -n "$backup" ] && [ -e "$dest" ]; then cp -p -- "$dest" "$dest.$(date +%Y%m%d%H%M%S)~"; fi',
  'mv -f -- "$tmp" "$dest"',
  'trap - EXIT HUP INT TERM',
].join('\n')

/**
 * Write `content` to `dest` atomically: a temp file in the same folder (mode 0600 while written),
 * mode/owner set, then renamed over `dest`. A failure (disk full) leaves the old file intact.
 */
export function writeFile(dest: string, content: string | Uint8Array, opts: WriteFileOptions = {}): Command {
  return {
    argv: ['sh', '-c', WRITE_SCRIPT, 'sh', dest, opts.mode ?? '', opts.owner ?? '', opts.group ?? '', opts.backup ? '1' : ''],
    stdin: content,
    secretStdin: opts.secret,
    describe: opts.describe ?? `write ${dest}`,
  }
}
