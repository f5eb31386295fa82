/**
 * `meta`: an instruction to the engine itself, run by the scheduler (engine/run/meta.ts), never on a host.
 * This file only declares the actions, so `validate`, the editor schema and the docs know them.
 *
 * @example
 * ```yaml
 * - meta: flush_handlers   # run the handlers notified so far, now
 * - meta: end_host
 *   when: skip_this_host
 * ```
 */
import { Type } from '@sinclair/typebox'
import type { ModuleArgs } from '../engine/argtypes.js'
import { defineModule, ModuleFailure } from '../engine/module.js'

/** The actions, with what each does (also the docs' text). */
export const META_ACTIONS = {
  flush_handlers: 'run the handlers notified so far, now (on the hosts that reached this task)',
  end_play: 'end the play for every host; notified handlers do not run (they stay pending on the hosts)',
  end_host: 'end the play for this host; later plays still run on it',
  end_batch: 'end the current `serial` batch for every host; the next batch starts',
  clear_host_errors: 'hosts that failed or were unreachable in this play take part in later plays again',
  clear_facts: 'forget the gathered facts and set_fact values of the host',
  reset_connection: 'close the connection to the host; the next task opens a new one (e.g. after a group change)',
  noop: 'do nothing',
  refresh_inventory: 'accepted and does nothing: tsplay reads the inventory once per run',
} as const

export type MetaAction = keyof typeof META_ACTIONS

const Args = Type.Object(
  {
    action: Type.Union(
      Object.keys(META_ACTIONS).map((a) => Type.Literal(a)),
      {
        description: `What to do: ${Object.entries(META_ACTIONS)
          .map(([a, d]) => `\`${a}\`: ${d}`)
          .join('; ')}.`,
      },
    ),
  },
  { additionalProperties: false },
)
/** The arguments as the module receives them (defaults filled in). */
type Args = ModuleArgs<typeof Args>

export default defineModule({
  name: 'meta',
  summary: 'Instructions to the engine: flush handlers, end the play or host, reset the connection',
  schema: Args,
  freeForm: 'action',
  changedWhen: 'never (meta tasks are not counted in the recap, as in Ansible)',
  check: 'full',
  controllerOnly: true,
  example: 'meta: flush_handlers',
  gather: async () => undefined,
  plan(_state, args: Args) {
    throw new ModuleFailure(`meta: ${args.action} is run by the scheduler, not as a module`)
  },
})
