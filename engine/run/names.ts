/**
 * Light helpers shared by the runner and the listings (no SSH, no modules loaded).
 */
import type { Inventory, Task } from '../ast.js'
import { selectHosts } from '../inventory/patterns.js'

/** The display name of a task (Ansible's: `role : name`, or the module name). */
export function taskName(t: Task): string {
  const n = t.name ?? t.module
  return t.role ? `${t.role} : ${n}` : n
}

/** The hosts a play targets: its pattern, intersected with `--limit`. */
export function playHosts(inv: Inventory, pattern: string, limit?: string): string[] {
  const hosts = selectHosts(inv, pattern).hosts
  if (!limit) return hosts
  const allowed = new Set(selectHosts(inv, limit).hosts)
  return hosts.filter((h) => allowed.has(h))
}
