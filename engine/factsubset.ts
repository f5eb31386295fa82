/**
 * `gather_subset` as Ansible's setup reads it: which of its fact collectors run, which `ansible_*` facts each one
 * gives, and so which parts of the fact script a gathering can leave out (the block devices, the interfaces'
 * sysfs and `ethtool`, `capsh`, the chroot check). The collectors, their other names and the facts of each are
 * ansible-core's (module_utils/facts/default_collectors.py and each collector's `name` and `_fact_ids`), checked
 * against ansible-playbook by the agreement case `gather_subsets` (test/compat/cases/gather.ts).
 *
 * @example
 * ```ts
 * collectorsFor(['!all', 'network'])   // { collectors: ['platform', …, 'network'], given: ['!all', 'network'] }
 * keepBySubset({ ansible_devices: {}, ansible_os_family: 'Debian' }, collectorsFor('!hardware'))
 * // { ansible_os_family: 'Debian', gather_subset: ['!hardware'], module_setup: true }
 * ```
 */
import { interfaceFactName } from './netfacts.js'
import type { FactSubset, Vars } from './types.js'

/** Each collector's other names a subset may use (its `_fact_ids`), and what it needs run with it. */
const COLLECTORS: Record<string, { ids?: string[]; needs?: string[] }> = {
  platform: { ids: ['system', 'kernel', 'kernel_version', 'machine', 'python_version', 'architecture', 'machine_id'] },
  distribution: { ids: ['distribution_version', 'distribution_release', 'distribution_major_version', 'os_family'] },
  lsb: {},
  selinux: {},
  apparmor: {},
  chroot: { ids: ['is_chroot'] },
  fips: {},
  python: {},
  caps: { ids: ['system_capabilities', 'system_capabilities_enforced'] },
  pkg_mgr: { needs: ['distribution'] },
  service_mgr: { needs: ['platform', 'distribution'] },
  cmdline: {},
  date_time: {},
  env: {},
  loadavg: {},
  ssh_pub_keys: {
    ids: ['ssh_host_pub_keys', ...['dsa', 'rsa', 'ecdsa', 'ed25519'].map((t) => `ssh_host_key_${t}_public`)],
  },
  user: {
    ids: ['user_id', 'user_uid', 'user_gid', 'user_gecos', 'user_dir', 'user_shell', 'real_user_id'].concat(
      'effective_user_id',
      'effective_group_ids',
    ),
  },
  local: {},
  dns: {},
  fibre_channel_wwn: {},
  iscsi: {},
  nvme: {},
  hardware: { ids: ['processor', 'processor_cores', 'processor_count', 'mounts', 'devices'], needs: ['platform'] },
  network: {
    ids: ['interfaces', 'default_ipv4', 'default_ipv6', 'all_ipv4_addresses', 'all_ipv6_addresses'],
    needs: ['distribution', 'platform'],
  },
  virtual: {
    ids: ['virtualization_type', 'virtualization_role', 'virtualization_tech_guest', 'virtualization_tech_host'],
  },
  facter: {},
  ohai: {},
}

/** The collectors `min` stands for (setup's minimal_gather_subset): gathered whatever else a subset says. */
const MIN = [
  ...['apparmor', 'caps', 'cmdline', 'date_time', 'distribution', 'dns', 'env', 'fips', 'local', 'lsb'],
  ...['pkg_mgr', 'platform', 'python', 'selinux', 'service_mgr', 'ssh_pub_keys', 'user'],
]

/** A name a subset may give (collector or one of its other names) → its collector. */
const COLLECTOR_OF = new Map<string, string>()
for (const [name, c] of Object.entries(COLLECTORS)) for (const n of [name, ...(c.ids ?? [])]) COLLECTOR_OF.set(n, name)
/** Every name `all` stands for. */
const VALID = [...COLLECTOR_OF.keys()]

/** The facts each collector gives, without the prefix (an interface's own `ansible_<name>` is network's). */
const FACTS_OF: Record<string, string[]> = {
  hardware: [
    ...['bios_date', 'bios_vendor', 'bios_version', 'board_asset_tag', 'board_name', 'board_serial'],
    ...['board_vendor', 'board_version', 'chassis_asset_tag', 'chassis_serial', 'chassis_vendor'],
    ...['chassis_version', 'device_links', 'devices', 'form_factor', 'lvm', 'memfree_mb', 'memory_mb'],
    ...['memtotal_mb', 'mounts', 'processor', 'processor_cores', 'processor_count', 'processor_nproc'],
    ...['processor_threads_per_core', 'processor_vcpus', 'product_name', 'product_serial', 'product_uuid'],
    ...['product_version', 'swapfree_mb', 'swaptotal_mb', 'system_vendor', 'uptime_seconds'],
  ],
  network: ['all_ipv4_addresses', 'all_ipv6_addresses', 'default_ipv4', 'default_ipv6', 'interfaces'],
  virtual: ['virtualization_role', 'virtualization_tech_guest', 'virtualization_tech_host', 'virtualization_type'],
  chroot: ['is_chroot'],
  loadavg: ['loadavg'],
  fibre_channel_wwn: ['fibre_channel_wwn'],
  iscsi: ['iscsi_iqn'],
  nvme: ['hostnqn'],
  caps: ['system_capabilities', 'system_capabilities_enforced'],
  platform: [
    ...['architecture', 'domain', 'fqdn', 'hostname', 'kernel', 'kernel_version', 'machine', 'machine_id'],
    ...['nodename', 'python_version', 'system', 'userspace_architecture', 'userspace_bits'],
  ],
  distribution: [
    ...['distribution', 'distribution_file_parsed', 'distribution_file_path', 'distribution_file_variety'],
    ...['distribution_major_version', 'distribution_minor_version', 'distribution_release'],
    ...['distribution_version', 'os_family'],
  ],
  lsb: ['lsb'],
  selinux: ['selinux', 'selinux_python_present'],
  apparmor: ['apparmor'],
  fips: ['fips'],
  python: ['python'],
  pkg_mgr: ['pkg_mgr'],
  service_mgr: ['service_mgr'],
  cmdline: ['cmdline', 'proc_cmdline'],
  date_time: ['date_time'],
  env: ['env'],
  user: [
    ...['effective_group_id', 'effective_user_id', 'real_group_id', 'real_user_id', 'user_dir', 'user_gecos'],
    ...['user_gid', 'user_id', 'user_shell', 'user_uid'],
  ],
  dns: ['dns'],
  local: ['local'],
}
/** `ansible_<fact>` → the collector that gives it. */
const FACT_COLLECTOR = new Map<string, string>()
for (const [c, facts] of Object.entries(FACTS_OF)) for (const f of facts) FACT_COLLECTOR.set(`ansible_${f}`, c)
const SSH_KEY = /^ansible_ssh_host_key_[a-z0-9]+_public(_keytype)?$/

/** A subset's names: a list, or one comma-separated string (setup's `list` type); none is `['all']`. */
function names(subset: unknown): string[] {
  if (subset == null) return ['all']
  const list = Array.isArray(subset) ? subset.map(String) : String(subset).split(',')
  const out = list.map((s) => s.trim()).filter((s) => s !== '')
  return out.length ? out : ['all']
}

/**
 * The collectors a `gather_subset` runs, worked out as Ansible's get_collector_names: `min`'s always, then each
 * name added or (`!name`) taken away, a name given outright kept over a `!` of a larger set; then what each one
 * chosen needs. A name Ansible does not know is an error, with Ansible's message.
 */
export function collectorsFor(subset: unknown): FactSubset | { error: string } {
  const given = names(subset)
  const add = new Set<string>()
  const drop = new Set<string>()
  const explicit = new Set<string>()
  for (const s of ['min', ...given]) {
    if (s === 'min' || s === 'all') {
      for (const n of s === 'min' ? MIN : VALID) add.add(n)
    } else if (s === '!min' || s === '!all') {
      for (const n of s === '!min' ? MIN : VALID.filter((v) => !MIN.includes(v))) drop.add(n)
    } else if (s.startsWith('!')) {
      const n = s.slice(1)
      for (const x of [n, ...(COLLECTORS[n]?.ids ?? [])]) drop.add(x)
    } else if (!COLLECTOR_OF.has(s)) {
      const known = ['all', ...[...VALID].sort()].join(', ')
      return { error: `Bad subset '${s}' given to Ansible. gather_subset options allowed: ${known}` }
    } else {
      explicit.add(s)
      add.add(s)
    }
  }
  for (const n of drop) if (!explicit.has(n)) add.delete(n)
  const collectors = new Set<string>()
  const take = (c: string) => {
    if (collectors.has(c)) return
    collectors.add(c)
    for (const n of COLLECTORS[c].needs ?? []) take(n)
  }
  for (const n of add) take(COLLECTOR_OF.get(n)!)
  return { collectors: [...collectors], given }
}

/** Every collector: what a gathering without a subset ran. */
export const ALL_FACTS: FactSubset = { collectors: Object.keys(COLLECTORS), given: ['all'] }

/**
 * The `ansible_*` facts the chosen collectors give, of all those gathered (`facts`), and Ansible's two facts about
 * the gathering itself (`gather_subset`, `module_setup`: no prefix). A fact no collector here names is kept.
 */
export function keepBySubset(facts: Vars, subset: FactSubset): Vars {
  const chosen = new Set(subset.collectors)
  const list = Array.isArray(facts.ansible_interfaces) ? facts.ansible_interfaces : []
  const ifaces = new Set(list.map((i) => interfaceFactName(String(i))))
  const collectorOf = (k: string) =>
    FACT_COLLECTOR.get(k) ?? (SSH_KEY.test(k) ? 'ssh_pub_keys' : ifaces.has(k) ? 'network' : undefined)
  const out: Vars = {}
  for (const [k, v] of Object.entries(facts)) {
    const c = collectorOf(k)
    if (c === undefined || chosen.has(c)) out[k] = v
  }
  // Ansible's setup returns these two without the prefix: so are their variables named
  out.gather_subset = subset.given
  out.module_setup = true
  return out
}

/**
 * The fact script's parts a subset can leave out, as words for its `$2`: `hw` (DMI, mounts, block devices), `net`
 * (the interfaces: sysfs, `ethtool`, `ip`), `caps` (`capsh`), `chroot` (its `stat`s), `loadavg` (the Perl that
 * reads the kernel's loads).
 */
export function skippedParts(subset: FactSubset): string[] {
  const parts: [string, string][] = [
    ['hw', 'hardware'],
    ['net', 'network'],
    ['caps', 'caps'],
    ['chroot', 'chroot'],
    ['loadavg', 'loadavg'],
  ]
  return parts.filter(([, c]) => !subset.collectors.includes(c)).map(([p]) => p)
}
