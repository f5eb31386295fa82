/**
 * apt: install, upgrade and remove Debian packages. Gather reads dpkg (what is installed) and `apt-cache policy`
 * (candidates); the plan names exactly the packages that would change, so `--check` tells them. `update_cache` is
 * the refresh step "refresh the package lists" (`apt-get update`), run before gather and never in check mode; as
 * in Ansible it is a change only when nothing else is asked. Installs wait for the dpkg lock instead of failing.
 * `upgrade`, `deb`, `state: build-dep` and `autoclean` are whole-task modes decided by a simulation or the .deb's
 * fields (lib/aptmodes.ts); the install flags and `policy_rc_d` are in lib/aptopts.ts.
 *
 * @example
 * ```yaml
 * - apt: { name: [git, postgresql], state: present, update_cache: true, cache_valid_time: 3600 }
 * ```
 */
import { Type } from '@sinclair/typebox'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { defineModule, ModuleFailure, type ModuleContext, type Plan, type Refresh } from '../engine/module.js'
import { sh } from '../engine/commands.js'
import type { Command } from '../engine/types.js'
import { toList } from './lib/argvalues.js'
import { EXTRA_ARGS } from './lib/aptargs.js'
import { aptMode, gatherMode, planMode, withClean, type ModeState } from './lib/aptmodes.js'
import { installFlags, withPolicyRcD } from './lib/aptopts.js'
import {
  isInstalled,
  parseAptPolicy,
  parseDpkgQuery,
  parseSimulatedRemovals,
  PKG_SPEC_RE,
  splitSpec,
  type AptPolicy,
  type DpkgState,
} from './lib/apt-state.js'

const Args = Type.Object(
  {
    name: Type.Optional(
      Type.Union([Type.String(), Type.Array(Type.String())], {
        description: 'Package name(s); `pkg=version` pins a version; a comma-separated string is a list',
        aliases: ['pkg', 'package'],
      }),
    ),
    state: Defaulted(
      Type.Union(
        [
          Type.Literal('present'),
          Type.Literal('absent'),
          Type.Literal('latest'),
          Type.Literal('build-dep'),
          Type.Literal('fixed'),
        ],
        {
          description:
            'present: installed; latest: installed at the candidate version; absent: removed; build-dep: the ' +
            "packages' build dependencies installed (`apt-get build-dep`, needs deb-src sources); fixed: as " +
            'present, installing with `--fix-broken` (apt-get repairs broken dependencies in the same run)',
          default: 'present',
        },
      ),
    ),
    update_cache: Defaulted(
      Type.Boolean({
        description: 'Run `apt-get update` first (a change only when no package is named)',
        default: false,
      }),
    ),
    cache_valid_time: Defaulted(
      Type.Integer({
        minimum: 0,
        description:
          'Update the package lists when they are older than this many seconds (implies update_cache; 0: always)',
        default: 0,
      }),
    ),
    install_recommends: Defaulted(Type.Boolean({ description: 'Install recommended packages too', default: false })),
    purge: Defaulted(
      Type.Boolean({ description: 'With state absent: remove configuration files too', default: false }),
    ),
    autoremove: Defaulted(Type.Boolean({ description: 'Remove dependencies nothing needs any more', default: false })),
    ...EXTRA_ARGS,
  },
  { additionalProperties: false },
)
/** The arguments as the module receives them (defaults filled in). */
type Args = ModuleArgs<typeof Args>

/** What gather read (read-only: the package lists are refreshed by the `refresh` step before it). */
export interface AptState extends ModeState {
  dpkg: Record<string, DpkgState>
  policy: Record<string, AptPolicy>
  /** Packages `apt-get -s autoremove` would remove (only read when `autoremove`). */
  autoremovable: string[]
  /** When the package lists were last updated (the stamp's, else the lists folder's time; 0: never). */
  cacheTime?: number
}

const ENV = { DEBIAN_FRONTEND: 'noninteractive' }
/** apt-get's options for every change: yes, quiet, the lock wait and the dpkg options. */
const opts = (a: Pick<Args, 'lock_timeout' | 'dpkg_options'>): string[] => [
  '-y',
  '-q',
  '-o',
  `DPkg::Lock::Timeout=${a.lock_timeout}`,
  ...a.dpkg_options
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean)
    .flatMap((o) => ['-o', `Dpkg::Options::=--${o}`]),
]
const STAMP = '/var/lib/apt/periodic/update-success-stamp'
/** Read-only: the package lists' update time as Ansible's apt reads it (the stamp, else the lists folder, else 0). */
const CACHE_TIME = `stat -c %Y ${STAMP} 2>/dev/null || stat -c %Y /var/lib/apt/lists 2>/dev/null || echo 0`

/**
 * Read-only: exit 0 when the package lists are older than $1 seconds (stamp file, else the lists folder) or there
 * are none, 1 when they are younger.
 */
export const LISTS_OLDER_THAN = `set -- "$1" /var/lib/apt/lists/*_Packages*; [ -e "$2" ] || exit 0
now=$(date +%s); t=$(${CACHE_TIME})
[ $((now - t)) -ge "$1" ]`
/**
 * `apt-get update` (waiting for dpkg's lock), then the stamp `cache_valid_time` reads. Shell text: `apt_repository`
 * runs it in its retry loop.
 */
export const APT_UPDATE =
  'apt-get -q -o DPkg::Lock::Timeout=600 update && ' + `mkdir -p ${STAMP.replace(/\/[^/]+$/, '')} && touch ${STAMP}`
/**
 * `apt-get update` tried $1 times (none: it fails), waiting 1, 2, 4… seconds, at most $2, between tries, as
 * Ansible's apt and apt_repository retry it (`update_cache_retries`, `update_cache_retry_max_delay`).
 */
export const APT_UPDATE_RETRIED =
  `n=$1; max=$2; i=0; while [ "$i" -lt "$n" ]; do { ${APT_UPDATE}; } && exit 0; i=$((i + 1)); ` +
  '[ "$i" -lt "$n" ] || break; d=$max; [ "$i" -gt 12 ] || d=$((1 << (i - 1))); [ "$d" -le "$max" ] || d=$max; ' +
  'sleep "$d"; done; echo "apt-get update failed (tried $n time(s))" >&2; exit 1'

/** The refresh step: `apt-get update` when `update_cache` (or `cache_valid_time`) asks and the lists are stale. */
export function aptRefresh(
  args: Pick<Args, 'update_cache' | 'cache_valid_time' | 'update_cache_retries' | 'update_cache_retry_max_delay'>,
): Refresh | undefined {
  if (!args.update_cache && !(args.cache_valid_time > 0)) return undefined
  const due =
    args.cache_valid_time > 0
      ? sh(LISTS_OLDER_THAN, [String(args.cache_valid_time)], {
          okCodes: [0, 1],
          describe: `are the package lists older than ${args.cache_valid_time} s`,
        })
      : undefined
  const update = sh(
    APT_UPDATE_RETRIED,
    [String(args.update_cache_retries), String(args.update_cache_retry_max_delay)],
    {
      env: ENV,
      describe: 'apt-get update',
    },
  )
  return { describe: 'refresh the package lists', commands: [update], due }
}

function specs(args: Args): string[] {
  return toList(args.name)
}

export default defineModule({
  name: 'apt',
  summary: 'Install, upgrade or remove Debian packages',
  schema: Args,
  changedWhen:
    'a package is installed, upgraded or removed (dpkg state changes); with no package named: the cache was updated',
  check: 'full',
  example: '- apt: { name: [git, make], state: present, update_cache: true, cache_valid_time: 3600 }',

  refresh: (args) => aptRefresh(args),

  async gather(args, ctx, io): Promise<AptState> {
    const names = specs(args).map((s) => splitSpec(s).name)
    const bad = specs(args).filter((s) => !PKG_SPEC_RE.test(s))
    if (bad.length)
      throw new ModuleFailure(`not a Debian package name: ${bad.map((b) => JSON.stringify(b)).join(', ')}`)
    const mode = aptMode(args, names)
    if (mode !== 'packages')
      return {
        dpkg: {},
        policy: {},
        autoremovable: [],
        ...(await gatherMode(mode, args, names, io, ENV, ctx.checkMode)),
      }
    const release = args.default_release ? ['-o', `APT::Default-Release=${args.default_release}`] : []
    const cmds: Command[] = []
    if (names.length) {
      cmds.push({
        argv: ['dpkg-query', '-W', '-f', '${Package}\t${db:Status-Abbrev}\t${Version}\n', '--', ...names],
        okCodes: [0, 1],
      })
      cmds.push({ argv: ['apt-cache', ...release, 'policy', '--', ...names] })
    }
    if (args.autoremove) cmds.push({ argv: ['apt-get', '-s', '-q', 'autoremove'], env: ENV })
    // Ansible's cache_update_time, in the same round trip (a removal's result has none)
    const timed = args.state !== 'absent'
    if (timed) cmds.push(sh(CACHE_TIME, [], { describe: 'when the package lists were updated' }))
    const res = await io.batch(cmds)
    const cacheTime = timed ? Number(res.pop()?.stdout) || 0 : 0
    const state: AptState = { dpkg: {}, policy: {}, autoremovable: [], cacheTime }
    if (names.length) {
      const [dq, pol] = res
      if (pol.rc !== 0) throw new ModuleFailure(`apt-cache policy failed: ${(pol.stderr || pol.stdout).trim()}`)
      state.dpkg = Object.fromEntries(parseDpkgQuery(dq.stdout))
      state.policy = Object.fromEntries(parseAptPolicy(pol.stdout))
    }
    if (args.autoremove) state.autoremovable = parseSimulatedRemovals(res[res.length - 1].stdout)
    return state
  },

  plan: (state, args, ctx) => withClean(planApt(state, args, ctx), args, ENV),

  // Ansible's apt reports a failed apt-get as not changed (its recap counts no change for an ignored failure)
  async after(_s, _a, results) {
    return results.some((r) => r.rc !== 0) ? { changed: false } : {}
  },
})

/** The plan of every mode but `clean`'s step. */
function planApt(state: AptState, args: Args, ctx: ModuleContext): Plan {
  const refreshed = ctx.refreshed === 'ran' || ctx.refreshed === 'predicted'
  const names = specs(args).map((s) => splitSpec(s).name)
  const mode = aptMode(args, names)
  if (mode !== 'packages') {
    // Ansible: a cache update with no package, upgrade or deb named ends the task there (autoclean is not run)
    if (mode === 'autoclean' && aptRefresh(args))
      return { commands: [], changed: refreshed, data: { cache_updated: refreshed } }
    const p = planMode(mode, state, args, names, ['apt-get', ...opts(args)], ENV)
    return { ...p, data: { cache_updated: refreshed } }
  }
  const install: string[] = []
  const remove: string[] = []
  const changes: string[] = []
  const missing: string[] = []
  for (const spec of specs(args)) {
    const { name, version } = splitSpec(spec)
    const cur = state.dpkg[name]
    const pol = state.policy[name]
    const have = isInstalled(cur) ? cur.version : undefined
    if (args.only_upgrade && !have && pol) continue // only_upgrade never installs (an unknown name still fails)
    if (args.state === 'absent') {
      if (have || (args.purge && cur?.status.startsWith('rc'))) {
        remove.push(name)
        changes.push(`${args.purge ? 'purge' : 'remove'} ${name}${have ? ` ${have}` : ' (config files)'}`)
      }
      continue
    }
    if (version) {
      if (have === version) continue
      if (!pol || !pol.versions.includes(version)) {
        missing.push(pol ? `${name} version ${version}` : name)
        continue
      }
      install.push(`${name}=${version}`)
      changes.push(have ? `change ${name} ${have} → ${version}` : `install ${name} ${version}`)
      continue
    }
    if (have && (args.state !== 'latest' || !pol?.candidate || have === pol.candidate)) continue
    if (!pol?.candidate && ctx.refreshed === 'predicted') {
      install.push(name)
      changes.push(`install ${name} (after the cache update skipped in check mode)`)
      continue
    }
    if (!pol?.candidate) {
      missing.push(name)
      continue
    }
    install.push(name)
    changes.push(have ? `upgrade ${name} ${have} → ${pol.candidate}` : `install ${name} ${pol.candidate}`)
  }
  if (missing.length) {
    return {
      commands: [],
      fail:
        `no package matching ${missing.join(', ')} (is the name right, and the cache updated? try ` +
        `update_cache: true)`,
    }
  }
  const commands: Command[] = []
  const rec = args.install_recommends ? [] : ['--no-install-recommends']
  const force = args.force ? ['--force-yes'] : []
  const fix = args.state === 'fixed' ? ['--fix-broken'] : []
  const add = (c: Command) => commands.push(withPolicyRcD(c, args.policy_rc_d))
  if (install.length)
    add({
      argv: ['apt-get', ...opts(args), ...rec, ...fix, ...installFlags(args), 'install', ...install],
      env: ENV,
      describe: `install ${install.join(' ')}`,
    })
  if (remove.length) {
    const verb = args.purge ? 'purge' : 'remove'
    const auto = args.autoremove ? ['--autoremove'] : []
    add({
      argv: ['apt-get', ...opts(args), ...force, ...auto, verb, ...remove],
      env: ENV,
      describe: `${verb} ${remove.join(' ')}`,
    })
  } else if (args.autoremove && state.autoremovable.length) {
    add({ argv: ['apt-get', ...opts(args), ...force, 'autoremove'], env: ENV, describe: 'apt-get autoremove' })
    changes.push(...state.autoremovable.map((p) => `autoremove ${p}`))
  }
  // Ansible: a cache update alone (nothing to install or remove) is a change; next to packages it is not.
  const cacheOnly = specs(args).length === 0 && !args.autoremove
  // as Ansible's: a removal registers nothing of the cache; an install or update its state and time
  const cache = { cache_updated: refreshed, cache_update_time: state.cacheTime ?? 0 }
  return {
    commands,
    changes,
    changed: cacheOnly ? refreshed : undefined,
    data: args.state === 'absent' ? {} : cache,
  }
}
