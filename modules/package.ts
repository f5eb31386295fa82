/**
 * package: install or remove packages with the host's own package manager, as Ansible's generic module does.
 * tsplay knows one backend, `apt`: on a Debian-family host the task runs as `apt` with the same arguments
 * (`update_cache` and the other apt arguments pass through, checked as apt checks them: an update of the package
 * lists alone needs no `name`). The manager comes from the host facts
 * (`ansible_pkg_mgr`), or from a read-only probe when the play did not gather facts; another manager fails the
 * task with its name. `module_defaults` for `apt` apply below those for `package`, as Ansible hands them to the
 * backend; those of another system's manager (`dnf`) may supply arguments where the task may not run (a warning).
 *
 * @example
 * ```yaml
 * - package: { name: [git, make], state: present }
 * - package: { name: nginx, state: absent, use: apt }
 * ```
 */
import { Type } from '@sinclair/typebox'
import type { ModuleArgs } from '../engine/argtypes.js'
import { sh } from '../engine/commands.js'
import { pkgMgrProbe } from '../engine/facts.js'
import { defineModule, ModuleFailure, type ModuleContext, type HostIO } from '../engine/module.js'
import apt from './apt.js'
import { runAsBackend } from './lib/backend.js'

const Args = Type.Object(
  {
    // apt's arguments as apt takes them (`package: { update_cache: true }` needs no name): Ansible's package hands
    // the task's arguments to the backend module, which checks them
    ...apt.schema.properties,
    use: Type.Optional(
      Type.Union([Type.Literal('auto'), Type.Literal('apt')], {
        description: "The package manager: `auto` (the host's, from the facts or a probe) or `apt`",
        default: 'auto',
      }),
    ),
  },
  { additionalProperties: false },
)
type Args = ModuleArgs<typeof Args>

/** Read-only: the first package manager on the host's PATH. */
const WHICH = sh(pkgMgrProbe(''), [], { describe: 'which package manager' })

/** The arguments for the apt backend: everything but `use`. */
function aptArgs(args: Args): ModuleArgs<typeof apt.schema> {
  const { use: _use, ...rest } = args
  return rest
}

/** The host's package manager: `use`, else the host facts, else a read-only probe. */
async function manager(args: Args, ctx: ModuleContext, io: HostIO): Promise<string> {
  if (args.use && args.use !== 'auto') return args.use
  if (ctx.facts?.pkg_mgr) return ctx.facts.pkg_mgr
  return (await io.run(WHICH)).stdout.trim()
}

/** Fails the task unless the host's package manager is apt. */
async function requireApt(args: Args, ctx: ModuleContext, io: HostIO): Promise<void> {
  const pm = await manager(args, ctx, io)
  if (pm !== 'apt')
    throw new ModuleFailure(
      pm
        ? `package: this host uses ${pm}; tsplay's package module knows apt only`
        : 'package: no known package manager on the host (tsplay knows apt)',
    )
}

export default defineModule({
  name: 'package',
  summary: "Install or remove packages with the host's package manager (apt)",
  schema: Args,
  changedWhen: 'as `apt`: a package is installed, upgraded or removed',
  check: 'full',
  example: '- package: { name: [git, make], state: present }',
  backends: ['apt'],
  ...runAsBackend(apt, aptArgs, requireApt),
})
