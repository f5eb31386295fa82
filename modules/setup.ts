/**
 * setup: read the host facts again (as `gather_facts` does at the start of a play) and replace the host's
 * `facts.*`, `ansible_*` and `ansible_facts` with them: after a task changed the host (a new package, a new
 * hostname), or in a play with `gather_facts: false`. The registered result holds `ansible_facts` with Ansible's
 * `ansible_*` names, limited by `filter`. `gather_subset` chooses Ansible's fact collectors as Ansible's does
 * (engine/factsubset.ts): the facts of the others are neither read nor set (`!hardware` reads no block devices,
 * `min` no interfaces either). Local facts come from `fact_path` (engine/localfacts.ts) into `ansible_local`.
 *
 * @example
 * ```yaml
 * - setup:
 * - setup: { filter: ["ansible_distribution*"] }
 *   register: os
 * ```
 */
import { Type } from '@sinclair/typebox'
import { Defaulted, type ModuleArgs } from '../engine/argtypes.js'
import { ansibleFactVars, gatherFacts } from '../engine/facts.js'
import { collectorsFor } from '../engine/factsubset.js'
import { DEFAULT_FACT_PATH } from '../engine/localfacts.js'
import { defineModule, ModuleFailure } from '../engine/module.js'
import type { HostFacts } from '../engine/types.js'
import { toList } from './lib/argvalues.js'
import { fnmatchRe } from './lib/findfs.js'

const Strings = (description: string, dflt: string[]) =>
  Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())], { description, default: dflt }))

/** setup's arguments (`gather_facts` takes them too). */
export const SetupArgs = Type.Object(
  {
    gather_subset: Strings(
      "Which of Ansible's fact collectors run: `all`, `min`, `hardware`, `network`, `virtual`, … (a name with " +
        "`!` leaves one out; `min`'s always run unless `!min`). The facts of the others are not read",
      ['all'],
    ),
    filter: Strings(
      'Shell-style patterns (`ansible_distribution*`, the `ansible_` prefix optional): only matching facts are ' +
        'registered',
      [],
    ),
    gather_timeout: Type.Optional(
      Type.Integer({ minimum: 1, description: 'Accepted for Ansible compatibility', default: 10 }),
    ),
    fact_path: Defaulted(
      Type.String({
        minLength: 1,
        description:
          'Folder of local facts: its `*.fact` files are run (when executable) or read, and their JSON or INI ' +
          'text becomes `ansible_local.<file name>`',
        default: DEFAULT_FACT_PATH,
      }),
    ),
  },
  { additionalProperties: false },
)
type Args = ModuleArgs<typeof SetupArgs>

/**
 * The `ansible_*` facts whose names match one of `patterns` (all when there are none), as Ansible's: a pattern
 * without the `ansible_` prefix matches with it too (`distribution*` keeps `ansible_distribution`).
 */
export function filterFacts(facts: Record<string, unknown>, patterns: string[]): Record<string, unknown> {
  if (patterns.length === 0 || patterns.includes('')) return facts
  const prefixed = patterns.filter((p) => !/^(ansible_|facter)/.test(p)).map((p) => `ansible_${p}`)
  const res = [...patterns, ...prefixed].map(fnmatchRe)
  return Object.fromEntries(Object.entries(facts).filter(([k]) => res.some((re) => re.test(k))))
}

export default defineModule({
  name: 'setup',
  summary: 'Read the host facts again (facts.*, ansible_*, ansible_facts)',
  schema: SetupArgs,
  changedWhen: 'never',
  check: 'full',
  example: '- setup: { filter: ["ansible_distribution*"] }',
  async gather(raw: Args, _ctx, io): Promise<HostFacts> {
    const subset = collectorsFor(raw.gather_subset)
    if ('error' in subset) throw new ModuleFailure(subset.error)
    return gatherFacts(io, raw.fact_path, subset).catch((e: unknown) => {
      throw new ModuleFailure(e instanceof Error ? e.message : String(e))
    })
  },
  plan(facts, raw: Args) {
    const filter = toList(raw.filter)
    return { commands: [], changed: false, facts, data: { ansible_facts: filterFacts(ansibleFactVars(facts), filter) } }
  },
})
