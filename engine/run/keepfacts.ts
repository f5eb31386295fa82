/**
 * A host's facts after a gathering (the play's, or a `setup` task's): its `facts.*` replaced, its `ansible_*` and
 * `ansible_facts` added over those known before, as Ansible's fact cache adds them, and the facts modules returned
 * (`packages`, …) kept on top.
 *
 * @example
 * ```ts
 * keepFacts(rc.states.get(host)!, gathered, ['ansible_distribution*'])   // only the matching ansible_* are set
 * ```
 */
import { filterFacts } from '../../modules/setup.js'
import { ansibleFactVars, factsToVars, overFacts, withModuleFacts } from '../facts.js'
import { markUnsafe } from '../template.js'
import type { HostFacts } from '../types.js'
import type { HostState } from './context.js'

/**
 * Keep a gathering's facts on the host: those of the collectors its `gather_subset` chose, or with a `filter` only
 * the matching `ansible_*` ones, over those gathered before. `facts.*` is always the latest gathering's.
 */
export function keepFacts(st: HostState, facts: HostFacts, filter: readonly string[] = []): void {
  st.facts = facts
  const fresh = factsToVars(facts, filter.length ? filterFacts(ansibleFactVars(facts), [...filter]) : undefined)
  st.factVars = markUnsafe(withModuleFacts(overFacts(st.factVars, fresh), st.moduleFacts))
}
