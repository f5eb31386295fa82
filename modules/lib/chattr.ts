/**
 * File attributes (`attributes`/`attr`: chattr flags) as Ansible sets them: `lsattr -d` reads the path's flags
 * (dashes dropped; none when it cannot be read, as on tmpfs); a leading `+` or `-` adds or removes flags, anything
 * else sets them (`=`). `chattr` runs when the flags read differ from those asked — compared as written, so `+i` on a
 * path with `ei` runs it again each time, as in Ansible — or always for `-`. Pure, apart from the commands.
 *
 * @example
 * ```ts
 * planChattr('/srv/x', 'e', '+i') // { commands: [chattr +i /srv/x], changes: ['attributes e → +i'] }
 * planChattr('/srv/x', 'i', 'i')  // { commands: [], changes: [] }
 * ```
 */
import { Type } from '@sinclair/typebox'
import { sh } from '../../engine/commands.js'
import type { Command } from '../../engine/types.js'

/** The `attributes` argument (alias `attr`) of the file modules. */
export const attributesArg = {
  attributes: Type.Optional(
    Type.String({
      aliases: ['attr'],
      description:
        "chattr flags, as `lsattr` shows them: 'i' sets exactly these, '+i' adds, '-i' removes (Ansible's " +
        'comparison: changed unless the flags read equal those written, always for `-`).',
    }),
  ),
}

/**
 * Read-only: the path's flags as `lsattr -d` prints them (nothing when lsattr is missing or cannot read them);
 * with `follow`, a symlink's target's (as the modules that write a file read them).
 */
export function lsattrProbe(path: string, follow = false): Command {
  const resolve = follow ? '[ -L "$p" ] && p=$(readlink -f -- "$p"); ' : ''
  return sh(`p=$1; ${resolve}lsattr -d -- "$p" 2>/dev/null; exit 0`, [path], { describe: `lsattr ${path}` })
}

/** The flags in `lsattr -d`'s answer, dashes dropped (`--------------e------- /x` → `e`); '' when none. */
export function parseLsattr(stdout: string): string {
  return (stdout.trim().split(/\s+/)[0] ?? '').replaceAll('-', '')
}

// a path chattr could read as an option gets `./` (chattr takes no `--`)
const safe = (path: string) => (path.startsWith('-') ? `./${path}` : path)

/** Ansible's split of `attributes`: the operator (`+`, `-`, else `=`) and the flags. */
function split(wanted: string): [string, string] {
  return wanted.startsWith('+') || wanted.startsWith('-') ? [wanted[0], wanted.slice(1)] : ['=', wanted]
}

/** The operator and flags as two script arguments (`aop`, `afl` in `CHATTR_DEST`); both empty when not asked. */
export function attributeWords(wanted: string | undefined): [string, string] {
  return wanted === undefined ? ['', ''] : split(wanted)
}

/**
 * Shell lines for a script that wrote `$dest`: when `$aop` is set, chattr `$aop$afl` on it if the flags read differ
 * (always for `-`), then `$report` (a command such as `echo attrs=1`). A failing chattr ends the script with 4.
 */
export const CHATTR_DEST = [
  'if [ -n "$aop" ]; then f=$(lsattr -d -- "$dest" 2>/dev/null); f=${f%% *}; f=$(printf %s "$f" | tr -d -)',
  '  if [ "$f" != "$afl" ] || [ "$aop" = - ]; then case $dest in -*) p=./$dest ;; *) p=$dest ;; esac',
  '    chattr "$aop$afl" "$p" || exit 4; $report; fi; fi',
].join('\n')

/**
 * For paths this task has just written: each (links left out) whose flags differ from those asked (or every one,
 * for `-`) gets chattr, in one command.
 */
export function chattrEach(paths: readonly string[], wanted: string): Command {
  const [op, flags] = split(wanted)
  const script =
    'op=$1; fl=$2; shift 2; for p; do [ -L "$p" ] && continue\n' +
    '  f=$(lsattr -d -- "$p" 2>/dev/null); f=${f%% *}; f=$(printf %s "$f" | tr -d -)\n' +
    '  if [ "$f" != "$fl" ] || [ "$op" = - ]; then chattr "$op$fl" "$p" || exit 4; fi\n' +
    'done'
  return sh(script, [op, flags, ...paths.map(safe)], { describe: `chattr ${op}${flags} under the unpacked files` })
}

/** Read-only: the flags of each path (links left out), `lsattr -d` lines. */
export function lsattrEachProbe(paths: readonly string[]): Command {
  return sh('for p; do [ -L "$p" ] || lsattr -d -- "$p" 2>/dev/null; done; exit 0', [...paths], {
    describe: 'lsattr of the unpacked files',
  })
}

/** `lsattr -d` lines as path → flags (dashes dropped). */
export function parseLsattrLines(stdout: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const line of stdout.split('\n')) {
    const sp = line.indexOf(' ')
    if (sp > 0) out.set(line.slice(sp + 1), line.slice(0, sp).replaceAll('-', ''))
  }
  return out
}

/** The paths (of those read) whose flags differ from those asked, or all of them for `-`. Pure. */
export function pathsToChattr(seen: ReadonlyMap<string, string>, wanted: string): string[] {
  const [op, flags] = split(wanted)
  return [...seen].filter(([, f]) => f !== flags || op === '-').map(([p]) => p)
}

/** One chattr for `paths` (already known to differ). */
export function chattrPaths(paths: readonly string[], wanted: string): Command {
  const [op, flags] = split(wanted)
  return { argv: ['chattr', `${op}${flags}`, ...paths.map(safe)], describe: `chattr ${op}${flags} (${paths.length})` }
}

/** Reads the flags on the host and runs chattr when they differ: for a path this task creates. */
const ON_HOST =
  'f=$(lsattr -d -- "$3" 2>/dev/null); f=${f%% *}; f=$(printf %s "$f" | tr -d -)\n' +
  'if [ "$f" != "$2" ] || [ "$1" = - ]; then chattr "$1$2" "$3"; fi'

/**
 * The chattr command bringing `path` to `wanted`, given the flags read (`existing`), or, when undefined (the task
 * creates the path), a command that reads them on the host first.
 */
export function planChattr(
  path: string,
  existing: string | undefined,
  wanted: string | undefined,
): { commands: Command[]; changes: string[] } {
  if (wanted === undefined) return { commands: [], changes: [] }
  const [op, flags] = split(wanted)
  if (existing === undefined)
    return {
      commands: [sh(ON_HOST, [op, flags, safe(path)], { describe: `chattr ${op}${flags} ${path}` })],
      changes: [`attributes ${op}${flags}`],
    }
  if (existing === flags && op !== '-') return { commands: [], changes: [] }
  return {
    commands: [{ argv: ['chattr', `${op}${flags}`, safe(path)], describe: `chattr ${op}${flags} ${path}` }],
    changes: [`attributes ${existing || '(none)'} → ${op}${flags}`],
  }
}

/** Read-only: the distinct flags of everything under a folder (links left out), one `lsattr -d` line each. */
export function lsattrTreeProbe(path: string): Command {
  return sh(
    'find "$1" -mindepth 1 ! -type l -exec lsattr -d -- {} + 2>/dev/null | cut -d" " -f1 | sort -u; exit 0',
    [path],
    { describe: `lsattr under ${path}` },
  )
}

/**
 * `file` with `recurse`: one `chattr -R` when any path under the folder has other flags than those asked (or always
 * for `-`), as Ansible's walk sets each path whose flags differ.
 */
export function planChattrTree(path: string, seen: readonly string[], wanted: string) {
  const [op, flags] = split(wanted)
  if (!seen.length || (seen.every((f) => f === flags) && op !== '-')) return { commands: [], changes: [] }
  return {
    commands: [{ argv: ['chattr', '-R', `${op}${flags}`, safe(path)], describe: `chattr -R ${op}${flags} ${path}` }],
    changes: [`attributes under ${path} → ${op}${flags}`],
  }
}
