/**
 * service: start, stop, restart or reload a service and enable it at boot, as Ansible's generic module does.
 * On a systemd host the task runs as `systemd` (started/stopped act only when needed, restarted/reloaded always act;
 * `daemon_reload` is its refresh step, not a change by itself); on another (a container, an older system) it runs
 * as `sysvinit`, through the service's init script, with `sleep`, `pattern` and `arguments` (systemd's own
 * arguments are refused there, as Ansible's sysvinit refuses them). The service manager comes from the host facts
 * (`ansible_service_mgr`), or from a read-only probe when the play did not gather facts; OpenRC, upstart and the
 * other managers tsplay does not know fail the task with their name. It takes systemd's arguments and rules, as
 * Ansible's service hands its arguments to the systemd module (`service: { daemon_reload: true }` needs no name).
 * `module_defaults` for `systemd` apply under the task's (and `service`'s own), as Ansible applies the defaults of
 * the backend it runs as.
 *
 * @example
 * ```yaml
 * - service: { name: nginx, state: started, enabled: true }
 * - service: { name: nginx, state: reloaded }
 * ```
 */
import { Type } from '@sinclair/typebox'
import type { ModuleArgs } from '../engine/argtypes.js'
import { rulesOf } from '../engine/argrules.js'
import { sh } from '../engine/commands.js'
import { defineModule, ModuleFailure, type HostIO, type ModuleContext, type Plan } from '../engine/module.js'
import systemd from './systemd.js'
import sysvinit, { gatherSysv, planSysv, type SysvState } from './sysvinit.js'

/**
 * systemd's arguments, and rules, as Ansible's `service` hands the task's arguments to the systemd module on a
 * systemd host (so `service: { daemon_reload: true }` needs no name there), and the generic module's own.
 */
const Args = Type.Object(
  {
    ...systemd.schema.properties,
    use: Type.Optional(
      Type.String({
        description:
          "The service manager: `auto` (the host's, from the facts or a probe), `systemd`, or `sysvinit`/`service` " +
          '(the SysV init script); another fails the task',
        default: 'auto',
      }),
    ),
    pattern: Type.Optional(
      Type.String({
        description: 'SysV: running when a line of `ps auxww` holds it (ignored, with a warning, on systemd)',
      }),
    ),
    sleep: Type.Optional(
      Type.Integer({
        description: 'SysV: seconds to wait in a restart, default 1 (ignored, with a warning, on systemd)',
      }),
    ),
    runlevel: Type.Optional(
      Type.String({ description: 'Ignored with a warning on systemd; refused on SysV, as by Ansible' }),
    ),
    arguments: Type.Optional(
      Type.String({
        description: "SysV: words added to the init script's command (ignored, with a warning, on systemd)",
        aliases: ['args'],
      }),
    ),
  },
  { additionalProperties: false, ...rulesOf(systemd.schema) },
)
type Args = ModuleArgs<typeof Args>

/** Read-only: is systemd the running service manager. */
const IS_SYSTEMD = sh('[ -d /run/systemd/system ]', [], { okCodes: [0, 1], describe: 'is systemd running' })

/** The arguments for the systemd backend. */
function unitArgs(args: Args): ModuleArgs<typeof systemd.schema> {
  const { use: _use, pattern: _p, sleep: _s, runlevel: _r, arguments: _a, ...rest } = args
  return rest
}

/** The arguments systemd has no use for, which Ansible ignores there with a warning. */
export const IGNORED_ON_SYSTEMD = ['pattern', 'sleep', 'runlevel', 'arguments'] as const

/** The host's service manager: `use`, else the host facts, else a read-only probe. */
async function manager(args: Args, ctx: ModuleContext, io: HostIO): Promise<string> {
  if (args.use && args.use !== 'auto') return args.use
  if (ctx.facts?.init) return ctx.facts.init
  return (await io.run(IS_SYSTEMD)).rc === 0 ? 'systemd' : 'not systemd'
}

/** Managers tsplay knows none of (their hosts have no SysV scripts to fall back on, or others first). */
const UNKNOWN = ['openrc', 'upstart', 'runit', 'svc', 'openwrt_init', 'launchd', 'bsdinit', 'smf', 'src']

/** systemd's arguments that the SysV path (Ansible's `sysvinit`) does not take, when a task sets them. */
function unsupportedOnSysv(args: Args): string[] {
  const set = {
    daemon_reload: args.daemon_reload,
    daemon_reexec: args.daemon_reexec,
    masked: args.masked !== undefined,
    scope: args.scope !== 'system',
    no_block: args.no_block,
    runlevel: args.runlevel !== undefined,
  }
  return Object.entries(set)
    .filter(([, on]) => on)
    .map(([k]) => k)
}

/** The arguments for the SysV path. */
function sysvArgs(args: Args): ModuleArgs<typeof sysvinit.schema> {
  return {
    name: args.name ?? '',
    ...(args.state ? { state: args.state } : {}),
    ...(args.enabled !== undefined ? { enabled: args.enabled } : {}),
    sleep: args.sleep ?? 1,
    ...(args.pattern !== undefined ? { pattern: args.pattern } : {}),
    ...(args.arguments ? { arguments: args.arguments } : {}),
    daemonize: false,
  }
}

type State = { sm: 'systemd'; unit: unknown } | { sm: 'sysv'; sysv: SysvState }

/** Plans made on the SysV path (run command by command by `apply`). */
const SYSV_PLANS = new WeakSet<Plan>()

export default defineModule({
  name: 'service',
  summary: 'Start, stop, restart, reload or enable a service (systemd, else its SysV init script)',
  schema: Args,
  changedWhen:
    'as `systemd` (or `sysvinit`): the service is started, stopped, restarted, reloaded, enabled or disabled',
  check: 'full',
  example: '- service: { name: nginx, state: started, enabled: true }',
  backends: ['systemd'],
  applyRunsPlan: true,
  refresh: (args, ctx) =>
    args.use === undefined || args.use === 'auto' || args.use === 'systemd'
      ? systemd.refresh?.(unitArgs(args), ctx)
      : undefined,
  async gather(args, ctx, io): Promise<State> {
    const sm = await manager(args, ctx, io)
    if (sm === 'systemd') {
      for (const k of IGNORED_ON_SYSTEMD)
        if (args[k] !== undefined) ctx.log(`[WARNING]: Ignoring "${k}" as it is not used in "systemd"`)
      return { sm, unit: await systemd.gather(unitArgs(args), ctx, io) }
    }
    if (UNKNOWN.includes(sm))
      throw new ModuleFailure(
        `service: the host's service manager is ${sm}; tsplay's service module knows systemd and SysV init scripts`,
      )
    const bad = unsupportedOnSysv(args)
    if (bad.length) throw new ModuleFailure(`Unsupported parameters for (sysvinit) module: ${bad.join(', ')}`)
    if (!args.name) throw new ModuleFailure('missing required arguments: name')
    return { sm: 'sysv', sysv: await gatherSysv(sysvArgs(args), io) }
  },
  plan(state, args, ctx) {
    if (state.sm === 'systemd') return systemd.plan(state.unit as never, unitArgs(args), ctx)
    const plan = planSysv(state.sysv, sysvArgs(args), ctx)
    SYSV_PLANS.add(plan)
    return plan
  },
  async apply(plan, args, ctx, io) {
    if (!SYSV_PLANS.has(plan)) return systemd.apply!(plan, unitArgs(args), ctx, io)
    if (ctx.checkMode) return { changed: plan.changed ?? false }
    for (const cmd of plan.commands) {
      const r = await io.run(cmd)
      if (r.rc !== 0)
        return {
          changed: true,
          fail: `${cmd.describe ?? cmd.argv.join(' ')} failed (rc ${r.rc}): ${(r.stderr || r.stdout).trim()}`,
        }
    }
    return { changed: plan.changed ?? false }
  },
})
