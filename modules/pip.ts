/**
 * pip: install, upgrade or remove Python packages, optionally in a virtualenv that is created first. One probe
 * finds pip (`executable`, the virtualenv's `bin/pip3`/`bin/pip`, `python3 -m pip`, or `pip3`) and lists what is
 * installed; a plain requirement that is already satisfied (present) or not installed (absent) runs nothing.
 * Anything pip must decide (a path, URL, `requirements`, `latest`, `forcereinstall`) runs pip, and changed is read
 * from its output as Ansible does ("Successfully installed/uninstalled", or the package list before and after).
 *
 * @example
 * ```yaml
 * - pip: { name: [requests, "six>=1.16"], virtualenv: /opt/app/venv, virtualenv_command: python3 -m venv }
 * ```
 */
import { Type } from '@sinclair/typebox'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { argRules } from '../engine/argrules.js'
import { defineModule, ModuleFailure, type ModuleContext, type Plan } from '../engine/module.js'
import { sh } from '../engine/commands.js'
import { splitArgs, SplitError } from '../engine/source/split.js'
import type { Command, CommandResult } from '../engine/types.js'
import { ALL_CODES, SBIN_PATH } from './lib/run.js'
import { parseFreeze, parseRequirement, recoverNames, satisfied, withVersion } from './lib/pipreq.js'
import { umaskArg, withUmask } from './lib/umask.js'

const State = Type.Union(
  [Type.Literal('present'), Type.Literal('absent'), Type.Literal('latest'), Type.Literal('forcereinstall')],
  { default: 'present', description: 'present, absent, latest (upgrade) or forcereinstall' },
)

const Args = Type.Object(
  {
    name: Type.Optional(
      Type.Union([Type.String({ minLength: 1 }), Type.Array(Type.String({ minLength: 1 }))], {
        description: 'Package names or requirement strings (`six>=1.16`), paths or URLs (a comma-separated string)',
      }),
    ),
    version: Type.Optional(Type.String({ minLength: 1, description: 'Version (or specifier) of the one `name`' })),
    requirements: Type.Optional(Type.String({ minLength: 1, description: 'A requirements file (`pip -r`)' })),
    virtualenv: Type.Optional(
      Type.String({ minLength: 1, description: 'Virtualenv folder to install into; created when missing' }),
    ),
    virtualenv_site_packages: Defaulted(
      Type.Boolean({ default: false, description: 'A new virtualenv sees the system site-packages' }),
    ),
    virtualenv_command: Defaulted(
      Type.String({
        minLength: 1,
        default: 'virtualenv',
        description: 'Command creating the virtualenv (`python3 -m venv`, `virtualenv`, a path)',
      }),
    ),
    virtualenv_python: Type.Optional(
      Type.String({ minLength: 1, description: 'Python for `virtualenv -p` (not with `-m venv`)' }),
    ),
    state: Defaulted(State),
    extra_args: Type.Optional(Type.String({ description: 'More pip arguments, split into words (no shell)' })),
    editable: Defaulted(Type.Boolean({ default: false, description: 'Install in editable mode (`-e`)' })),
    chdir: Type.Optional(Type.String({ minLength: 1, description: 'Folder pip runs in (default: /tmp)' })),
    executable: Type.Optional(Type.String({ minLength: 1, description: 'pip to run: a path or a name on PATH' })),
    umask: umaskArg('the virtualenv creation and pip'),
  },
  {
    additionalProperties: false,
    ...argRules({
      required_one_of: [['name', 'requirements']],
      mutually_exclusive: [
        ['name', 'requirements'],
        ['executable', 'virtualenv'],
      ],
    }),
  },
)
/** The arguments as the module receives them (defaults filled in). */
type Args = ModuleArgs<typeof Args>

/** What gather found. */
export interface PipState {
  /** The virtualenv: there (has bin/activate), missing, or no virtualenv asked for. */
  venv: 'there' | 'missing' | 'none'
  /** The pip command found (empty: none). */
  pip: string[]
  /** `pip list --format=freeze` output (or `pip freeze`), as read before any change. */
  freeze: string
}

const STATE_ARGS: Record<Args['state'], string[]> = {
  present: ['install'],
  absent: ['uninstall', '-y'],
  latest: ['install', '-U'],
  forcereinstall: ['install', '-U', '--force-reinstall'],
}

/** Finds the virtualenv and pip, then lists the packages. $1 virtualenv, $2 executable. */
const PROBE = `venv=$1; exe=$2; set --
if [ -n "$exe" ]; then
  case $exe in /*) [ -x "$exe" ] && set -- "$exe" ;; *) p=$(command -v -- "$exe") && set -- "$p" ;; esac
elif [ -n "$venv" ]; then
  [ -e "$venv/bin/activate" ] || { echo 'venv missing'; exit 0; }
  echo 'venv there'
  for b in pip3 pip; do if [ -x "$venv/bin/$b" ]; then set -- "$venv/bin/$b"; break; fi; done
elif python3 -c 'import pip' >/dev/null 2>&1; then set -- python3 -m pip
elif p=$(command -v pip3); then set -- "$p"; fi
[ $# -gt 0 ] || exit 0
for a in "$@"; do printf 'argv %s\\n' "$a"; done
out=$(LC_ALL=C "$@" list --format=freeze 2>/dev/null) || out=$("$@" freeze 2>/dev/null) || exit 0
printf '%s\\n' "$out" | sed 's/^/pkg /'`

/** The virtualenv's path (relative to chdir, as Ansible joins them). */
function venvPath(args: Args): string | undefined {
  const v = args.virtualenv
  if (!v) return undefined
  return args.chdir && !v.startsWith('/') ? `${args.chdir.replace(/\/$/, '')}/${v}` : v
}

/** Parse the probe's output. */
export function parseProbe(stdout: string, venvAsked: boolean): PipState {
  const out: PipState = { venv: venvAsked ? 'missing' : 'none', pip: [], freeze: '' }
  const pkgs: string[] = []
  for (const line of stdout.split('\n')) {
    if (line === 'venv there') out.venv = 'there'
    else if (line.startsWith('argv ')) out.pip.push(line.slice(5))
    else if (line.startsWith('pkg ')) pkgs.push(line.slice(4))
  }
  out.freeze = pkgs.join('\n')
  return out
}

/** The words of `extra_args` (with `-e` added for `editable`). */
function extraWords(args: Args): string[] {
  let words: string[]
  try {
    words = args.extra_args ? splitArgs(args.extra_args) : []
  } catch (e) {
    if (e instanceof SplitError) throw new ModuleFailure(`extra_args: ${e.message}`)
    throw e
  }
  return args.editable && !words.includes('-e') ? [...words, '-e'] : words
}

/** The requirement strings to pass pip, checked as Ansible checks them. */
function packagesOf(args: Args): string[] {
  if (!args.name) return []
  const names = recoverNames(typeof args.name === 'string' ? args.name.split(',') : args.name)
  if (args.version === undefined) return names
  if (names.length > 1)
    throw new ModuleFailure("'version' is ambiguous with several packages: give each its version in 'name'")
  if (parseRequirement(names[0]!)?.specs.length)
    throw new ModuleFailure("'version' conflicts with the version specifier in 'name': keep one of them")
  return [withVersion(names[0]!, args.version)]
}

/** Whether every package is a plain requirement whose state is already as asked (present or absent). */
function settled(pkgs: string[], state: Args['state'], freeze: string): boolean {
  if (state !== 'present' && state !== 'absent') return false
  const installed = parseFreeze(freeze)
  return pkgs.every((p) => {
    const req = parseRequirement(p)
    if (!req) return false
    const v = installed.get(req.name)
    return state === 'present' ? v !== undefined && satisfied(req, v) : v === undefined
  })
}

/** Python projects whose name is a VCS URL (`git+https://…`): their change is seen in the package list only. */
const VCS_RE = /^(svn|git|hg|bzr)\+/

export default defineModule({
  name: 'pip',
  summary: 'Install, upgrade or remove Python packages with pip (in a virtualenv it creates)',
  schema: Args,
  changedWhen:
    'the virtualenv is created, or pip installs/removes something (a satisfied requirement runs nothing; ' +
    'otherwise read from pip: "Successfully installed/uninstalled", or the package list before and after)',
  check: 'full',
  example: '- pip: { name: flask, version: "3.0.3", virtualenv: /opt/app/venv, virtualenv_command: python3 -m venv }',

  async gather(args, _ctx, io): Promise<PipState> {
    const venv = venvPath(args)
    const res = await io.run(sh(PROBE, [venv ?? '', args.executable ?? ''], { describe: 'find pip and its packages' }))
    return parseProbe(res.stdout, venv !== undefined)
  },

  plan: (state, args, ctx) => withUmask(planPip(state, args, ctx), args.umask),

  async after(state, args, results, _ctx, io) {
    const created = state.venv === 'missing'
    const r: CommandResult | undefined = results[created ? 1 : 0]
    if (!r) return { changed: false }
    const data = { stdout: (created ? results[0]!.stdout : '') + r.stdout, stderr: r.stderr }
    const text = r.stdout + r.stderr
    if (r.rc !== 0 && !(r.rc === 1 && args.state === 'absent' && text.includes('not installed'))) {
      const msg = `${r.stdout ? `stdout: ${r.stdout}` : ''}${r.stderr ? `\n:stderr: ${r.stderr}` : ''}`
      return { data, fail: msg.trim() || `pip failed (rc ${r.rc})`, changed: false }
    }
    let changed: boolean
    const names = typeof args.name === 'string' ? [args.name] : (args.name ?? [])
    if (args.state === 'absent') changed = r.stdout.includes('Successfully uninstalled')
    else if (args.requirements || names.some((n) => VCS_RE.test(n))) {
      const again = parseProbe((await io.run(sh(PROBE, [venvPath(args) ?? '', args.executable ?? '']))).stdout, true)
      changed = again.freeze !== state.freeze
    } else changed = r.stdout.includes('Successfully installed')
    return { data, changed: changed || created }
  },
})

/** The plan for what gather found (the call's umask is applied by the caller). */
function planPip(state: PipState, args: Args, ctx: ModuleContext): Plan {
  if (args.state === 'latest' && args.version !== undefined)
    return { commands: [], fail: 'version is incompatible with state=latest' }
  const venv = venvPath(args)
  const pkgs = packagesOf(args)
  const extra = extraWords(args)
  const cwd = args.chdir ?? '/tmp'
  const cmds: Command[] = []
  const changes: string[] = []
  let pip = state.pip
  if (state.venv === 'missing') {
    const words = splitArgs(args.virtualenv_command)
    const isVenv = /pyvenv|-m venv/.test(args.virtualenv_command)
    if (isVenv && args.virtualenv_python)
      return { commands: [], fail: 'virtualenv_python cannot be used with the venv module or pyvenv' }
    const argv = [
      ...words,
      ...(args.virtualenv_site_packages ? ['--system-site-packages'] : []),
      ...(isVenv ? [] : [`-p${args.virtualenv_python ?? 'python3'}`]),
      venv!,
    ]
    cmds.push({ argv, cwd, describe: `create the virtualenv ${venv}` })
    changes.push(`create the virtualenv ${venv}`)
    pip = [`${venv}/bin/pip`]
  } else if (!pip.length) {
    const fail = venv
      ? `Unable to find pip in the virtualenv ${venv} (bin/pip3 or bin/pip): make sure pip is present in it`
      : args.executable
        ? `Unable to find ${args.executable} to use: pip needs to be installed`
        : 'Unable to find pip3 (nor python3 -m pip) to use: pip needs to be installed (apt: { name: python3-pip })'
    return { commands: [], fail }
  }
  const what = pkgs.length ? pkgs : ['-r', args.requirements!]
  const argv = [...pip, ...STATE_ARGS[args.state], ...extra, ...what]
  const env = venv ? { PATH: `${venv}/bin:${SBIN_PATH}` } : undefined
  const install: Command = { argv, cwd, okCodes: ALL_CODES, describe: argv.join(' '), ...(env ? { env } : {}) }
  const data = {
    cmd: argv,
    name: pkgs.length ? args.name : null,
    version: args.version ?? null,
    state: args.state,
    requirements: args.requirements ?? null,
    virtualenv: venv ?? null,
  }
  const predictAlways = ctx.checkMode && (args.extra_args || args.requirements || args.state === 'latest')
  const quiet = ctx.checkMode
    ? !predictAlways && (args.state === 'forcereinstall' || settled(pkgs, args.state, state.freeze))
    : settled(pkgs, args.state, state.freeze)
  if (state.venv !== 'missing' && pkgs.length && quiet) return { commands: [], data }
  cmds.push(install)
  changes.push(`pip ${STATE_ARGS[args.state].join(' ')} ${what.join(' ')}`)
  return { commands: cmds, changes, data }
}
