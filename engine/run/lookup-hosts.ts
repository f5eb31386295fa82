/**
 * `lookup('inventory_hostnames', …)` as Ansible's: the hosts a pattern selects, in Ansible's order. In a template
 * it reads the task's `groups` variable, as Ansible's plugin builds an inventory of those groups (each listing its
 * hosts) and asks it; in a `with_inventory_hostnames` loop the runner gives the run's inventory itself.
 *
 * @example
 * ```yaml
 * - debug: { msg: "{{ query('inventory_hostnames', 'web:!web1') }}" }
 * ```
 */
import type { Inventory, InventoryGroup } from '../ast.js'
import { selectHosts } from '../inventory/patterns.js'
import { UserError } from '../errors.js'
import type { LookupFn } from '../expr/lookups.js'
import { force, Undef } from '../expr/values.js'

/** An inventory of `groups` (group → its hosts), as Ansible's lookup makes it: no child groups, every host direct. */
function fromGroups(groups: Record<string, unknown>): Inventory {
  const inv: Inventory = { sources: [], hosts: new Map(), groups: new Map() }
  for (const [name, list] of Object.entries(groups)) {
    const g: InventoryGroup = { name, hosts: [], children: [], vars: {} }
    inv.groups.set(name, g)
    for (const h of Array.isArray(list) ? list.map(String) : []) {
      if (!g.hosts.includes(h)) g.hosts.push(h)
      const host = inv.hosts.get(h) ?? { name: h, vars: {}, groups: [] }
      if (name !== 'all' && !host.groups.includes(name)) host.groups.push(name)
      inv.hosts.set(h, host)
    }
  }
  if (!inv.groups.has('all'))
    inv.groups.set('all', { name: 'all', hosts: [...inv.hosts.keys()], children: [], vars: {} })
  return inv
}

export const inventoryHostnamesLookup: LookupFn = (terms, _kw, ctx) => {
  let pick = ctx.hosts
  if (!pick) {
    const v = ctx.scope?.lookup('groups')
    const groups = v === undefined || v instanceof Undef ? undefined : force(v)
    if (groups === null || typeof groups !== 'object')
      throw new UserError("lookup('inventory_hostnames') needs the groups variable, which this template has not")
    const inv = fromGroups(groups as Record<string, unknown>)
    pick = (p) => selectHosts(inv, p).hosts
  }
  return [...new Set(terms.map(String).flatMap((p) => pick(p)))]
}
