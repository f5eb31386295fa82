/**
 * Host variables from the inventory, by Ansible's rules, and the connection settings they give.
 *
 * Precedence (lowest first), for the inventory sources tsplay supports:
 *
 * 1. `all` group vars: inline in the inventory, then `group_vars/all*` beside the inventory, then beside the
 *    playbook
 * 2. other groups' vars, parents before children (by depth from `all`, then `ansible_group_priority`, then name),
 *    each merged the same way
 * 3. host vars: inline in the inventory, then `host_vars/HOST*` beside the inventory, then beside the playbook
 *
 * Merging replaces whole top-level keys (Ansible's default `hash_behaviour=replace`).
 *
 * @example
 * ```ts
 * const vars = hostVars(inv, 'pi1')
 * const spec = connectionSpec('pi1', vars) // { host: '192.168.1.10', port: 22, user: 'pi', connectTimeout: 10, … }
 * ```
 */
import { homedir, userInfo } from 'node:os'
import type { ConnectionSpec, Inventory } from '../ast.js'
import { UserError } from '../errors.js'
import { renderValue } from '../template.js'
import type { Vars } from '../types.js'
import { meta } from './meta.js'

function priority(inv: Inventory, g: string): number {
  const p = Number(inv.groups.get(g)?.vars.ansible_group_priority ?? 1)
  return Number.isFinite(p) ? p : 1
}

/** The host's groups in merge order: `all` first, then by depth, priority and name. */
export function mergeOrder(inv: Inventory, host: string): string[] {
  const m = meta(inv)
  const groups = [...(m.hostGroups.get(host) ?? [])]
  return groups.sort(
    (a, b) => m.depth.get(a)! - m.depth.get(b)! || priority(inv, a) - priority(inv, b) || (a < b ? -1 : a > b ? 1 : 0),
  )
}

/** The inventory variables of `host`: groups merged by Ansible's rules, then host vars. A fresh object. */
export function hostVars(inv: Inventory, host: string): Vars {
  const h = inv.hosts.get(host)
  if (!h) throw new UserError(`unknown host "${host}": it is not in the inventory`)
  const out: Vars = {}
  for (const g of mergeOrder(inv, host)) Object.assign(out, inv.groups.get(g)?.vars)
  Object.assign(out, h.vars)
  return out
}

/** Ansible's `group_names`: every group of the host, ancestors included, `all` excluded, sorted. */
export function groupNames(inv: Inventory, host: string): string[] {
  return [...(meta(inv).hostGroups.get(host) ?? [])].filter((g) => g !== 'all').sort()
}

/** Ansible's `groups`: group name → its hosts (child groups' hosts included), in inventory order. */
export function groupsMap(inv: Inventory): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const [g, hosts] of meta(inv).groupHosts) out[g] = [...hosts]
  return out
}

function pick(vars: Vars, names: string[]): unknown {
  for (const n of names) if (vars[n] !== undefined && vars[n] !== null) return vars[n]
  return undefined
}

function localUser(): string {
  try {
    return userInfo().username
  } catch {
    return process.env.USER ?? process.env.LOGNAME ?? 'root'
  }
}

/** What the command line (or Ansible's settings) give where a host's variables say nothing. */
export type ConnectionDefaults = Partial<
  Pick<ConnectionSpec, 'privateKeyFile' | 'password' | 'becomePassword' | 'connectTimeout'>
>

/**
 * How to reach host `name` from its variables, else `defaults` (templated values are rendered against `vars`):
 * `ansible_host` (default: the name), `ansible_port` (22), `ansible_user` (the local user),
 * `ansible_ssh_private_key_file`/`ansible_private_key_file` (`~/` expanded), `ansible_password`/`ansible_ssh_pass`,
 * `ansible_become_password`/`ansible_become_pass`, `ansible_connect_timeout`/`ansible_timeout` (10 s).
 */
export function connectionSpec(name: string, vars: Vars, defaults: ConnectionDefaults = {}): ConnectionSpec {
  const get = (names: string[]): unknown => {
    const v = pick(vars, names)
    return renderValue(v, vars, { what: `variable "${names[0]}" of host "${name}"` })
  }
  const text = (names: string[]): string | undefined => {
    const v = get(names)
    if (v === undefined || v === null) return undefined
    if (typeof v === 'object')
      throw new UserError(`${names[0]} of host "${name}" must be a string, found ${JSON.stringify(v)}`)
    return String(v)
  }
  const number = (names: string[], dflt: number, min: number, max: number): number => {
    const v = get(names)
    if (v === undefined || v === null || v === '') return dflt
    const n = Number(v)
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new UserError(
        `${names[0]} of host "${name}" must be a whole number from ${min} to ${max}, found ${JSON.stringify(v)}`,
      )
    }
    return n
  }
  const key = text(['ansible_ssh_private_key_file', 'ansible_private_key_file']) ?? defaults.privateKeyFile
  return {
    name,
    host: text(['ansible_host', 'ansible_ssh_host']) ?? name,
    port: number(['ansible_port', 'ansible_ssh_port'], 22, 1, 65535),
    user: text(['ansible_user', 'ansible_ssh_user']) ?? localUser(),
    privateKeyFile: key?.startsWith('~/') ? `${homedir()}${key.slice(1)}` : key,
    password: text(['ansible_password', 'ansible_ssh_pass', 'ansible_ssh_password']) ?? defaults.password,
    becomePassword:
      text([
        'ansible_become_password',
        'ansible_become_pass',
        'ansible_sudo_pass',
        'ansible_su_pass',
        'ansible_su_password',
      ]) || defaults.becomePassword,
    connectTimeout: number(['ansible_connect_timeout', 'ansible_timeout'], defaults.connectTimeout ?? 10, 1, 3600),
  }
}
