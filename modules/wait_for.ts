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
import type { Command, CommandResult } from '../engine/types.js'
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

/** The loop run on the host: exits 0 when the wanted state is reached, 124 on timeout; prints elapsed seconds. */
const WAIT = [
  'host=$1 port=$2 path=$3 state=$4 timeout=$5 delay=$6 pause=$7 regex=$8 ct=$9; shift 9; exclude=("$@")',
  'sleep "$delay"',
  'SECONDS=0',
  'if [ -z "$port" ] && [ -z "$path" ]; then sleep "$timeout"; echo "$SECONDS"; exit 0; fi',
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
  '    [ -r "$path" ] && grep -P -q -- "$regex" "$path" 2>/dev/null',
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
  // a match's groups are not sent back: known (empty) only for a pattern without a capturing group
  if (a.search_regex === undefined || !/(^|[^\\])\((?!\?)/.test(a.search_regex))
    Object.assign(data, { match_groups: [], match_groupdict: {} })
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
