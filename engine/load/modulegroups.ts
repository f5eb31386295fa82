/**
 * `module_defaults` groups (`group/NAME`): defaults for every module of a group, under a module's own entry.
 * ansible-core's groups are known here with the modules of each that tsplay has; most only gather collections'
 * cloud modules (`group/aws`), which tsplay does not run, so their defaults reach none of its tasks — Ansible loads
 * such a play too. A group ansible-core lacks is refused as Ansible refuses it; a collection's group (`ns.coll.x`)
 * is a warning, as the modules it names are collections' too.
 *
 * @example
 * ```ts
 * resolveGroup('testgroup') // { key: 'group/ansible.builtin.testgroup' }
 * groupDefaults(new Map([['group/ansible.builtin.testgroup', { data: 'hi' }]]), 'ping') // [{ data: 'hi' }]
 * ```
 */

/**
 * ansible-core 2.14's groups (its `action_groups` in config/ansible_builtin_runtime.yml) → the modules of each that
 * tsplay has. `testgroup` holds `ping`; the others extend only collections' groups.
 */
const BUILTIN_GROUPS: Record<string, readonly string[]> = {
  testgroup: ['ping'],
  testlegacy: [],
  acme: [],
  aws: [],
  azure: [],
  cpm: [],
  docker: [],
  gcp: [],
  k8s: [],
  os: [],
  ovirt: [],
  vmware: [],
}

const KEY = 'group/ansible.builtin.'

/** What a `group/NAME` entry is: ansible-core's group (its map key), a collection's, or none Ansible knows. */
export type GroupName = { key: string } | { collection: string } | { unknown: string }

/** Resolve the NAME of `group/NAME` as Ansible does: a name without a collection is ansible-core's. */
export function resolveGroup(name: string): GroupName {
  const parts = name.split('.')
  const builtin = parts.length < 3 || (parts[0] === 'ansible' && (parts[1] === 'builtin' || parts[1] === 'legacy'))
  if (!builtin) return { collection: parts.slice(0, 2).join('.') }
  const short = parts.length < 3 ? name : parts.slice(2).join('.')
  return Object.hasOwn(BUILTIN_GROUPS, short) ? { key: KEY + short } : { unknown: `ansible.builtin.${short}` }
}

/** The defaults of the groups in `defaults` that hold `module` (tsplay's canonical name), in the map's order. */
export function groupDefaults(
  defaults: ReadonlyMap<string, Record<string, unknown>> | undefined,
  module: string,
): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = []
  for (const [k, v] of defaults ?? []) {
    if (k.startsWith(KEY) && BUILTIN_GROUPS[k.slice(KEY.length)]?.includes(module)) out.push(v)
  }
  return out
}
