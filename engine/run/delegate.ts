/**
 * Where a task's commands run. Without `delegate_to`, on the host itself. With it, on the named host, with that
 * host's connection variables (`ansible_host`, `ansible_user`, `ansible_connection`, become password) while every
 * other variable — `inventory_hostname` included — stays the original host's, as in Ansible. `localhost`,
 * `127.0.0.1` and `::1` that the inventory does not list are Ansible's implicit localhost: the `all` group's
 * variables and the local connector. Any other name is a host of its own, reached at that name (or at an inventory
 * host whose `ansible_host` it is).
 * The connection type is the target's `ansible_connection`, else the `connection` keyword in force.
 *
 * @example
 * ```yaml
 * - name: record the host on the controller
 *   lineinfile: { path: /tmp/seen, line: "{{ inventory_hostname }}", create: true }
 *   delegate_to: localhost          # runs on the controller, no SSH; inventory_hostname is still pi1
 * ```
 */
import type { Task } from '../ast.js'
import type { Connector } from '../connector.js'
import { UserError } from '../errors.js'
import { LOCALHOST_NAMES } from '../inventory/implicit.js'
import { hostVars as inventoryHostVars } from '../inventory/vars.js'
import { renderValue } from '../template.js'
import type { Vars } from '../types.js'
import { NO_INHERITED, type Inherited, type RunContext } from './context.js'
import { keywordVars } from './hostvars.js'
import { resolveVars } from './vars.js'

/** A task's target: the host whose connection runs its commands. */
export interface Target {
  /** Inventory name of the host connected to. */
  name: string
  /** Its variables (for a delegate: its own inventory variables only). */
  vars: Vars
  /** The `connection` keyword in force (rendered), if any. */
  keyword?: string
  /** `delegate_to` named a host other than the task's own. */
  delegated: boolean
}

/** The `connection` keyword in force for a task: the task's, else its blocks', else the play's. */
export function connectionKeyword(
  rc: RunContext,
  task: Task | undefined,
  inh: Inherited,
  vars: Vars,
): string | undefined {
  const raw = task?.connection ?? inh.connection ?? rc.play.connection
  return raw === undefined ? undefined : String(renderValue(raw, vars, { pos: task?.pos, what: 'connection' }))
}

/**
 * A host's own connector outside any task (fact gathering, the records of notified handlers): `vars` are its
 * variables, the `connection` keyword is the play's.
 */
export function hostConnector(rc: RunContext, host: string, vars: Vars): Promise<Connector> {
  return rc.pool.get(host, vars, connectionKeyword(rc, undefined, NO_INHERITED, vars))
}

/** Inventory host names by their literal `ansible_host`, per inventory (built again when `add_host` adds hosts). */
const byAddress = new WeakMap<RunContext['inventory'], { size: number; names: Map<string, string> }>()

function hostWithAddress(rc: RunContext, address: string): string | undefined {
  let m = byAddress.get(rc.inventory)
  if (!m || m.size !== rc.inventory.hosts.size) {
    const names = new Map<string, string>()
    for (const h of rc.inventory.hosts.keys()) {
      const v = inventoryHostVars(rc.inventory, h)
      const a = v.ansible_host ?? v.ansible_ssh_host
      if (typeof a === 'string' && !a.includes('{{') && !names.has(a)) names.set(a, h)
    }
    m = { size: rc.inventory.hosts.size, names }
    byAddress.set(rc.inventory, m)
  }
  return m.names.get(address)
}

/**
 * Where a task on `host` runs its commands. A `delegate_to` name is, as in Ansible: an inventory host; else the
 * implicit localhost (`localhost`, `127.0.0.1`, `::1`); else the inventory host whose `ansible_host` is that
 * address; else a host of its own, reached at that name with the `all` group's variables. The `remote_user` and
 * `port` keywords in force apply below the target's variables, as for the task's own host.
 */
export function taskTarget(rc: RunContext, task: Task, inh: Inherited, host: string, vars: Vars): Target {
  const keyword = connectionKeyword(rc, task, inh, vars)
  const name = task.delegateTo
    ? String(renderValue(task.delegateTo, vars, { pos: task.pos, what: 'delegate_to' }))
    : host
  if (name === host) return { name, vars, keyword, delegated: false }
  const keywords = keywordVars(rc, task, inh)
  const all = rc.inventory.groups.get('all')?.vars ?? {}
  if (!rc.inventory.hosts.has(name) && LOCALHOST_NAMES.includes(name)) {
    // as Ansible's implicit localhost: the `all` group's variables, and the local connection
    const local = resolveVars({ ...all, inventory_hostname: name, ansible_connection: 'local' })
    return { name, vars: local, keyword, delegated: true }
  }
  const known = rc.inventory.hosts.has(name) ? name : hostWithAddress(rc, name)
  if (known === host) return { name: host, vars, keyword, delegated: false }
  if (known !== undefined) {
    const own = resolveVars({ ...keywords, ...inventoryHostVars(rc.inventory, known) })
    return { name: known, vars: own, keyword, delegated: true }
  }
  if (!name.trim()) throw new UserError('delegate_to: the host name is empty', task.pos)
  return { name, vars: resolveVars({ ...keywords, ...all, inventory_hostname: name }), keyword, delegated: true }
}
