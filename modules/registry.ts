/**
 * The module registry: every module by name, loaded lazily (start-up stays fast; `--help` loads none).
 * Each module file default-exports a `defineModule(...)` result. `loadModuleTable` gives every module's data
 * (names, aliases, schema, …) from one JSON file the build writes, and loads a module's code only when a task of it
 * runs: a run loads the modules its playbook uses, `tsplay validate` none.
 *
 * @example
 * ```ts
 * const modules = await loadModuleTable() // every module's schema, no module code loaded
 * const copy = await modules.get('copy')!.load!() // its code, on first use
 * ```
 */
import { readFileSync } from 'node:fs'
import type { ModuleDef } from '../engine/module.js'

type Loader = () => Promise<{ default: ModuleDef }>

/** Module name → loader. Add a module here when you add its file. */
export const MODULES: Record<string, Loader> = {
  command: () => import('./command.js'),
  shell: () => import('./shell.js'),
  copy: () => import('./copy.js'),
  template: () => import('./template.js'),
  file: () => import('./file.js'),
  lineinfile: () => import('./lineinfile.js'),
  stat: () => import('./stat.js'),
  debug: () => import('./debug.js'),
  set_fact: () => import('./set_fact.js'),
  assert: () => import('./assert.js'),
  fail: () => import('./fail.js'),
  wait_for: () => import('./wait_for.js'),
  apt: () => import('./apt.js'),
  git: () => import('./git.js'),
  make: () => import('./make.js'),
  systemd: () => import('./systemd.js'),
  sysvinit: () => import('./sysvinit.js'),
  postgres_user: () => import('./postgres_user.js'),
  postgres_db: () => import('./postgres_db.js'),
  hydra_create_user: () => import('./hydra_create_user.js'),
  user: () => import('./user.js'),
  group: () => import('./group.js'),
  reboot: () => import('./reboot.js'),
  validate_argument_spec: () => import('./validate_argument_spec.js'),
  meta: () => import('./meta.js'),
  include_vars: () => import('./include_vars.js'),
  raw: () => import('./raw.js'),
  slurp: () => import('./slurp.js'),
  fetch: () => import('./fetch.js'),
  script: () => import('./script.js'),
  wait_for_connection: () => import('./wait_for_connection.js'),
  pause: () => import('./pause.js'),
  setup: () => import('./setup.js'),
  ping: () => import('./ping.js'),
  async_status: () => import('./async_status.js'),
  package: () => import('./package.js'),
  service: () => import('./service.js'),
  // Ansible's file, network and system modules (one block, to ease merges)
  blockinfile: () => import('./blockinfile.js'),
  replace: () => import('./replace.js'),
  find: () => import('./find.js'),
  tempfile: () => import('./tempfile.js'),
  cron: () => import('./cron.js'),
  authorized_key: () => import('./authorized_key.js'),
  known_hosts: () => import('./known_hosts.js'),
  get_url: () => import('./get_url.js'),
  // system settings and apt sources
  sysctl: () => import('./sysctl.js'),
  hostname: () => import('./hostname.js'),
  debconf: () => import('./debconf.js'),
  apt_repository: () => import('./apt_repository.js'),
  deb822_repository: () => import('./deb822_repository.js'),
  uri: () => import('./uri.js'),
  unarchive: () => import('./unarchive.js'),
  // facts and run-time inventory
  getent: () => import('./getent.js'),
  gather_facts: () => import('./gather_facts.js'),
  package_facts: () => import('./package_facts.js'),
  service_facts: () => import('./service_facts.js'),
  group_by: () => import('./group_by.js'),
  add_host: () => import('./add_host.js'),
  assemble: () => import('./assemble.js'),
  dpkg_selections: () => import('./dpkg_selections.js'),
  set_stats: () => import('./set_stats.js'),
  apt_key: () => import('./apt_key.js'),
  iptables: () => import('./iptables.js'),
  // language packages, interactive commands, other version control
  pip: () => import('./pip.js'),
  expect: () => import('./expect.js'),
  subversion: () => import('./subversion.js'),
}

const cache = new Map<string, ModuleDef>()
let aliasMap: Map<string, string> | undefined

/**
 * Load every module (validation needs all schemas). Each call gets a map of its own: a playbook's load adds its
 * library and collection modules to it, and those must not reach another playbook's load or the registry.
 */
export async function loadAllModules(): Promise<Map<string, ModuleDef>> {
  await Promise.all(Object.keys(MODULES).map(loadModule))
  if (!aliasMap) {
    aliasMap = new Map()
    for (const [name, def] of cache) {
      aliasMap.set(name, name)
      aliasMap.set(`ansible.builtin.${name}`, name)
      for (const a of def.aliases ?? []) aliasMap.set(a, name)
    }
  }
  return new Map(cache)
}

/** The canonical module name for a name or alias used in a playbook, if any. Call `loadAllModules` first. */
export function resolveModuleName(name: string): string | undefined {
  return aliasMap?.get(name)
}

/** Every accepted module spelling (names and aliases). Call `loadAllModules` first. */
export function allModuleSpellings(): string[] {
  return [...(aliasMap?.keys() ?? [])]
}

/** A loaded module by canonical name. */
export function getModule(name: string): ModuleDef | undefined {
  return cache.get(name)
}

/** A module's data fields: everything but its functions (what loading and validating a playbook need). */
export type ModuleData = Omit<ModuleDef, 'refresh' | 'gather' | 'plan' | 'apply' | 'after' | 'load'>

/**
 * The data fields of a module, for the table the build writes (`JSON.stringify` keeps them as they are), and
 * `steps`: which of its own steps its code defines.
 */
export function moduleData(def: ModuleDef): ModuleData {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(def)) if (typeof v !== 'function') out[k] = v
  out.steps = (['refresh', 'apply', 'after'] as const).filter((k) => typeof def[k] === 'function')
  return out as ModuleData
}

/** Where the build writes the table: next to the bundle's chunks (absent when running from sources). */
const TABLE = new URL('./modules.json', import.meta.url)

/** The full definition of `name`, loading its code once. */
async function loadModule(name: string): Promise<ModuleDef> {
  let def = cache.get(name)
  if (!def) {
    def = (await MODULES[name]()).default
    cache.set(name, def)
  }
  return def
}

/** A table entry: the module's data, its code loaded by `load()`. */
function tableEntry(name: string, data: ModuleData): ModuleDef {
  const notLoaded = (): never => {
    throw new Error(`module ${name}: its code is not loaded (call load() first)`)
  }
  return { ...data, gather: notLoaded, plan: notLoaded, load: () => loadModule(name) }
}

/** The table the build wrote, when it is there and names exactly the registry's modules. */
function readTable(file: URL): Record<string, ModuleData> | undefined {
  let table: Record<string, ModuleData>
  try {
    table = JSON.parse(readFileSync(file, 'utf8')) as Record<string, ModuleData>
  } catch {
    return undefined
  }
  const names = Object.keys(MODULES)
  return names.length === Object.keys(table).length && names.every((n) => table[n]?.name === n) ? table : undefined
}

/**
 * Every module by canonical name, for loading and validating a playbook: entries from the build's table whose code
 * loads on first use (`def.load`), or, without a table (running from the sources), the modules themselves.
 * `file` is the table's path (the build's by default).
 */
export async function loadModuleTable(file: URL = TABLE): Promise<Map<string, ModuleDef>> {
  const table = readTable(file)
  if (!table) return new Map(await loadAllModules())
  return new Map(Object.entries(table).map(([name, data]) => [name, cache.get(name) ?? tableEntry(name, data)]))
}
