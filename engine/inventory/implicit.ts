/**
 * Ansible's implicit localhost: a play (or `--limit`) naming `localhost`, `127.0.0.1` or `::1` when the inventory
 * does not list it gets a host of that name that runs through the local connection (`ansible_connection: local`).
 * It is in no group: `all`, `*`, globs and regexes do not select it; it reads the `all` group's variables. An
 * inventory without hosts gets Ansible's warning that only localhost is available.
 *
 * @example
 * ```ts
 * const added = addImplicitLocalhost(inv, ['localhost', 'web:&prod']) // ['localhost']
 * selectHosts(inv, 'localhost').hosts // ['localhost']; selectHosts(inv, 'all') does not list it
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
 * Add the implicit localhost for every localhost name the patterns use and the inventory lacks; returns the names
 * added. Call it before anything reads the inventory's derived data (engine/inventory/meta.ts caches it).
 */
export function addImplicitLocalhost(inv: Inventory, patterns: readonly string[]): string[] {
  const added: string[] = []
  for (const name of patterns.flatMap(localhostTerms)) {
    if (inv.hosts.has(name)) continue
    inv.hosts.set(name, { name, vars: { ansible_connection: 'local' }, groups: [], implicit: true })
    added.push(name)
  }
  return added
}
