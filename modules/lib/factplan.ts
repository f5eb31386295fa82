/**
 * The plan of a module that only reads facts (`getent`, `package_facts`, `service_facts`): nothing to run, never
 * changed, the facts set on the host (`moduleFacts`) and returned as Ansible returns them (`ansible_facts`).
 *
 * @example
 * ```ts
 * factsPlan({ packages: { make: [] } }) // { commands: [], changed: false, moduleFacts: …, data: { ansible_facts: … } }
 * ```
 */
import type { Plan } from '../../engine/module.js'
import type { Vars } from '../../engine/types.js'

/** A read-only plan returning `facts` (and `msg`, when given). */
export function factsPlan(facts: Vars, msg?: string): Plan {
  return { commands: [], changed: false, moduleFacts: facts, data: { ansible_facts: facts }, ...(msg ? { msg } : {}) }
}
