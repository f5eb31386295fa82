/**
 * `iptables`: add, insert or remove one rule of a chain, set a built-in chain's policy, flush a chain, or create
 * and delete a chain (`chain_management`), as Ansible's `iptables` module does it. The rule is the arguments'
 * words in Ansible's order (modules/lib/iptables-rule.ts); `iptables -C` says whether it is there. Changes go to
 * the running kernel only: save them yourself (`iptables-save`). Changed when a rule was added or removed, a
 * policy differed, a chain was created or deleted (or listed for `state: absent`), or on every `flush`.
 *
 * @example
 * ```yaml
 * - iptables: { chain: INPUT, protocol: tcp, destination_port: "22", ctstate: [NEW], jump: ACCEPT, comment: ssh }
 * - iptables: { chain: web, chain_management: true }
 * - iptables: { chain: INPUT, policy: DROP }
 * ```
 */
import { Type } from '@sinclair/typebox'
import { argRules } from '../engine/argrules.js'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { defineModule, ModuleFailure, type Plan } from '../engine/module.js'
import type { Command, CommandResult } from '../engine/types.js'
import { ruleWords } from './lib/iptables-rule.js'

const str = (description: string) => Type.Optional(Type.String({ description }))
const list = (description: string) =>
  Defaulted(Type.Array(Type.String(), { default: [] as string[], description: `${description} (a list or "a,b").` }))
const choice = <T extends string>(values: readonly T[], dflt: T, description: string) =>
  Defaulted(
    Type.Union(
      values.map((v) => Type.Literal(v)),
      { default: dflt, description },
    ),
  )

const LOG_LEVELS = ['0', '1', '2', '3', '4', '5', '6', '7', 'emerg', 'alert', 'crit', 'error', 'warning', 'notice']
const Args = Type.Object(
  {
    table: choice(['filter', 'nat', 'mangle', 'raw', 'security'], 'filter', 'The table.'),
    chain: str('The chain (`INPUT`, or a chain of your own).'),
    state: choice(['present', 'absent'], 'present', 'Whether the rule (or, with no rule, the chain) is there.'),
    action: choice(['append', 'insert'], 'append', 'Add a missing rule at the end or at the start (`rule_num`).'),
    rule_num: str('With `action: insert`: the position.'),
    ip_version: choice(['ipv4', 'ipv6'], 'ipv4', '`iptables` or `ip6tables`.'),
    protocol: str('`-p`: tcp, udp, icmp, all… (`!tcp` negates, as every value here).'),
    source: str('`-s`: an address or network.'),
    destination: str('`-d`: an address or network.'),
    match: list('`-m` extensions'),
    tcp_flags: Type.Optional(
      Type.Object(
        { flags: Type.Optional(Type.Array(Type.String())), flags_set: Type.Optional(Type.Array(Type.String())) },
        { additionalProperties: false, description: '`--tcp-flags`: the flags examined and those set.' },
      ),
    ),
    jump: str('`-j`: the target (ACCEPT, DROP, a chain…).'),
    gateway: str('`--gateway` of the TEE target.'),
    goto: str('`-g`: continue in this chain.'),
    in_interface: str('`-i`: the incoming interface.'),
    out_interface: str('`-o`: the outgoing interface.'),
    fragment: str('`-f`.'),
    set_counters: str('`-c`: packet and byte counters.'),
    source_port: str('`--source-port`.'),
    destination_port: str('`--destination-port`: a port or range.'),
    destination_ports: list('`-m multiport --dports`: ports or ranges'),
    to_ports: str('`--to-ports` (REDIRECT, MASQUERADE).'),
    to_source: str('`--to-source` (SNAT).'),
    to_destination: str('`--to-destination` (DNAT).'),
    set_dscp_mark: str('`--set-dscp`.'),
    set_dscp_mark_class: str('`--set-dscp-class`.'),
    comment: str('`-m comment --comment`.'),
    ctstate: list('Connection states (`-m conntrack --ctstate`)'),
    src_range: str('`-m iprange --src-range`.'),
    dst_range: str('`-m iprange --dst-range`.'),
    match_set: str('`-m set --match-set`: an ipset set name (`!NAME` inverts); needs `match_set_flags`.'),
    match_set_flags: Type.Optional(
      Type.Union(
        ['src', 'dst', 'src,dst', 'dst,src'].map((v) => Type.Literal(v)),
        {
          description: "Which addresses `match_set` matches (the set extension's flags).",
        },
      ),
    ),
    limit: str('`-m limit --limit`: `5/sec`.'),
    limit_burst: str('`--limit-burst`.'),
    uid_owner: str('`-m owner --uid-owner`.'),
    gid_owner: str('`-m owner --gid-owner`.'),
    reject_with: str('`--reject-with` (and `-j REJECT` when no `jump`).'),
    icmp_type: str('`--icmp-type` (`--icmpv6-type` for ipv6).'),
    log_prefix: str('`--log-prefix` (the LOG target).'),
    log_level: Type.Optional(
      Type.Union(
        LOG_LEVELS.concat('info', 'debug').map((v) => Type.Literal(v)),
        { description: '`--log-level` (the LOG target).' },
      ),
    ),
    syn: choice(['ignore', 'match', 'negate'], 'ignore', '`--syn` (`match`) or `! --syn` (`negate`).'),
    wait: str('`-w`: wait this many seconds for the xtables lock.'),
    flush: Defaulted(
      Type.Boolean({ default: false, description: 'Flush the chain (or, without `chain`, the table).' }),
    ),
    policy: Type.Optional(
      Type.Union(
        ['ACCEPT', 'DROP', 'QUEUE', 'RETURN'].map((v) => Type.Literal(v)),
        {
          description: "Set the built-in chain's policy.",
        },
      ),
    ),
    chain_management: Defaulted(
      Type.Boolean({
        default: false,
        description: 'Create a missing chain; with `state: absent` and no rule, delete it.',
      }),
    ),
  },
  {
    additionalProperties: false,
    ...argRules({
      mutually_exclusive: [
        ['set_dscp_mark', 'set_dscp_mark_class'],
        ['flush', 'policy'],
      ],
      required_if: [
        ['jump', 'TEE', ['gateway']],
        ['jump', 'tee', ['gateway']],
      ],
    }),
  },
)
type Args = ModuleArgs<typeof Args>

/** What the host said: the rule's `-C` exit, the chain's `-L` listing, the iptables version. */
export interface IptablesState {
  version: string
  /** `iptables -C` found the rule (undefined: not asked). */
  rulePresent?: boolean
  /** `iptables -n -L CHAIN` (undefined: not asked). */
  chain?: CommandResult
}

/** iptables found in sbin for a login user too; C messages. */
const ENV = { LANG: 'C', LC_ALL: 'C', PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' }

/** The arguments as the rule sees them: `wait` as the iptables version allows, LOG for logging options. */
function effective(a: Args, version: string): Args {
  const [maj, min, pat] = version.split('.').map((n) => Number.parseInt(n, 10) || 0)
  const v = maj * 10000 + min * 100 + pat
  const wait = v >= 10600 ? a.wait : v >= 10420 ? '' : undefined
  const jump = (a.log_prefix || a.log_level) && a.jump === undefined ? 'LOG' : a.jump
  return { ...a, wait, jump }
}

/** `iptables -t TABLE ACTION CHAIN [rule_num] [rule…]` */
function iptables(
  a: Args,
  action: string,
  rule: string[] | undefined,
  describe: string,
  extra: string[] = [],
): Command {
  const bin = a.ip_version === 'ipv6' ? 'ip6tables' : 'iptables'
  const num = action === '-I' && a.rule_num ? [a.rule_num] : []
  return {
    argv: [bin, '-t', a.table, action, ...(a.chain !== undefined ? [a.chain] : []), ...num, ...(rule ?? []), ...extra],
    env: ENV,
    describe,
  }
}

/** What gather asks (in one round trip); the plan reads the answers. */
export function readCommands(a: Args, version: string): Command[] {
  if (a.flush || !a.chain) return []
  const e = effective(a, version)
  const list = iptables(e, '-L', undefined, `list chain ${a.chain}`, ['-n'])
  if (a.policy || (a.state === 'absent' && ruleWords({ ...a }).length === 0)) return [list]
  return [iptables(e, '-C', ruleWords(e), `look for the rule in ${a.chain}`), list]
}

/** Decide. Pure. */
export function planIptables(s: IptablesState, a: Args): Plan {
  const rule = ruleWords(a).join(' ')
  const data = {
    ip_version: a.ip_version,
    table: a.table,
    chain: a.chain ?? null,
    flush: a.flush,
    rule,
    state: a.state,
    chain_management: a.chain_management,
  }
  const fail = (msg: string): Plan => ({ commands: [], fail: msg, data })
  if (!a.flush && a.chain === undefined) return fail('Either chain or flush parameter must be specified.')
  // Ansible's module fails on this too (it builds a rule with a missing word)
  if (a.match_set && !a.match_set_flags) return fail('match_set must be used together with match_set_flags.')
  if ((a.log_prefix || a.log_level) && a.jump !== undefined && a.jump !== 'LOG')
    return fail('Logging options can only be used with the LOG jump target.')
  const e = effective(a, s.version)
  const where = `${a.chain ?? `every chain`} (${a.table})`
  const change = (commands: Command[]): Plan => ({
    commands,
    changed: true,
    changes: commands.map((c) => c.describe ?? c.argv.join(' ')),
    data,
  })
  if (a.flush) return change([iptables(e, '-F', undefined, `flush ${where}`)])
  if (a.policy) {
    if (!s.chain || s.chain.rc !== 0) return fail(s.chain?.stderr.trim() || 'iptables -L failed')
    const now = /\(policy ([A-Z]+)\)/.exec(s.chain.stdout.split('\n')[0])?.[1]
    if (!now) return fail("Can't detect current policy")
    return now === a.policy
      ? { commands: [], data }
      : change([iptables(e, '-P', undefined, `policy ${a.policy} for ${where}`, [a.policy])])
  }
  const chainThere = s.chain?.rc === 0
  if (a.state === 'absent' && rule === '') {
    // Ansible reports a chain that is there as changed, and deletes it only with chain_management
    if (!chainThere) return { commands: [], data }
    return a.chain_management
      ? change([iptables(e, '-X', undefined, `delete chain ${where}`)])
      : { commands: [], changed: true, data }
  }
  const present = a.state === 'present'
  if (s.rulePresent === present) return { commands: [], data }
  if (!present) return change([iptables(e, '-D', ruleWords(e), `remove the rule from ${where}`)])
  const create =
    !chainThere && !s.rulePresent && a.chain_management ? [iptables(e, '-N', undefined, `create chain ${where}`)] : []
  const add = a.action === 'insert' ? '-I' : '-A'
  return change([...create, iptables(e, add, ruleWords(e), `${a.action} the rule to ${where}`)])
}

export default defineModule({
  name: 'iptables',
  summary: 'Add or remove an iptables rule, set a chain policy, flush or manage a chain',
  schema: Args,
  changedWhen: 'a rule was added or removed, a policy or chain changed, or on every flush',
  check: 'full',
  example: 'iptables: { chain: INPUT, protocol: tcp, destination_port: "22", jump: ACCEPT, comment: ssh }',
  async gather(args, _ctx, io): Promise<IptablesState> {
    const bin = args.ip_version === 'ipv6' ? 'ip6tables' : 'iptables'
    const v = await io.run({ argv: [bin, '--version'], env: ENV, describe: `${bin} version` })
    if (v.rc !== 0) throw new ModuleFailure(`${bin} --version failed: ${(v.stderr || v.stdout).trim()}`)
    const version = /v(\d+(\.\d+)*)/.exec(v.stdout)?.[1] ?? '0'
    const cmds = readCommands(args, version)
    const r = await io.batch(cmds)
    const chain = r.at(-1)
    return { version, ...(cmds.length === 2 ? { rulePresent: r[0].rc === 0 } : {}), ...(chain ? { chain } : {}) }
  },
  plan: (state, args) => planIptables(state, args),
  // a command that failed: not changed, as Ansible's failure reports it (a chain made before it included)
  after: (_state, _args, results) => (results.some((r) => r.rc !== 0) ? { changed: false } : {}),
})
