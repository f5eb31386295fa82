/**
 * service: start, stop, restart or reload a service and enable it at boot, as Ansible's generic module does.
 * tsplay knows one backend, systemd: on a systemd host the task runs as `systemd` (started/stopped act only when
 * needed, restarted/reloaded always act; `daemon_reload` is its refresh step, not a change by itself). The
 * service manager comes from the host facts (`ansible_service_mgr`), or from a read-only probe when the play did
 * not gather facts; another manager fails the task with its name. It takes systemd's arguments and rules, as
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
import { defineModule, ModuleFailure, type HostIO, type ModuleContext } from '../engine/module.js'
import systemd from './systemd.js'
import { runAsBackend } from './lib/backend.js'

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
          "The service manager: `auto` (the host's, from the facts or a probe) or `systemd`; another fails the task",
        default: 'auto',
      }),
    ),
    pattern: Type.Optional(Type.String({ description: 'Ignored with a warning, as by Ansible on systemd' })),
    sleep: Type.Optional(Type.Integer({ description: 'Ignored with a warning, as by Ansible on systemd' })),
    runlevel: Type.Optional(Type.String({ description: 'Ignored with a warning, as by Ansible on systemd' })),
    arguments: Type.Optional(
      Type.String({ description: 'Ignored with a warning, as by Ansible on systemd', aliases: ['args'] }),
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

/** Fails the task unless the host's service manager is systemd. */
async function requireSystemd(args: Args, ctx: ModuleContext, io: HostIO): Promise<void> {
  const sm = await manager(args, ctx, io)
  if (sm !== 'systemd')
    throw new ModuleFailure(`service: the host's service manager is ${sm}; tsplay's service module knows systemd only`)
  for (const k of IGNORED_ON_SYSTEMD)
    if (args[k] !== undefined) ctx.log(`[WARNING]: Ignoring "${k}" as it is not used in "systemd"`)
}

export default defineModule({
  name: 'service',
  summary: 'Start, stop, restart, reload or enable a service (systemd)',
  schema: Args,
  changedWhen: 'as `systemd`: the service is started, stopped, restarted, reloaded, enabled or disabled',
  check: 'full',
  example: '- service: { name: nginx, state: started, enabled: true }',
  backends: ['systemd'],
  applyRunsPlan: true,
  ...runAsBackend(systemd, unitArgs, requireSystemd),
})
