/**
 * subversion: check out, update or export a Subversion repository. The working copy's URL, revision and local
 * changes are read locally; the wanted revision is asked of the repository (`svn info -r REV REPO`). A working copy
 * at that revision and URL runs nothing. A password never appears in argv: it goes to `svn --password-from-stdin`
 * (svn 1.10 or newer) over stdin; svn is always run with `--non-interactive --no-auth-cache`.
 *
 * @example
 * ```yaml
 * - subversion: { repo: "svn+ssh://svn.example.org/proj/trunk", dest: /opt/proj, revision: "1200" }
 * ```
 */
import { Type } from '@sinclair/typebox'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { defineModule } from '../engine/module.js'
import { sh } from '../engine/commands.js'
import type { Command, CommandResult } from '../engine/types.js'
import { badArg } from './lib/argvalues.js'

const flag = (description: string, def: boolean) => Defaulted(Type.Boolean({ default: def, description }))

const Args = Type.Object(
  {
    repo: Type.String({ minLength: 1, aliases: ['name', 'repository'], description: 'Repository URL' }),
    dest: Type.Optional(
      Type.String({ minLength: 1, description: 'Working copy (or export) folder; needed unless nothing is fetched' }),
    ),
    revision: Defaulted(
      Type.String({ minLength: 1, default: 'HEAD', aliases: ['rev', 'version'], description: 'Revision to fetch' }),
    ),
    force: flag('Discard local modifications (revert) / let an export overwrite files', false),
    in_place: flag('Check out into an existing folder that is not a working copy', false),
    checkout: flag('Check out when dest does not exist', true),
    update: flag('Update (and switch) an existing working copy', true),
    switch: flag('Switch an existing working copy to `repo` when its URL differs', true),
    export: flag('`svn export` instead of a checkout (no working copy; always changed)', false),
    username: Type.Optional(Type.String({ minLength: 1, description: 'User for the repository' })),
    password: Type.Optional(Type.String({ description: 'Password (sent over stdin, never in argv)', secret: true })),
    executable: Type.Optional(Type.String({ minLength: 1, description: 'The svn program (default: svn on PATH)' })),
    validate_certs: flag('Check the server certificate (without it: --trust-server-cert)', false),
  },
  { additionalProperties: false },
)
/** The arguments as the module receives them (defaults filled in). */
type Args = ModuleArgs<typeof Args>

/** What gather found. */
export interface SvnState {
  /** no-svn: svn missing; none: no dest given; absent: dest does not exist; wc: a working copy; other: not one. */
  dest: 'no-svn' | 'none' | 'absent' | 'wc' | 'other'
  /** The working copy's `Revision: N` and `URL: …` lines (Ansible's before/after). */
  rev?: string
  url?: string
  /** Status lines of modified versioned files. */
  mods: string[]
  /** The wanted revision on the repository (`Revision: N`), when asked. */
  target?: string
  /** Why the repository could not be read. */
  remoteError?: string
}

const LOCAL = `svn=$1; d=$2
command -v -- "$svn" >/dev/null 2>&1 || { echo 'state no-svn'; exit 0; }
[ -n "$d" ] || { echo 'state none'; exit 0; }
[ -e "$d" ] || { echo 'state absent'; exit 0; }
if info=$("$svn" info --non-interactive -- "$d" 2>/dev/null); then
  echo 'state wc'; printf '%s\\n' "$info" | sed 's/^/info /'
  "$svn" status --quiet --ignore-externals --non-interactive -- "$d" | sed 's/^/status /'
else echo 'state other'; fi`

const C_LOCALE = { LC_ALL: 'C', LANG: 'C' }
const REVISION_RE = /^\w+\s?:\s+\d+$/m

/** Parse the local probe. */
export function parseLocal(stdout: string): SvnState {
  const out: SvnState = { dest: 'absent', mods: [] }
  const info: string[] = []
  for (const line of stdout.split('\n')) {
    if (line.startsWith('state ')) out.dest = line.slice(6).trim() as SvnState['dest']
    else if (line.startsWith('info ')) info.push(line.slice(5))
    else if (line.startsWith('status ') && /^[^?X]/.test(line.slice(7))) out.mods.push(line.slice(7))
  }
  const text = info.join('\n')
  out.rev = REVISION_RE.exec(text)?.[0]
  out.url = /^URL\s?:.*$/m.exec(text)?.[0]
  return out
}

/** An svn command with the options Ansible always gives and the credentials (password over stdin). */
export function svnCommand(args: Args, words: string[], describe?: string): Command {
  const argv = [args.executable ?? 'svn', '--non-interactive', '--no-auth-cache']
  if (!args.validate_certs) argv.push('--trust-server-cert')
  if (args.username) argv.push('--username', args.username)
  const cmd: Command = { argv: [...argv, ...words], env: C_LOCALE, describe: describe ?? `svn ${words[0]}` }
  if (args.password) {
    cmd.argv = [...argv, '--password-from-stdin', ...words]
    cmd.stdin = `${args.password}\n`
    cmd.secretStdin = true
  }
  return cmd
}

/** Whether `svn switch`/`update` output names a changed file (Ansible's test). */
const touched = (r: CommandResult | undefined) => !!r && /^[ABDUCGE]\s/m.test(r.stdout)

export default defineModule({
  name: 'subversion',
  summary: 'Check out, update or export a Subversion repository',
  schema: Args,
  changedWhen:
    'a checkout or export ran (export: always), the working copy moved to another revision or URL (svn named a ' +
    'changed file), or local modifications were there',
  check: 'full',
  example: '- subversion: { repo: "file:///srv/svn/proj/trunk", dest: /opt/proj }',

  async gather(args, _ctx, io): Promise<SvnState> {
    const svn = args.executable ?? 'svn'
    const local = await io.run(sh(LOCAL, [svn, args.dest ?? ''], { env: C_LOCALE, describe: 'inspect the dest' }))
    const state = parseLocal(local.stdout)
    const fetches = args.checkout || args.update || args.export
    const ask = (state.dest === 'wc' && args.update && !args.export) || !fetches
    if (!ask || state.dest === 'no-svn') return state
    const r = await io.run({ ...svnCommand(args, ['info', '-r', args.revision, '--', args.repo]), okCodes: [0, 1] })
    if (r.rc !== 0) return { ...state, remoteError: (r.stderr || r.stdout).trim().split('\n').pop() }
    return { ...state, target: REVISION_RE.exec(r.stdout)?.[0] }
  },

  plan(state, args, ctx) {
    const { dest, repo, revision: rev } = args
    const fetches = args.checkout || args.update || args.export
    if (!dest && fetches)
      return {
        commands: [],
        fail: 'the destination directory must be specified unless checkout=no, update=no, and export=no',
      }
    if (badArg(rev)) return { commands: [], fail: `revision ${JSON.stringify(rev)} is not a revision` }
    if (state.dest === 'no-svn')
      return {
        commands: [],
        fail: `${args.executable ?? 'svn'} is not installed on the host (apt: { name: subversion })`,
      }
    if (!fetches) {
      if (state.remoteError) return { commands: [], fail: state.remoteError }
      return { commands: [], data: { after: state.target ?? null } }
    }
    const d = dest!
    if (args.export || state.dest === 'absent') {
      if (args.export)
        return {
          commands: [svnCommand(args, ['export', ...(args.force ? ['--force'] : []), '-r', rev, '--', repo, d])],
          changes: [`export ${repo} at ${rev} to ${d}`],
        }
      if (!args.checkout) return { commands: [], changed: ctx.checkMode ? true : undefined }
      return {
        commands: [svnCommand(args, ['checkout', '-r', rev, '--', repo, d])],
        changes: [`check out ${repo} at ${rev} into ${d}`],
        data: { before: null },
      }
    }
    if (state.dest === 'other') {
      if (!args.in_place)
        return { commands: [], fail: `ERROR: ${d} folder already exists, but its not a subversion repository.` }
      const cmds = [svnCommand(args, ['checkout', '--force', '-r', rev, '--', repo, d])]
      if (args.force) cmds.push(svnCommand(args, ['revert', '-R', '--', d]))
      return { commands: cmds, changes: [`check out ${repo} at ${rev} into the existing ${d}`], data: { before: null } }
    }
    // a working copy
    if (!args.update) return { commands: [] }
    if (state.mods.length && !args.force)
      return { commands: [], fail: 'ERROR: modified files exist in the repository.' }
    if (state.remoteError) return { commands: [], fail: state.remoteError }
    const before = [state.rev ?? 'Unable to get revision', state.url ?? 'Unable to get URL']
    const moved = args.switch && state.url?.replace(/^URL\s?:\s*/, '') !== repo.replace(/\/+$/, '')
    const behind = state.target !== undefined && state.target.split(':')[1] !== state.rev?.split(':')[1]
    const cmds: Command[] = []
    const changes: string[] = []
    if (moved) {
      cmds.push(svnCommand(args, ['switch', '--revision', rev, '--', repo, d]))
      changes.push(`switch ${d} to ${repo}`)
    }
    if (state.mods.length) {
      cmds.push(svnCommand(args, ['revert', '-R', '--', d]))
      changes.push(`revert local modifications in ${d}`)
    }
    if (behind || moved || state.mods.length) {
      cmds.push(svnCommand(args, ['update', '-r', rev, '--', d]))
      changes.push(`update ${d} to ${rev} (${state.target ?? '?'})`)
    }
    if (ctx.checkMode) {
      // Ansible's prediction: changed only when the working copy is older than the wanted revision
      const num = (line: string | undefined) => Number(line?.split(':')[1] ?? NaN)
      const older = num(state.rev) < num(state.target)
      return older
        ? { commands: cmds, changes, data: { before: state.rev ?? null, after: state.target ?? null } }
        : { commands: [], data: { before: state.rev ?? null, after: state.target ?? null } }
    }
    return { commands: cmds, changes, data: { before, after: before }, changed: cmds.length > 0 }
  },

  async after(state, args, results, _ctx, io) {
    // a failed svn command changed nothing Ansible would count (it fails before reporting)
    if (results.some((r) => r.rc !== 0)) return { changed: false }
    if (!results.length || args.export) return {}
    const svn = args.executable ?? 'svn'
    const info = await io.run({
      argv: [svn, '--non-interactive', 'info', '--', args.dest!],
      env: C_LOCALE,
      okCodes: [0, 1],
    })
    const now = parseLocal(`state wc\n${info.stdout.replace(/^/gm, 'info ')}`)
    const after = [now.rev ?? 'Unable to get revision', now.url ?? 'Unable to get URL']
    if (state.dest !== 'wc') return { data: { after } }
    // Ansible's measure: svn named a changed file, or there were local modifications
    const changed = results.some((r) => touched(r)) || state.mods.length > 0
    return { data: { after }, changed }
  },
})
