/**
 * sysvinit: start, stop, restart or reload a service through its SysV init script (`/etc/init.d/NAME`) and enable
 * it at boot with `update-rc.d` (or `chkconfig`), as Ansible's `sysvinit` module does on hosts without systemd
 * (containers, older systems). Whether it runs is read from `service NAME status` (else the script's `status`):
 * its exit code and, for one line of output, its words (`running`, `stopped`, …), or from `ps` with `pattern`.
 * started/stopped act only when needed; restarted (stop, then start, `sleep` seconds after each) and reloaded
 * always act. Enabled means an `S??NAME` link in `/etc/rc?.d` (or in the `runlevels` given). `service` runs here on
 * a host whose service manager is not systemd.
 *
 * @example
 * ```yaml
 * - sysvinit: { name: ssh, state: started, enabled: true }
 * ```
 */
import { Type } from '@sinclair/typebox'
import { argRules } from '../engine/argrules.js'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { sh } from '../engine/commands.js'
import { defineModule, ModuleFailure, type HostIO, type ModuleContext, type Plan } from '../engine/module.js'
import type { Command } from '../engine/types.js'
import { splitArgs } from '../engine/source/split.js'
import { isRunning, type Status } from './lib/sysvstatus.js'

const Args = Type.Object(
  {
    name: Type.String({ minLength: 1, aliases: ['service'], description: 'The service (its script in /etc/init.d)' }),
    state: Type.Optional(
      Type.Union(
        [Type.Literal('started'), Type.Literal('stopped'), Type.Literal('restarted'), Type.Literal('reloaded')],
        { description: 'started/stopped act only when needed; restarted/reloaded always act' },
      ),
    ),
    enabled: Type.Optional(Type.Boolean({ description: 'Start the service at boot' })),
    sleep: Defaulted(
      Type.Integer({ default: 1, description: 'Seconds to wait after the stop and after the start of a restart' }),
    ),
    pattern: Type.Optional(Type.String({ description: 'Running when a line of `ps auxww` holds this text' })),
    arguments: Type.Optional(Type.String({ aliases: ['args'], description: "Words added to the script's command" })),
    runlevels: Type.Optional(Type.Array(Type.String(), { description: 'The runlevels to enable or disable it in' })),
    daemonize: Defaulted(
      Type.Boolean({ default: false, description: 'Accepted: tsplay never waits for a started daemon to detach' }),
    ),
  },
  { additionalProperties: false, ...argRules({ required_one_of: [['state', 'enabled']] }) },
)
type Args = ModuleArgs<typeof Args>

/** What the host says. */
export interface SysvState {
  /** The init script's path, when there is one. */
  script?: string
  service?: string
  updateRcd?: string
  chkconfig?: string
  /** Whether an S link exists: anywhere, or per runlevel asked for. */
  enabled: boolean
  enabledIn: Record<string, boolean>
  /** `service NAME status` (or the script's), or `ps` with a pattern. */
  status?: Status
}

/**
 * Read-only: tools, links, status. `$2`: 1 the status command, 2 `ps auxww` (a pattern, matched on the controller:
 * it is not passed to the host, where `ps` would show it). The status command's output follows a `---`
 * line, its exit code last; when that code says nothing (not 0–4 or 69), `ps auxww` follows a `===ps` line.
 */
const GATHER = [
  'n=$1; st=$2; shift 2',
  'PATH="$PATH:/sbin:/usr/sbin:/bin:/usr/bin"',
  'case $n in /*) s=$n ;; *) s=/etc/init.d/$n ;; esac',
  '[ -e "$s" ] && echo "script $s"',
  'for t in service update-rc.d chkconfig; do p=$(command -v "$t") && echo "tool $t $p"; done',
  'r=/etc/rc; [ -d /etc/rc0.d ] || r=/etc/init.d/rc',
  'for l in "$r"?.d/S??"${n##*/}"; do [ -e "$l" ] && echo "link $l"; done',
  'for v do for l in "$r$v".d/S??"${n##*/}"; do [ -e "$l" ] && echo "in $v"; done; done',
  'echo ---',
  'if [ "$st" = 2 ]; then ps auxww; c=$?',
  'elif command -v service >/dev/null; then service "$n" status; c=$?',
  'elif [ -e "$s" ]; then "$s" status; c=$?',
  'else c=-1; fi',
  'printf "\\n%s\\n" "$c"',
  'case $c in 0|1|2|3|4|69) ;; *) [ "$st" = 1 ] && echo ===ps && ps auxww ;; esac',
  'exit 0',
].join('\n')

/** Parse GATHER's output. */
export function parseSysv(stdout: string, a: Args): SysvState {
  const [head, tail] = splitOnce(stdout, '---\n')
  const lines = head.split('\n')
  const after = (p: string) => lines.find((l) => l.startsWith(p))?.slice(p.length)
  const [service, updateRcd, chkconfig] = ['service', 'update-rc.d', 'chkconfig'].map((t) => after(`tool ${t} `))
  const script = after('script ')
  const st: SysvState = {
    ...(script ? { script } : {}),
    ...(service ? { service } : {}),
    ...(updateRcd ? { updateRcd } : {}),
    ...(chkconfig ? { chkconfig } : {}),
    enabled: lines.some((l) => l.startsWith('link ')),
    enabledIn: Object.fromEntries((a.runlevels ?? []).map((r) => [r, lines.includes(`in ${r}`)])),
  }
  if (tail === undefined) return st
  const [statusPart, ps] = splitOnce(tail, '===ps\n')
  const m = /\n(-?\d+)\n$/.exec(statusPart)
  const status: Status = { rc: m ? Number(m[1]) : -1, stdout: m ? statusPart.slice(0, m.index) : statusPart }
  if (a.pattern !== undefined) status.pattern = a.pattern
  if (ps !== undefined) status.ps = ps
  return { ...st, status }
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep)
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + sep.length)]
}

/** Decide. Pure. */
export function planSysv(f: SysvState, a: Args, ctx?: Pick<ModuleContext, 'log'>): Plan {
  const name = a.name
  if (!f.script) return { commands: [], fail: `Could not find the requested service ${name}: ` }
  const commands: Command[] = []
  const changes: string[] = []
  const status: Record<string, { changed: boolean }> = { enabled: { changed: false } }
  const levels = a.runlevels
  const wrong = levels ? levels.some((r) => f.enabledIn[r] !== a.enabled) : a.enabled !== f.enabled
  if (a.enabled !== undefined && wrong) {
    status.enabled.changed = true
    changes.push(`${a.enabled ? 'enable' : 'disable'} ${name} at boot`)
    const cmd = enableCommand(f, name, a.enabled, levels)
    if (cmd) commands.push(cmd)
  }
  if (a.state) {
    const running = isRunning(f.status, name, (msg) => ctx?.log(`[WARNING]: ${msg}`))
    const action = a.state.replace(/p?ed$/, '')
    const acts = action === 'restart' || action === 'reload' || running !== (action === 'start')
    status[a.state] = { changed: acts }
    if (acts) {
      changes.push(`${action} ${name}`)
      const steps = action === 'restart' ? ['stop', 'start'] : [action]
      for (const step of steps) {
        commands.push(script(f.script, step, a))
        if (action === 'restart' && a.sleep) commands.push({ argv: ['sleep', String(a.sleep)], describe: 'sleep' })
      }
    }
  }
  const data = { name, status }
  return changes.length ? { commands, changes, changed: true, data } : { commands: [], data }
}

/** The script run for `step` (`/etc/init.d/NAME start ARGS`). */
function script(path: string, step: string, a: Args): Command {
  return { argv: [path, step, ...(a.arguments ? splitArgs(a.arguments) : [])], describe: `${step} ${a.name}` }
}

function enableCommand(f: SysvState, name: string, on: boolean, levels?: string[]): Command | undefined {
  if (f.updateRcd) {
    const argv = levels
      ? [f.updateRcd, name, on ? 'enable' : 'disable', ...levels]
      : [f.updateRcd, name, on ? 'defaults' : 'disable']
    return { argv, describe: argv.slice(1).join(' ') }
  }
  if (f.chkconfig) {
    const argv = levels
      ? [f.chkconfig, '--level', levels.join(''), name, on ? 'on' : 'off']
      : [f.chkconfig, name, on ? 'on' : 'off']
    return { argv, describe: argv.slice(1).join(' ') }
  }
  return undefined
}

/** Gather: one read-only script. */
export async function gatherSysv(a: Args, io: HostIO): Promise<SysvState> {
  const r = await io.run(
    // as Ansible's, the status is read even when only `enabled` is asked for
    sh(GATHER, [a.name, a.pattern === undefined ? '1' : '2', ...(a.runlevels ?? [])], {
      describe: `status of ${a.name}`,
    }),
  )
  if (r.rc !== 0) throw new ModuleFailure(`could not read the state of ${a.name}: ${r.stderr.trim()}`)
  return parseSysv(r.stdout, a)
}

export default defineModule({
  name: 'sysvinit',
  summary: 'Start, stop, restart, reload or enable a SysV init service',
  schema: Args,
  changedWhen: 'the service is started or stopped, restarted or reloaded (always), enabled or disabled at boot',
  check: 'full',
  example: '- sysvinit: { name: ssh, state: started, enabled: true }',
  gather: (args, _ctx, io) => gatherSysv(args, io),
  plan: (state, args, ctx) => planSysv(state, args, ctx),
})
