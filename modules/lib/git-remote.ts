/**
 * The git module's reading of the remote: `git ls-remote` of the refs `version` may name (with `bare`: HEAD and
 * every branch and tag), with the call's ssh settings, and the commit it resolves to.
 *
 * @example
 * ```ts
 * lsRemote({ ...args, version: 'v1' }).argv // → git ls-remote -- URL refs/heads/v1 refs/tags/v1 refs/tags/v1^{}
 * ```
 */
import type { Command, CommandResult } from '../../engine/types.js'
import type { GitArgs } from './git-args.js'
import { gitSshOptions, withSsh } from './git-ssh.js'
import { lsRemotePatterns, resolveRemote, type RemoteRef } from './git-state.js'

const BARE_PATTERNS = ['HEAD', 'refs/heads/*', 'refs/tags/*']

/** The `git ls-remote` of `version` (with `bare`: of HEAD and every branch and tag), with the ssh settings. */
export const lsRemote = (a: GitArgs): Command =>
  withSsh(
    {
      argv: ['git', 'ls-remote', '--', a.repo, ...(a.bare ? BARE_PATTERNS : lsRemotePatterns(a.version))],
      describe: `git ls-remote ${a.repo}`,
    },
    gitSshOptions(a),
  )

/**
 * The remote's commit for `version`; an unknown name passes through as a commit id (as Ansible's, which takes
 * what is neither a branch nor a tag for a commit id).
 */
export function remoteTarget(a: GitArgs, ls: CommandResult): { target?: RemoteRef; remoteError?: string } {
  if (ls.rc !== 0)
    return { remoteError: `cannot read repository ${a.repo}: ${(ls.stderr || ls.stdout).trim().split('\n')[0]}` }
  return { target: resolveRemote(ls.stdout, a.version) ?? { sha: a.version, kind: 'commit' } }
}
