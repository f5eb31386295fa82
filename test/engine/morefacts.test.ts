/**
 * The parsers of Ansible's other common facts, on text captured from real hosts: `ip` output (a Pi's wlan0 with a
 * secondary address, a container's veth), `date`, /proc files, resolv.conf, cpuinfo of an x86 and a Pi, mounts.
 * What ansible-playbook gathers on the same machine is compared by the agreement case `facts_more`
 * (test/compat/cases/gather.ts).
 *
 * @example
 * ```sh
 * npx vitest run test/engine/morefacts.test.ts
 * ```
 */
import { describe, expect, it } from 'vitest'
import { hardwareFacts } from '../../engine/hwfacts.js'
import { moreFacts } from '../../engine/morefacts.js'
import { networkFacts } from '../../engine/netfacts.js'

const LINK = [
  '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    ' +
    'link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
  '3: wlan0: <BROADCAST,MULTICAST,PROMISC,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UP mode DORMANT group ' +
    'default qlen 1000\\    link/ether b8:27:eb:01:02:03 brd ff:ff:ff:ff:ff:ff',
  '7: veth-a@if6: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000\\    ' +
    'link/ether 52:54:00:aa:bb:cc brd ff:ff:ff:ff:ff:ff link-netnsid 0',
].join('\n')
const ADDR = [
  '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever',
  '1: lo    inet6 ::1/128 scope host \\       valid_lft forever preferred_lft forever',
  '3: wlan0    inet 192.168.1.20/24 brd 192.168.1.255 scope global dynamic wlan0\\       valid_lft 86000sec',
  '3: wlan0    inet 10.1.2.3/16 brd 10.1.255.255 scope global wlan0\\       valid_lft forever',
  '3: wlan0    inet6 fe80::ba27:ebff:fe01:203/64 scope link \\       valid_lft forever preferred_lft forever',
].join('\n')

describe('networkFacts', () => {
  const f = networkFacts(LINK, ADDR, '8.8.8.8 via 192.168.1.1 dev wlan0 src 192.168.1.20 uid 1000 \n    cache', '')

  it('lists the interfaces and names one fact per interface (- and : as _)', () => {
    expect(f.ansible_interfaces).toEqual(['lo', 'wlan0', 'veth-a'])
    expect(f.ansible_lo).toEqual({
      ...{ device: 'lo', mtu: 65536, active: true, type: 'loopback', promisc: false },
      ipv4: { address: '127.0.0.1', broadcast: '', netmask: '255.0.0.0', network: '127.0.0.0', prefix: '8' },
      ipv6: [{ address: '::1', prefix: '128', scope: 'host' }],
    })
    expect(f.ansible_veth_a).toMatchObject({ device: 'veth-a', active: false, macaddress: '52:54:00:aa:bb:cc' })
  })

  it('keeps a first address and its secondaries; the lists leave loopback out', () => {
    expect(f.ansible_wlan0).toMatchObject({
      promisc: true,
      ipv4: { address: '192.168.1.20', netmask: '255.255.255.0', network: '192.168.1.0', broadcast: '192.168.1.255' },
      ipv4_secondaries: [{ address: '10.1.2.3', prefix: '16', netmask: '255.255.0.0', network: '10.1.0.0' }],
    })
    expect(f.ansible_all_ipv4_addresses).toEqual(['192.168.1.20', '10.1.2.3'])
    expect(f.ansible_all_ipv6_addresses).toEqual(['fe80::ba27:ebff:fe01:203'])
  })

  it("default_ipv4 is the route's gateway and interface with its address; no IPv6 route gives {}", () => {
    expect(f.ansible_default_ipv4).toEqual({
      ...{ gateway: '192.168.1.1', interface: 'wlan0', address: '192.168.1.20', broadcast: '192.168.1.255' },
      ...{ netmask: '255.255.255.0', network: '192.168.1.0', prefix: '24', macaddress: 'b8:27:eb:01:02:03' },
      ...{ mtu: 1500, type: 'ether', alias: 'wlan0' },
    })
    expect(f.ansible_default_ipv6).toEqual({})
  })
})

const os = new Map([
  ['ID', 'raspbian'],
  ['VERSION_ID', '12'],
  ['PRETTY_NAME', 'Raspbian GNU/Linux 12 (bookworm)'],
  ['VERSION_CODENAME', 'bookworm'],
])
const sections = (parts: Record<string, string>) =>
  Object.entries(parts)
    .map(([k, v]) => `@${k}\n${v}`)
    .join('\n')

describe('moreFacts', () => {
  const text = sections({
    date: '1796435051 135690123 2026 12 Saturday 6 48 05 02 44 11 CET +0100\nCET +0100\nCEST +0200',
    env: 'HOME=/home/pi\nMULTI=a\nb\nLANG=C.UTF-8',
    status: 'Uid:\t1000\t1000\t1000\t1000\nGid:\t1000\t27\t1000\t1000',
    passwd: 'pi:x:1000:1000:Pi User,,,:/home/pi:/bin/bash',
    meminfo:
      'MemTotal:        3884332 kB\nMemFree:         2048000 kB\nBuffers:  102400 kB\nCached:  512000 kB\n' +
      'SwapCached: 0 kB\nSwapTotal:  102396 kB\nSwapFree:  102396 kB',
    uptime: '12345.67',
    loadavg: '0.50 0.25 0.10',
    cmdline: 'console=serial0,115200 console=tty1 root=PARTUUID=1234-02 quiet "x=a b"',
    resolv: '# comment\nnameserver 192.168.1.1\nnameserver fd00::1 # ipv6\nsearch lan home\noptions edns0 ndots:2',
    cpuinfo:
      ['processor\t: 0', 'model name\t: ARMv7 Processor rev 4 (v7l)', 'processor\t: 1'].join('\n') +
      '\nmodel name\t: ARMv7 Processor rev 4 (v7l)\nHardware\t: BCM2835',
    ssh: 'ed25519 ssh-ed25519 AAAAC3Nz',
    bits: '32',
    fips: '0',
    lsb: 'os-release',
  })
  const f = moreFacts(text, { hostname: 'pi1', fqdn: 'pi1.lan', arch: 'aarch64', os })

  it('date_time: local fields, UTC iso8601, the zone and its summer name', () => {
    expect(f.ansible_date_time).toMatchObject({
      ...{ date: '2026-12-05', time: '02:44:11', weekday: 'Saturday', weekday_number: '6', epoch: '1796435051' },
      ...{ iso8601: '2026-12-05T01:44:11Z', iso8601_micro: '2026-12-05T01:44:11.135690Z' },
      ...{ iso8601_basic: '20261205T024411135690', tz: 'CET', tz_dst: 'CEST', tz_offset: '+0100' },
    })
  })

  it("date_time from GNU date's one call: January's and July's zones are the last fields of their lines", () => {
    const one = [
      '1796435051 135690123 2026 12 Saturday 6 48 05 02 44 11 CET +0100',
      '1767265200 000000000 2026 01 Thursday 4 00 01 12 00 00 CET +0100',
      '1782900000 000000000 2026 07 Wednesday 3 26 01 12 00 00 CEST +0200',
    ].join('\n')
    const withOne = text.replace(/^@date\n(.*\n){3}/m, `@date\n${one}\n`)
    expect(withOne).toContain('Thursday')
    const g = moreFacts(withOne, {
      ...{ hostname: 'pi1', fqdn: 'pi1.lan', arch: 'aarch64', os },
    })
    expect(g.ansible_date_time).toEqual(f.ansible_date_time)
  })

  it("the user's IDs (real and effective), passwd fields, env (a value's further lines kept)", () => {
    expect(f).toMatchObject({
      ...{ ansible_real_user_id: 1000, ansible_effective_user_id: 1000, ansible_effective_group_id: 27 },
      ...{ ansible_user_uid: 1000, ansible_user_gecos: 'Pi User,,,', ansible_user_shell: '/bin/bash' },
    })
    expect(f.ansible_env).toEqual({ HOME: '/home/pi', MULTI: 'a\nb', LANG: 'C.UTF-8' })
  })

  it('memory in MB, uptime, load, cmdline (quoted words, repeated keys), dns, domain', () => {
    expect(f.ansible_memory_mb).toEqual({
      real: { total: 3793, used: 1793, free: 2000 },
      nocache: { free: 2600, used: 1193 },
      swap: { total: 99, free: 99, used: 0, cached: 0 },
    })
    expect([f.ansible_uptime_seconds, f.ansible_loadavg]).toEqual([12345, { '1m': 0.5, '5m': 0.25, '15m': 0.1 }])
    // where Perl could ask sysinfo(2), the kernel's own loads (glibc's getloadavg, Ansible's source)
    const exact = moreFacts(text.replace('0.50 0.25 0.10', '1.54 1.63 1.74\nsysinfo 100672 106720 114304'), {
      ...{ hostname: 'pi1', fqdn: 'pi1.lan', arch: 'aarch64', os },
    })
    expect(exact.ansible_loadavg).toEqual({ '1m': 1.5361328125, '5m': 1.62841796875, '15m': 1.744140625 })
    expect(f.ansible_cmdline).toMatchObject({ console: 'tty1', quiet: true, x: 'a b', root: 'PARTUUID=1234-02' })
    expect((f.ansible_proc_cmdline as Record<string, unknown>).console).toEqual(['serial0,115200', 'tty1'])
    expect(f.ansible_dns).toEqual({
      ...{ nameservers: ['192.168.1.1', 'fd00::1'], search: ['lan', 'home'] },
      options: { edns0: true, ndots: '2' },
    })
    expect(f.ansible_domain).toBe('lan')
  })

  it("a Pi's CPUs, host keys, a 32-bit userspace on a 64-bit kernel, lsb from os-release", () => {
    expect(f).toMatchObject({
      ...{ ansible_processor_count: 2, ansible_processor_cores: 1, ansible_processor_threads_per_core: 1 },
      ansible_processor: ['0', 'ARMv7 Processor rev 4 (v7l)', '1', 'ARMv7 Processor rev 4 (v7l)'],
      ...{ ansible_ssh_host_key_ed25519_public: 'AAAAC3Nz', ansible_userspace_bits: '32' },
      ...{ ansible_userspace_architecture: 'arm', ansible_fips: false },
    })
    expect(f.ansible_lsb).toEqual({
      ...{ id: 'Raspbian', description: 'Raspbian GNU/Linux 12 (bookworm)', release: '12' },
      ...{ codename: 'bookworm', major_release: '12' },
    })
  })
})

describe('hardwareFacts', () => {
  const parts: Record<string, string[]> = {
    dmi: ['product_name=Standard PC', 'chassis_type=17', 'product_serial=NA'],
    apparmor: ['enabled'],
    chroot: ['debian_chroot=', '2049:2', 'ext2/ext3'],
    mounts: ['/dev/mmcblk0p2 / ext4 rw,noatime 0 0', '/dev/sda1 /mnt/my\\040disk vfat rw 0 0'],
    statfs: ['/ 4096 4096 1000 600 300 50'],
  }
  const f = hardwareFacts((k) => parts[k] ?? [])

  it('DMI names (NA when unreadable), the form factor, apparmor', () => {
    expect(f).toMatchObject({
      ...{ ansible_product_name: 'Standard PC', ansible_product_serial: 'NA', ansible_bios_vendor: 'NA' },
      ...{ ansible_form_factor: 'Main Server Chassis', ansible_apparmor: { status: 'enabled' } },
    })
  })

  it('is_chroot from a non-root reader: / is inode 2 of its file system', () => {
    expect(f.ansible_is_chroot).toBe(false)
    const other = hardwareFacts((k) => (k === 'chroot' ? ['debian_chroot=', '2049:57', 'ext2/ext3'] : []))
    expect(other.ansible_is_chroot).toBe(true)
  })

  it('mounts with their sizes (a path with a space decoded; one stat -f could not read has none)', () => {
    expect(f.ansible_mounts).toEqual([
      {
        ...{ mount: '/', device: '/dev/mmcblk0p2', fstype: 'ext4', options: 'rw,noatime' },
        ...{ size_total: 4096000, size_available: 2457600, block_size: 4096, block_total: 1000 },
        ...{ block_available: 600, block_used: 400, inode_total: 300, inode_available: 50, inode_used: 250 },
        uuid: 'N/A',
      },
      { mount: '/mnt/my disk', device: '/dev/sda1', fstype: 'vfat', options: 'rw', uuid: 'N/A' },
    ])
  })

  it("mounts' UUIDs from lsblk, else udevadm's ID_FS_UUID; bind mounts (a folder in findmnt's source) marked", () => {
    const g = hardwareFacts(
      (k) =>
        ({
          ...parts,
          mounts: [...parts.mounts, '/dev/mmcblk0p2 /srv/www ext4 rw 0 0', 'server:/x /net nfs rw 0 0'],
          uuids: ['/dev/mmcblk0p1 5DE4-665C', '/dev/mmcblk0p2   0ee3a2c8-5e1b', '=udev /dev/sda1', 'ID_FS_TYPE=vfat'],
          binds: ['/ /dev/mmcblk0p2 ext4 rw', '/srv/www /dev/mmcblk0p2[/var/www] ext4 rw', '/net server:/x nfs rw'],
        })[k] ?? [],
    )
    const mounts = g.ansible_mounts as { mount: string; uuid: string; options: string }[]
    expect(mounts.map((m) => [m.mount, m.uuid, m.options])).toEqual([
      ['/', '0ee3a2c8-5e1b', 'rw,noatime'],
      ['/mnt/my disk', 'N/A', 'rw'],
      ['/srv/www', '0ee3a2c8-5e1b', 'rw,bind'],
      ['/net', 'N/A', 'rw'],
    ])
    const udev = hardwareFacts((k) => ({ ...parts, uuids: ['=udev /dev/sda1', 'ID_FS_UUID=AB12-CD34'] })[k] ?? [])
    expect((udev.ansible_mounts as { uuid: string }[]).map((m) => m.uuid)).toEqual(['N/A', 'AB12-CD34'])
  })
})
