/**
 * The apt module's whole-task modes besides naming packages, in Ansible 2.14's order — the first that applies is
 * the task: `upgrade`, then `deb`, then `state: build-dep`, then `autoclean` (only when no package is named). Each
 * reads what it decides on (a simulation, or the .deb's control fields) and plans one apt-get command.
 *
 * @example
 * ```ts
 * aptMode({ upgrade: 'dist', … }, []) // 'upgrade'
 * ```
 */
import { ModuleFailure, type HostIO, type Plan } from '../../engine/module.js'
import type { Command } from '../../engine/types.js'
import { fetchOnHost, isUrl, removeFetched, thenRemove } from './hostfetch.js'
import { parseDpkgQuery, isInstalled } from './apt-state.js'
import {
  installFlags,
  parseAutoclean,
  parseSimulatedInstalls,
  simulatesNothing,
  upgradeFlags,
  upgradeMode,
  upgradeVerb,
  withPolicyRcD,
  type AptOpts,
} from './aptopts.js'

/** The arguments the modes read. */
export interface ModeArgs extends AptOpts {
  state: string
  upgrade?: string | boolean
  deb?: string
  autoclean: boolean
  autoremove: boolean
  purge: boolean
  install_recommends: boolean
}

/** What a mode's gather read. */
export interface ModeState {
  /** The output of the apt-get simulation that decides `upgrade`, `build-dep` or `autoclean`. */
  simulated?: string
  /** The .deb `deb` names: its package and version, and the version installed ('' for none). */
  deb?: { name: string; version: string; installed: string }
  /** A `deb` URL's download on the host: the file, in a temp folder the install removes. */
  fetched?: { file: string; dir: string }
}

export type AptMode = 'upgrade' | 'deb' | 'build-dep' | 'autoclean' | 'packages'

/** Which mode a task is (Ansible runs the first that applies and stops). */
export function aptMode(a: ModeArgs, names: string[]): AptMode {
  if (upgradeMode(a.upgrade)) return 'upgrade'
  if (a.deb !== undefined) return 'deb'
  if (a.state === 'build-dep' && names.length) return 'build-dep'
  if (!names.length && a.autoclean) return 'autoclean'
  return 'packages'
}

/** A local .deb path as apt-get takes it (a path, not a name: `./x.deb` for a bare file name). */
const debPath = (p: string) => (p.includes('/') ? p : `./${p}`)

/** Download a `deb` URL on the host (Ansible's apt fetches it there too, also in check mode). */
const fetchDeb = (url: string, io: HostIO) => fetchOnHost(url, io, { module: 'apt', name: 'package.deb' })

/** The simulation of a mode, or undefined for `deb` and `packages`. */
function simulation(mode: AptMode, a: ModeArgs, names: string[]): string[] | undefined {
  if (mode === 'upgrade')
    return ['apt-get', '-s', ...upgradeFlags(a, a.autoremove), ...upgradeVerb(upgradeMode(a.upgrade)!)]
  if (mode === 'build-dep') return ['apt-get', '-s', ...installFlags(a), 'build-dep', ...names]
  if (mode === 'autoclean') return ['apt-get', '-s', 'autoclean']
  return undefined
}

/** Read what the mode decides on (read-only: simulations and `dpkg-deb -f`). */
export async function gatherMode(
  mode: AptMode,
  a: ModeArgs,
  names: string[],
  io: HostIO,
  env: Record<string, string>,
  checkMode = false,
) {
  const out: ModeState = {}
  const sim = simulation(mode, a, names)
  if (sim) {
    const r = await io.run({ argv: sim, env, okCodes: [0, 100] })
    if (r.rc !== 0) throw new ModuleFailure(`${sim.join(' ')} failed: ${(r.stderr || r.stdout).trim()}`)
    out.simulated = r.stdout
  }
  if (mode === 'deb') {
    if (isUrl(a.deb!)) out.fetched = await fetchDeb(a.deb!, io)
    try {
      out.deb = await readDeb(out.fetched?.file ?? debPath(a.deb!), a.deb!, io)
    } finally {
      // kept only for an install to come
      const installs = out.deb && a.state === 'present' && out.deb.installed !== out.deb.version && !checkMode
      if (out.fetched && !installs) {
        await io.run(removeFetched(out.fetched))
        out.fetched = undefined
      }
    }
  }
  return out
}

/** The package and version of the .deb `file` (`deb` as the task wrote it), and the version installed. */
async function readDeb(file: string, deb: string, io: HostIO): Promise<NonNullable<ModeState['deb']>> {
  const f = await io.run({ argv: ['dpkg-deb', '-f', file, 'Package', 'Version'], okCodes: [0, 1, 2] })
  const field = (k: string) => new RegExp(`^${k}: *(.*)$`, 'm').exec(f.stdout)?.[1]?.trim()
  const name = field('Package')
  const version = field('Version')
  if (f.rc !== 0 || !name || !version)
    throw new ModuleFailure(`cannot read the package ${deb}: ${(f.stderr || f.stdout).trim()}`)
  const q = await io.run({
    argv: ['dpkg-query', '-W', '-f', '${Package}\t${db:Status-Abbrev}\t${Version}\n', '--', name],
    okCodes: [0, 1],
  })
  const cur = parseDpkgQuery(q.stdout).get(name)
  return { name, version, installed: isInstalled(cur) ? cur!.version : '' }
}

/** The plan of a mode other than `packages`: one apt-get command, or none when the simulation changes nothing. */
export function planMode(mode: AptMode, s: ModeState, a: ModeArgs, names: string[], base: string[], env: object): Plan {
  const cmd = (argv: string[], describe: string): Command =>
    withPolicyRcD({ argv, env: env as Record<string, string>, describe }, a.policy_rc_d)
  const rec = a.install_recommends ? [] : ['--no-install-recommends']
  if (mode === 'deb') {
    if (a.state !== 'present') return { commands: [], fail: 'deb only supports state=present' }
    const d = s.deb!
    if (d.installed === d.version) return { commands: [] }
    const what = d.installed ? `change ${d.name} ${d.installed} → ${d.version}` : `install ${d.name} ${d.version}`
    const install = [...base, ...rec, ...installFlags(a), 'install', s.fetched?.file ?? debPath(a.deb!)]
    const argv = s.fetched ? thenRemove(s.fetched.dir, install) : install
    return { commands: [cmd(argv, what)], changes: [`${what} (${a.deb})`] }
  }
  const sim = s.simulated ?? ''
  if (mode === 'autoclean') {
    const dels = parseAutoclean(sim)
    if (!dels.length) return { commands: [] }
    const flags = [...(a.purge ? ['--purge'] : []), ...(a.force ? ['--force-yes'] : [])]
    return { commands: [cmd([...base, ...flags, 'autoclean'], 'apt-get autoclean')], changes: dels }
  }
  if (simulatesNothing(sim)) return { commands: [] }
  const changes = parseSimulatedInstalls(sim)
  if (mode === 'upgrade') {
    const verb = upgradeVerb(upgradeMode(a.upgrade)!)
    return {
      commands: [cmd([...base, ...upgradeFlags(a, a.autoremove), ...verb], `apt-get ${verb[0]}`)],
      changes: changes.length ? changes : [`apt-get ${verb[0]}`],
    }
  }
  return {
    commands: [cmd([...base, ...rec, ...installFlags(a), 'build-dep', ...names], `build-dep ${names.join(' ')}`)],
    changes: changes.length ? changes : [`build-dep ${names.join(' ')}`],
  }
}

/**
 * The plan with `clean`'s `apt-get clean` first. It never counts as a change: the rest of the task decides, also when
 * there is no rest (ansible-core 2.14's apt reports `clean` alone as not changed). Pure.
 */
export function withClean(p: Plan, a: { clean: boolean }, env: object): Plan {
  if (!a.clean || p.fail) return p
  const clean: Command = { argv: ['apt-get', 'clean'], env: env as Record<string, string>, describe: 'apt-get clean' }
  const changed = p.changed ?? p.commands.length > 0
  return { ...p, commands: [clean, ...p.commands], changes: [...(p.changes ?? []), 'apt-get clean'], changed }
}
