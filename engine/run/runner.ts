/**
 * Runs a loaded, validated playbook against an inventory: plays in order, each on its hosts (after `--limit`),
 * sharing one connection per host across plays. Emits engine events; returns the recap and the exit code.
 *
 * Exit codes: 0 all well; 2 some host failed; 4 some host unreachable (wins over 2); 130 interrupted. A host counts
 * as failed or unreachable if it still is at the end (`meta: clear_host_errors` forgives earlier failures).
 */
import { setMaxListeners } from 'node:events'
import type { Inventory, Play, Playbook } from '../ast.js'
import type { EventBus, HostRecap } from '../events.js'
import type { ModuleDef } from '../module.js'
import { emptyRecap, type HostState, type RunContext, type RunOptions } from './context.js'
import { HostPool, type PoolOptions } from './hosts.js'
import { playHosts, renderOrder, renderPlayHosts, renderPlayKeywords } from './names.js'
import { UserError } from '../errors.js'
import { runPlay } from './play.js'
import { Secrets } from './secrets.js'
import { lookupFileBytes } from '../expr/lookup-files.js'
import { lookupWarnings } from '../expr/lookups.js'
import { loadPythonPlugins } from '../expr/pyplugins.js'
import type { PluginFile } from '../types.js'
import { decryptIfVaulted } from '../vault/keyring.js'

/** Everything a run needs besides the playbook and inventory. */
export interface RunnerInput {
  playbook: Playbook
  inventory: Inventory
  modules: Map<string, ModuleDef>
  opts: RunOptions
  pool: PoolOptions
  bus: EventBus
  /** Set by the caller on the first Ctrl-C: no new tasks start. */
  stopping?: { requested: boolean }
  /** Aborted by the caller on the second Ctrl-C: connections close now. */
  signal?: AbortSignal
  /** Secrets known before the run (passwords from the command line). */
  secrets?: Secrets
}

export interface RunOutcome {
  recap: Record<string, HostRecap>
  interrupted: boolean
  exitCode: 0 | 2 | 4 | 130
}

export async function runPlaybook(input: RunnerInput): Promise<RunOutcome> {
  const { playbook, inventory, bus, opts } = input
  const secrets = input.secrets ?? new Secrets()
  bus.setMasker(secrets.mask)
  const pool = new HostPool(input.pool, secrets)
  const stopping = input.stopping ?? { requested: false }
  const signal = input.signal ?? new AbortController().signal
  setMaxListeners(0, signal) // every running command listens for the second Ctrl-C
  const onAbort = () => void pool.closeAll()
  signal.addEventListener('abort', onAbort)
  const states = new Map<string, HostState>()
  const state = (h: string) => {
    let s = states.get(h)
    if (!s)
      states.set(
        h,
        (s = { name: h, factVars: {}, runVars: {}, failed: false, unreachable: false, recap: emptyRecap() }),
      )
    return s
  }
  bus.emit({ type: 'run.start', playbook: playbook.file, check: opts.check, diff: opts.diff })
  lookupWarnings.sink = (msg) => bus.emit({ type: 'warning', msg })
  lookupFileBytes.decode = decryptIfVaulted
  let plugins = playbook.pythonPlugins && loadPythonPlugins(playbook.pythonPlugins)
  for (const msg of plugins?.warnings ?? []) bus.emit({ type: 'warning', msg })
  const addPlugins = (files: readonly PluginFile[]) => {
    if (plugins) return plugins.add(files)
    plugins = loadPythonPlugins(files)
    return plugins.warnings
  }
  const run: RunContext['run'] = { ended: false, addPlugins }
  try {
    for (const play of playbook.plays) {
      if (stopping.requested || run.ended) break
      const inv = run.inventory ?? inventory // as group_by/add_host left it
      let pattern: string
      let order: string | undefined
      let played: Play
      try {
        pattern = renderPlayHosts(play, inv, opts.extraVars ?? {})
        order = renderOrder(play, inv, opts.extraVars ?? {})
        played = renderPlayKeywords(play, inv, opts.extraVars ?? {})
      } catch (e) {
        // as Ansible's: a play whose hosts or order cannot be rendered ends the run
        if (!(e instanceof UserError)) throw e
        bus.emit({ type: 'warning', msg: `play "${play.name ?? play.hosts}": ${e.format()}; the run ends here` })
        run.failedOut = true
        break
      }
      const hosts = playHosts(inv, pattern, opts.limit, order)
      const all = order && order !== 'inventory' ? playHosts(inv, pattern, opts.limit) : undefined
      hosts.forEach(state)
      if (hosts.length === 0) {
        bus.emit({
          type: 'warning',
          msg:
            `no hosts matched "${pattern}"${opts.limit ? ` with --limit ${opts.limit}` : ''}; ` +
            `skipping play "${play.name ?? play.hosts}"`,
        })
        continue
      }
      const rc: RunContext = {
        playbook,
        inventory: inv,
        play: withDefaults(played, opts.playDefaults),
        opts,
        bus,
        secrets,
        pool,
        modules: input.modules,
        states,
        playHosts: hosts,
        playHostsAll: all,
        notified: new Map(),
        carried: new Map(),
        ended: new Set(),
        run,
        stopping,
        signal,
      }
      await runPlay(rc, hosts)
    }
  } finally {
    signal.removeEventListener('abort', onAbort)
    plugins?.unload()
    await pool.closeAll()
  }
  const recap = Object.fromEntries([...states].map(([h, s]) => [h, s.recap]))
  // a Ctrl-C that came while the thread was busy (a Python plugin's call) is read by the loop's next poll phase:
  // two turns of the loop make sure one poll phase ran
  for (let turn = 0; turn < 2; turn++) await new Promise((done) => setImmediate(done))
  const interrupted = stopping.requested || signal.aborted
  bus.emit({ type: 'run.end', recap, interrupted, ...(run.stats ? { customStats: run.stats } : {}) })
  // As Ansible: the hosts that are failed or unreachable at the end decide (meta: clear_host_errors forgives), but a
  // run that any_errors_fatal or max_fail_percentage ended is 2
  const all = [...states.values()]
  const hostsSay = all.some((s) => s.unreachable) ? 4 : all.some((s) => s.failed) ? 2 : 0
  const exitCode = interrupted ? 130 : run.failedOut ? 2 : hostsSay
  return { recap, interrupted, exitCode }
}

/** The play with the run's defaults for the keywords it leaves unset (its own win, as in Ansible). */
function withDefaults(play: Play, d: RunOptions['playDefaults']): Play {
  if (!d) return play
  const out = { ...play }
  for (const k of [
    'become',
    'becomeUser',
    'becomeMethod',
    'remoteUser',
    'connection',
    'port',
    'anyErrorsFatal',
  ] as const)
    if (out[k] === undefined && d[k] !== undefined) (out as Record<string, unknown>)[k] = d[k]
  return out
}
