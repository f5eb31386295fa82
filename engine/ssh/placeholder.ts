/**
 * Addresses no real host has: the documentation ranges of RFC 5737 (IPv4) and RFC 3849 (IPv6), which example
 * inventories use as placeholders. An error about such a host says so, so a first run against the example
 * inventory points at the inventory instead of at the network.
 *
 * @example
 * ```ts
 * placeholderNote('192.0.2.10') // ' (192.0.2.10 is in 192.0.2.0/24, a documentation range: …)'
 * placeholderNote('10.0.0.5')   // ''
 * ```
 */
const RANGES: [RegExp, string][] = [
  [/^192\.0\.2\.\d{1,3}$/, '192.0.2.0/24'],
  [/^198\.51\.100\.\d{1,3}$/, '198.51.100.0/24'],
  [/^203\.0\.113\.\d{1,3}$/, '203.0.113.0/24'],
  [/^2001:0?db8:/i, '2001:db8::/32'],
]

/** A note to append to an error about `host`, or '' when it is a real address or a name. */
export function placeholderNote(host: string): string {
  const range = RANGES.find(([re]) => re.test(host))?.[1]
  return range
    ? ` (${host} is in ${range}, a documentation range that no real host has: the inventory still holds its ` +
        `example addresses; edit inventory/hosts.yml, or the file you pass with -i, to name your machines)`
    : ''
}
