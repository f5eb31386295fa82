/**
 * `wait_for`: wait on the host until a TCP port (as seen from the host) accepts or refuses connections, or a
 * file appears/disappears (optionally containing `search_regex`). The whole wait is ONE command on the host
 * (a constant bash loop using `/dev/tcp`), not a round trip per poll. Never changed; fails on timeout.
 *
 * @example
 * ```yaml
 * - wait_for: { port: 3000, timeout: 120 }          # hydra-server is up
 * - wait_for: { path: /var/lib/hydra/.ready, search_regex: 'ok' }
 * - wait_for: { port: 5432, state: stopped, msg: "postgres did not stop" }
 * ```
 */
import { Type } from '@sinclair/typebox'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { argRules } from '../engine/argrules.js'
import { defineModule, type Plan } from '../engine/module.js'
import { shQuote } from '../engine/quote.js'
import type { Command, CommandResult, Vars } from '../engine/types.js'
import { ALL_CODES } from './lib/run.js'
import { addPathInfo } from './lib/pathinfo.js'

const Args = Type.Object(
  {
    host: Defaulted(
      Type.String({ default: '127.0.0.1', description: 'Host to connect to, as the target host sees it.' }),
    ),
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'TCP port to wait for.' })),
    path: Type.Optional(Type.String({ description: 'File to wait for (instead of `port`).' })),
    state: Defaulted(
      Type.Union(
        [
          Type.Literal('started'),
          Type.Literal('stopped'),
          Type.Literal('present'),
          Type.Literal('absent'),
          Type.Literal('drained'),
        ],
        {
          default: 'started',
          description:
            'started/present: wait until the port accepts or the file exists; stopped/absent: until it does not; ' +
            'drained: until no established connection to the local port is left (`ss`).',
        },
      ),
    ),
    timeout: Defaulted(Type.Integer({ default: 300, minimum: 0, description: 'Seconds to wait before failing.' })),
    delay: Defaulted(Type.Integer({ default: 0, minimum: 0, description: 'Seconds to wait before the first check.' })),
    sleep: Defaulted(Type.Number({ default: 1, minimum: 0, description: 'Seconds between checks.' })),
    connect_timeout: Defaulted(
      Type.Integer({ default: 5, minimum: 1, description: 'Seconds to wait for one connection attempt.' }),
    ),
    search_regex: Type.Optional(
      Type.String({ description: 'Regular expression (PCRE) to find in the file or in what the port sends.' }),
    ),
    msg: Type.Optional(Type.String({ description: 'Failure message instead of the default on timeout.' })),
    exclude_hosts: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        description: 'With drained: connections from these addresses do not count.',
      }),
    ),
  },
  { additionalProperties: false, ...argRules({ mutually_exclusive: [['port', 'path']] }) },
)
/** The arguments as the module receives them (defaults filled in). */
type Args = ModuleArgs<typeof Args>

/**
 * Perl (perl-base) on the file that matched: each group of the first match as a line `G` and its bytes in hex (`G`
 * alone: the group did not take part), then each named group as `N name` and the same. Python's `groups()` and
 * `groupdict()` of Ansible's `re.search` over the whole file.
 */
const GROUPS = [
  'my ($re, $p) = @ARGV; open(my $f, "<:raw", $p) or exit; local $/; my $c = <$f>; $c =~ /$re/m or exit;',
  'my $h = sub { defined $_[0] ? " " . unpack("H*", $_[0]) : "" };',
  'my @g = map { defined $-[$_] ? substr($c, $-[$_], $+[$_] - $-[$_]) : undef } 1 .. $#+;',
  'my %n = map { ($_, $-{$_}[0]) } keys %-;',
  'print "G", $h->($_), "\\n" for @g; print "N $_", $h->($n{$_}), "\\n" for sort keys %n;',
].join(' ')

/** The loop run on the host: exits 0 when the wanted state is reached, 124 on timeout; prints elapsed seconds. */
const WAIT = [
  'host=$1 port=$2 path=$3 state=$4 timeout=$5 delay=$6 pause=$7 regex=$8 ct=$9; shift 9; exclude=("$@")',
  'sleep "$delay"',
  'SECONDS=0',
  'if [ -z "$port" ] && [ -z "$path" ]; then sleep "$timeout"; echo "$SECONDS"; exit 0; fi',
  `groups() { perl -e ${shQuote(GROUPS)} "$regex" "$path" 2>/dev/null; }`,
  'probe() {',
  '  if [ "$state" = drained ]; then',
  '    conns=$(ss -Htn state established "( sport = :$port )" 2>/dev/null | awk \'{print $4}\')',
  '    for h in "${exclude[@]}"; do conns=$(printf "%s\\n" "$conns" | grep -v -F -- "$h:"); done',
  '    [ -n "$conns" ]',
  '  elif [ -n "$port" ]; then',
  '    if [ -n "$regex" ]; then',
  '      timeout "$ct" bash -c \'exec 3<>"/dev/tcp/$0/$1" && grep -P -q -m1 -- "$2" <&3\' "$host" "$port" ' +
    '"$regex" 2>/dev/null',
  '    else',
  '      timeout "$ct" bash -c \'exec 3<>"/dev/tcp/$0/$1"\' "$host" "$port" 2>/dev/null',
  '    fi',
  '  elif [ -n "$regex" ]; then',
  // the whole file, as Ansible searches it (re.MULTILINE: ^ and $ at every line), not line by line
  '    [ -r "$path" ] && grep -P -z -q -- "(?m)$regex" "$path" 2>/dev/null',
  '  else',
  '    [ -e "$path" ]',
  '  fi',
  '}',
  'while :; do',
  '  if probe; then up=1; else up=0; fi',
  '  case $state in started|present) [ $up = 1 ] && break ;; *) [ $up = 0 ] && break ;; esac',
  '  if [ "$SECONDS" -ge "$timeout" ]; then echo "$SECONDS"; exit 124; fi',
  '  sleep "$pause"',
  'done',
  'if [ -n "$path" ] && [ -n "$regex" ]; then case $state in started|present) groups ;; esac; fi',
  'echo "$SECONDS"',
].join('\n')

/** The one command that waits. */
export function waitCommand(a: Args): Command {
  const timeout = a.timeout
  const delay = a.delay
  return {
    argv: [
      'bash',
      '-c',
      WAIT,
      'wait_for',
      a.host,
      a.port === undefined ? '' : String(a.port),
      a.path ?? '',
      a.state,
      String(timeout),
      String(delay),
      String(a.sleep),
      a.search_regex ?? '',
      String(a.connect_timeout),
      ...(a.exclude_hosts ?? []),
    ],
    okCodes: ALL_CODES,
    timeoutSec: timeout + delay + a.connect_timeout + 30,
    describe: `wait for ${a.port !== undefined ? `${a.host}:${a.port}` : (a.path ?? 'the timeout')} (${a.state})`,
  }
}

/** Ansible's timeout message. */
export function timeoutMessage(a: Args): string {
  if (a.msg) return a.msg
  const state = a.state
  const what = a.port !== undefined ? `${a.host}:${a.port}` : a.path
  if (a.search_regex && (state === 'started' || state === 'present'))
    return `Timeout when waiting for search string ${a.search_regex} in ${what}`
  if (state === 'stopped') return `Timeout when waiting for ${what} to stop.`
  if (state === 'absent') return `Timeout when waiting for ${what} to be absent.`
  if (state === 'drained') return `Timeout when waiting for ${what} to drain`
  return a.port !== undefined ? `Timeout when waiting for ${what}` : `Timeout when waiting for file ${what}`
}

/** Plan: one waiting command, never a change. Pure. */
export function planWait(a: Args): Plan {
  const state = a.state
  if (a.port !== undefined && (state === 'present' || state === 'absent')) {
    return { commands: [], fail: `state=${state} is for path; use started/stopped with port` }
  }
  if (state === 'drained' && a.port === undefined) return { commands: [], fail: 'state=drained needs a port' }
  return { commands: [waitCommand(a)], changed: false, changes: [] }
}

/**
 * `match_groups` and `match_groupdict` as Ansible's: of the match in a file (the `G`/`N` lines the host sent), in
 * the order the pattern names them; empty for a port (Ansible fills them for a file only) and without a pattern.
 */
export function matchGroups(a: Args, stdout: string): { match_groups: (string | null)[]; match_groupdict: Vars } {
  const groups: (string | null)[] = []
  const named = new Map<string, string | null>()
  if (a.path !== undefined && a.search_regex)
    for (const line of stdout.split('\n')) {
      const m = /^(?:G|N (\S+))(?: ([0-9a-f]*))?$/.exec(line)
      if (!m) continue
      const value = m[2] === undefined ? null : Buffer.from(m[2], 'hex').toString('utf8')
      if (m[1] === undefined) groups.push(value)
      else named.set(m[1], value)
    }
  // Python's groupdict() follows the pattern's order (Perl's names come sorted)
  const order = [...(a.search_regex ?? '').matchAll(/\(\?P?<([A-Za-z_]\w*)>/g)].map((m) => m[1])
  const dict: Vars = {}
  for (const n of order) if (named.has(n)) dict[n] = named.get(n)
  for (const [n, v] of named) if (!(n in dict)) dict[n] = v
  return { match_groups: groups, match_groupdict: dict }
}

/** Registered result; fail on timeout. */
export function afterWait(a: Args, results: CommandResult[]) {
  const r = results[0]
  if (!r) return {}
  const elapsed = Number(r.stdout.trim().split('\n').pop()) || 0
  const data: Record<string, unknown> = {
    elapsed,
    state: a.state,
    port: a.port ?? null,
    path: a.path ?? null,
    search_regex: a.search_regex ?? null,
    changed: false,
  }
  Object.assign(data, matchGroups(a, r.rc === 0 ? r.stdout : ''))
  if (r.rc === 0) return { data, changed: false }
  const msg = r.rc === 124 ? timeoutMessage(a) : `wait_for failed (rc ${r.rc}): ${r.stderr.trim()}`
  return { data, changed: false, fail: msg, msg }
}

export default defineModule({
  name: 'wait_for',
  summary: 'Wait for a port or a file on the host (one command on the host, no polling round trips)',
  schema: Args,
  changedWhen: 'never',
  check: 'full',
  example: 'wait_for: { port: 3000, timeout: 120 }',
  pathInfo: addPathInfo,
  gather: async () => undefined,
  plan: (_state, args: Args) => planWait(args),
  after: (_state, args, results) => afterWait(args, results),
})
