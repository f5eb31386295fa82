/**
 * The git module's plans for `bare: true`, as Ansible's: `dest` is the repository itself. A first run clones
 * with `--bare` (`version` picks the branch only with `depth` or `single_branch`; the remote's HEAD otherwise),
 * adds `remote` when it is not `origin` and fetches `refspec`. Later runs fetch every branch and tag into their
 * own names (`+refs/heads/*:refs/heads/*`), and only when the remote's branches or tags differ from the
 * repository's: that is the change reported (Ansible fetches every time and reports a change only when HEAD
 * moves).
 *
 * @example
 * ```ts
 * planBare(state, { ...args, bare: true, dest: '/srv/mirror.git' })
 * // empty dest → git clone -q --bare -- URL /srv/mirror.git
 * ```
 */
import type { Plan } from '../../engine/module.js'
import type { Command } from '../../engine/types.js'
import type { GitDestArgs } from './git-args.js'
import { afterCheckout, depthOf, refspecFetch, remoteUrlStep } from './git-plan.js'
import { gitSshOptions, withSsh } from './git-ssh.js'
import type { DestState, RemoteRef } from './git-state.js'

/** What gather found, as the bare plans read it. */
export interface BareState {
  dest: DestState
  target: RemoteRef
  /** The remote's branches and tags, and the commit of its HEAD. */
  remoteRefs: Record<string, string>
  remoteHead?: string
  archive?: 'same' | 'differs'
}

/** The plan for a bare repository at `dest` (absent or empty: a clone; else a fetch when the remote moved). */
export function planBare(state: BareState, a: GitDestArgs): Plan {
  return state.dest.state === 'repo' ? fetchBare(state, a) : cloneBare(state, a)
}

function cloneBare(state: BareState, a: GitDestArgs): Plan {
  const { target } = state
  const d = a.dest
  const named = target.kind === 'branch' || target.kind === 'tag'
  const branch = named && (a.depth || a.single_branch) ? ['--branch', target.short!] : []
  const cmds: Command[] = [
    withSsh(
      {
        argv: [
          ...['git', 'clone', '-q', '--bare', ...(target.kind === 'commit' ? [] : depthOf(a))],
          ...(a.single_branch ? ['--single-branch'] : []),
          ...(a.reference ? ['--reference', a.reference] : []),
          ...[...branch, '--', a.repo, d],
        ],
        describe: `clone ${a.repo} (bare)`,
      },
      gitSshOptions(a),
    ),
  ]
  if (a.remote !== 'origin') cmds.push({ argv: ['git', '-C', d, 'remote', 'add', '--', a.remote, a.repo] })
  cmds.push(...refspecFetch(a))
  const after = afterCheckout({ ...a, recursive: false }, state.dest, true, state.archive)
  return {
    commands: [...cmds, ...after.cmds],
    changes: [`clone ${a.repo} into ${d} (bare)`],
    data: { before: null, after: (branch.length ? target.sha : state.remoteHead) ?? null },
  }
}

function fetchBare(state: BareState, a: GitDestArgs): Plan {
  const { dest, remoteRefs } = state
  const d = a.dest
  const urlChanged = dest.url !== a.repo
  const moved = Object.keys(remoteRefs).filter((ref) => dest.refs?.[ref] !== remoteRefs[ref])
  const headRef = dest.branch ? `refs/heads/${dest.branch}` : undefined
  const head = (headRef && remoteRefs[headRef]) || dest.head
  const data = { before: dest.head ?? null, after: head ?? null, remote_url_changed: urlChanged }
  if (!moved.length && !urlChanged) {
    const after = afterCheckout({ ...a, recursive: false, verify_commit: false }, dest, false, state.archive)
    return { commands: after.cmds, changes: after.changes, data }
  }
  const { cmds, changes } = remoteUrlStep(a, dest)
  const specs = ['+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*', ...(a.refspec ? [a.refspec] : [])]
  cmds.push(
    withSsh(
      {
        argv: ['git', '-C', d, 'fetch', '-q', ...depthOf(a), ...(a.force ? ['--force'] : []), '--', a.remote, ...specs],
        describe: `fetch the branches and tags of ${a.repo}`,
      },
      gitSshOptions(a),
    ),
  )
  const names = moved.map((r) => r.replace(/^refs\/(heads|tags)\//, ''))
  if (moved.length) changes.push(`fetch ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''} into ${d}`)
  const after = afterCheckout({ ...a, recursive: false, verify_commit: false }, dest, true, state.archive)
  return { commands: [...cmds, ...after.cmds], changes, data }
}
