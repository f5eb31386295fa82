/**
 * `gather_facts` as a task: read the host facts again, exactly as `setup` does (the same arguments, `gather_subset`,
 * `filter`, `gather_timeout`, and the same result), as Ansible's `gather_facts` action runs its one fact module
 * (`setup`) on a Linux host. `parallel` is accepted: with one fact module there is nothing to run side by side.
 *
 * @example
 * ```yaml
 * - hosts: all
 *   gather_facts: false
 *   tasks:
 *     - apt: { name: lsb-release }
 *     - gather_facts:
 * ```
 */
import { Type } from '@sinclair/typebox'
import type { ModuleArgs } from '../engine/argtypes.js'
import { defineModule } from '../engine/module.js'
import setup, { SetupArgs } from './setup.js'

const Args = Type.Object(
  {
    ...SetupArgs.properties,
    parallel: Type.Optional(
      Type.Boolean({ description: 'Accepted for Ansible compatibility: tsplay has one fact module, `setup`.' }),
    ),
  },
  { additionalProperties: false },
)
type Args = ModuleArgs<typeof Args>

export default defineModule({
  name: 'gather_facts',
  summary: 'Read the host facts again, as setup does (facts.*, ansible_*, ansible_facts)',
  schema: Args,
  changedWhen: 'never',
  check: 'full',
  example: '- gather_facts:',
  gather: (args: Args, ctx, io) => setup.gather(args, ctx, io),
  plan: (facts, args: Args, ctx) => setup.plan(facts, args, ctx),
})
