/**
 * The module registry: every module by name, loaded lazily (start-up stays fast; `--help` loads none).
 * Each module file default-exports a `defineModule(...)` result.
 */
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
}

const cache = new Map<string, ModuleDef>()
let aliasMap: Map<string, string> | undefined

/** Load every module (validation needs all schemas). */
export async function loadAllModules(): Promise<Map<string, ModuleDef>> {
  await Promise.all(
    Object.entries(MODULES).map(async ([name, load]) => {
      if (!cache.has(name)) cache.set(name, (await load()).default)
    }),
  )
  if (!aliasMap) {
    aliasMap = new Map()
    for (const [name, def] of cache) {
      aliasMap.set(name, name)
      aliasMap.set(`ansible.builtin.${name}`, name)
      for (const a of def.aliases ?? []) aliasMap.set(a, name)
    }
  }
  return cache
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
