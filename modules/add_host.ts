/**
 * `add_host`: add a host (or update one) in the run's inventory, with groups and host variables, so later plays'
 * `hosts:` patterns select it, as Ansible's `add_host` does: it runs once per task (the first host of the play; a
 * loop runs its items there), not per host. `name` may carry a port (`name: 10.0.0.5:2222` sets
 * `ansible_ssh_port`); `groups` is a list or a comma-separated string; every other argument is a host variable
 * (`ansible_host`, `ansible_user`, …). Changed when the inventory changed (a new host, group, membership or
 * variable value); the same in check mode.
 *
 * @example
 * ```yaml
 * - hosts: localhost
 *   tasks:
 *     - add_host: { name: builder1, groups: [builders], ansible_host: 10.0.0.5, ansible_user: pi }
 * - hosts: builders
 *   tasks:
 *     - ping:
 * ```
 */
import { Type } from '@sinclair/typebox'
import type { ModuleArgs } from '../engine/argtypes.js'
import { defineModule, type Plan } from '../engine/module.js'
import type { Vars } from '../engine/types.js'
import { toList } from './lib/argvalues.js'

const Args = Type.Object(
  {
    name: Type.String({ description: 'The host (`NAME` or `NAME:PORT`).', aliases: ['host', 'hostname'] }),
    groups: Type.Optional(
      Type.Union([Type.String(), Type.Array(Type.String())], {
        description: 'Its groups: a list, or names separated by commas.',
        aliases: ['group', 'groupname'],
      }),
    ),
  },
  { additionalProperties: true, description: 'Any other argument is a host variable.' },
)
type Args = ModuleArgs<typeof Args>

/** `NAME:PORT` → name and port (an IPv6 address is `[ADDR]:PORT`); anything else is the name. */
export function splitAddress(s: string): { name: string; port?: number } {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(s) ?? /^([^:[\]]+):(\d+)$/.exec(s)
  return m ? { name: m[1], port: Number(m[2]) } : { name: s.replace(/^\[(.*)\]$/, '$1') }
}

/** Decide. Pure. */
export function planAddHost(a: Args): Plan {
  const { name: raw, groups, ...rest } = a as Args & Vars
  if (raw.trim() === '') return { commands: [], fail: 'name, host or hostname needs to be provided' }
  const { name, port } = splitAddress(raw)
  const names = [...new Set(toList(groups))]
  const vars: Vars = { ...rest, ...(port !== undefined ? { ansible_ssh_port: port } : {}) }
  return {
    commands: [],
    changed: false,
    inventory: { host: { name, groups: names, vars } },
    data: { add_host: { host_name: name, groups: names, host_vars: vars } },
  }
}

export default defineModule({
  name: 'add_host',
  summary: "Add a host with groups and variables to the run's inventory (runs once per task)",
  schema: Args,
  changedWhen: 'the inventory changed (a new host, group, membership or variable value)',
  check: 'full',
  controllerOnly: true,
  runOnce: true,
  example: 'add_host: { name: builder1, groups: [builders], ansible_host: 10.0.0.5 }',
  gather: async () => undefined,
  plan: (_state, args) => planAddHost(args),
})
