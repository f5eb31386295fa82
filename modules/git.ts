/**
 * git: clone a repository and keep `dest` at a branch, tag or commit. The target commit is read from the
 * remote with `git ls-remote` (a full commit id passes through); changed on the first clone or when the
 * checked-out commit moves. Local modifications are an error unless `force: true` discards them.
 *
 * @example
 * ```yaml
 * - git: { repo: https://github.com/NixOS/nix.git, dest: /usr/local/src/nix, version: "2.24.10", depth: 1 }
 * ```
 */
import { Type } from '@sinclair/typebox'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { defineModule, ModuleFailure } from '../engine/module.js'
import type { Command } from '../engine/types.js'

import {
  destProbe,
  FULL_SHA_RE,
  lsRemotePatterns,
  parseDestProbe,
  resolveRemote,
  type DestState,
  type RemoteRef,
} from './lib/git-state.js'

const Args = Type.Object(
  {
    repo: Type.String({ minLength: 1, description: 'Repository URL or path (git clone syntax)' }),
    dest: Type.String({ minLength: 1, description: 'Folder to clone into' }),
    version: Defaulted(
      Type.String({ minLength: 1, description: 'Branch, tag, full commit id or HEAD', default: 'HEAD' }),
    ),
    depth: Type.Optional(
      Type.Integer({ minimum: 1, description: 'Shallow clone with this many commits (default: full history)' }),
    ),
    force: Defaulted(Type.Boolean({ description: 'Discard local modifications of tracked files', default: false })),
    update: Defaulted(Type.Boolean({ description: 'Move an existing clone to the wanted version', default: true })),
    remote: Defaulted(
      Type.String({ pattern: '^[A-Za-z0-9._][A-Za-z0-9._-]*$', description: 'Name of the remote', default: 'origin' }),
    ),
  },
  { additionalProperties: false },
)
/** The arguments as the module receives them (defaults filled in). */
type Args = ModuleArgs<typeof Args>

/** What gather found. */
export interface GitState {
  dest: DestState
  /** The commit the version names on the remote; undefined when it could not be resolved. */
  target?: RemoteRef
  /** Why the remote could not be read (or the version not found). */
  remoteError?: string
}

const VERSION_RE = /^(?!-)(?!.*\.\.)[A-Za-z0-9._/@+-]+$/

export default defineModule({
  name: 'git',
  summary: 'Clone a git repository and check out a branch, tag or commit',
  schema: Args,
  changedWhen:
    'first clone, the checked-out commit moves, local changes are discarded (force), or the remote URL changes',
  check: 'full',
  example: '- git: { repo: /srv/repo.git, dest: /opt/app, version: main }',

  async gather(args, ctx, io): Promise<GitState> {
    if (!VERSION_RE.test(args.version))
      throw new ModuleFailure(`version ${JSON.stringify(args.version)} is not a branch, tag or commit name`)
    const byId = FULL_SHA_RE.test(args.version)
    const cmds: Command[] = [destProbe(args.dest, args.remote)]
    if (!byId)
      cmds.push({
        argv: ['git', 'ls-remote', '--', args.repo, ...lsRemotePatterns(args.version)],
        describe: `git ls-remote ${args.repo}`,
      })
    const [probe, ls] = await io.batch(cmds)
    const dest = parseDestProbe(probe.stdout)
    if (byId) return { dest, target: { sha: args.version, kind: 'commit' } }
    if (dest.state === 'no-git') return { dest }
    if (ls.rc !== 0)
      return {
        dest,
        remoteError: `cannot read repository ${args.repo}: ${(ls.stderr || ls.stdout).trim().split('\n')[0]}`,
      }
    const target = resolveRemote(ls.stdout, args.version)
    if (!target)
      return { dest, remoteError: `version ${args.version} not found in ${args.repo} (no such branch or tag)` }
    return { dest, target }
  },

  plan(state, args, ctx) {
    const { dest, target } = state
    const d = args.dest
    const cmds: Command[] = []
    const changes: string[] = []
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
    if (state.remoteError || !target)
      return { commands: [], fail: state.remoteError ?? `cannot resolve ${args.version}` }
    if (dest.state === 'other')
      return { commands: [], fail: `${d} exists and is not a git repository (nor an empty folder)` }
    if (dest.state === 'repo' && dest.error)
      return { commands: [], fail: `cannot read the repository in ${d}: ${dest.error}` }
    const data = (after: string | undefined, urlChanged: boolean) => ({
      before: dest.head ?? null,
      after: after ?? null,
      remote_url_changed: urlChanged,
    })

    if (dest.state === 'empty') {
      const depth = args.depth ? ['--depth', String(args.depth)] : []
      const branch = target.kind === 'branch' || target.kind === 'tag' ? ['--branch', target.short!] : []
      const noCheckout = target.kind === 'commit' ? ['--no-checkout'] : []
      cmds.push({
        argv: ['git', 'clone', '-q', '--origin', args.remote, ...depth, ...branch, ...noCheckout, '--', args.repo, d],
        describe: `clone ${args.repo}`,
      })
      if (target.kind === 'commit') {
        if (args.depth)
          cmds.push({
            argv: ['git', '-C', d, 'fetch', '-q', '--depth', String(args.depth), '--', args.remote, target.sha],
          })
        cmds.push({
          argv: ['git', '-C', d, 'checkout', '-q', '--force', '--detach', target.sha],
          describe: `check out ${target.sha}`,
        })
      }
      changes.push(`clone ${args.repo} at ${args.version} (${target.sha.slice(0, 12)}) into ${d}`)
      return { commands: cmds, changes, data: data(target.sha, false) }
    }

    // An existing clone.
    const urlChanged = dest.url !== args.repo
    if (!args.update) return { commands: [], data: data(dest.head, false) }
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
    if (urlChanged) {
      cmds.push({
        argv: ['git', '-C', d, 'remote', dest.url ? 'set-url' : 'add', '--', args.remote, args.repo],
        describe: `set ${args.remote} to ${args.repo}`,
      })
      changes.push(`set remote ${args.remote} of ${d} to ${args.repo}`)
    }
    if (dest.dirty.length) {
      cmds.push({ argv: ['git', '-C', d, 'reset', '-q', '--hard'], describe: `discard local changes in ${d}` })
      changes.push(`discard local modifications in ${d}`)
    }
    if (dest.head !== target.sha && !(target.kind === 'commit' && dest.head?.startsWith(target.sha))) {
      const depth = args.depth ? ['--depth', String(args.depth)] : []
      const spec =
        target.kind === 'branch'
          ? [`+refs/heads/${target.short}:refs/remotes/${args.remote}/${target.short}`]
          : target.kind === 'tag'
            ? [`+refs/tags/${target.short}:refs/tags/${target.short}`]
            : target.kind === 'head'
              ? ['HEAD']
              : args.depth
                ? [target.sha]
                : []
      cmds.push({
        argv: ['git', '-C', d, 'fetch', '-q', ...depth, '--', args.remote, ...spec],
        describe: `fetch ${args.version}`,
      })
      cmds.push(
        target.kind === 'branch'
          ? { argv: ['git', '-C', d, 'checkout', '-q', '--force', '-B', target.short!, target.sha] }
          : target.kind === 'head' && dest.branch
            ? { argv: ['git', '-C', d, 'reset', '-q', '--hard', target.sha] }
            : { argv: ['git', '-C', d, 'checkout', '-q', '--force', '--detach', target.sha] },
      )
      changes.push(
        `move ${d} from ${dest.head?.slice(0, 12) ?? 'nothing'} to ${args.version} (${target.sha.slice(0, 12)})`,
      )
    }
    return { commands: cmds, changes, data: data(cmds.length ? target.sha : dest.head, urlChanged) }
  },

  async after(_state, args, _results, _ctx, io) {
    const head = await io.run({ argv: ['git', '-C', args.dest, 'rev-parse', 'HEAD'] })
    return head.rc === 0 ? { data: { after: head.stdout.trim() } } : {}
  },
})
