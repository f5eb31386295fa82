/**
 * Builds an `Inventory` from parsed sources (INI, YAML, group_vars/host_vars), collecting every user error
 * with its position, then checks the whole: circular children, names used for both a host and a group,
 * `ungrouped` membership. Groups `all` and `ungrouped` always exist; each group keeps its hosts and children in the
 * order they were added, from which engine/inventory/meta.ts works out Ansible's host order.
 *
 * @example
 * ```ts
 * const b = new InventoryBuilder(['inventory/hosts.ini'])
 * b.addHost('pi1', 'hydra_server', { ansible_host: '10.0.0.5' }, pos)
 * const inv = b.finish() // throws UserError(s) if anything was wrong
 * ```
 */
import type { Inventory, InventoryGroup, InventoryHost } from '../ast.js'
import { UserError, UserErrors } from '../errors.js'
import type { SourcePos, Vars } from '../types.js'
import { mergePositioned } from '../source/positions.js'
import { checkGroupName, checkHostName } from './ranges.js'

/** Accumulates hosts, groups and vars; `finish()` validates and returns the inventory. */
export class InventoryBuilder {
  readonly errors: UserError[] = []
  private readonly hosts = new Map<string, InventoryHost>()
  private readonly groups = new Map<string, InventoryGroup>()
  private readonly forLocalhost = new Map<string, Vars>()
  /** Where each `parent → child` edge was written, for cycle errors. */
  private readonly edges = new Map<string, SourcePos | undefined>()

  constructor(private readonly sources: string[]) {
    this.groups.set('all', { name: 'all', hosts: [], children: [], vars: {} })
    this.groups.set('ungrouped', { name: 'ungrouped', hosts: [], children: [], vars: {} })
  }

  /** Record a user error and go on (all errors are reported together). */
  fail(message: string, pos?: SourcePos, hint?: string): void {
    this.errors.push(new UserError(message, pos, hint))
  }

  /** Run `f`, recording a thrown `UserError` instead of stopping. */
  attempt(f: () => void): void {
    try {
      f()
    } catch (e) {
      if (e instanceof UserErrors) this.errors.push(...e.errors)
      else if (e instanceof UserError) this.errors.push(e)
      else throw e
    }
  }

  hasGroup(name: string): boolean {
    return this.groups.has(name)
  }
  hasHost(name: string): boolean {
    return this.hosts.has(name)
  }

  /** The group `name`, created if new. */
  group(name: string, pos?: SourcePos): InventoryGroup {
    let g = this.groups.get(name)
    if (!g) {
      checkGroupName(name, pos)
      g = { name, hosts: [], children: [], vars: {}, pos }
      this.groups.set(name, g)
    }
    g.pos ??= pos
    return g
  }

  /**
   * Add (or extend) host `name` in group `groupName` (`all` adds it to no named group); `vars` override earlier ones.
   */
  addHost(name: string, groupName: string, vars: Vars, pos?: SourcePos): void {
    checkHostName(name, pos)
    let h = this.hosts.get(name)
    if (!h) {
      h = { name, vars: {}, groups: [], pos }
      this.hosts.set(name, h)
    }
    h.vars = mergePositioned(h.vars, vars) // keeps where each key is written, for validate's findings
    const g = this.group(groupName, pos)
    if (groupName === 'all') {
      if (!g.hosts.includes(name)) g.hosts.push(name) // a host of `all` itself comes first in its order, as Ansible's
      return
    }
    if (!g.hosts.includes(name)) g.hosts.push(name)
    if (!h.groups.includes(groupName)) h.groups.push(groupName)
  }

  /** Make `child` a child group of `parent`. */
  addChild(parent: string, child: string, pos?: SourcePos): void {
    if (child === 'all') throw new UserError('"all" cannot be a child group: every group is already inside it', pos)
    const p = this.group(parent, pos)
    this.group(child, pos)
    if (parent === 'all') return // top-level groups are children of all anyway
    if (!p.children.includes(child)) p.children.push(child)
    if (!this.edges.has(`${parent}\0${child}`)) this.edges.set(`${parent}\0${child}`, pos)
  }

  /** Merge `vars` into group `name` (later calls win, key by key). */
  groupVars(name: string, vars: Vars, pos?: SourcePos): void {
    const g = this.group(name, pos)
    g.vars = mergePositioned(g.vars, vars)
  }

  /** Merge `vars` into an existing host's vars. */
  hostVars(name: string, vars: Vars): void {
    const h = this.hosts.get(name)
    if (h) h.vars = mergePositioned(h.vars, vars)
  }

  /** `host_vars/` of a localhost name the inventory does not list: kept for the implicit localhost (implicit.ts). */
  localhostVars(name: string, vars: Vars): void {
    this.forLocalhost.set(name, mergePositioned(this.forLocalhost.get(name) ?? {}, vars))
  }

  /** Validate the whole inventory and return it; throws `UserError`/`UserErrors` listing every problem. */
  finish(): Inventory {
    for (const [name, h] of this.hosts) {
      if (this.groups.has(name) && name !== 'all' && name !== 'ungrouped') {
        this.fail(
          `"${name}" is both a host and a group name, so host patterns would be ambiguous: rename one`,
          h.pos ?? this.groups.get(name)?.pos,
        )
      } else if (name === 'all' || name === 'ungrouped')
        this.fail(`"${name}" is a reserved group name and cannot be a host`, h.pos)
    }
    this.checkCycles()
    const all = this.groups.get('all')!
    const ungrouped = this.groups.get('ungrouped')!
    const isChild = new Set([...this.groups.values()].flatMap((g) => g.children))
    for (const g of this.groups.values()) {
      if (g.name !== 'all' && !isChild.has(g.name) && !all.children.includes(g.name)) all.children.push(g.name)
    }
    for (const h of this.hosts.values()) {
      // `ungrouped` holds exactly the hosts in no other group (a host listed before any section and later in one is
      // not)
      h.groups = h.groups.filter((g) => g !== 'ungrouped')
      if (h.groups.length === 0) h.groups.push('ungrouped')
    }
    ungrouped.hosts = [...this.hosts.values()].filter((h) => h.groups[0] === 'ungrouped').map((h) => h.name)
    if (this.errors.length === 1) throw this.errors[0]
    if (this.errors.length > 1) throw new UserErrors(this.errors)
    return { sources: this.sources, hosts: this.hosts, groups: this.groups, localhostVars: this.forLocalhost }
  }

  /** Report each cycle of children once, at the edge that closes it. */
  private checkCycles(): void {
    const state = new Map<string, 1 | 2>() // 1: on the current path, 2: done
    const path: string[] = []
    const visit = (name: string): void => {
      state.set(name, 1)
      path.push(name)
      for (const child of this.groups.get(name)?.children ?? []) {
        const s = state.get(child)
        if (s === 1) {
          const cycle = [...path.slice(path.indexOf(child)), child].join(' → ')
          this.fail(`circular child groups: ${cycle}`, this.edges.get(`${name}\0${child}`))
        } else if (s === undefined) visit(child)
      }
      path.pop()
      state.set(name, 2)
    }
    for (const name of this.groups.keys()) if (!state.has(name)) visit(name)
  }
}
