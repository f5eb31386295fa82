/**
 * `group_by`: put each host of the play into the group `key` (made from its variables: `os_{{ ansible_distribution
 * }}`), created on first use as a child of `parents` (default `all`), as Ansible's `group_by` does. The change is to
 * the run's inventory: later tasks see it in `groups`/`group_names`, and later plays' `hosts:` patterns select the
 * group. Spaces in names become `-`. Changed on the host that joined the group (or when a group was created), as
 * Ansible reports it; the same in check mode.
 *
 * @example
 * ```yaml
 * - hosts: all
 *   tasks:
 *     - group_by: { key: "os_{{ ansible_facts.distribution }}", parents: [linux] }
 * - hosts: os_Debian
 *   tasks:
 *     - apt: { name: git }
 * ```
 */
import { Type } from '@sinclair/typebox'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { defineModule, type Plan } from '../engine/module.js'
import { toList } from './lib/argvalues.js'

const Args = Type.Object(
  {
    key: Type.String({ description: 'The group the host joins.' }),
    parents: Defaulted(
      Type.Union([Type.String(), Type.Array(Type.String())], {
        default: ['all'],
        description: 'The groups that get the group as a child (created when missing).',
      }),
    ),
  },
  { additionalProperties: false },
)
type Args = ModuleArgs<typeof Args>

/** Decide. Pure. */
export function planGroupBy(a: Args): Plan {
  const name = a.key.replace(/ /g, '-')
  const parents = toList(a.parents).map((p) => p.replace(/ /g, '-'))
  if (name === '') return { commands: [], fail: 'group_by needs a non-empty key' }
  return {
    commands: [],
    changed: false,
    inventory: { group: { name, parents } },
    data: { add_group: name, parent_groups: parents },
  }
}

export default defineModule({
  name: 'group_by',
  summary: "Put each host into a group made from its variables (the run's inventory)",
  schema: Args,
  changedWhen: 'the host joined the group (or a group was created)',
  check: 'full',
  controllerOnly: true,
  example: 'group_by: { key: "os_{{ ansible_facts.distribution }}" }',
  gather: async () => undefined,
  plan: (_state, args) => planGroupBy(args),
})
