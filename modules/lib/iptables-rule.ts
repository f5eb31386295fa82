/**
 * The rule words of `iptables`, built from the module's arguments in the order Ansible's `iptables` module builds
 * them (so `iptables -C` finds a rule Ansible added, and the registered `rule` reads the same). A value starting
 * with `!` is negated (`! -s 10.0.0.1`).
 *
 * @example
 * ```ts
 * ruleWords({ protocol: 'tcp', destination_port: '22', jump: 'ACCEPT', ... })
 * // → ['-p', 'tcp', '-j', 'ACCEPT', '--destination-port', '22']
 * ```
 */

/** The arguments the rule is made of (the module's schema gives them; lists already split). */
export interface RuleArgs {
  ip_version: string
  wait?: string
  protocol?: string
  source?: string
  destination?: string
  match: string[]
  tcp_flags?: { flags?: string[]; flags_set?: string[] }
  jump?: string
  gateway?: string
  log_prefix?: string
  log_level?: string
  to_destination?: string
  destination_ports: string[]
  to_source?: string
  goto?: string
  in_interface?: string
  out_interface?: string
  fragment?: string
  set_counters?: string
  source_port?: string
  destination_port?: string
  to_ports?: string
  set_dscp_mark?: string
  set_dscp_mark_class?: string
  syn: string
  ctstate: string[]
  src_range?: string
  dst_range?: string
  match_set?: string
  match_set_flags?: string
  limit?: string
  limit_burst?: string
  uid_owner?: string
  gid_owner?: string
  reject_with?: string
  icmp_type?: string
  comment?: string
}

/** The rule's words. Pure. */
export function ruleWords(a: RuleArgs): string[] {
  const w: string[] = []
  /** `FLAG VALUE`, or `! FLAG VALUE` for a value written `!VALUE`. */
  const param = (v: string | undefined, flag: string) => {
    if (v === undefined || v === '') return
    if (v.startsWith('!')) w.push('!', flag, v.slice(1))
    else w.push(flag, v)
  }
  /** `-m NAME` when the value is given. */
  const match = (given: unknown, name: string) => {
    if (given !== undefined && given !== '' && !(Array.isArray(given) && given.length === 0)) w.push('-m', name)
  }
  const csv = (v: string[], flag: string) => {
    if (v.length) w.push(flag, v.join(','))
  }
  /** A flag alone for `match`, `! FLAG` for `negate`. */
  const flagOf = (v: string | undefined, flag: string) => {
    if (v === 'match') w.push(flag)
    else if (v === 'negate') w.push('!', flag)
  }
  if (a.wait) w.push('-w', a.wait)
  param(a.protocol, '-p')
  param(a.source, '-s')
  param(a.destination, '-d')
  for (const m of a.match) param(m, '-m')
  if (a.tcp_flags?.flags && a.tcp_flags.flags_set)
    w.push('--tcp-flags', a.tcp_flags.flags.join(','), a.tcp_flags.flags_set.join(','))
  param(a.jump, '-j')
  if (a.jump?.toLowerCase() === 'tee') param(a.gateway, '--gateway')
  param(a.log_prefix, '--log-prefix')
  param(a.log_level, '--log-level')
  param(a.to_destination, '--to-destination')
  match(a.destination_ports, 'multiport')
  csv(a.destination_ports, '--dports')
  param(a.to_source, '--to-source')
  param(a.goto, '-g')
  param(a.in_interface, '-i')
  param(a.out_interface, '-o')
  param(a.fragment, '-f')
  param(a.set_counters, '-c')
  param(a.source_port, '--source-port')
  param(a.destination_port, '--destination-port')
  param(a.to_ports, '--to-ports')
  param(a.set_dscp_mark, '--set-dscp')
  param(a.set_dscp_mark_class, '--set-dscp-class')
  flagOf(a.syn, '--syn')
  if (a.match.includes('conntrack')) csv(a.ctstate, '--ctstate')
  else if (a.match.includes('state')) csv(a.ctstate, '--state')
  else if (a.ctstate.length) {
    w.push('-m', 'conntrack')
    csv(a.ctstate, '--ctstate')
  }
  if (!a.match.includes('iprange')) match(a.src_range || a.dst_range, 'iprange')
  param(a.src_range, '--src-range')
  param(a.dst_range, '--dst-range')
  // the set extension: `-m set` unless `match` names it, then the set and its flags as a bare word
  if (a.match.includes('set') || a.match_set) {
    if (!a.match.includes('set')) w.push('-m', 'set')
    param(a.match_set, '--match-set')
    if (a.match_set_flags) w.push(a.match_set_flags)
  }
  match(a.limit || a.limit_burst, 'limit')
  param(a.limit, '--limit')
  param(a.limit_burst, '--limit-burst')
  // Ansible's owner words: `-m owner`, a bare flag for the value `match`/`negate`, then the value
  for (const [v, flag] of [
    [a.uid_owner, '--uid-owner'],
    [a.gid_owner, '--gid-owner'],
  ] as const) {
    match(v, 'owner')
    flagOf(v, flag)
    param(v, flag)
  }
  if (a.jump === undefined && a.reject_with) w.push('-j', 'REJECT')
  param(a.reject_with, '--reject-with')
  param(a.icmp_type, a.ip_version === 'ipv6' ? '--icmpv6-type' : '--icmp-type')
  match(a.comment, 'comment')
  param(a.comment, '--comment')
  return w
}
