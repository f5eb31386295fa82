/**
 * git: clone a repository and keep `dest` at a branch, tag or commit, as Ansible's `git`. The target commit is read
 * from the remote with `git ls-remote` (a full commit id passes through); changed on the first clone, when the
 * checked-out commit moves, when submodules are initialised or moved (`recursive`, default true), when the
 * repository is moved to `separate_git_dir`, or when `archive` is (re)written. Local modifications are an error
 * unless `force: true` discards them. ssh settings (`ssh_opts`, `key_file`, `accept_hostkey`) reach git as data
 * in its environment (modules/lib/git-ssh.ts). With `clone: false` and no repository at `dest` (or no `dest`) only
 * the remote's commit is read: changed, that commit as `after`, as Ansible's. `bare: true` keeps a bare mirror at
 * `dest` (modules/lib/git-bare.ts); `executable` names the git program to run (modules/lib/git-exe.ts).
 *
 * @example
 * ```yaml
 * - git: { repo: https://github.com/NixOS/nix.git, dest: /usr/local/src/nix, version: "2.24.10", depth: 1 }
 * ```
 */
import { defineModule, ModuleFailure, type ModuleContext, type Plan } from '../engine/module.js'
import type { Command } from '../engine/types.js'
import { checkGitArgs, GitArgs, whitelist, type GitDestArgs } from './lib/git-args.js'
import { afterCheckout, cloneSteps, moveSteps, remoteUrlStep } from './lib/git-plan.js'
import { planBare } from './lib/git-bare.js'
import { lsRemote, remoteTarget } from './lib/git-remote.js'
import { withGitExecutable } from './lib/git-exe.js'
import { withUmask } from './lib/umask.js'
import { gitSshOptions, withSsh } from './lib/git-ssh.js'
import {
  destProbe,
  FULL_SHA_RE,
  parseDestProbe,
  remoteBranchesAndTags,
  resolveRemote,
  type DestState,
  type RemoteRef,
} from './lib/git-state.js'
import { archiveCheck, archiveFormat, relocateCommand, verifyCommand } from './lib/git-steps.js'

/** What gather found. */
export interface GitState {
  dest: DestState
  /** The commit the version names on the remote; undefined when it could not be resolved. */
  target?: RemoteRef
  /** Why the remote could not be read (or the version not found). */
  remoteError?: string
  /** Whether `archive` already holds the tree of `version` in the clone as it is. */
  archive?: 'same' | 'differs'
  /** Why the signature check of the clone as it is failed (`verify_commit`; not read in check mode). */
  verifyError?: string
  /** `clone: false` and no repository at `dest` (or no `dest`): only the remote's commit is read, as Ansible's. */
  remoteOnly?: boolean
  /** `bare`: the remote's branches and tags, and its HEAD's commit. */
  remoteRefs?: Record<string, string>
  remoteHead?: string
}

/** Does the call name a folder? (only a `clone: false` call may leave `dest` out) */
const hasDest = (a: GitArgs): a is GitDestArgs => a.dest !== undefined

const VERSION_RE = /^(?!-)(?!.*\.\.)[A-Za-z0-9._/@+-]+$/

export default defineModule({
  name: 'git',
  summary: 'Clone a git repository and check out a branch, tag or commit',
  schema: GitArgs,
  changedWhen:
    'first clone, the checked-out commit moves, local changes are discarded (force), the remote URL changes, ' +
    'submodules are initialised or moved, the repository moves to separate_git_dir, or the archive is written',
  check: 'full',
  example: '- git: { repo: /srv/repo.git, dest: /opt/app, version: main }',

  async gather(args, ctx, io): Promise<GitState> {
    if (!VERSION_RE.test(args.version))
      throw new ModuleFailure(`version ${JSON.stringify(args.version)} is not a branch, tag or commit name`)
    checkGitArgs(args)
    const exe = (c: Command) => withGitExecutable(c, args.executable)
    const batch = (cmds: Command[]) => io.batch(cmds.map(exe))
    const byId = FULL_SHA_RE.test(args.version) && !(args.bare && args.clone && hasDest(args))
    if (!hasDest(args)) {
      const dest: GitState['dest'] = { state: 'empty', dirty: [] }
      if (byId) return { dest, remoteOnly: true, target: { sha: args.version, kind: 'commit' } }
      return { dest, remoteOnly: true, ...remoteTarget(args, (await batch([lsRemote(args)]))[0]) }
    }
    const probe = destProbe(args.dest, args.remote, {
      separateGitDir: args.separate_git_dir,
      recursive: args.recursive && !args.bare,
      track: args.track_submodules,
      bare: args.bare,
    })
    // the probe asks the submodules' remotes when tracking: with the same ssh settings
    const cmds: Command[] = [args.track_submodules ? withSsh(probe, gitSshOptions(args)) : probe]
    const at = (c: Command | false) => (c ? cmds.push(c) - 1 : -1)
    const lsAt = at(!byId && lsRemote(args))
    const { archive, archive_prefix: prefix } = args
    const arcAt = at(!!archive && archiveCheck(args.dest, archive, archiveFormat(archive)!, args.version, prefix))
    const verAt = at(args.verify_commit && !ctx.checkMode && verifyCommand(args.dest, args.version, whitelist(args)))
    const res = await batch(cmds)
    const dest = parseDestProbe(res[0].stdout)
    const state: GitState = { dest }
    if (arcAt >= 0) state.archive = res[arcAt].stdout.trim() === 'same' ? 'same' : 'differs'
    if (verAt >= 0 && res[verAt].rc !== 0) state.verifyError = (res[verAt].stderr || res[verAt].stdout).trim()
    if (byId) return { ...state, target: { sha: args.version, kind: 'commit' } }
    if (dest.state === 'no-git') return state
    const ls = res[lsAt]
    if (!args.clone && dest.state !== 'repo') return { ...state, remoteOnly: true, ...remoteTarget(args, ls) }
    if (ls.rc !== 0) {
      const why = (ls.stderr || ls.stdout).trim().split('\n')[0]
      return { ...state, remoteError: `cannot read repository ${args.repo}: ${why}` }
    }
    if (args.bare) {
      // as Ansible's: a bare clone takes the remote's HEAD, so a version the remote lacks is no error
      const target = resolveRemote(ls.stdout, args.version) ?? { sha: args.version, kind: 'commit' }
      const remoteHead = resolveRemote(ls.stdout, 'HEAD')?.sha
      return { ...state, target, remoteRefs: remoteBranchesAndTags(ls.stdout), remoteHead }
    }
    const target = resolveRemote(ls.stdout, args.version)
    if (!target)
      return { ...state, remoteError: `version ${args.version} not found in ${args.repo} (no such branch or tag)` }
    return { ...state, target }
  },

  plan: (state, args, ctx) => {
    const p = planGit(state, args, ctx)
    const commands = p.commands.map((c) => withGitExecutable(c, args.executable))
    return withUmask({ ...p, commands }, args.umask)
  },

  async after(state, args, results, _ctx, io) {
    if (state.remoteOnly || !hasDest(args)) return {}
    // a failed step fails the task unchanged, as Ansible's fail_json reports it (e.g. a clone whose signature fails)
    const failed = results.some((r) => r.rc !== 0) ? { changed: false } : {}
    const head = await io.run(
      withGitExecutable({ argv: ['git', '-C', args.dest, 'rev-parse', 'HEAD'] }, args.executable),
    )
    return head.rc === 0 ? { ...failed, data: { after: head.stdout.trim() } } : failed
  },
})

/** The plan for what gather found (the call's umask is applied by the caller). */
function planGit(state: GitState, args: GitArgs, ctx: ModuleContext): Plan {
  const { dest, target } = state
  if (state.remoteOnly) {
    if (state.remoteError || !target) return { commands: [], fail: state.remoteError ?? 'no version' }
    // nothing is cloned: Ansible reports changed, with the remote's commit as `after`
    const what = `${args.version} of ${args.repo} is ${target.sha} (clone: false, nothing cloned)`
    return { commands: [], changed: true, changes: [what], data: { before: null, after: target.sha } }
  }
  if (!hasDest(args)) return { commands: [], fail: 'the destination directory must be specified unless clone=no' }
  const d = args.dest
  if (dest.state === 'no-git') {
    if (ctx.checkMode)
      return {
        commands: [{ argv: ['git', 'clone', '--', args.repo, d] }],
        changes: [`clone ${args.repo} to ${d} (git is not installed yet)`],
      }
    return { commands: [], fail: 'git is not installed on the host (apt: { name: git })' }
  }
  const unreadable = state.remoteError?.startsWith('cannot read repository')
  if (unreadable && ctx.checkMode && dest.state === 'empty') {
    // The repository may be made by an earlier task that check mode did not run: predict the clone.
    ctx.log(`${state.remoteError} (check mode: predicting a clone)`)
    return {
      commands: [{ argv: ['git', 'clone', '--', args.repo, d] }],
      changes: [`clone ${args.repo} at ${args.version} into ${d}`],
    }
  }
  if (state.remoteError || !target) return { commands: [], fail: state.remoteError ?? `cannot resolve ${args.version}` }
  if (dest.state === 'other')
    return { commands: [], fail: `${d} exists and is not a git repository (nor an empty folder)` }
  if (dest.state === 'repo' && dest.error)
    return { commands: [], fail: `cannot read the repository in ${d}: ${dest.error}` }
  if (args.bare && (dest.state === 'empty' || args.update))
    return planBare({ ...state, target, remoteRefs: state.remoteRefs ?? {} }, args)
  // as Ansible's: a clone says nothing of the remote's URL (only an existing repository's can change)
  const data = (after: string | undefined, urlChanged?: boolean) => ({
    before: dest.head ?? null,
    after: after ?? null,
    ...(urlChanged === undefined ? {} : { remote_url_changed: urlChanged }),
  })

  if (dest.state === 'empty') {
    const after = afterCheckout(args, dest, true)
    return {
      commands: [...cloneSteps(args, target, args.separate_git_dir && dest.sgd), ...after.cmds],
      changes: [`clone ${args.repo} at ${args.version} (${target.sha.slice(0, 12)}) into ${d}`],
      data: data(target.sha),
    }
  }
  return planExisting(state, args, target, data)
}

/** An existing clone: relocate, discard, re-point, move, then the steps after a checkout. */
function planExisting(
  state: GitState,
  args: GitDestArgs,
  target: RemoteRef,
  data: (after: string | undefined, urlChanged: boolean) => Record<string, unknown>,
): Plan {
  const { dest } = state
  const d = args.dest
  const cmds: Command[] = []
  const changes: string[] = []
  const extra: Record<string, unknown> = {}
  if (args.separate_git_dir && dest.sgd && dest.gitDir && dest.sgd !== dest.gitDir) {
    if (dest.sgdExists) return { commands: [], fail: `Separate-git-dir path ${dest.sgd} already exists.` }
    cmds.push(relocateCommand(d, dest.gitDir, dest.sgd))
    changes.push(`move the repository of ${d} to ${dest.sgd}`)
    Object.assign(extra, { git_dir_before: dest.gitDir, git_dir_now: dest.sgd })
  }
  if (!args.update) {
    const after = afterCheckout({ ...args, recursive: false, verify_commit: false }, dest, false, state.archive)
    return {
      commands: [...cmds, ...after.cmds],
      changes: [...changes, ...after.changes],
      data: { ...data(dest.head, false), ...extra },
    }
  }
  if (dest.dirty.length && !args.force) {
    const files = dest.dirty
      .map((l) => l.slice(3))
      .slice(0, 5)
      .join(', ')
    return {
      commands: [],
      fail:
        `local modifications in ${d} (${files}${dest.dirty.length > 5 ? ', …' : ''}); set force: true ` +
        `to discard them`,
    }
  }
  const urlChanged = dest.url !== args.repo
  const url = remoteUrlStep(args, dest)
  cmds.push(...url.cmds)
  changes.push(...url.changes)
  if (dest.dirty.length) {
    cmds.push({ argv: ['git', '-C', d, 'reset', '-q', '--hard'], describe: `discard local changes in ${d}` })
    changes.push(`discard local modifications in ${d}`)
  }
  const moved = dest.head !== target.sha && !(target.kind === 'commit' && dest.head?.startsWith(target.sha))
  if (moved) {
    cmds.push(...moveSteps(args, dest, target))
    changes.push(
      `move ${d} from ${dest.head?.slice(0, 12) ?? 'nothing'} to ${args.version} (${target.sha.slice(0, 12)})`,
    )
  } else if (state.verifyError) return { commands: [], fail: state.verifyError }
  const after = afterCheckout(args, dest, moved, state.archive)
  cmds.push(...after.cmds)
  changes.push(...after.changes)
  if (after.changes.some((c) => c.startsWith('update the submodules'))) extra.submodules_changed = true
  return { commands: cmds, changes, data: { ...data(moved ? target.sha : dest.head, urlChanged), ...extra } }
}
