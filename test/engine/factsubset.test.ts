/**
 * `gather_subset` as Ansible's setup reads it: the collectors each subset runs (a table; the agreement case
 * `gather_subsets` checks the facts they give against ansible-playbook), the facts kept, the script parts left out.
 *
 * @example
 * ```sh
 * npx vitest run test/engine/factsubset.test.ts
 * ```
 */
import { describe, expect, it } from 'vitest'
import { collectorsFor, keepBySubset, skippedParts } from '../../engine/factsubset.js'

const MIN = ['apparmor', 'caps', 'cmdline', 'date_time', 'distribution', 'dns', 'env', 'fips', 'local', 'lsb']
MIN.push('pkg_mgr', 'platform', 'python', 'selinux', 'service_mgr', 'ssh_pub_keys', 'user')

const chosen = (subset: unknown) => {
  const s = collectorsFor(subset)
  if ('error' in s) throw new Error(s.error)
  return [...s.collectors].sort()
}

describe('collectorsFor', () => {
  it.each<[unknown, string[]]>([
    [undefined, [...MIN, 'hardware', 'network', 'virtual', 'chroot', 'loadavg', 'iscsi', 'nvme']],
    ['min', MIN],
    ['!all', MIN],
    [
      ['!all', 'network'],
      [...MIN, 'network'],
    ],
    ['!all,devices', [...MIN, 'hardware']], // a fact id names its collector
    ['!hardware', MIN], // only exclusions: min is what is added
    ['!devices', MIN],
    ['network,!hardware', [...MIN, 'network']],
    ['!all,virtual,!virtualization_type', [...MIN, 'virtual']], // a name given outright stays
    [
      ['!all', '!min', 'hardware'],
      ['hardware', 'platform'],
    ], // with what hardware needs
    ['!min,service_mgr', ['distribution', 'platform', 'service_mgr']],
    ['!all,!min', []],
    [['!all,network'], MIN], // one list entry is one name: an unknown exclusion, ignored
    [[], [...MIN, 'hardware', 'network', 'virtual', 'chroot', 'loadavg', 'iscsi', 'nvme']],
  ])('%j', (subset, want) => {
    const all = [...want, 'fibre_channel_wwn', 'facter', 'ohai']
    const full = want.includes('nvme') ? all : want
    expect(chosen(subset)).toEqual([...new Set(full)].sort())
  })

  it("refuses a name Ansible does not know, with Ansible's message", () => {
    const s = collectorsFor(['network', 'bogus'])
    expect(s).toEqual({ error: expect.stringMatching(/^Bad subset 'bogus' given to Ansible\. gather_subset options/) })
    expect('error' in s && s.error).toContain('allowed: all, all_ipv4_addresses, all_ipv6_addresses, apparmor,')
    expect(collectorsFor('!bogus')).not.toHaveProperty('error') // an exclusion is never checked, as Ansible's
  })

  it('keeps the subset as given, split only where it was one string', () => {
    expect(collectorsFor('!all, network')).toMatchObject({ given: ['!all', 'network'] })
    expect(collectorsFor(['!all,network'])).toMatchObject({ given: ['!all,network'] })
    expect(collectorsFor(undefined)).toMatchObject({ given: ['all'] })
  })
})

describe('keepBySubset', () => {
  const facts = {
    ansible_devices: {},
    ansible_mounts: [],
    ansible_interfaces: ['lo', 'eth0', 'vb-t1:1'],
    ansible_lo: {},
    ansible_eth0: {},
    ansible_vb_t1_1: {}, // an interface with - or : in its name, as Ansible names its fact
    ansible_os_family: 'Debian',
    ansible_ssh_host_key_ed25519_public: 'AAAA',
    ansible_loadavg: {},
    ansible_something_new: 1,
  }
  it.each<[unknown, string[]]>([
    ['min', ['ansible_os_family', 'ansible_ssh_host_key_ed25519_public', 'ansible_something_new']],
    [
      '!all,network',
      [
        'ansible_interfaces',
        'ansible_lo',
        'ansible_eth0',
        'ansible_os_family',
        'ansible_ssh_host_key_ed25519_public',
      ].concat('ansible_something_new', 'ansible_vb_t1_1'),
    ],
    ['!all,!min,loadavg', ['ansible_loadavg', 'ansible_something_new']],
  ])('%j keeps the facts of its collectors (and one no collector names)', (subset, want) => {
    const s = collectorsFor(subset)
    if ('error' in s) throw new Error(s.error)
    const kept = keepBySubset(facts, s)
    expect(Object.keys(kept).sort()).toEqual([...want, 'gather_subset', 'module_setup'].sort())
    expect(kept.gather_subset).toEqual(s.given)
    expect(kept.module_setup).toBe(true)
  })
})

describe('skippedParts', () => {
  it.each<[unknown, string[]]>([
    ['all', []],
    ['min', ['hw', 'net', 'chroot', 'loadavg']],
    ['!all,!min', ['hw', 'net', 'caps', 'chroot', 'loadavg']],
    ['!all,hardware,is_chroot', ['net', 'loadavg']],
    ['!all,loadavg', ['hw', 'net', 'chroot']],
  ])('%j leaves out %j', (subset, want) => {
    const s = collectorsFor(subset)
    if ('error' in s) throw new Error(s.error)
    expect(skippedParts(s)).toEqual(want)
  })
})
