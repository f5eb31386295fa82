/**
 * Keyword values Ansible lets a template give (`ignore_errors: "{{ x }}"`), rendered with the task's variables and
 * read with Ansible's boolean spellings.
 *
 * @example
 * ```ts
 * renderBool('{{ strict }}', { strict: 'no' }, 'ignore_errors') // false
 * ```
 */
import { UserError } from '../errors.js'
import { toBool } from '../load/keywords.js'
import { renderValue } from '../template.js'

/** A boolean keyword: as written, or its template rendered with `vars` (undefined: false). */
export function renderBool(v: boolean | string | undefined, vars: Record<string, unknown>, what: string): boolean {
  if (v === undefined) return false
  if (typeof v === 'boolean') return v
  const out = renderValue(v, vars, { what })
  const b = toBool(out)
  if (b === undefined) throw new UserError(`"${what}" must be true or false, "${v}" gave ${JSON.stringify(out)}`)
  return b
}
