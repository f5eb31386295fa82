/**
 * `set_fact`: set variables on the host for the rest of the run (runs on the controller, never changed).
 * Any keys; values are templated by the runner and keep their types.
 *
 * @example
 * ```yaml
 * - set_fact:
 *     hydra_url: "http://{{ inventory_hostname }}:3000"
 *     build_cores: "{{ facts.processor_count }}"
 * ```
 */
import { Type } from '@sinclair/typebox'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { defineModule } from '../engine/module.js'

const Args = Type.Object(
  {
    cacheable: Defaulted(
      Type.Boolean({
        default: false,
        description: 'Accepted for Ansible compatibility; tsplay keeps the values for the run only.',
      }),
    ),
  },
  { additionalProperties: true, description: 'Variable names and their values.' },
)
/** The arguments as the module receives them (defaults filled in). */
type Args = ModuleArgs<typeof Args>

/** The variables to set: every key except `cacheable`. */
export function valuesOf(args: Record<string, unknown>): Record<string, unknown> {
  const { cacheable: _ignored, ...values } = args
  return values
}

export default defineModule({
  name: 'set_fact',
  summary: 'Set host variables for the rest of the run',
  schema: Args,
  changedWhen: 'never',
  check: 'full',
  controllerOnly: true,
  example: 'set_fact: { url: "http://{{ inventory_hostname }}:3000" }',
  gather: async () => undefined,
  plan(_state, args: Args) {
    const values = valuesOf(args)
    if (Object.keys(values).length === 0) return { commands: [], fail: 'set_fact needs at least one variable' }
    const bad = Object.keys(values).filter((k) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(k))
    if (bad.length) return { commands: [], fail: `not valid variable names: ${bad.join(', ')}` }
    return { commands: [], changed: false, setVars: values, data: { ansible_facts: values } }
  },
})
