/**
 * `apt_repository`: add or remove a one-line apt source (`deb URI SUITE COMPONENT…`) as Ansible's `apt_repository`
 * does, without Python on the host: /etc/apt/sources.list and /etc/apt/sources.list.d/*.list are read, a source
 * already there (even disabled) is enabled where it is, else it is added to sources.list.d/NAME.list, NAME derived
 * from its URI as Ansible derives it (`deb http://deb.debian.org/debian bookworm main` →
 * `deb_debian_org_debian.list`) unless `filename` names it. `state: absent` removes every enabled line of it; a
 * file left empty is removed. Files are written atomically, normalised as Ansible writes them. With `update_cache`
 * (the default) the apt module's `apt-get update` (waiting for dpkg's lock) runs after a change, retried as Ansible
 * retries it; when it still fails, the files are put back as they were. `ppa:` sources (which need Launchpad) are
 * refused.
 *
 * @example
 * ```yaml
 * - apt_repository:
 *     repo: deb [signed-by=/etc/apt/keyrings/nodesource.gpg] https://deb.nodesource.com/node_20.x nodistro main
 * - apt_repository: { repo: "deb http://deb.debian.org/debian bookworm-backports main", filename: backports }
 * ```
 */
import { Type } from '@sinclair/typebox'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { sh, writeFile } from '../engine/commands.js'
import { defineModule, type Plan } from '../engine/module.js'
import type { Command, CommandResult, FileDiff } from '../engine/types.js'
import { APT_UPDATE_RETRIED } from './apt.js'
import { wantedMode } from './lib/attrs.js'
import { parseRepo, SourcesList, suggestFilename, type SourcesFile } from './lib/sourceslist.js'

const Args = Type.Object(
  {
    repo: Type.String({ description: 'The source line (`deb [options] URI SUITE [COMPONENT…]`).' }),
    state: Defaulted(
      Type.Union([Type.Literal('present'), Type.Literal('absent')], {
        default: 'present',
        description: 'Whether the source should be there.',
      }),
    ),
    mode: Type.Optional(
      Type.Union([Type.String(), Type.Integer()], {
        description: 'Mode of a file the task adds the line to, new or not (a new file gets 0644 without it).',
      }),
    ),
    update_cache: Defaulted(
      Type.Boolean({ default: true, description: 'Run `apt-get update` after a change.', aliases: ['update-cache'] }),
    ),
    update_cache_retries: Defaulted(Type.Integer({ default: 5, description: 'How often to try `apt-get update`.' })),
    update_cache_retry_max_delay: Defaulted(
      Type.Integer({ default: 12, description: 'Longest wait between tries, in seconds (doubling from 1).' }),
    ),
    filename: Type.Optional(
      Type.String({ description: "The file's name in sources.list.d, without `.list` (default: from the URI)." }),
    ),
    codename: Type.Optional(Type.String({ description: 'Accepted for compatibility; only `ppa:` sources use it.' })),
    install_python_apt: Defaulted(
      Type.Boolean({ default: true, description: 'Accepted for compatibility and ignored (no Python is needed).' }),
    ),
    validate_certs: Defaulted(
      Type.Boolean({ default: true, description: 'Accepted for compatibility and ignored (nothing is fetched).' }),
    ),
  },
  { additionalProperties: false },
)
type Args = ModuleArgs<typeof Args>

/** The sources files of the host. */
export interface SourcesState {
  files: SourcesFile[]
}

/** Marks the start of a file in gather's output (ASCII record separator). */
const MARK = '\x1e'
const LIST =
  'for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do [ -f "$f" ] || continue; ' +
  'printf "\\036%s\\n" "$f"; cat -- "$f"; [ -z "$(tail -c 1 -- "$f")" ] || echo; done'

/** Gather's output → files. */
export function parseSources(stdout: string): SourcesFile[] {
  return stdout
    .split(MARK)
    .slice(1)
    .map((chunk) => {
      const nl = chunk.indexOf('\n')
      return { path: chunk.slice(0, nl), text: chunk.slice(nl + 1) }
    })
}

/** The files a change writes: as Ansible's save, every file differing from its normalised text, not only one. */
function written(s: SourcesState, after: Map<string, string | undefined>): string[] {
  const raw = new Map(s.files.map((f) => [f.path, f.text]))
  return [...after].filter(([p, text]) => text !== raw.get(p) && (text !== undefined || raw.has(p))).map(([p]) => p)
}

/** A new file's mode as the file modules read it (a number's digits are octal, symbolic modes from 0644). */
const modeOf = (m: Args['mode']): string => wantedMode(m, undefined, false) ?? '0644'

/** The sources files before and after the edit the arguments ask for, or why the repository is refused. Pure. */
function edit(s: SourcesState, a: Args) {
  if (a.repo.trim() === '') return { fail: "Please set argument 'repo' to a non-empty value" }
  if (a.repo.startsWith('ppa:'))
    return { fail: 'ppa: sources are not supported (they need Launchpad); give the deb line instead' }
  const source = parseRepo(a.repo)
  if (typeof source !== 'string') return { fail: `Invalid repository string: ${source.invalid}` }
  const list = new SourcesList(s.files)
  const before = list.render()
  if (a.state === 'present') list.add(source, suggestFilename(source, a.filename))
  else list.remove(source)
  return { source, list, before, after: list.render() }
}

/**
 * The mode a written file gets, as Ansible's: `mode` on a file this task adds a line to (new or not), 0644 on a new
 * one without `mode`; any other file keeps its own.
 */
function fileMode(list: SourcesList, path: string, a: Args): { mode?: string } {
  if (a.mode !== undefined && list.appended.has(path)) return { mode: modeOf(a.mode) }
  return list.created.has(path) ? { mode: modeOf(undefined) } : {}
}

/** Decide. Pure. */
export function planAptRepository(s: SourcesState, a: Args): Plan {
  const data = { repo: a.repo, state: a.state }
  const e = edit(s, a)
  if (e.fail !== undefined) return { commands: [], fail: e.fail }
  const { source, list, before, after } = e
  const changedFiles = [...after.keys()].filter((p) => after.get(p) !== before.get(p))
  if (changedFiles.length === 0) return { commands: [], data }
  const commands: Command[] = []
  const diff: FileDiff[] = []
  for (const path of written(s, after)) {
    const text = after.get(path)
    if (text === undefined) commands.push({ argv: ['rm', '-f', '--', path], describe: `remove ${path}` })
    else commands.push(writeFile(path, text, fileMode(list, path, a)))
  }
  for (const path of changedFiles) diff.push({ path, before: before.get(path) ?? '', after: after.get(path) ?? '' })
  if (a.update_cache)
    commands.push({
      ...sh(APT_UPDATE_RETRIED, [String(a.update_cache_retries), String(a.update_cache_retry_max_delay)]),
      describe: 'apt-get update',
    })
  const verb = a.state === 'present' ? 'add' : 'remove'
  return { commands, changes: changedFiles.map((p) => `${verb} ${source} in ${p}`), data, diff }
}

/** Put the files back as gather read them (after a failed `apt-get update`). */
export function revertCommands(s: SourcesState, touched: readonly string[]): Command[] {
  const raw = new Map(s.files.map((f) => [f.path, f.text]))
  return touched.map((path) => {
    const text = raw.get(path)
    return text === undefined
      ? { argv: ['rm', '-f', '--', path], describe: `remove ${path}` }
      : writeFile(path, text, { describe: `restore ${path}` })
  })
}

export default defineModule({
  name: 'apt_repository',
  summary: 'Add or remove a one-line apt source in /etc/apt/sources.list.d',
  schema: Args,
  changedWhen: 'the sources files change (as normalised text)',
  check: 'full',
  example: 'apt_repository: { repo: "deb http://deb.debian.org/debian bookworm-backports main" }',
  async gather(_args: Args, _ctx, io): Promise<SourcesState> {
    const [r] = await io.batch([sh(LIST, [], { describe: 'read the apt sources' })])
    return { files: parseSources(r.stdout) }
  },
  plan: (state, args) => planAptRepository(state, args),
  async after(state, args, results: CommandResult[], _ctx, io) {
    const e = edit(state, args)
    const last = results.at(-1)
    if (!args.update_cache || e.fail !== undefined || !last || last.rc === 0) return {}
    // the plan's commands: one per written file, then the update
    const touched = written(state, e.after)
    if (results.length <= touched.length) return {}
    for (const cmd of revertCommands(state, touched)) await io.run(cmd)
    return {
      fail: `Failed to update apt cache: ${(last.stderr || last.stdout).trim().slice(-2000) || 'unknown reason'}`,
    }
  },
})
