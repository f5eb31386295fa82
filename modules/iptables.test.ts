import { execFileSync } from 'node:child_process'
import { describe, expect, test } from 'vitest'
import iptables, { planIptables, readCommands, type IptablesState } from './iptables.js'
import { ruleWords } from './lib/iptables-rule.js'
import { moduleArgs, playbookArgs, type WrittenArgs } from '../test/helpers/module-ctx.js'

type Written = WrittenArgs<typeof iptables>
const args = (w: Record<string, unknown>) => playbookArgs(iptables, w)

/** Rules as tables: written arguments → the rule's words. */
const RULES: [Record<string, unknown>, string][] = [
  [{ chain: 'X', protocol: 'tcp', destination_port: 22, jump: 'ACCEPT' }, '-p tcp -j ACCEPT --destination-port 22'],
  [{ chain: 'X', source: '!10.0.0.0/8', jump: 'DROP' }, '! -s 10.0.0.0/8 -j DROP'],
  [
    { chain: 'X', protocol: 'tcp', destination_ports: '80,443', jump: 'ACCEPT' },
    '-p tcp -j ACCEPT -m multiport --dports 80,443',
  ],
  [
    { chain: 'X', ctstate: ['ESTABLISHED', 'RELATED'], jump: 'ACCEPT' },
    '-j ACCEPT -m conntrack --ctstate ESTABLISHED,RELATED',
  ],
  [{ chain: 'X', match: ['state'], ctstate: 'NEW', jump: 'ACCEPT' }, '-m state -j ACCEPT --state NEW'],
  [{ chain: 'X', comment: 'hi there', jump: 'RETURN' }, '-j RETURN -m comment --comment hi there'],
  [{ chain: 'X', protocol: 'tcp', reject_with: 'tcp-reset' }, '-p tcp -j REJECT --reject-with tcp-reset'],
  [
    { chain: 'X', src_range: '10.0.0.1-10.0.0.9', limit: '5/sec' },
    '-m iprange --src-range 10.0.0.1-10.0.0.9 -m limit --limit 5/sec',
  ],
  [{ chain: 'X', in_interface: 'lo', syn: 'negate', protocol: 'tcp' }, '-p tcp -i lo ! --syn'],
  [
    { chain: 'X', protocol: 'icmp', icmp_type: 'echo-request', uid_owner: '1000' },
    '-p icmp -m owner --uid-owner 1000 --icmp-type echo-request',
  ],
  [
    { chain: 'X', tcp_flags: { flags: ['ALL'], flags_set: ['ACK', 'SYN'] }, protocol: 'tcp' },
    '-p tcp --tcp-flags ALL ACK,SYN',
  ],
  [{ chain: 'X', log_prefix: 'x: ', log_level: 'info', wait: '5' }, '-w 5 --log-prefix x:  --log-level info'],
  [
    { chain: 'X', match_set: 'admins', match_set_flags: 'src', destination_port: 22, jump: 'ACCEPT' },
    '-j ACCEPT --destination-port 22 -m set --match-set admins src',
  ],
  [
    { chain: 'X', match_set: '!bad', match_set_flags: 'src,dst', jump: 'DROP' },
    '-j DROP -m set ! --match-set bad src,dst',
  ],
  [{ chain: 'X', match: ['set'], match_set: 'a', match_set_flags: 'dst' }, '-m set --match-set a dst'],
]

describe('rule words', () => {
  test.each(RULES)('%j → %s', (w, want) => expect(ruleWords(args(w)).join(' ')).toBe(want))

  // Ansible's own construct_rule as the oracle, when ansible-core is installed for the system python
  const py = (code: string[], argv: string[] = [], input = '') =>
    execFileSync('/usr/bin/python3', ['-c', code.join('\n'), ...argv], { input, stdio: 'pipe' }).toString()
  const hasAnsible = (() => {
    try {
      py(['import ansible.modules.iptables'])
      return true
    } catch {
      return false
    }
  })()
  const oracle = (params: Record<string, unknown>[]): string[] => {
    const keys = [...Object.keys(iptables.schema.properties), 'match_set', 'match_set_flags']
    const script = [
      'import json, sys',
      'from ansible.modules.iptables import construct_rule',
      'keys = json.loads(sys.argv[1]); out = []',
      'for p in json.load(sys.stdin):',
      '    full = {k: None for k in keys}; full.update(match=[], destination_ports=[], ctstate=[], syn="ignore")',
      '    full.update(p); out.append(" ".join(construct_rule(full)))',
      'print(json.dumps(out))',
    ]
    return JSON.parse(py(script, [JSON.stringify(keys)], JSON.stringify(params))) as string[]
  }
  const resolved = RULES.map(([w]) => args(w) as Record<string, unknown>)
  test.skipIf(!hasAnsible)("every rule above is Ansible's construct_rule's", () => {
    expect(resolved.map((a) => ruleWords(a as unknown as Parameters<typeof ruleWords>[0]).join(' '))).toEqual(
      oracle(resolved),
    )
  })
})

const ok = (stdout = '') => ({ rc: 0, stdout, stderr: '' })
const missing = { rc: 1, stdout: '', stderr: 'iptables: No chain/target/match by that name.' }
type Row = { name: string; state: IptablesState; args: Written; argv: string[]; changed?: boolean; fail?: string }
const V = '1.8.9'
describe('plan: args + state → commands', () => {
  test.each<Row>([
    {
      name: 'a missing rule is appended',
      state: { version: V, rulePresent: false, chain: ok('Chain X (0 references)\n') },
      args: { chain: 'X', protocol: 'tcp', jump: 'ACCEPT' },
      argv: ['iptables -t filter -A X -p tcp -j ACCEPT'],
    },
    {
      name: 'inserted at rule_num',
      state: { version: V, rulePresent: false, chain: ok() },
      args: { chain: 'X', jump: 'DROP', action: 'insert', rule_num: '2', table: 'mangle' },
      argv: ['iptables -t mangle -I X 2 -j DROP'],
    },
    {
      name: 'match_set without match_set_flags fails (Ansible builds no rule from it either)',
      state: { version: V, rulePresent: false, chain: ok() },
      args: { chain: 'X', match_set: 'admins', jump: 'DROP' },
      argv: [],
      fail: 'match_set must be used together with match_set_flags.',
    },
    {
      name: 'a rule that is there: nothing',
      state: { version: V, rulePresent: true, chain: ok() },
      args: { chain: 'X', jump: 'DROP' },
      argv: [],
    },
    {
      name: 'a missing chain is created first with chain_management',
      state: { version: V, rulePresent: false, chain: missing },
      args: { chain: 'X', jump: 'DROP', chain_management: true },
      argv: ['iptables -t filter -N X', 'iptables -t filter -A X -j DROP'],
    },
    {
      name: 'an empty rule: Ansible 2.14 appends it too',
      state: { version: V, rulePresent: false, chain: missing },
      args: { chain: 'X', chain_management: true },
      argv: ['iptables -t filter -N X', 'iptables -t filter -A X'],
    },
    {
      name: 'absent rule removed',
      state: { version: V, rulePresent: true, chain: ok() },
      args: { chain: 'X', jump: 'DROP', state: 'absent', ip_version: 'ipv6' },
      argv: ['ip6tables -t filter -D X -j DROP'],
    },
    {
      name: 'absent chain deleted with chain_management',
      state: { version: V, chain: ok() },
      args: { chain: 'X', state: 'absent', chain_management: true },
      argv: ['iptables -t filter -X X'],
    },
    {
      name: 'absent chain without chain_management: reported changed, kept',
      state: { version: V, chain: ok() },
      args: { chain: 'X', state: 'absent' },
      argv: [],
      changed: true,
    },
    {
      name: 'absent chain not there: nothing',
      state: { version: V, chain: missing },
      args: { chain: 'X', state: 'absent', chain_management: true },
      argv: [],
    },
    {
      name: 'flush: always changed',
      state: { version: V },
      args: { chain: 'X', flush: true },
      argv: ['iptables -t filter -F X'],
    },
    {
      name: 'policy differs',
      state: { version: V, chain: ok('Chain INPUT (policy ACCEPT)\n') },
      args: { chain: 'INPUT', policy: 'DROP' },
      argv: ['iptables -t filter -P INPUT DROP'],
    },
    {
      name: 'policy the same',
      state: { version: V, chain: ok('Chain INPUT (policy DROP)\n') },
      args: { chain: 'INPUT', policy: 'DROP' },
      argv: [],
    },
    {
      name: 'policy of a chain without one',
      state: { version: V, chain: ok('Chain X (0 references)\n') },
      args: { chain: 'X', policy: 'DROP' },
      argv: [],
      fail: "Can't detect current policy",
    },
    {
      name: 'neither chain nor flush',
      state: { version: V },
      args: { jump: 'DROP' },
      argv: [],
      fail: 'Either chain or flush parameter must be specified.',
    },
    {
      name: 'log options with another jump',
      state: { version: V },
      args: { chain: 'X', jump: 'DROP', log_prefix: 'x' },
      argv: [],
      fail: 'Logging options can only be used with the LOG jump target.',
    },
    {
      name: 'log options jump to LOG (the registered rule without it, as Ansible)',
      state: { version: V, rulePresent: false, chain: ok() },
      args: { chain: 'X', log_prefix: 'p' },
      argv: ['iptables -t filter -A X -j LOG --log-prefix p'],
    },
    {
      name: 'an old iptables without -w seconds',
      state: { version: '1.4.21', rulePresent: false, chain: ok() },
      args: { chain: 'X', jump: 'DROP', wait: '3' },
      argv: ['iptables -t filter -A X -j DROP'],
    },
  ])('$name', ({ state, args: w, argv, changed, fail }) => {
    const p = planIptables(state, moduleArgs(iptables, w))
    expect(p.commands.map((c) => c.argv.join(' '))).toEqual(argv)
    expect(p.fail).toBe(fail)
    if (!fail) expect(p.changed ?? false).toBe(changed ?? argv.length > 0)
  })

  test('the registered rule is the written one', () => {
    const p = planIptables(
      { version: V, rulePresent: true, chain: ok() },
      moduleArgs(iptables, { chain: 'X', log_prefix: 'p' }),
    )
    expect(p.data).toMatchObject({ rule: '--log-prefix p', chain: 'X', table: 'filter', state: 'present' })
  })
})

describe('reads', () => {
  test('a rule: -C and the chain listed; a policy or a chain alone: listed; flush: nothing', () => {
    const words = (w: Written) => readCommands(moduleArgs(iptables, w), V).map((c) => c.argv.join(' '))
    expect(words({ chain: 'X', jump: 'DROP' })).toEqual([
      'iptables -t filter -C X -j DROP',
      'iptables -t filter -L X -n',
    ])
    expect(words({ chain: 'INPUT', policy: 'ACCEPT' })).toEqual(['iptables -t filter -L INPUT -n'])
    expect(words({ chain: 'X', state: 'absent' })).toEqual(['iptables -t filter -L X -n'])
    expect(words({ chain: 'X', flush: true })).toEqual([])
  })

  test('schema: unknown arguments, bad choices and exclusive pairs refused', () => {
    expect(() => args({ chain: 'X', nonsense: 1 })).toThrow()
    expect(() => args({ chain: 'X', policy: 'REJECT' })).toThrow()
    expect(() => args({ chain: 'X', flush: true, policy: 'DROP' })).toThrow()
    expect(() => args({ chain: 'X', jump: 'TEE' })).toThrow()
  })
})
