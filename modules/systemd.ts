/**
 * systemd: start, stop, restart or reload a unit, enable/disable it, mask/unmask it. started/stopped act only
 * when needed; restarted/reloaded always act. `daemon_reload` is the refresh step "reload the systemd manager
 * configuration", run before gather reads the unit (never in check mode); as in Ansible it is not a change by
 * itself. A unit that fails to start fails the task with its last journal lines.
 *
 * @example
 * ```yaml
 * - systemd: { name: hydra-server, state: started, enabled: true, daemon_reload: true }
 * ```
 */
import { Type } from '@sinclair/typebox'
import { argRules } from '../engine/argrules.js'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { defineModule, ModuleFailure, type Refresh } from '../engine/module.js'
import type { Command, CommandResult } from '../engine/types.js'
import type { HostIO } from '../engine/module.js'
import { badArg, lastLines } from './lib/argvalues.js'

const Args = Type.Object(
  {
    name: Type.Optional(
      Type.String({
        minLength: 1,
        aliases: ['service', 'unit'],
        description: 'Unit name (`.service` is assumed without a suffix); needed with state, enabled or masked',
      }),
    ),
    state: Type.Optional(
      Type.Union(
        [Type.Literal('started'), Type.Literal('stopped'), Type.Literal('restarted'), Type.Literal('reloaded')],
        {
          description: 'started/stopped act only when needed; restarted/reloaded always act',
        },
      ),
    ),
    enabled: Type.Optional(Type.Boolean({ description: 'Start the unit at boot' })),
    masked: Type.Optional(Type.Boolean({ description: 'Mask the unit (it cannot be started at all)' })),
    daemon_reload: Defaulted(
      Type.Boolean({
        description: 'Run `systemctl daemon-reload` first (not a change by itself; not run in check mode)',
        default: false,
        aliases: ['daemon-reload'],
      }),
    ),
    daemon_reexec: Defaulted(
      Type.Boolean({
        description: 'Run `systemctl daemon-reexec` first (not a change by itself; not run in check mode)',
        default: false,
        aliases: ['daemon-reexec'],
      }),
    ),
    scope: Defaulted(
      Type.Union([Type.Literal('system'), Type.Literal('user')], {
        description: "System manager or the user's",
        default: 'system',
      }),
    ),
    no_block: Defaulted(Type.Boolean({ description: 'Do not wait for start/stop jobs to finish', default: false })),
  },
  {
    additionalProperties: false,
    ...argRules({
      required_one_of: [['state', 'enabled', 'masked', 'daemon_reload', 'daemon_reexec']],
      required_by: { state: ['name'], enabled: ['name'], masked: ['name'] },
    }),
  },
)
/** The arguments as the module receives them (defaults filled in). */
type Args = ModuleArgs<typeof Args>

/** The unit's state from `systemctl show`: every property it prints (Ansible registers them all as `status`). */
export interface UnitState {
  LoadState: string
  ActiveState: string
  SubState: string
  UnitFileState: string
  NeedDaemonReload: string
  /** Set when systemctl itself failed (no systemd, no bus). */
  error?: string
  [property: string]: string | undefined
}

/**
 * Parse `systemctl show` output: `Key=value` lines, values trimmed; an `Exec…` value that opens a `{` and does not
 * close it on its line goes on until a line that ends with `}` (as Ansible reads it).
 *
 * @example
 * ```ts
 * parseShow('Id=a.service\nActiveState=active\n').ActiveState // 'active'
 * ```
 */
export function parseShow(stdout: string): UnitState {
  const f: UnitState = { LoadState: '', ActiveState: '', SubState: '', UnitFileState: '', NeedDaemonReload: '' }
  let open: { key: string; lines: string[] } | undefined
  for (const line of stdout.split('\n')) {
    if (open) {
      open.lines.push(line)
      if (line.trimEnd().endsWith('}')) {
        f[open.key] = open.lines.join('\n').trim()
        open = undefined
      }
      continue
    }
    const i = line.indexOf('=')
    if (i <= 0) continue
    const key = line.slice(0, i)
    const value = line.slice(i + 1)
    if (key.startsWith('Exec') && value.trimStart().startsWith('{') && !value.trimEnd().endsWith('}')) {
      open = { key, lines: [value] }
      continue
    }
    f[key] = value.trim()
  }
  return f
}

const ENABLED = new Set(['enabled', 'enabled-runtime', 'alias'])
const UNCHANGEABLE = new Set(['static', 'generated', 'transient', 'indirect'])

function ctl(args: Pick<Args, 'scope'>, ...rest: string[]): Command {
  return {
    argv: ['systemctl', ...(args.scope === 'user' ? ['--user'] : []), ...rest],
    describe: `systemctl ${rest.join(' ')}`,
  }
}

/** The refresh step: `systemctl daemon-reexec` and `daemon-reload` when `daemon_reexec`/`daemon_reload` ask. */
export function systemdRefresh(
  args: Pick<Args, 'daemon_reload' | 'scope'> & { daemon_reexec?: boolean },
): Refresh | undefined {
  const steps = [...(args.daemon_reexec ? ['daemon-reexec'] : []), ...(args.daemon_reload ? ['daemon-reload'] : [])]
  if (!steps.length) return undefined
  return {
    describe: args.daemon_reload ? 'reload the systemd manager configuration' : 'run the systemd manager again',
    commands: steps.map((step) => ({ ...ctl(args, step), describe: `systemctl ${step}` })),
  }
}

export default defineModule({
  name: 'systemd',
  aliases: ['systemd_service', 'ansible.builtin.systemd_service'],
  summary: 'Manage systemd units: start/stop/restart/reload, enable, mask',
  schema: Args,
  changedWhen: 'the unit is started, stopped, restarted, reloaded, enabled, disabled, masked or unmasked',
  check: 'full',
  example: '- systemd: { name: nix-daemon, state: started, enabled: true }',

  // apply runs the commands in order and then checks a start; a `poll: 0` job runs the commands alone
  applyRunsPlan: true,
  refresh: (args) => systemdRefresh(args),

  async gather(args, _ctx, io): Promise<UnitState | undefined> {
    if (args.name === undefined) return undefined // only the manager's own reload or re-exec
    if (badArg(args.name)) throw new ModuleFailure(`not a unit name: ${JSON.stringify(args.name)}`)
    const r = await io.run(ctl(args, 'show', '--', args.name))
    const f = parseShow(r.stdout)
    if (r.rc !== 0 || !f.LoadState) f.error = (r.stderr || r.stdout).trim() || `systemctl exited with ${r.rc}`
    return f
  },

  plan(f, args, ctx) {
    const n = args.name
    if (!f || n === undefined) return { commands: [], data: { name: null, status: {} } }
    if (f.error) return { commands: [], fail: `cannot read unit ${n}: ${f.error}` }
    const unknown = f.LoadState === 'not-found'
    if (unknown && !ctx.checkMode && args.masked !== true) {
      return { commands: [], fail: `unit ${n} not found (no unit file; install it first, then daemon_reload: true)` }
    }
    const cmds: Command[] = []
    const changes: string[] = []
    const isMasked = f.LoadState === 'masked' || f.UnitFileState.startsWith('masked')
    const nb = args.no_block ? ['--no-block'] : []
    if (args.masked === false && isMasked) {
      cmds.push(ctl(args, 'unmask', '--', n))
      changes.push(`unmask ${n}`)
    }
    if (args.enabled !== undefined && !UNCHANGEABLE.has(f.UnitFileState)) {
      const on = ENABLED.has(f.UnitFileState)
      if (args.enabled && !on) {
        cmds.push(ctl(args, 'enable', '--', n))
        changes.push(`enable ${n}`)
      }
      if (!args.enabled && on) {
        cmds.push(ctl(args, 'disable', '--', n))
        changes.push(`disable ${n}`)
      }
    }
    const running = ['active', 'activating', 'reloading'].includes(f.ActiveState)
    if (args.state === 'started' && !running) {
      cmds.push(ctl(args, 'start', ...nb, '--', n))
      changes.push(`start ${n}`)
    }
    if (args.state === 'stopped' && (running || f.ActiveState === 'deactivating')) {
      cmds.push(ctl(args, 'stop', ...nb, '--', n))
      changes.push(`stop ${n}`)
    }
    if (args.state === 'restarted') {
      cmds.push(ctl(args, 'restart', ...nb, '--', n))
      changes.push(`restart ${n}`)
    }
    if (args.state === 'reloaded') {
      cmds.push(ctl(args, running ? 'reload' : 'start', ...nb, '--', n))
      changes.push(`${running ? 'reload' : 'start'} ${n}`)
    }
    if (args.masked === true && !isMasked) {
      cmds.push(ctl(args, 'mask', '--', n))
      changes.push(`mask ${n}`)
    }
    if (f.NeedDaemonReload === 'yes' && cmds.length)
      ctx.log(`${n}: unit file changed on disk; consider daemon_reload: true`)
    // Ansible's result: the unit, its properties before the task, the state and enablement asked for
    const data: Record<string, unknown> = { name: n, status: f }
    if (args.state !== undefined) data.state = args.state
    if (args.enabled !== undefined) data.enabled = args.enabled
    return { commands: cmds, changes, data }
  },

  async apply(plan, args, ctx, io) {
    if (ctx.checkMode) return { changed: plan.commands.length > 0 }
    for (const cmd of plan.commands) {
      const r = await io.run(cmd)
      if (!(cmd.okCodes ?? [0]).includes(r.rc)) return { changed: true, fail: await failure(args, io, cmd, r) }
    }
    const starts = args.state && args.state !== 'stopped' && !args.no_block && plan.commands.length > 0
    if (starts && args.name) {
      const r = await io.run(ctl(args, 'show', '-p', 'ActiveState,SubState', '--', args.name))
      const f = parseShow(r.stdout)
      if (f.ActiveState === 'failed') {
        return {
          changed: true,
          fail: await failure(
            args,
            io,
            undefined,
            undefined,
            `${args.name} failed right after starting (${f.ActiveState}/${f.SubState})`,
          ),
        }
      }
    }
    return { changed: plan.commands.length > 0 }
  },
})

/** A failure message with the unit's last journal lines. */
async function failure(args: Args, io: HostIO, cmd?: Command, r?: CommandResult, head?: string): Promise<string> {
  const what = head ?? `${cmd!.argv.slice(1).join(' ')} failed (exit ${r!.rc}): ${(r!.stderr || r!.stdout).trim()}`
  const j = await io.run({
    argv: [
      'journalctl',
      ...(args.scope === 'user' ? ['--user-unit'] : ['-u']),
      args.name ?? '',
      '-n',
      '20',
      '--no-pager',
    ],
    describe: 'last journal lines',
  })
  const journal = j.rc === 0 && j.stdout.trim() ? lastLines(j.stdout, 20) : '(journal unavailable)'
  return `${what}\nLast journal lines of ${args.name}:\n${journal}`
}
