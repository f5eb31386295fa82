/**
 * `service_facts`: the host's services as the fact `services` (a variable, and `ansible_facts.services`), as
 * Ansible's `service_facts` reads them on Debian, in one round trip:
 * - init scripts from `service --status-all` (`[ + ] NAME` running, `[ - ] NAME` stopped): `{name, state, source:
 *   sysv}`;
 * - with systemd as PID 1, units from `systemctl list-units --type service --all` (run once) and `list-unit-files`:
 *   `NAME.service` → `{name, state: running|stopped|…, status: enabled|disabled|static|masked|failed|…, source:
 *   systemd}` (a unit file systemd has not loaded gets its `ActiveState` as state).
 * No service found: the task is skipped, as Ansible's is. Read-only: never changed, the same in check mode.
 *
 * @example
 * ```yaml
 * - service_facts:
 * - debug: { msg: "ssh is {{ ansible_facts.services['ssh.service'].state }}" }
 * ```
 */
import { Type } from '@sinclair/typebox'
import type { ModuleArgs } from '../engine/argtypes.js'
import { sh } from '../engine/commands.js'
import { defineModule, type Plan } from '../engine/module.js'
import type { Command } from '../engine/types.js'
import { factsPlan } from './lib/factplan.js'
import { ALL_CODES, SBIN_PATH } from './lib/run.js'

const Args = Type.Object({}, { additionalProperties: false })
type Args = ModuleArgs<typeof Args>

/** One service, as Ansible describes it. */
export interface ServiceFact {
  name: string
  state: string
  status?: string
  source: 'sysv' | 'systemd'
}

/** C messages, and `service`/`systemctl` found in sbin for a login user too (as Ansible's `get_bin_path`). */
const C = { LANG: 'C', LC_ALL: 'C', PATH: SBIN_PATH }

/**
 * Sections, each after a `@name` line: `sysv` (`service --status-all`, when there is `service` and neither
 * chkconfig nor rc-status), `units`, `files` and `show` (an unloaded unit file's ActiveState) with systemd as PID 1.
 */
const SCAN = [
  'has() { command -v "$1" >/dev/null 2>&1; }',
  'if has service && ! has chkconfig && ! has rc-status; then echo @sysv; service --status-all 2>/dev/null; fi',
  'grep -q systemd "$1" 2>/dev/null && has systemctl || exit 0',
  'echo @units; U=$(systemctl list-units --no-pager --type service --all); printf "%s\\n" "$U"',
  'echo @files; F=$(systemctl list-unit-files --no-pager --type service --all); printf "%s\\n" "$F"',
  // the loaded units' names, from the listing above (a failed unit's line starts with "●")
  'echo @show; L=$(printf "%s\\n" "$U" | awk \'{ for (i = 1; i <= NF; i++) if ($i ~ /\\.service$/) ' +
    "{ print $i; next } }')",
  'printf "%s\\n" "$F" | awk \'/\\.service/ {print $1}\' | while read -r u; do',
  '  printf "%s\\n" "$L" | grep -qxF "$u" && continue',
  '  printf "%s %s\\n" "$u" "$(systemctl show "$u" --property=ActiveState 2>/dev/null || :)"',
  'done',
].join('\n')

/** The read-only command (`initComm`: where PID 1's name is read, a parameter for tests). */
export function scanCommand(initComm = '/proc/1/comm'): Command {
  return sh(SCAN, [initComm], { okCodes: ALL_CODES, env: C, describe: 'list the services' })
}

const BAD = ['not-found', 'masked', 'failed']
const SYSV = /^\s*\[ ([+-]) \]\s+(.+)$/

/** The scan's output as Ansible's `services` fact. Pure. */
export function parseServices(out: string): Record<string, ServiceFact> {
  const sections: Record<string, string[]> = {}
  let cur = ''
  for (const line of out.split('\n')) {
    if (/^@(sysv|units|files|show)$/.test(line)) cur = line.slice(1)
    else (sections[cur] ??= []).push(line)
  }
  const services: Record<string, ServiceFact> = {}
  for (const line of sections.sysv ?? []) {
    const m = SYSV.exec(line)
    if (m) services[m[2]] = { name: m[2], state: m[1] === '+' ? 'running' : 'stopped', source: 'sysv' }
  }
  for (const line of (sections.units ?? []).filter((l) => l.includes('.service'))) {
    let fields = line.trim().split(/\s+/)
    const bad = BAD.find((b) => fields.includes(b))
    // the first column is the "●" of a failed or missing unit
    if (bad) fields = fields.slice(1)
    const name = fields[0]
    if (name === undefined || fields.length < 4) continue
    const state = fields[3] === 'running' ? 'running' : 'stopped'
    services[name] = { name, state, status: bad ?? fields[2], source: 'systemd' }
  }
  const shown = new Map<string, string>()
  for (const line of sections.show ?? []) {
    const [u, v] = [line.slice(0, line.indexOf(' ')), line.slice(line.indexOf(' ') + 1)]
    if (u) shown.set(u, v.startsWith('ActiveState=') ? v.slice('ActiveState='.length).trimEnd() : '')
  }
  for (const line of (sections.files ?? []).filter((l) => l.includes('.service'))) {
    const [name, status] = line.trim().split(/\s+/)
    if (status === undefined) continue
    const known = services[name]
    if (!known) services[name] = { name, state: shown.get(name) || 'unknown', status, source: 'systemd' }
    else if (!BAD.includes(known.status ?? '')) known.status = status
  }
  return services
}

/** Decide. Pure. */
export function planServiceFacts(out: string): Plan {
  const services = parseServices(out)
  if (Object.keys(services).length === 0)
    return {
      commands: [],
      skip: 'Failed to find any services. This can be due to privileges or some other configuration issue.',
    }
  const facts = { services }
  return factsPlan(facts)
}

export default defineModule({
  name: 'service_facts',
  summary: 'Read the services (init scripts, systemd units) into the services fact (ansible_facts.services)',
  schema: Args,
  changedWhen: 'never',
  check: 'full',
  example: 'service_facts:',
  gather: async (_args: Args, _ctx, io) => (await io.run(scanCommand())).stdout,
  plan: (out) => planServiceFacts(out),
})
