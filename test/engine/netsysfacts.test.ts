/**
 * An interface's facts from /sys/class/net and ethtool, as a host with a bridge, a bond and a NIC with a kernel
 * module would print them, merged into `ip`'s view in Ansible's field order. The test machine's own interfaces are
 * compared with ansible-playbook's by the agreement case `facts_more` (test/compat/cases/gather.ts).
 *
 * @example
 * ```sh
 * npx vitest run test/engine/netsysfacts.test.ts
 * ```
 */
import { describe, expect, it } from 'vitest'
import { networkFacts } from '../../engine/netfacts.js'
import { sysfsInterfaces } from '../../engine/netsysfacts.js'

const sections = (s: Record<string, string[]>) => (name: string) => s[name] ?? []
const files = (dev: string, kv: Record<string, string>) => Object.entries(kv).map(([k, v]) => `${dev}\t${k}\t${v}`)

const HOST = {
  netsys: [
    ...files('eth0', { address: 'b8:27:eb:01:02:03', mtu: '1500', operstate: 'up', type: '1', speed: '1000' }),
    ...files('eth0', { flags: '0x1103' }),
    'eth0\tdevice/',
    ...files('br0', { address: '52:54:00:aa:bb:cc', mtu: '1500', operstate: 'down', type: '1', flags: '0x1003' }),
    ...files('br0', { 'bridge/bridge_id': '8000.525400aabbcc', 'bridge/stp_state': '0' }),
    'br0\tbridge/',
    'br0\tbrif\teth1',
    ...files('bond0', { address: '00:00:00:00:00:00', mtu: '9000', operstate: 'unknown', type: '1' }),
    ...files('bond0', { 'bonding/slaves': 'eth2 eth3', 'bonding/mode': 'active-backup 1', 'bonding/miimon': '100' }),
    ...files('bond0', { 'bonding/lacp_rate': 'slow 0', 'bonding/primary': 'eth2', 'bonding/all_slaves_active': '0' }),
    'bond0\tbonding/',
    ...files('tun0', { mtu: '1420', operstate: 'unknown', type: '65534', speed: '' }),
  ],
  netlinks: [
    'lrwxrwxrwx 1 root root 0 Dec  5 12:04 /sys/class/net/eth0/device -> ../../../0000:01:00.0',
    'lrwxrwxrwx 1 root root 0 Dec  5 12:04 /sys/class/net/eth0/device/driver/module -> ../../../../module/r8169',
  ],
  ethtool: [
    ...[
      '=k eth0',
      'Features for eth0:',
      'rx-checksumming: on',
      'tx-checksumming: on',
      '\ttx-checksum-ipv4: off [fixed]',
    ],
    ...['highdma: on [fixed]', '=rc 0', '=T eth0', 'Time stamping parameters for eth0:', 'Capabilities:'],
    ...[
      '\thardware-transmit     (SOF_TIMESTAMPING_TX_HARDWARE)',
      '\tsoftware-receive     (SOF_TIMESTAMPING_RX_SOFTWARE)',
    ],
    ...['PTP Hardware Clock: 0', 'Hardware Receive Filter Modes:', '\tnone                  (HWTSTAMP_FILTER_NONE)'],
    ...['=rc 0', '=k tun0', '=rc 1', '=T tun0', '=rc 94'],
  ],
}

describe('sysfsInterfaces', () => {
  const sys = sysfsInterfaces(sections(HOST))

  it("reads a NIC's sysfs fields, its PCI id and module, and ethtool's features and time stamping", () => {
    expect(sys.get('eth0')).toEqual({
      head: {
        ...{ macaddress: 'b8:27:eb:01:02:03', mtu: 1500, active: true, module: 'r8169', type: 'ether' },
        ...{ pciid: '0000:01:00.0', speed: 1000, promisc: true },
      },
      tail: {
        features: {
          rx_checksumming: 'on',
          tx_checksumming: 'on',
          tx_checksum_ipv4: 'off [fixed]',
          highdma: 'on [fixed]',
        },
        ...{ timestamping: ['tx_hardware', 'rx_software'], hw_timestamp_filters: ['none'], phc_index: 0 },
      },
    })
  })

  it('gives a bridge its ports, id and STP, a bond its slaves and modes; an all-zero MAC is left out', () => {
    expect(sys.get('br0')?.head).toMatchObject({
      ...{ active: false, type: 'bridge', interfaces: ['eth1'], id: '8000.525400aabbcc', stp: false },
    })
    expect(sys.get('bond0')?.head).toEqual({
      ...{ mtu: 9000, active: true, type: 'bonding', slaves: ['eth2', 'eth3'], mode: 'active-backup' },
      ...{ miimon: '100', lacp_rate: 'slow', primary: 'eth2', all_slaves_active: false },
    })
  })

  it('leaves out a speed it cannot read and what a failed ethtool run would give', () => {
    expect(sys.get('tun0')).toEqual({ head: { mtu: 1420, active: true, type: 'tunnel' }, tail: {} })
  })

  it("merges them into ip's view: sysfs fields first, then addresses, then ethtool's", () => {
    const link =
      '2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP\\    link/ether b8:27:eb:01:02:03'
    const addr = '2: eth0    inet 192.168.1.20/24 brd 192.168.1.255 scope global eth0\\       valid_lft forever'
    const f = networkFacts(link, addr, '', '', sys).ansible_eth0 as Record<string, unknown>
    expect(Object.keys(f)).toEqual([
      ...['device', 'macaddress', 'mtu', 'active', 'module', 'type', 'pciid', 'speed', 'promisc', 'ipv4'],
      ...['features', 'timestamping', 'hw_timestamp_filters', 'phc_index'],
    ])
    const fallback = networkFacts(link.replace(/eth0/g, 'wlan0'), '', '', '', sys).ansible_wlan0
    expect(fallback).toEqual({
      ...{ device: 'wlan0', macaddress: 'b8:27:eb:01:02:03', mtu: 1500, active: true, type: 'ether' },
      promisc: false,
    })
  })
})
