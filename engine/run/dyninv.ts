/**
 * The inventory changed at run time, as Ansible's `group_by` and `add_host` change it: a new inventory object (the
 * loaded one is never mutated; caches keyed by the inventory object see the new one as new), set on the play's
 * context and on the run's shared state, so later tasks (`groups`, `group_names`, `hostvars`) and later plays'
 * `hosts:` patterns see the new groups and hosts.
 *
 * @example
 * ```ts
 * applyInventoryChange(rc, 'web1', { group: { name: 'os_Debian', parents: ['all'] } }) // true: web1 joined it
 * ```
 */
import type { Inventory, InventoryGroup, InventoryHost } from '../ast.js'
import type { InventoryChange } from '../module.js'
import type { Vars } from '../types.js'
import type { RunContext } from './context.js'

/** Apply `change` (made by a task on `host`); true when the inventory is different afterwards. */
export function applyInventoryChange(rc: RunContext, host: string, change: InventoryChange): boolean {
  const next = changedInventory(rc.inventory, host, change)
  if (!next) return false
  rc.inventory = next
  rc.run.inventory = next
  return true
}

/** The inventory after `change`, or undefined when it would be the same. Pure. */
export function changedInventory(inv: Inventory, host: string, change: InventoryChange): Inventory | undefined {
  const hosts = new Map(inv.hosts)
  const groups = new Map(inv.groups)
  let changed = false
  const group = (name: string): InventoryGroup => {
    let g = groups.get(name)
    if (!g) {
      groups.set(name, (g = { name, hosts: [], children: [], vars: {} }))
      changed = true
    }
    return g
  }
  const addTo = (name: string, host: string, add: boolean): void => {
    const g = group(name)
    if (g.hosts.includes(host) === add) return
    groups.set(name, { ...g, hosts: add ? [...g.hosts, host] : g.hosts.filter((x) => x !== host) })
    changed = true
  }
  const join = (h: InventoryHost, name: string): InventoryHost => {
    if (name === 'all' || h.groups.includes(name)) return h
    addTo(name, h.name, true)
    // as Ansible's reconcile: a host in another group leaves `ungrouped`
    if (name !== 'ungrouped' && h.groups.includes('ungrouped')) {
      addTo('ungrouped', h.name, false)
      return { ...h, groups: [...h.groups.filter((x) => x !== 'ungrouped'), name] }
    }
    return { ...h, groups: [...h.groups, name] }
  }
  if (change.group) {
    const { name, parents } = change.group
    group(name)
    for (const p of parents) {
      const pg = group(p)
      if (p !== name && !pg.children.includes(name)) {
        groups.set(p, { ...pg, children: [...pg.children, name] })
        changed = true
      }
    }
    const h = hosts.get(host)
    if (h) hosts.set(host, join(h, name))
  }
  if (change.host) {
    const { name, groups: names, vars } = change.host
    let h = hosts.get(name)
    if (!h) {
      // as Ansible's add_host: a new host is one of `all`'s own (first in its order), in `ungrouped` until it joins
      // a group
      addTo('all', name, true)
      h = join({ name, vars: {}, groups: [] }, 'ungrouped')
    }
    const merged: Vars = { ...h.vars, ...vars }
    if (JSON.stringify(merged) !== JSON.stringify(h.vars)) {
      h = { ...h, vars: merged }
      changed = true
    }
    for (const g of names) h = join(h, g)
    hosts.set(name, h)
  }
  return changed ? { ...inv, hosts, groups } : undefined
}
