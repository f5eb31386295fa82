/**
 * `fail`: fail the task with a message (runs on the controller). Usually with `when`.
 *
 * @example
 * ```yaml
 * - fail: { msg: "Hydra needs at least 2 GB of RAM, {{ inventory_hostname }} has {{ facts.memtotal_mb }} MB" }
 *   when: facts.memtotal_mb < 2000
 * ```
 */
import { Type } from '@sinclair/typebox'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { defineModule } from '../engine/module.js'

const Args = Type.Object(
  {
    msg: Defaulted(Type.String({ default: 'Failed as requested from task', description: 'The failure message.' })),
  },
  { additionalProperties: false },
)
/** The arguments as the module receives them (defaults filled in). */
type Args = ModuleArgs<typeof Args>

export default defineModule({
  name: 'fail',
  summary: 'Fail with a message',
  schema: Args,
  changedWhen: 'never (always fails)',
  check: 'full',
  controllerOnly: true,
  example: 'fail: { msg: "unsupported architecture" }',
  gather: async () => undefined,
  plan: (_state, args: Args) => {
    const msg = args.msg
    return { commands: [], fail: msg, msg }
  },
})
