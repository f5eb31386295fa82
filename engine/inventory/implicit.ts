/**
 * Ansible's implicit localhost: a play naming `localhost`, `127.0.0.1` or `::1` when the inventory
 * does not list it gets a host of that name that runs through the local connection (`ansible_connection: local`).
 * It is in no group: `all`, `*`, globs and regexes do not select it; it reads the `all` group's variables and its
 * own `host_vars/` file (beside the inventory or the playbook). An
 * inventory without hosts gets Ansible's warning that only localhost is available.
 *
 * @example
 * ```ts
 * const added = addImplicitLocalhost(inv, ['localhost', 'web:&prod', '127.0.0.1']) // ['localhost']
 * selectHosts(inv, '127.0.0.1').hosts // ['localhost']; selectHosts(inv, 'all') does not list it
 * ```
 */
import type { Inventory } from '../ast.js'

/** Names that mean the controller when the inventory does not list them. */
export const LOCALHOST_NAMES: readonly string[] = ['localhost', '127.0.0.1', '::1']

/** Ansible's warning for an inventory without hosts. */
export const EMPTY_INVENTORY_WARNING =
  "provided hosts list is empty, only localhost is available. Note that the implicit localhost does not match 'all'"

/** The localhost names a host pattern writes as a term of its own (`localhost`, `&127.0.0.1`, `a:localhost`). */
function localhostTerms(pattern: string): string[] {
  if (LOCALHOST_NAMES.includes(pattern.trim())) return [pattern.trim()]
  const parts = pattern.includes(',') ? pattern.split(',') : pattern.split(':')
  return parts.map((p) => p.trim().replace(/^[&!]/, '')).filter((p) => LOCALHOST_NAMES.includes(p))
}

/**
 * Add the implicit localhost when the patterns use a localhost name and the inventory lists none; returns the names
 * added. As in Ansible there is one, named by the first localhost name used: the others (`127.0.0.1` after
 * `localhost`) select it (`implicitHost`). Call it before anything reads the inventory's derived data
 * (engine/inventory/meta.ts caches it).
 */
export function addImplicitLocalhost(inv: Inventory, patterns: readonly string[]): string[] {
  const name = patterns.flatMap(localhostTerms)[0]
  if (!name || LOCALHOST_NAMES.some((n) => inv.hosts.has(n))) return []
  // its `host_vars/NAME` beside the inventory or the playbook, as Ansible's vars plugin reads them for it
  const vars = { ansible_connection: 'local', ...inv.localhostVars?.get(name) }
  inv.hosts.set(name, { name, vars, groups: [], implicit: true })
  return [name]
}

/** The implicit localhost a localhost name selects (whatever localhost name it was created by), if any. */
export function implicitHost(inv: Inventory, name: string): string | undefined {
  if (!LOCALHOST_NAMES.includes(name)) return undefined
  return [...inv.hosts.values()].find((h) => h.implicit)?.name
}
