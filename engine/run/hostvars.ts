/**
 * The variables a task sees on a host: the precedence layers of engine/run/vars.ts plus the magic variables
 * (`inventory_hostname`, `groups`, `group_names`, `hostvars`, `play_hosts`, `ansible_check_mode`, …).
 */
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import type { Play, Task } from '../ast.js'
import { groupNames, groupsMap, hostVars as inventoryHostVars } from '../inventory/vars.js'
import type { Vars } from '../types.js'
import type { Inherited, RunContext } from './context.js'
import { ansibleCfgFile } from '../source/rolespath.js'
import { searchVars } from './searchpath.js'
import { lateVarsFiles } from './varsfiles.js'
import { addVarsView, mergeLayers, resolveVars } from './vars.js'

/** Ansible's `omit` placeholder: an argument set to it is dropped. */
export const OMIT = '__tsplay_omit_placeholder__'

const groupsCache = new WeakMap<object, Record<string, string[]>>()
/** Inventory vars per host (the inventory does not change during a run). */
const invVarsCache = new WeakMap<object, Map<string, Vars>>()
/** One `hostvars` object per play context and inventory (group_by/add_host make a new one). */
const hostvarsCache = new WeakMap<RunContext, { inv: object; vars: Vars }>()

function inventoryVars(rc: RunContext, host: string): Vars | undefined {
  if (!rc.inventory.hosts.has(host)) return undefined
  let m = invVarsCache.get(rc.inventory)
  if (!m) invVarsCache.set(rc.inventory, (m = new Map()))
  let v = m.get(host)
  if (!v) m.set(host, (v = inventoryHostVars(rc.inventory, host)))
  return v
}

function groupsOf(rc: RunContext): Record<string, string[]> {
  let g = groupsCache.get(rc.inventory)
  if (!g) groupsCache.set(rc.inventory, (g = groupsMap(rc.inventory)))
  return g
}

/**
 * The connection keywords in force as variables, below a host's own: `remote_user` as `ansible_user`, `port` as
 * `ansible_port` (as in Ansible, a host's `ansible_user`/`ansible_port` win).
 */
export function keywordVars(rc: RunContext, task?: Pick<Task, 'remoteUser' | 'port'>, inh?: Inherited): Vars {
  const remoteUser = task?.remoteUser ?? inh?.remoteUser ?? rc.play.remoteUser
  const port = task?.port ?? inh?.port ?? rc.play.port
  if (!remoteUser && port === undefined) return NO_KEYWORDS // one object: playLayers' cache compares layers by identity
  return { ...(remoteUser ? { ansible_user: remoteUser } : {}), ...(port !== undefined ? { ansible_port: port } : {}) }
}

const NO_KEYWORDS: Vars = Object.freeze({})

/** playLayers' merged layers per run context and host, made again when any layer is another object. */
const layersCache = new WeakMap<RunContext, Map<string, { key: readonly unknown[]; vars: Vars }>>()

/** Two caches' keys hold the same objects (identity, in order). */
const sameItems = (a: readonly unknown[], b: readonly unknown[] | undefined): boolean =>
  b !== undefined && a.length === b.length && a.every((x, i) => x === b[i])

/** As Ansible's: `ansible_facts` is there, empty, for a host whose facts were not gathered (below any others). */
const noFacts = (): Vars => ({ ansible_facts: {} })

/**
 * Raw (unrendered) play-level variables of a host, without block/task vars; `defaults` are those of the private
 * roles (`include_role`) around a task, above the play's role defaults; `keywords`: the connection keywords in force.
 */
export function playLayers(
  rc: RunContext,
  host: string,
  defaults: Array<Vars | undefined> = [],
  keywords: Vars = keywordVars(rc),
): Vars {
  const st = rc.states.get(host)
  const below = [
    noFacts(),
    keywords,
    rc.play.roleDefaults,
    ...defaults,
    inventoryVars(rc, host),
    st?.factVars,
    rc.play.vars,
    rc.play.varsFiles,
  ]
  const late = rc.play.lateVarsFiles
  // the same layers as the host's last task: the same merge (the layers are replaced, never changed in place; the
  // first, noFacts, is a new object each time and the same in content)
  const key = late ? undefined : [...below.slice(1), rc.play.roleVars]
  let m = layersCache.get(rc)
  const hit = key && m?.get(host)
  if (hit && sameItems(hit.key, key)) return hit.vars
  // vars_files named by templates: rendered with the host's other variables
  const lateVars = late
    ? lateVarsFiles(rc.play, host, late, () =>
        Object.assign(
          resolveVars(mergeLayers([...below, rc.play.roleVars, st?.runVars, rc.opts.extraVars])),
          magicVars(rc, host),
        ),
      )
    : undefined
  const vars = mergeLayers([...below, lateVars, rc.play.roleVars])
  if (key) {
    if (!m) layersCache.set(rc, (m = new Map()))
    m.set(host, { key, vars })
  }
  return vars
}

/** Magic variables for a host. `hostvars` reads other hosts' variables lazily. */
export function magicVars(rc: RunContext, host: string): Vars {
  const groups = groupsOf(rc)
  return { ...cachedMagic(rc, host, groups), hostvars: hostvarsOf(rc, groups) }
}

/** Add the magic variables to a task's `vars`: `Object.assign(vars, magicVars(rc, host))`, without the copies. */
function addMagicVars(vars: Vars, rc: RunContext, host: string): Vars {
  const groups = groupsOf(rc)
  Object.assign(vars, cachedMagic(rc, host, groups))
  vars.hostvars = hostvarsOf(rc, groups)
  return vars
}

/** `baseMagic` per run context and host, made again when the play's hosts, the groups or the inventory change. */
const magicCache = new WeakMap<RunContext, Map<string, { key: readonly unknown[]; vars: Vars }>>()

function cachedMagic(rc: RunContext, host: string, groups: Record<string, string[]>): Vars {
  let m = magicCache.get(rc)
  if (!m) magicCache.set(rc, (m = new Map()))
  const key = [rc.playHosts, rc.active, groups, rc.inventory, rc.play, rc.opts] as const
  const hit = m.get(host)
  if (hit && sameItems(hit.key, key)) return hit.vars
  const vars = baseMagic(rc, host, groups)
  m.set(host, { key, vars })
  return vars
}

function hostvarsOf(rc: RunContext, groups: Record<string, string[]>): Vars {
  const cached = hostvarsCache.get(rc)
  if (cached?.inv === rc.inventory) return cached.vars
  const hostvars: Vars = {}
  hostvarsCache.set(rc, { inv: rc.inventory, vars: hostvars })
  for (const name of rc.inventory.hosts.keys()) {
    Object.defineProperty(hostvars, name, {
      enumerable: true,
      get: () => {
        const v = resolveVars(mergeLayers([playLayers(rc, name), rc.states.get(name)?.runVars, rc.opts.extraVars]))
        Object.assign(v, baseMagic(rc, name, groups))
        addInventoryFile(v, rc, name)
        return v
      },
    })
  }
  return hostvars
}

/** `group_names` per inventory and host, as `groups` is kept per inventory (a task reads them on every host). */
const groupNamesCache = new WeakMap<object, Map<string, string[]>>()

function groupNamesOf(rc: RunContext, host: string): string[] {
  if (!rc.inventory.hosts.has(host)) return []
  let m = groupNamesCache.get(rc.inventory)
  if (!m) groupNamesCache.set(rc.inventory, (m = new Map()))
  let names = m.get(host)
  if (!names) m.set(host, (names = groupNames(rc.inventory, host)))
  return names
}

let controllerPython: string | null | undefined

/** Ansible's `ansible_playbook_python`: the controller's Python 3 on PATH (tsplay itself runs none), if any. */
function playbookPython(): string | undefined {
  if (controllerPython === undefined) {
    const dirs = (process.env.PATH ?? '/usr/bin:/bin').split(':').filter(Boolean)
    controllerPython = dirs.map((d) => join(d, 'python3')).find((p) => existsSync(p)) ?? null
  }
  return controllerPython ?? undefined
}

/**
 * Ansible's `ansible_inventory_sources`: the inventory sources as given, made absolute (not following symlinks).
 *
 * @example
 * ```ts
 * inventorySources(['inv.ini'])  // ['/home/me/site/inv.ini'] when run in /home/me/site
 * ```
 */
export const inventorySources = (sources: readonly string[]): string[] => sources.map((s) => resolve(s))

const roleNameCache = new WeakMap<Play, Vars>()

/** Ansible's role name variables of a play (`ansible_role_names`: each name once), made once per play. */
function roleNameVars(play: Play): Vars {
  let out = roleNameCache.get(play)
  if (!out) {
    const names = play.roleNames ?? { play: [], deps: [] }
    out = {
      role_names: names.play,
      ansible_play_role_names: names.play,
      ansible_dependent_role_names: names.deps,
      ansible_role_names: [...new Set([...names.deps, ...names.play])],
    }
    roleNameCache.set(play, out)
  }
  return out
}

/** `ansible_inventory_sources` per inventory (made absolute once: `resolve` asks for the current folder each time). */
const sourcesCache = new WeakMap<object, string[]>()

function sourcesOf(rc: RunContext): string[] {
  let out = sourcesCache.get(rc.inventory)
  if (!out) sourcesCache.set(rc.inventory, (out = inventorySources(rc.inventory.sources)))
  return out
}

/** The play's hosts in inventory order (`ansible_play_hosts_all`), whatever its `order:` (see `playHostsAll`). */
const inventoryOrder = (rc: RunContext): string[] => rc.playHostsAll ?? rc.playHosts

/**
 * Work out the play's and the batch's hosts still in the play (not failed, not unreachable), as Ansible does for
 * each task; the lists are kept (and the magic variables with them) while they stay the same.
 */
export function refreshActive(rc: RunContext): void {
  const ok = (h: string) => {
    const st = rc.states.get(h)
    return !st || (!st.failed && !st.unreachable)
  }
  const hosts = inventoryOrder(rc).filter(ok)
  const batch = (rc.batch ?? rc.playHosts).filter(ok)
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i])
  if (rc.active && same(rc.active.hosts, hosts) && same(rc.active.batch, batch)) return
  rc.active = { hosts, batch }
}

function baseMagic(rc: RunContext, host: string, groups: Record<string, string[]>): Vars {
  const python = playbookPython()
  const active = rc.active ?? { hosts: inventoryOrder(rc), batch: rc.batch ?? rc.playHosts }
  return {
    ...(python ? { ansible_playbook_python: python } : {}),
    ansible_inventory_sources: sourcesOf(rc),
    inventory_hostname: host,
    inventory_hostname_short: host.split('.')[0],
    group_names: groupNamesOf(rc, host),
    groups,
    // Ansible's: `play_hosts` is the batch's (a deprecated name), `_all` every host the play targets
    play_hosts: active.batch,
    ansible_play_hosts: active.hosts,
    ansible_play_batch: active.batch,
    ansible_play_hosts_all: inventoryOrder(rc),
    ansible_play_name: rc.play.name ?? rc.play.hosts,
    ...roleNameVars(rc.play),
    ansible_check_mode: rc.opts.check,
    ansible_verbosity: rc.opts.verbosity,
    ansible_diff_mode: rc.opts.diff,
    playbook_dir: rc.playbook.dir,
    omit: OMIT,
    ...optionVars(rc),
  }
}

/**
 * Ansible's variables from the command line (`load_options_vars`): `ansible_version` (the ansible-core release
 * tsplay follows and is compared with), `ansible_forks`, `ansible_run_tags` (`['all']` without `--tags`),
 * `ansible_skip_tags`, and `ansible_limit` only when `--limit` was given; and `ansible_config_file`, the
 * ansible.cfg in use (null without one), which Ansible sets beside them.
 */
function optionVars(rc: RunContext): Vars {
  return {
    ansible_config_file: (configFile ??= ansibleCfgFile() ?? null),
    ansible_version: ANSIBLE_VERSION,
    ansible_forks: rc.opts.forks,
    ansible_run_tags: rc.opts.tags.length ? rc.opts.tags : ['all'],
    ansible_skip_tags: rc.opts.skipTags,
    ...(rc.opts.limit !== undefined ? { ansible_limit: rc.opts.limitText ?? rc.opts.limit } : {}),
  }
}

/** The ansible.cfg Ansible would read (`ansible_config_file`, null without one), looked up once. */
let configFile: string | null | undefined

/** The ansible-core release whose behaviour tsplay follows (its agreement cases run against it). */
const ANSIBLE_VERSION = { string: '2.14.18', full: '2.14.18', major: 2, minor: 14, revision: 18 }

/** A host's inventory file made absolute once (`resolve` asks for the current folder each time). */
const inventoryFiles = new WeakMap<object, string | null>()

/**
 * `inventory_file` and `inventory_dir` of an inventory host: the file that first named it, and its folder (null
 * for a host `add_host` made; the implicit localhost has none), as Ansible sets them, below any value the user gave.
 */
function addInventoryFile(vars: Vars, rc: RunContext, host: string): void {
  const h = rc.inventory.hosts.get(host)
  if (!h || h.implicit) return
  let file = inventoryFiles.get(h)
  if (file === undefined) inventoryFiles.set(h, (file = h.pos?.file ? resolve(h.pos.file) : null))
  vars.inventory_file ??= file
  vars.inventory_dir ??= file === null ? null : dirname(file)
}

/** The resolved variables for one task on one host (with the loop item, if any). */
export function taskVars(rc: RunContext, host: string, inh: Inherited, task: Task | undefined, extra?: Vars): Vars {
  const st = rc.states.get(host)
  // Magic variables are added after resolution (they hold no templates, and `hostvars` is lazy).
  const raw = mergeLayers([
    playLayers(rc, host, [inh.defaults, task?.defaults], keywordVars(rc, task, inh)),
    inh.vars,
    task?.vars,
    st?.runVars,
    inh.params,
    task?.params,
    extra,
    rc.opts.extraVars,
  ])
  const vars = resolveVars(raw)
  addMagicVars(vars, rc, host)
  addInventoryFile(vars, rc, host)
  // as Ansible's task variables: the host's address is its inventory name unless the inventory gives one
  vars.ansible_host ??= host
  if (task) Object.assign(vars, searchVars(task, rc.playbook.dir))
  return addVarsView(vars, raw)
}
