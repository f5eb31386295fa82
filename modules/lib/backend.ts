/**
 * A generic module that runs as one backend module (`package` as `apt`, `service` as `systemd`): the backend's
 * refresh, gather, plan and apply with the arguments mapped to the backend's, gather first checking that the host
 * uses that backend (`ensure` throws a ModuleFailure naming the host's manager otherwise).
 *
 * @example
 * ```ts
 * defineModule({ name: 'package', schema: Args, ...runAsBackend(apt, aptArgs, requireApt) })
 * ```
 */
import type { TSchema } from '@sinclair/typebox'
import type { ModuleArgs } from '../../engine/argtypes.js'
import type { HostIO, ModuleContext, ModuleDef, Plan } from '../../engine/module.js'

/** The refresh, gather, plan and apply of a module that runs as `backend` with its arguments mapped by `toArgs`. */
export function runAsBackend<A, T extends TSchema, F>(
  backend: ModuleDef<T, F>,
  toArgs: (args: A) => ModuleArgs<T>,
  ensure: (args: A, ctx: ModuleContext, io: HostIO) => Promise<void>,
) {
  const { apply } = backend
  return {
    refresh: (args: A, ctx: ModuleContext) => backend.refresh?.(toArgs(args), ctx),
    async gather(args: A, ctx: ModuleContext, io: HostIO): Promise<F> {
      await ensure(args, ctx, io)
      return backend.gather(toArgs(args), ctx, io)
    },
    plan: (state: F, args: A, ctx: ModuleContext) => backend.plan(state, toArgs(args), ctx),
    ...(apply && {
      apply: (plan: Plan, args: A, ctx: ModuleContext, io: HostIO) => apply(plan, toArgs(args), ctx, io),
    }),
  }
}
