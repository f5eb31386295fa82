/**
 * The git module's plans: the commands for a first clone and for moving an existing clone, as Ansible runs them
 * (clone, extra `refspec`, checkout, submodules, signature check, archive). Pure: state and arguments in, commands
 * out.
 *
 * @example
 * ```ts
 * cloneSteps(args, target, ctx) // → [git clone …, git submodule update …] with `recursive` (the default)
 * ```
 */
import type { Command } from '../../engine/types.js'
import type { GitDestArgs } from './git-args.js'
import { whitelist } from './git-args.js'
import { gitSshOptions, withSsh } from './git-ssh.js'
import type { DestState, RemoteRef } from './git-state.js'
import { archiveCommand, archiveFormat, submoduleUpdate, verifyCommand } from './git-steps.js'

/** The `--depth N` words, if any. */
export const depthOf = (a: GitDestArgs) => (a.depth ? ['--depth', String(a.depth)] : [])

/** A first clone's fetch of the extra `refspec`, if any. */
export const refspecFetch = (a: GitDestArgs): Command[] =>
  a.refspec
    ? [
        withSsh(
          { argv: ['git', '-C', a.dest, 'fetch', '-q', ...depthOf(a), '--', a.remote, a.refspec] },
          gitSshOptions(a),
        ),
      ]
    : []

/** Point `remote` of an existing repository at `repo` when its URL differs (the command and the change line). */
export function remoteUrlStep(a: GitDestArgs, dest: DestState): { cmds: Command[]; changes: string[] } {
  if (dest.url === a.repo) return { cmds: [], changes: [] }
  return {
    cmds: [
      {
        argv: ['git', '-C', a.dest, 'remote', dest.url ? 'set-url' : 'add', '--', a.remote, a.repo],
        describe: `set ${a.remote} to ${a.repo}`,
      },
    ],
    changes: [`set remote ${a.remote} of ${a.dest} to ${a.repo}`],
  }
}

/** The steps after a checkout: signature, submodules, archive (`moved`: the checkout changed something). */
export function afterCheckout(a: GitDestArgs, dest: DestState, moved: boolean, archive?: 'same' | 'differs') {
  const ssh = gitSshOptions(a)
  const cmds: Command[] = []
  const changes: string[] = []
  // as Ansible: the signature is checked right after the checkout, before the submodules
  if (a.verify_commit && moved) cmds.push(verifyCommand(a.dest, a.version, whitelist(a)))
  if (a.recursive && (moved || dest.submodules === 'stale')) {
    cmds.push(withSsh(submoduleUpdate(a.dest, { track: a.track_submodules, force: a.force }), ssh))
    if (!moved) changes.push(`update the submodules of ${a.dest}`)
  }
  if (a.archive && (moved || archive !== 'same')) {
    cmds.push(archiveCommand(a.dest, a.archive, archiveFormat(a.archive)!, a.version, a.archive_prefix))
    if (!moved) changes.push(`write ${a.archive}`)
  }
  return { cmds, changes }
}

/** A first clone of `target` into an empty `dest` (`sgd`: the separate git dir resolved on the host). */
export function cloneSteps(a: GitDestArgs, target: RemoteRef, sgd?: string): Command[] {
  const ssh = gitSshOptions(a)
  const d = a.dest
  const named = target.kind === 'branch' || target.kind === 'tag'
  const cmds: Command[] = [
    withSsh(
      {
        argv: [
          ...['git', 'clone', '-q', '--origin', a.remote, ...depthOf(a)],
          ...(a.single_branch ? ['--single-branch'] : []),
          ...(a.reference ? ['--reference', a.reference] : []),
          ...(named ? ['--branch', target.short!] : []),
          ...(sgd ? [`--separate-git-dir=${sgd}`] : []),
          ...(target.kind === 'commit' ? ['--no-checkout'] : []),
          ...['--', a.repo, d],
        ],
        describe: `clone ${a.repo}`,
      },
      ssh,
    ),
  ]
  cmds.push(...refspecFetch(a))
  if (target.kind === 'commit') {
    if (a.depth)
      cmds.push(withSsh({ argv: ['git', '-C', d, 'fetch', '-q', ...depthOf(a), '--', a.remote, target.sha] }, ssh))
    cmds.push({
      argv: ['git', '-C', d, 'checkout', '-q', '--force', '--detach', target.sha],
      describe: `check out ${target.sha}`,
    })
  }
  return cmds
}

/** Fetch and check out `target` in an existing clone whose HEAD is elsewhere. */
export function moveSteps(a: GitDestArgs, dest: DestState, target: RemoteRef): Command[] {
  const d = a.dest
  const extra = a.refspec ? [a.refspec] : []
  const spec =
    target.kind === 'branch'
      ? [`+refs/heads/${target.short}:refs/remotes/${a.remote}/${target.short}`]
      : target.kind === 'tag'
        ? [`+refs/tags/${target.short}:refs/tags/${target.short}`]
        : target.kind === 'head'
          ? ['HEAD']
          : a.depth
            ? [target.sha]
            : []
  return [
    withSsh(
      {
        argv: ['git', '-C', d, 'fetch', '-q', ...depthOf(a), '--', a.remote, ...spec, ...extra],
        describe: `fetch ${a.version}`,
      },
      gitSshOptions(a),
    ),
    target.kind === 'branch'
      ? { argv: ['git', '-C', d, 'checkout', '-q', '--force', '-B', target.short!, target.sha] }
      : target.kind === 'head' && dest.branch
        ? { argv: ['git', '-C', d, 'reset', '-q', '--hard', target.sha] }
        : { argv: ['git', '-C', d, 'checkout', '-q', '--force', '--detach', target.sha] },
  ]
}
