/**
 * Ansible's network facts from `ip -o link`, `ip -o addr` and the routes to Ansible's probe addresses (a route
 * lookup only: nothing is sent): `interfaces`, one fact per interface (`ansible_eth0`: device, mtu, active, type,
 * macaddress, promisc, ipv4, ipv4_secondaries, ipv6), `all_ipv4_addresses`/`all_ipv6_addresses` (loopback left out)
 * and `default_ipv4`/`default_ipv6` (the route's gateway and interface with that interface's address).
 *
 * @example
 * ```ts
 * networkFacts(linkText, addrText, 'x via 10.0.0.1 dev eth0 src 10.0.0.2', '') // { default_ipv4: { address: … } }
 * ```
 */
import { NET_SYS_SCRIPT, type SysfsInterface } from './netsysfacts.js'
import type { Vars } from './types.js'

/** Ansible's probe addresses: the routes to them name the default interfaces (a route lookup only: nothing sent). */
const PROBE4 = '8.8.8.8'
const PROBE6 = '2404:6800:400a:806::200e'

/**
 * The shell that prints what `networkFacts` reads, each part after its own `@` line: iproute2's four questions in
 * one `ip -batch` (`@ipbatch`; `-force` goes on past a route it cannot find), else (busybox's `ip`) one `ip` each.
 */
export const NET_SCRIPT = [
  NET_SYS_SCRIPT,
  'if command -v ip >/dev/null 2>&1; then',
  '  x=$(ip -o -force -batch - 2>/dev/null <<EOF',
  'link show',
  'addr show',
  `route get ${PROBE4}`,
  `route get ${PROBE6}`,
  'EOF',
  ')',
  '  if [ -n "$x" ]; then echo @ipbatch; printf "%s\\n" "$x"; else',
  '  echo @link; ip -o link show 2>/dev/null',
  '  echo @addr; ip -o addr show 2>/dev/null',
  `  echo @route4; ip -4 route get ${PROBE4} 2>/dev/null`,
  `  echo @route6; ip -6 route get ${PROBE6} 2>/dev/null; fi`,
  'fi',
].join('\n')

/**
 * The `@link`, `@addr`, `@route4` and `@route6` texts `networkFacts` takes, from the sections `NET_SCRIPT` printed:
 * `@ipbatch`'s lines told apart by their shape (`N: dev: <flags>`, `N: dev inet…`, the probe address first).
 */
export function ipTexts(lines: (name: string) => string[]): [link: string, addr: string, r4: string, r6: string] {
  const batch = lines('ipbatch')
  const text = (k: string) => lines(k).join('\n')
  if (!batch.length) return [text('link'), text('addr'), text('route4'), text('route6')]
  const pick = (ok: (l: string) => boolean) => batch.filter(ok).join('\n')
  return [
    pick((l) => /^\d+:\s+\S+:\s+</.test(l)),
    pick((l) => /^\d+:\s+\S+\s+inet6?\s/.test(l)),
    pick((l) => l.startsWith(`${PROBE4} `)),
    pick((l) => l.startsWith(`${PROBE6} `)),
  ]
}

interface Ipv4 {
  address: string
  broadcast: string
  netmask: string
  network: string
  prefix: string
}

const toInt = (ip: string) => ip.split('.').reduce((n, p) => n * 256 + Number(p), 0)
const toIp = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.')

/** `192.0.2.2/24` (and its `brd`) as Ansible's ipv4 fields. */
function ipv4(cidr: string, brd: string): Ipv4 {
  const [address, bits = '32'] = cidr.split('/')
  const mask = bits === '0' ? 0 : (0xffffffff - (2 ** (32 - Number(bits)) - 1)) >>> 0
  const network = (toInt(address) & mask) >>> 0
  return { address, broadcast: brd, netmask: toIp(mask), network: toIp(network), prefix: bits }
}

const LINK_TYPES: Record<string, string> = {
  'link/ether': 'ether',
  'link/loopback': 'loopback',
  'link/none': 'unknown',
}

/** An interface's fact name: `ansible_` and the device with `-` and `:` as `_`. */
export const interfaceFactName = (dev: string) => `ansible_${dev.replace(/[-:]/g, '_')}`

/**
 * Parse the sections `NET_SCRIPT` printed into Ansible's `ansible_*` network facts; an interface that `sys`
 * (engine/netsysfacts.ts) read in /sys/class/net gets its fields from there, as Ansible's, else from `ip`.
 */
export function networkFacts(
  link: string,
  addr: string,
  route4: string,
  route6: string,
  sys: Map<string, SysfsInterface> = new Map(),
): Vars {
  const ifaces = new Map<string, Vars>()
  for (const line of link.split('\n')) {
    const m = /^\d+:\s+([^:@\s]+)(?:@\S+)?:\s+<([^>]*)>(.*)$/.exec(line)
    if (!m) continue
    const [, dev, flagText, rest] = m
    const flags = flagText.split(',')
    const words = rest.replace(/\\/g, ' ').trim().split(/\s+/)
    const at = (w: string) => words[words.indexOf(w) + 1]
    const kind = words.find((w) => w.startsWith('link/')) ?? ''
    const f: Vars = { device: dev }
    const mac = at(kind)
    if (kind === 'link/ether' && mac) f.macaddress = mac
    Object.assign(f, {
      mtu: Number(at('mtu')),
      active: flags.includes('UP'),
      type: LINK_TYPES[kind] ?? (kind.replace('link/', '') || 'unknown'),
      promisc: flags.includes('PROMISC'),
    })
    const fromSys = sys.get(dev)
    ifaces.set(dev, fromSys ? { device: dev, ...fromSys.head } : f)
  }
  const v4: string[] = []
  const v6: string[] = []
  for (const line of addr.split('\n')) {
    const m = /^\d+:\s+([^:@\s]+)\s+(inet6?)\s+(\S+)(.*)$/.exec(line)
    const f = m && ifaces.get(m[1])
    if (!m || !f) continue
    const words = m[4].replace(/\\/g, ' ').trim().split(/\s+/)
    const at = (w: string) => (words.includes(w) ? words[words.indexOf(w) + 1] : undefined)
    if (m[2] === 'inet') {
      const one = ipv4(m[3], at('brd') ?? '')
      if (!f.ipv4) f.ipv4 = one
      else ((f.ipv4_secondaries ??= []) as Ipv4[]).push(one)
      if (!one.address.startsWith('127.')) v4.push(one.address)
    } else {
      const [address, prefix = '128'] = m[3].split('/')
      ;((f.ipv6 ??= []) as Vars[]).push({ address, prefix, scope: at('scope') ?? 'global' })
      if (address !== '::1') v6.push(address)
    }
  }
  for (const [dev, f] of ifaces) Object.assign(f, sys.get(dev)?.tail)
  const out: Vars = { ansible_interfaces: [...ifaces.keys()], ansible_all_ipv4_addresses: v4 }
  out.ansible_all_ipv6_addresses = v6
  for (const [dev, f] of ifaces) out[interfaceFactName(dev)] = f
  out.ansible_default_ipv4 = defaultRoute(route4, ifaces, 4)
  out.ansible_default_ipv6 = defaultRoute(route6, ifaces, 6)
  return out
}

/** `default_ipv4`/`default_ipv6`: the route's gateway, interface and source address, with that interface's facts. */
function defaultRoute(text: string, ifaces: Map<string, Vars>, family: 4 | 6): Vars {
  const words = text.split(/\s+/)
  const at = (w: string) => (words.includes(w) ? words[words.indexOf(w) + 1] : undefined)
  const dev = at('dev')
  const src = at('src')
  if (!dev) return {}
  const out: Vars = { ...(at('via') ? { gateway: at('via') } : {}), interface: dev, ...(src ? { address: src } : {}) }
  const f = ifaces.get(dev)
  if (!f) return out
  if (family === 4) {
    const all = [f.ipv4, ...((f.ipv4_secondaries as Ipv4[] | undefined) ?? [])].filter(Boolean) as Ipv4[]
    Object.assign(out, all.find((a) => a.address === src) ?? all[0] ?? {})
  } else {
    const all = (f.ipv6 as Vars[] | undefined) ?? []
    Object.assign(out, all.find((a) => a.address === src) ?? {})
  }
  if (f.macaddress) out.macaddress = f.macaddress
  Object.assign(out, { mtu: f.mtu, type: f.type })
  if (family === 4) out.alias = dev
  return out
}
