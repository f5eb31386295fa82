/**
 * `set_stats`: record custom stats for the end of the run, per host or for the whole run, added to what earlier
 * tasks recorded (`aggregate`, the default: numbers add, strings and lists join, maps merge) or replacing it, as
 * Ansible's `set_stats` does. Ansible prints them at the end only with `show_custom_stats`; tsplay gives them in
 * the JSON reporter's recap line (`custom_stats`). Runs on the controller, in check mode too; never changed.
 *
 * @example
 * ```yaml
 * - set_stats: { data: { packages_installed: 3 }, per_host: true }
 * - set_stats: { data: { release: "{{ version }}" }, aggregate: false }
 * ```
 */
import { Type } from '@sinclair/typebox'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { defineModule, type Plan } from '../engine/module.js'

const Args = Type.Object(
  {
    data: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), { description: 'The stats: each key a stat name, with its value.' }),
    ),
    per_host: Defaulted(
      Type.Boolean({ default: false, description: 'Keep the stats per host (else for the whole run, as `_run`).' }),
    ),
    aggregate: Defaulted(
      Type.Boolean({ default: true, description: "Add to the stat's earlier value (else replace it)." }),
    ),
  },
  { additionalProperties: false },
)
type Args = ModuleArgs<typeof Args>

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/

/** Decide. Pure: the request the runner records (engine/run/stats.ts), registered as Ansible's `ansible_stats`. */
export function planSetStats(a: Args): Plan {
  const data = a.data ?? {}
  const bad = Object.keys(data).find((k) => !IDENTIFIER.test(k))
  if (bad !== undefined)
    return {
      commands: [],
      fail:
        `The variable name '${bad}' is not valid. Variables must start with a letter or underscore character, ` +
        'and contain only letters, numbers and underscores.',
    }
  return {
    commands: [],
    changed: false,
    data: { ansible_stats: { data, per_host: a.per_host, aggregate: a.aggregate } },
  }
}

export default defineModule({
  name: 'set_stats',
  summary: 'Record custom stats for the end of the run (per host or for the run)',
  schema: Args,
  changedWhen: 'never',
  check: 'full',
  controllerOnly: true,
  example: 'set_stats: { data: { packages_installed: 3 }, per_host: true }',
  gather: async () => undefined,
  plan: (_state, args) => planSetStats(args),
})
