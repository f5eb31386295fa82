/**
 * The git module's extra steps, each a command as data (constant sh text, user values as positional arguments):
 * submodule update, signature check (`verify_commit`), `archive`, and moving the repository to `separate_git_dir`.
 *
 * @example
 * ```ts
 * archiveFormat('/tmp/app.tar.gz') // → 'tar.gz'
 * verifyCommand('/opt/app', 'v1', []) // sh: git verify-tag (annotated tag) or verify-commit, fails when unsigned
 * ```
 */
import { sh } from '../../engine/commands.js'
import type { Command } from '../../engine/types.js'

/** `git submodule sync` and `update --init --recursive` in `dest` (nothing when it has no `.gitmodules`). */
export function submoduleUpdate(dest: string, opts: { track: boolean; force: boolean }): Command {
  const extra = [...(opts.track ? ['--remote'] : []), ...(opts.force ? ['--force'] : [])]
  return sh(
    '[ -f .gitmodules ] || exit 0; git submodule sync -q && exec git submodule update -q --init --recursive "$@"',
    extra,
    { cwd: dest, describe: `update the submodules of ${dest}` },
  )
}

/** The failure messages of the signature check (Ansible's words). */
export const VERIFY_FAILED = 'Failed to verify GPG signature of commit/tag'
export const NOT_WHITELISTED = 'The gpg_whitelist does not include the public key'

// $1 dest, $2 version, then the trusted fingerprints. Exit 3: gpg is missing.
const VERIFY = `d=$1; v=$2; shift 2
command -v gpg >/dev/null 2>&1 || { echo "gpg is not installed on the host: cannot verify \\"$v\\"" >&2; exit 3; }
sub=verify-commit
[ "$(git -C "$d" for-each-ref --format='%(objecttype)' "refs/tags/$v")" = tag ] && sub=verify-tag
if [ $# -eq 0 ]; then
  git -C "$d" $sub "$v" >/dev/null 2>&1 || { echo "${VERIFY_FAILED} \\"$v\\"" >&2; exit 1; }
  exit 0
fi
out=$(git -C "$d" $sub --raw "$v" 2>&1) || { echo "${VERIFY_FAILED} \\"$v\\"" >&2; exit 1; }
fp=$(printf '%s\\n' "$out" | awk '$2 == "VALIDSIG" { print $3; exit }')
for w; do [ "$w" = "$fp" ] && exit 0; done
echo "${NOT_WHITELISTED} \\"$fp\\" for this commit" >&2; exit 1`

/** Check the signature of `version` in `dest` (a tag's with `verify-tag`); fails when unsigned or not trusted. */
export function verifyCommand(dest: string, version: string, whitelist: readonly string[]): Command {
  return sh(VERIFY, [dest, version, ...whitelist], { describe: `verify the signature of ${version}` })
}

/** Archive formats by file extension, as Ansible reads them (`.tar.gz` ends in `.gz`). */
const FORMATS: Record<string, string> = { zip: 'zip', gz: 'tar.gz', tar: 'tar', tgz: 'tgz' }

/** The `git archive` format for a file name; undefined when its extension is none of zip, tar, tar.gz, tgz. */
export function archiveFormat(path: string): string | undefined {
  const base = path.slice(path.lastIndexOf('/') + 1)
  const dot = base.lastIndexOf('.')
  return dot > 0 ? FORMATS[base.slice(dot + 1)] : undefined
}

// $1 dest, $2 archive, $3 format, $4 version, $5 '1' = with prefix, $6 prefix
const ARCHIVE_SAME = `d=$1; a=$2; set -- --format "$3" \${5:+--prefix} \${5:+"$6"} "$4"
[ -f "$a" ] && git -C "$d" archive "$@" 2>/dev/null | cmp -s - "$a" && echo same || echo differs`

/** Read-only: does the archive at `archive` hold what `git archive` would write now? Prints same/differs. */
export function archiveCheck(dest: string, archive: string, format: string, version: string, prefix?: string) {
  return sh(ARCHIVE_SAME, [dest, archive, format, version, prefix === undefined ? '' : '1', prefix ?? ''], {
    describe: `compare ${archive}`,
  })
}

// As Ansible: a new archive is written in place; an existing one is replaced only when the new one differs.
const ARCHIVE = `set -e; d=$1; a=$2; set -- --format "$3" \${5:+--prefix} \${5:+"$6"} "$4"
if [ ! -e "$a" ]; then git -C "$d" archive --output "$a" "$@"; echo written; exit 0; fi
t=$(dirname -- "$a")/.tsplay-archive.$$; trap 'rm -f -- "$t"' EXIT
git -C "$d" archive --output "$t" "$@"
if cmp -s "$t" "$a"; then echo same; else mv -f -- "$t" "$a"; echo written; fi`

/** Write `archive` from `version` in `dest` (prints written/same). */
export function archiveCommand(dest: string, archive: string, format: string, version: string, prefix?: string) {
  return sh(ARCHIVE, [dest, archive, format, version, prefix === undefined ? '' : '1', prefix ?? ''], {
    describe: `archive ${version} to ${archive}`,
  })
}

/** Move the repository of `dest` from `from` to `to` and point `dest/.git` at it (as Ansible writes it). */
export function relocateCommand(dest: string, from: string, to: string): Command {
  return sh(`set -e; mv -- "$2" "$3"; printf 'gitdir: %s' "$3" > "$1/.git"`, [dest, from, to], {
    describe: `move the repository of ${dest} to ${to}`,
  })
}
