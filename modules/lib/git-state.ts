/**
 * Parsers for the git module's state: the state of `dest` (one constant probe script) and `git ls-remote`,
 * resolving a branch, tag (peeled to its commit) or `HEAD` to the commit it names.
 *
 * @example
 * ```ts
 * resolveRemote('abc…\trefs/tags/v1\n123…\trefs/tags/v1^{}\n', 'v1')
 * // → { sha: '123…', kind: 'tag', ref: 'refs/tags/v1' }
 * ```
 */
import { sh } from '../../engine/commands.js'
import type { Command } from '../../engine/types.js'

/** What is at `dest`. */
export interface DestState {
  /** no-git: git is not installed; empty: absent or an empty folder; other: something that is no repository. */
  state: 'no-git' | 'empty' | 'other' | 'repo'
  head?: string
  url?: string
  branch?: string
  /** `git status --porcelain` lines for tracked files (local modifications; with track_submodules, not submodules). */
  dirty: string[]
  /** Why the repository could not be read, if it could not. */
  error?: string
  /** The repository folder: `dest/.git`, or where a `.git` file (`gitdir: …`) points. */
  gitDir?: string
  /** `separate_git_dir` resolved on the host (`realpath -m`), and whether something is there already. */
  sgd?: string
  sgdExists?: boolean
  /** Submodules (with `recursive`): `stale` when one is missing, off its recorded commit or (tracking) behind. */
  submodules?: 'ok' | 'stale'
  /** A bare repository's branches and tags (`refs/heads/…`, `refs/tags/…` → object id). */
  refs?: Record<string, string>
}

/** Where a version points on the remote. */
export interface RemoteRef {
  sha: string
  kind: 'branch' | 'tag' | 'head' | 'commit'
  /** Short branch or tag name (for `--branch` and refspecs). */
  short?: string
}

// $1 dest, $2 remote, $3 separate_git_dir, $4 '1' = recursive, $5 '1' = track_submodules, $6 '1' = bare
const PROBE = `d=$1; r=$2; s=$3
command -v git >/dev/null 2>&1 || { echo 'state no-git'; exit 0; }
if [ -n "$s" ]; then echo "sgd $(realpath -m -- "$s")"; [ -e "$s" ] && echo 'sgdexists'; fi
if [ "$6" = 1 ] && [ -e "$d/config" ]; then
  echo 'state repo'; echo "gitdir $d"
  if h=$(git -C "$d" rev-parse --verify HEAD 2>&1); then echo "head $h"; else echo "error $h" | tr '\\n' ' '; echo; fi
  echo "url $(git -C "$d" config --get "remote.$r.url" 2>/dev/null)"
  echo "branch $(git -C "$d" symbolic-ref -q --short HEAD 2>/dev/null)"
  git -C "$d" for-each-ref --format='ref %(objectname) %(refname)' refs/heads refs/tags 2>/dev/null
elif [ "$6" != 1 ] && [ -e "$d/.git" ]; then
  echo 'state repo'
  if [ -f "$d/.git" ]; then g=$(sed -n '1s/^gitdir: //p' "$d/.git"); case $g in /*) ;; *) g=$d/$g ;; esac
  else g=$d/.git; fi
  echo "gitdir $g"
  if h=$(git -C "$d" rev-parse --verify HEAD 2>&1); then echo "head $h"; else echo "error $h" | tr '\\n' ' '; echo; fi
  echo "url $(git -C "$d" config --get "remote.$r.url" 2>/dev/null)"
  echo "branch $(git -C "$d" symbolic-ref -q --short HEAD 2>/dev/null)"
  # tracking submodules sit off their recorded commits on purpose: that is no local modification
  i=; [ "$5" = 1 ] && i=--ignore-submodules=all
  git -C "$d" status --porcelain --untracked-files=no $i 2>/dev/null | sed 's/^/dirty /'
  [ "$4" = 1 ] && [ -f "$d/.gitmodules" ] || exit 0
  u=ok
  for p in $(git -C "$d" config -f .gitmodules --get-regexp '^submodule\\..*\\.path$' | cut -d' ' -f2-); do
    [ -e "$d/$p/.git" ] || u=stale
  done
  if [ "$5" != 1 ]; then git -C "$d" submodule status 2>/dev/null | grep -q '^[^ ]' && u=stale
  elif [ $u = ok ]; then
    git -C "$d" submodule foreach --quiet 'b=$(git config -f "$toplevel/.gitmodules" "submodule.$name.branch" ||
      echo master); [ "$(git rev-parse HEAD)" = "$(git ls-remote origin "refs/heads/$b" | cut -f1)" ] ||
      echo behind' 2>/dev/null | grep -q behind && u=stale
  fi
  echo "submodules $u"
elif [ -d "$d" ] && [ -z "$(ls -A -- "$d")" ]; then echo 'state empty'
elif [ -e "$d" ]; then echo 'state other'
else echo 'state empty'; fi`

/** The read-only probe of `dest` (remote name used for the url; submodules read with `recursive`). */
export function destProbe(
  dest: string,
  remote: string,
  opts: { separateGitDir?: string; recursive?: boolean; track?: boolean; bare?: boolean } = {},
): Command {
  const flag = (b?: boolean) => (b ? '1' : '')
  const args = [dest, remote, opts.separateGitDir ?? '', flag(opts.recursive), flag(opts.track), flag(opts.bare)]
  return sh(PROBE, args, {
    describe: `inspect ${dest}`,
  })
}

/** Parse the probe's output. */
export function parseDestProbe(stdout: string): DestState {
  const out: DestState = { state: 'empty', dirty: [] }
  for (const line of stdout.split('\n')) {
    const sp = line.indexOf(' ')
    const key = sp < 0 ? line : line.slice(0, sp)
    const val = sp < 0 ? '' : line.slice(sp + 1)
    if (key === 'state') out.state = val.trim() as DestState['state']
    else if (key === 'head') out.head = val.trim()
    else if (key === 'url') out.url = val.trim()
    else if (key === 'branch') out.branch = val.trim() || undefined
    else if (key === 'dirty') out.dirty.push(val)
    else if (key === 'error') out.error = val.trim()
    else if (key === 'gitdir') out.gitDir = val
    else if (key === 'sgd') out.sgd = val
    else if (key === 'sgdexists') out.sgdExists = true
    else if (key === 'submodules') out.submodules = val.trim() as 'ok' | 'stale'
    else if (key === 'ref') {
      const [sha, ref] = val.trim().split(' ')
      if (sha && ref) (out.refs ??= {})[ref] = sha
    }
  }
  return out
}

/** A full commit id (passes through without asking the remote). */
export const FULL_SHA_RE = /^[0-9a-f]{40}$/

/** The ls-remote patterns to ask for `version`. */
export function lsRemotePatterns(version: string): string[] {
  if (version === 'HEAD') return ['HEAD']
  if (version.startsWith('refs/')) return [version, `${version}^{}`]
  return [`refs/heads/${version}`, `refs/tags/${version}`, `refs/tags/${version}^{}`]
}

/** The branches and tags in `git ls-remote` output (`refs/heads/…`, `refs/tags/…`; peeled tags left out). */
export function remoteBranchesAndTags(stdout: string): Record<string, string> {
  const refs: Record<string, string> = {}
  for (const line of stdout.split('\n')) {
    const [sha, ref] = line.trim().split('\t')
    if (sha && ref && /^refs\/(heads|tags)\//.test(ref) && !ref.endsWith('^{}')) refs[ref] = sha
  }
  return refs
}

/** Resolve `version` from `git ls-remote` output; undefined when the remote has no such ref. */
export function resolveRemote(stdout: string, version: string): RemoteRef | undefined {
  const refs = new Map<string, string>()
  for (const line of stdout.split('\n')) {
    const [sha, ref] = line.trim().split('\t')
    if (sha && ref) refs.set(ref, sha)
  }
  if (version === 'HEAD') return refs.has('HEAD') ? { sha: refs.get('HEAD')!, kind: 'head' } : undefined
  const full = version.startsWith('refs/') ? version : undefined
  const branch = full ? (full.startsWith('refs/heads/') ? full : undefined) : `refs/heads/${version}`
  const tag = full ? (full.startsWith('refs/tags/') ? full : undefined) : `refs/tags/${version}`
  if (branch && refs.has(branch))
    return { sha: refs.get(branch)!, kind: 'branch', short: branch.slice('refs/heads/'.length) }
  if (tag && (refs.has(`${tag}^{}`) || refs.has(tag))) {
    return { sha: refs.get(`${tag}^{}`) ?? refs.get(tag)!, kind: 'tag', short: tag.slice('refs/tags/'.length) }
  }
  return undefined
}
