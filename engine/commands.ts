/**
 * Builders for the commands modules use most. Scripts here are constant text; user values are passed
 * only as positional arguments ("$1", "$2"), so nothing a user writes is ever parsed as shell.
 *
 * @example
 * ```ts
 * writeFile('/etc/motd', 'hello\n', { mode: '0644' }) // atomic: temp file in the same folder, then rename
 * ```
 */
import { extend } from './shape.js'
import type { Command } from './types.js'

/** A constant POSIX sh script with positional arguments: `sh -c SCRIPT sh ARG...`. */
export function sh(script: string, args: readonly string[] = [], extra: Partial<Command> = {}): Command {
  return extend(extra, { argv: ['sh', '-c', script, 'sh', ...args] })
}

/** Scripts written to run in the persistent shell itself (see `inShellScript`) → the variables they set. */
const IN_SHELL = new Map<string, readonly string[]>()
/** Such scripts → the shell text a persistent shell runs once before their first use (see `inShellScript`). */
const SETUP = new Map<string, string>()

/**
 * Mark an engine script (the text of `['sh', '-c', SCRIPT, 'sh', …args]`) as safe to run in a persistent shell
 * itself, with no subshell: one fork less on the host each time it runs. Such a script never uses `exit`, `exec`,
 * `return`, `local` or `$0`, and changes no shell option, trap, IFS, folder or file descriptor; `vars` names every
 * variable it sets, and its function removes them after it, so no later command sees them. Returns the script.
 * A command with a folder, an environment or a timeout runs it as any other script; so do exec channels, the local
 * connection and detached jobs. A syntax error in such a script would end the persistent shell (a subshell no
 * longer holds it): each one is run in a real `sh` by test/ssh/inshell.test.ts. `setup` is engine text that a
 * persistent shell runs once, with the script's definition, outside any frame (the stat helper, stathelper.ts).
 *
 * @example
 * ```ts
 * const SCRIPT = inShellScript('p=$1; if [ -e "$p" ]; then printf y; fi', ['p'])
 * ```
 */
export function inShellScript(script: string, vars: readonly string[], setup?: string): string {
  if (/\b(?:exit|exec|return|local)\b|\$\{?0/.test(script))
    throw new Error('an in-shell script cannot use exit, exec, return, local or $0')
  if (!vars.every((v) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(v))) throw new Error('in-shell script variables must be names')
  IN_SHELL.set(script, vars)
  if (setup !== undefined) SETUP.set(script, setup)
  return script
}

/**
 * Set (to 1) by a frame while its in-shell script runs in the persistent shell itself: the script may then leave
 * its last output in `_tsp_o` instead of printing it, and the frame prints it with stdout's end marker in one
 * write. Each write of the shell can become an SSH packet of its own, which sshd encrypts and sends and the
 * controller decrypts and parses: the file probe's answer and its marker were two packets, now one.
 */
export const JOIN_FLAG = '_tsp_j'

/**
 * The shell text that ends an in-shell script by handing over `$var` as its output: kept for the frame's marker
 * when the frame joins them (`JOIN_FLAG`), printed otherwise (in a subshell, or as `sh -c` elsewhere).
 *
 * @example
 * ```ts
 * joinedOutput('o') // → 'if [ -n "${_tsp_j-}" ]; then _tsp_o=$o; else printf %s "$o"; fi'
 * ```
 */
export const joinedOutput = (v: string): string =>
  `if [ -n "\${${JOIN_FLAG}-}" ]; then _tsp_o=$${v}; else printf %s "$${v}"; fi`

/** The variables an `inShellScript` sets, or undefined for any other script. */
export const inShellVars = (script: string): readonly string[] | undefined => IN_SHELL.get(script)

/** The set-up text of an `inShellScript`, if it has one. */
export const inShellSetup = (script: string): string | undefined => SETUP.get(script)

/** Options for `writeFile`. */
export interface WriteFileOptions {
  mode?: string
  owner?: string
  group?: string
  /** Keep the old file as `DEST.<timestamp>~` before replacing it. */
  backup?: boolean
  describe?: string
  secret?: boolean
  /**
   * Ansible's `validate`: a command run on the new content before it replaces the old file; `validateTemp` is
   * the temp file's path (in DEST's folder) that the command's argv names.
   */
  validate?: readonly string[]
  validateTemp?: string
}

/** The line `writeFile` sends after the content: read back, it proves every byte of the content arrived. */
export const WRITE_END = 'tsplay-write-end'

/**
 * An atomic replace of `$dest`: `fill` (sh lines) fills the temp file `$tmp`; `$6` is named `source`. The temp
 * file is made 0600 beside `$dest`, then given its mode and owner, validated, and renamed over `$dest`; on any
 * failure it is removed and `$dest` is left as it was.
 */
function replaceScript(source: string, fill: readonly string[]): string {
  return [
    'set -e',
    `dest=$1; mode=$2; owner=$3; group=$4; backup=$5; ${source}=$6; tmp=$7; text=$8; shift 8`,
    'case $dest in */*) dir=${dest%/*}; dir=${dir:-/} ;; *) dir=. ;; esac',
    // the temp file is created 0600 and exclusively (noclobber), under a name nobody can guess: the kernel's random
    // UUID read by the shell itself (no process), or mktemp where there is no /proc
    'umask 077',
    'if [ -z "$tmp" ]; then',
    '  if IFS= read -r u 2>/dev/null </proc/sys/kernel/random/uuid && [ -n "$u" ]; then tmp=$dir/.tsplay-tmp.$u;',
    '  else tmp=$(mktemp "$dir/.tsplay-tmp.XXXXXXXX"); created=1; fi',
    'fi',
    'if [ -z "${created:-}" ]; then set -C; : > "$tmp"; set +C; fi',
    'trap \'rm -f -- "$tmp"\' EXIT HUP INT TERM',
    ...fill,
    'if [ -n "$mode" ]; then chmod -- "$mode" "$tmp"; elif [ -e "$dest" ]; then chmod --reference="$dest" -- ' +
      '"$tmp"; else chmod 0644 -- "$tmp"; fi',
    // owner/group as asked; otherwise keep the old file's, as far as this user may (root keeps both)
    'if [ -n "$owner" ] || [ -n "$group" ]; then chown -- "$owner${group:+:$group}" "$tmp";',
    'elif [ -e "$dest" ]; then chown --reference="$dest" -- "$tmp" 2>/dev/null || chgrp --reference="$dest" ' +
      '-- "$tmp" 2>/dev/null || :; fi',
    'if [ $# -gt 0 ] && ! out=$("$@" 2>&1); then printf "failed to validate: %s\\n" "$out" >&2; exit 3; fi',
    // a backup named as Ansible names it (DEST.PID.DATE@TIME~), never over an earlier one of the same second
    'if [ -n "$backup" ] && [ -e "$dest" ]; then s=$(date +%Y-%m-%d@%H:%M:%S); n=$$',
    '  while [ -e "$dest.$n.$s~" ]; do n=$((n + 1)); done',
    '  cp -p -- "$dest" "$dest.$n.$s~"; printf "backup_file=%s\\n" "$dest.$n.$s~"; fi',
    'mv -f -- "$tmp" "$dest"',
    'trap - EXIT HUP INT TERM',
  ].join('\n')
}

const WRITE_SCRIPT = replaceScript('size', [
  // all of the content or nothing: a cut-short upload never replaces the file. head copies exactly $size bytes;
  // the end line after them proves they all came (without it, e.g. stdin of bare content: count the bytes)
  'if [ -z "$text" ]; then',
  '  if [ "$size" -gt 0 ]; then head -c "$size" > "$tmp"; fi',
  '  IFS= read -r end || :',
  // `text`: small ASCII content (see IN_SHELL_MAX), copied by the shell itself (no program): whole lines while they
  // are within $size bytes (${#l} counts bytes: ASCII), then the rest of the content, which the end text follows
  'else',
  '  n=0; end=',
  '  while IFS= read -r l || [ -n "$l" ]; do',
  '    if [ $((n + ${#l})) -lt "$size" ]; then printf \'%s\\n\' "$l"; n=$((n + ${#l} + 1)); continue; fi',
  // bare content (no end line): its last line, without a newline
  '    if [ $((n + ${#l})) -eq "$size" ]; then printf %s "$l"; break; fi',
  `    r=\${l%${WRITE_END}}`,
  `    if [ "$r" != "$l" ] && [ $((n + \${#r})) -eq "$size" ]; then printf %s "$r"; end=${WRITE_END}; fi`,
  '    break',
  '  done > "$tmp"',
  'fi',
  `if [ "$end" != ${WRITE_END} ]; then got=$(wc -c < "$tmp"); if [ "$got" -ne "$size" ]; then`,
  '  echo "short write: $got of $size bytes arrived; $dest left as it was" >&2; exit 4',
  'fi; fi',
])

// the source's times too (Ansible's copystat); mode and owner as any write (the replaced file's, as Ansible's
// atomic move)
const COPY_SCRIPT = replaceScript('src', ['cp -- "$src" "$tmp"', 'touch -r "$src" -- "$tmp"'])

/** `sh -c SCRIPT` with `replaceScript`'s arguments (`text`: `writeFile`'s content is copied by the shell). */
function replaceCommand(script: string, dest: string, source: string, opts: WriteFileOptions, text = false): string[] {
  return [
    'sh',
    '-c',
    script,
    'sh',
    dest,
    opts.mode ?? '',
    opts.owner ?? '',
    opts.group ?? '',
    opts.backup ? '1' : '',
    source,
    opts.validate ? (opts.validateTemp ?? '') : '',
    text ? '1' : '',
    ...(opts.validate ?? []),
  ]
}

/**
 * Write `content` to `dest` atomically: a 0600 temp file in the same folder, checked to hold every byte, mode and
 * owner set, optionally validated, then renamed over `dest`. A failure (disk full, a cut connection, a failed
 * validation) leaves the old file intact and no temp file behind. Its stdin is the content, then the line
 * `WRITE_END`. On the host: `head` (none for small ASCII content), `chmod` and `mv` (plus `chown`, validate and backup
 * when asked for).
 */
export function writeFile(dest: string, content: string | Uint8Array, opts: WriteFileOptions = {}): Command {
  const size = typeof content === 'string' ? Buffer.byteLength(content) : content.byteLength
  return {
    argv: replaceCommand(WRITE_SCRIPT, dest, String(size), opts, size <= IN_SHELL_MAX && isAscii(content)),
    stdin: withEnd(content),
    secretStdin: opts.secret,
    describe: opts.describe ?? `write ${dest}`,
    ...(opts.backup ? { reportsBackup: true } : {}),
  }
}

/**
 * Copy the host file `src` to `dest` atomically, as `writeFile` writes (the same temp file, mode, owner,
 * validate, backup and rename), with `src`'s times.
 *
 * @example
 * ```ts
 * copyFile('/opt/app.conf', '/etc/app.conf', { mode: '0640' })
 * ```
 */
export function copyFile(src: string, dest: string, opts: Omit<WriteFileOptions, 'secret'> = {}): Command {
  return {
    argv: replaceCommand(COPY_SCRIPT, dest, src, opts),
    describe: opts.describe ?? `copy ${src} to ${dest}`,
    ...(opts.backup ? { reportsBackup: true } : {}),
  }
}

/**
 * Content of up to this many bytes, all ASCII without NUL, is copied into the temp file by the shell's own `read`
 * and `printf` instead of `head`: one program less per write. The shell reads one byte per system call, so this
 * pays only for small files (as the file probe's `READ_IN_SHELL_MAX`).
 */
const IN_SHELL_MAX = 2048

/** Every byte is ASCII and not NUL (so the shell reads it as it is, and counts its bytes as characters). */
function isAscii(content: string | Uint8Array): boolean {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content
  return bytes.every((b) => b > 0 && b < 0x80)
}

/** `content` followed by the `WRITE_END` line. */
function withEnd(content: string | Uint8Array): string | Uint8Array {
  if (typeof content === 'string') return `${content}${WRITE_END}\n`
  const end = Buffer.from(`${WRITE_END}\n`)
  const out = new Uint8Array(content.byteLength + end.length)
  out.set(content)
  out.set(end, content.byteLength)
  return out
}
