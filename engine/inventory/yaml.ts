/**
 * YAML inventories in Ansible's shape: top-level groups (usually just `all`), each a map with optional
 * `hosts` (host name or range → its vars or nothing), `children` (group name → the same shape) and `vars`.
 *
 * @example
 * ```yaml
 * all:
 *   vars: { ansible_user: pi }
 *   children:
 *     hydra_server:
 *       hosts: { pi1: { ansible_host: 192.168.1.10 } }
 *     hydra_builders:
 *       hosts:
 *         pi[02:03]:
 * ```
 */
import { didYouMean } from '../source/suggest.js'
import { keyPos, posOf, valuePos } from '../source/yaml.js'
import type { SourcePos, Vars } from '../types.js'
import type { InventoryBuilder } from './builder.js'
import { expandHostRange, splitHostPort } from './ranges.js'

const GROUP_KEYS = ['hosts', 'children', 'vars']

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function kind(v: unknown): string {
  return Array.isArray(v)
    ? 'a list'
    : v === null
      ? 'nothing'
      : typeof v === 'object'
        ? 'a map'
        : `${typeof v} ${JSON.stringify(v)}`
}

/** Add the inventory in `value` (a parsed YAML document from `file`) to the builder. */
export function parseYamlInventory(value: unknown, file: string, b: InventoryBuilder): void {
  const top: SourcePos = posOf(value) ?? { file, line: 1, col: 1 }
  if (value === undefined || value === null) return
  if (!isMap(value)) {
    b.fail(`an inventory must be a map of groups (all: {hosts, children, vars}), found ${kind(value)}`, top)
    return
  }
  for (const [name, def] of Object.entries(value)) {
    b.attempt(() => group(name, def, keyPos(value, name) ?? top, valuePos(value, name), undefined, b, 0))
  }
}

function group(
  name: string,
  def: unknown,
  pos: SourcePos,
  vpos: SourcePos | undefined,
  parent: string | undefined,
  b: InventoryBuilder,
  depth: number,
): void {
  b.group(name, pos)
  if (parent !== undefined) b.addChild(parent, name, pos)
  if (def === null || def === undefined) return
  if (!isMap(def)) {
    b.fail(`group "${name}" must be a map with hosts, children or vars, found ${kind(def)}`, vpos ?? pos)
    return
  }
  for (const key of Object.keys(def)) {
    if (!GROUP_KEYS.includes(key)) {
      const hint =
        didYouMean(key, GROUP_KEYS) ??
        '(a group has only hosts, children and vars; host vars go under hosts: {NAME: {…}})'
      b.fail(`unknown key "${key}" in group "${name}"`, keyPos(def, key) ?? pos, hint)
    }
  }
  const at = (key: string) => valuePos(def, key) ?? keyPos(def, key) ?? pos
  if (def.vars !== undefined && def.vars !== null) {
    if (isMap(def.vars)) b.groupVars(name, def.vars, at('vars'))
    else b.fail(`vars of group "${name}" must be a map, found ${kind(def.vars)}`, at('vars'))
  }
  const hosts = def.hosts
  if (hosts !== undefined && hosts !== null) {
    if (!isMap(hosts)) {
      b.fail(`hosts of group "${name}" must be a map (NAME: or NAME: {vars}), found ${kind(hosts)}`, at('hosts'))
    } else {
      for (const [h, vars] of Object.entries(hosts))
        b.attempt(() => host(h, vars, name, hosts, keyPos(hosts, h) ?? at('hosts'), b))
    }
  }
  const children = def.children
  if (children !== undefined && children !== null) {
    if (!isMap(children)) {
      b.fail(`children of group "${name}" must be a map of groups, found ${kind(children)}`, at('children'))
    } else if (depth > 50) {
      b.fail('groups nested too deeply', at('children'))
    } else {
      for (const [c, cdef] of Object.entries(children)) {
        b.attempt(() =>
          group(c, cdef, keyPos(children, c) ?? at('children'), valuePos(children, c), name, b, depth + 1),
        )
      }
    }
  }
}

function host(
  text: string,
  vars: unknown,
  groupName: string,
  hosts: object,
  pos: SourcePos,
  b: InventoryBuilder,
): void {
  let v: Vars = {}
  if (vars !== null && vars !== undefined) {
    if (!isMap(vars)) {
      b.fail(`vars of host "${text}" must be a map, found ${kind(vars)}`, valuePos(hosts, text) ?? pos)
      return
    }
    v = { ...vars }
  }
  const { name, port } = splitHostPort(text, pos)
  if (port !== undefined && v.ansible_port === undefined) v.ansible_port = port
  for (const h of expandHostRange(name, pos)) b.addHost(h, groupName, v, pos)
}
