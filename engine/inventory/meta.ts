/**
 * Derived data about a loaded inventory, computed once and cached per inventory object: each group's parents,
 * depth (longest path from `all`), all hosts under it (descendants included, in Ansible's order), and each host's
 * groups.
 *
 * @example
 * ```ts
 * meta(inv).groupHosts.get('hydra') // ['pi1', 'pi2', 'pi3'] — hosts of hydra and of its child groups
 * ```
 */
import type { Inventory } from '../ast.js'

export interface InventoryMeta {
  /** Group → direct parents (`all` for top-level groups). */
  parents: Map<string, string[]>
  /** Group → longest distance from `all` (all: 0). */
  depth: Map<string, number>
  /** Group → hosts in it or any descendant group, in Ansible's order (see `ansibleOrder`). */
  groupHosts: Map<string, string[]>
  /** Host → every group it is in, ancestors included, `all` included. */
  hostGroups: Map<string, Set<string>>
}

const cache = new WeakMap<Inventory, InventoryMeta>()

/**
 * A group's hosts in Ansible's order (its `Group.get_hosts()`): the group's own hosts, then its child groups' level by
 * level (each level in the order its groups were added), each host once; `all` leaves out the implicit localhost.
 */
function ansibleOrder(inv: Inventory, name: string): string[] {
  const walk = [name]
  const seen = new Set(walk)
  for (let i = 0; i < walk.length; i++)
    for (const c of inv.groups.get(walk[i])?.children ?? [])
      if (!seen.has(c)) {
        seen.add(c)
        walk.push(c)
      }
  const out = new Set<string>()
  for (const g of walk)
    for (const h of inv.groups.get(g)?.hosts ?? []) if (!(name === 'all' && inv.hosts.get(h)?.implicit)) out.add(h)
  return [...out]
}

/** The derived data of `inv` (cached; the inventory must not change after loading). */
export function meta(inv: Inventory): InventoryMeta {
  let m = cache.get(inv)
  if (m) return m
  const parents = new Map<string, string[]>([...inv.groups.keys()].map((g) => [g, []]))
  for (const g of inv.groups.values()) for (const c of g.children) parents.get(c)?.push(g.name)
  for (const [g, ps] of parents) if (g !== 'all' && ps.length === 0) ps.push('all')
  const depth = new Map<string, number>()
  const depthOf = (g: string, seen: Set<string>): number => {
    const known = depth.get(g)
    if (known !== undefined) return known
    if (g === 'all' || seen.has(g)) return 0
    seen.add(g)
    const d = Math.max(0, ...(parents.get(g) ?? ['all']).map((p) => depthOf(p, seen) + 1))
    seen.delete(g)
    depth.set(g, d)
    return d
  }
  depth.set('all', 0)
  for (const g of inv.groups.keys()) depthOf(g, new Set())
  const hostGroups = new Map<string, Set<string>>()
  for (const h of inv.hosts.values()) {
    const set = new Set<string>(['all'])
    const stack = [...h.groups]
    while (stack.length) {
      const g = stack.pop()!
      if (set.has(g)) continue
      set.add(g)
      stack.push(...(parents.get(g) ?? []))
    }
    hostGroups.set(h.name, set)
  }
  const groupHosts = new Map<string, string[]>([...inv.groups.keys()].map((g) => [g, ansibleOrder(inv, g)]))
  m = { parents, depth, groupHosts, hostGroups }
  cache.set(inv, m)
  return m
}
