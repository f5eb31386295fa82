/**
 * What Ansible reads of each network interface from /sys/class/net and `ethtool`, beside `ip`'s view
 * (engine/netfacts.ts): the MAC address, MTU, `active` (operstate not `down`), `type` (ARPHRD number, `bridge`,
 * `bonding`), a bridge's ports, id and STP, a bond's slaves and modes, `perm_macaddress`, `pciid`, `module`,
 * `speed`, and where `ethtool` is installed the `features` and time stamping. One `ls` for the links, the shell's
 * `read` for the files, two `ethtool` runs per interface only where it is installed.
 *
 * @example
 * ```ts
 * sysfsInterfaces(sections) // Map { 'eth0' => { macaddress: '02:fc:00:00:00:01', mtu: 1400, pciid: 'virtio2', … } }
 * ```
 */
import { sysfsRecords } from './textfacts.js'
import type { Vars } from './types.js'

const FILES = [
  ...['address', 'mtu', 'operstate', 'type', 'bridge/bridge_id', 'bridge/stp_state', 'bonding/slaves'],
  ...['bonding/mode', 'bonding/miimon', 'bonding/lacp_rate', 'bonding/primary', 'bonding/all_slaves_active'],
  ...['bonding_slave/perm_hwaddr', 'speed', 'flags'],
]
const DIRS = ['bridge', 'bonding', 'bonding_slave', 'device']

/** Shell text printing the sections `sysfsInterfaces` reads. */
export const NET_SYS_SCRIPT = [
  'echo @netsys; for p in /sys/class/net/*; do if [ ! -d "$p" ]; then continue; fi; n=${p##*/}',
  `  for k in ${FILES.join(' ')}; do if [ -e "$p/$k" ]; then x=; read -r x 2>/dev/null < "$p/$k" || :`,
  '    printf "%s\\t%s\\t%s\\n" "$n" "$k" "$x"; fi; done',
  `  for k in ${DIRS.join(' ')}; do if [ -e "$p/$k" ]; then printf "%s\\t%s/\\n" "$n" "$k"; fi; done`,
  '  for b in "$p"/brif/*; do if [ -e "$b" ]; then printf "%s\\tbrif\\t%s\\n" "$n" "${b##*/}"; fi; done; done',
  'echo @netlinks; ls -l /sys/class/net/*/device /sys/class/net/*/device/driver/module 2>/dev/null',
  'echo @ethtool',
  'if command -v ethtool >/dev/null 2>&1; then for p in /sys/class/net/*; do n=${p##*/}',
  '  echo "=k $n"; ethtool -k "$n" 2>/dev/null; echo "=rc $?"; echo "=T $n"; ethtool -T "$n" 2>/dev/null',
  '  echo "=rc $?"; done; fi',
].join('\n')

const TYPES: Record<string, string> = { '1': 'ether', '32': 'infiniband', '512': 'ppp', '772': 'loopback' }
Object.assign(TYPES, { '65534': 'tunnel' })

const first = (s: string | undefined) => (s ?? '').split(/\s+/).filter(Boolean)[0]

/** Per interface: the fields Ansible reads from sysfs (before `promisc`) and those from ethtool (after `ipv6`). */
export interface SysfsInterface {
  head: Vars
  tail: Vars
}

/** Parse the sections of `NET_SYS_SCRIPT`: interface → its sysfs and ethtool fields, in Ansible's order. */
export function sysfsInterfaces(lines: (name: string) => string[]): Map<string, SysfsInterface> {
  const { values: files, lists: ports } = sysfsRecords(lines('netsys'), 'brif')
  const links = new Map<string, string>()
  for (const l of lines('netlinks')) {
    const m = /(\/sys\/class\/net\/\S+) -> (\S+)$/.exec(l)
    if (m) links.set(m[1], m[2].slice(m[2].lastIndexOf('/') + 1))
  }
  const tools = ethtool(lines('ethtool'))
  const out = new Map<string, SysfsInterface>()
  for (const [dev, f] of files) {
    const has = (k: string) => f.has(k)
    const head: Vars = {}
    const mac = f.get('address')
    if (mac && mac !== '00:00:00:00:00:00') head.macaddress = mac
    if (has('mtu')) head.mtu = Number.parseInt(f.get('mtu') ?? '', 10)
    if (has('operstate')) head.active = f.get('operstate') !== 'down'
    const module = links.get(`/sys/class/net/${dev}/device/driver/module`)
    if (module) head.module = module
    if (has('type')) head.type = TYPES[f.get('type') ?? ''] ?? 'unknown'
    if (has('bridge/')) {
      Object.assign(head, { type: 'bridge', interfaces: ports.get(dev) ?? [] })
      if (has('bridge/bridge_id')) head.id = f.get('bridge/bridge_id')
      if (has('bridge/stp_state')) head.stp = f.get('bridge/stp_state') === '1'
    }
    if (has('bonding/')) {
      head.type = 'bonding'
      head.slaves = (f.get('bonding/slaves') ?? '').split(/\s+/).filter(Boolean)
      for (const k of ['mode', 'miimon', 'lacp_rate']) head[k] = first(f.get(`bonding/${k}`))
      const primary = f.get('bonding/primary')
      if (primary) {
        head.primary = primary
        if (has('bonding/all_slaves_active')) head.all_slaves_active = f.get('bonding/all_slaves_active') === '1'
      }
    }
    if (has('bonding_slave/')) head.perm_macaddress = f.get('bonding_slave/perm_hwaddr') ?? ''
    const pciid = links.get(`/sys/class/net/${dev}/device`)
    if (has('device/') && pciid) head.pciid = pciid
    const speed = f.get('speed')
    if (speed && /^-?\d+$/.test(speed)) head.speed = Number(speed)
    if (has('flags')) head.promisc = (Number.parseInt(f.get('flags') ?? '0', 16) & 0x100) > 0
    out.set(dev, { head, tail: tools.get(dev) ?? {} })
  }
  return out
}

/** `ethtool -k` (features) and `-T` (time stamping) per interface, where each succeeded. */
function ethtool(l: string[]): Map<string, Vars> {
  const out = new Map<string, Vars>()
  let dev = ''
  let mode = ''
  let body: string[] = []
  for (const line of l) {
    const m = /^=(k|T|rc) (.*)$/.exec(line)
    if (!m) {
      body.push(line)
      continue
    }
    if (m[1] !== 'rc') {
      ;[mode, dev, body] = [m[1], m[2], []]
      continue
    }
    const data = out.get(dev) ?? out.set(dev, {}).get(dev)!
    if (m[2] !== '0') continue
    if (mode === 'k') data.features = features(body)
    else Object.assign(data, stamping(body.join('\n')))
  }
  return out
}

function features(body: string[]): Vars {
  const out: Vars = {}
  for (const line of body.join('\n').trim().split('\n')) {
    if (!line || line.endsWith(':')) continue
    const i = line.indexOf(': ')
    if (i < 0) continue
    const value = line.slice(i + 2)
    if (value) out[line.slice(0, i).trim().replace(/-/g, '_')] = value.trim()
  }
  return out
}

function stamping(text: string): Vars {
  const all = (re: RegExp) => [...text.matchAll(re)].map((m) => m[1].toLowerCase())
  const out: Vars = {
    timestamping: all(/SOF_TIMESTAMPING_(\w+)/g),
    hw_timestamp_filters: all(/HWTSTAMP_FILTER_(\w+)/g),
  }
  const phc = /PTP Hardware Clock: (\d+)/.exec(text)
  if (phc) out.phc_index = Number(phc[1])
  return out
}
