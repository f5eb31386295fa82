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
import type { SourcePos, Vars } from '../types.js'

/**
 * A whole-number keyword's template (`throttle: "{{ n }}"`) rendered with `vars`: at least `min`, else a `UserError`
 * naming the keyword and what the template gave.
 */
export function renderWholeNumber(v: string, vars: Vars, what: string, pos: SourcePos | undefined, min = 0): number {
  const r = renderValue(v, vars, { pos, what: `"${what}"` })
  const s = typeof r === 'number' ? String(r) : typeof r === 'string' ? r.trim() : ''
  if (!/^\d+$/.test(s) || Number(s) < min)
    throw new UserError(`"${what}" must be a whole number ≥ ${min}, found ${JSON.stringify(r)}`, pos)
  return Number(s)
}

/** A boolean keyword: as written, or its template rendered with `vars` (undefined: false). */
export function renderBool(v: boolean | string | undefined, vars: Record<string, unknown>, what: string): boolean {
  if (v === undefined) return false
  if (typeof v === 'boolean') return v
  const out = renderValue(v, vars, { what })
  const b = toBool(out)
  if (b === undefined) throw new UserError(`"${what}" must be true or false, "${v}" gave ${JSON.stringify(out)}`)
  return b
}

/**
 * The user a task becomes (undefined: it does not become): `become` and `become_user` as written, or their
 * templates rendered with `vars` (the host's, as Ansible renders them per host); `root` when no user is named.
 *
 * @example
 * ```ts
 * becomeUserOf('{{ ansible_user != "root" }}', '{{ app }}', { ansible_user: 'pi', app: 'hydra' }) // 'hydra'
 * ```
 */
export function becomeUserOf(
  become: boolean | string | undefined,
  user: string | undefined,
  vars: Record<string, unknown>,
): string | undefined {
  if (!renderBool(become, vars, 'become')) return undefined
  if (user === undefined) return 'root'
  if (!user.includes('{{')) return user
  const out = renderValue(user, vars, { what: 'become_user' })
  if (typeof out !== 'string' || !out.trim())
    throw new UserError(`"become_user" must name a user, "${user}" gave ${JSON.stringify(out)}`)
  return out.trim()
}
