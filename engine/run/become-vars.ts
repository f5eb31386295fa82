/**
 * Ansible's become variables: `ansible_become`, `ansible_become_user`, `ansible_become_method`,
 * `ansible_become_flags` and `ansible_become_exe` (and the method's own `ansible_sudo_user`, `ansible_su_exe`, …,
 * which win over them, as in Ansible), set in the inventory, play or task variables (or with `-e`), override the
 * `become*` keywords, as in Ansible (even `become: false`). A variable's template is rendered with the
 * task's variables; a method other than sudo or su fails the task, as the keyword is refused.
 *
 * @example
 * ```ts
 * becomeWithVars({ become: false, becomeUser: 'root' }, { ansible_become: true, ansible_become_user: 'app' })
 * // { become: true, becomeUser: 'app' }
 * ```
 */
import type { BecomeMethod } from '../connector.js'
import { UserError } from '../errors.js'
import { becomeMethodOf, methodName, type MethodName } from '../load/become.js'
import { renderValue } from '../template.js'
import type { Vars } from '../types.js'
import { becomeUserOf } from './keyword.js'

/** The become keywords of a task (each inherited on its own), as the runner reads them. */
export interface BecomeSettings {
  become?: boolean | string
  becomeUser?: string
  becomeMethod?: MethodName
  becomeFlags?: string
  becomeExe?: string
}

/** `kw` with every become variable set in `vars` in place of its keyword. Throws `UserError` for a bad value. */
export function becomeWithVars(kw: BecomeSettings, vars: Vars): BecomeSettings {
  const out = { ...kw }
  const become = vars.ansible_become
  if (become !== undefined && become !== null)
    out.become = typeof become === 'boolean' ? become : typeof become === 'string' ? become : String(become)
  if (out.become === undefined || out.become === false) return out // the other variables matter only when becoming
  const value = text(vars, 'ansible_become_method')
  const method = value === undefined ? undefined : methodName(value)
  if (method) out.becomeMethod = method
  else if (value !== undefined)
    throw new UserError(
      `ansible_become_method "${value}" is not supported by tsplay`,
      undefined,
      '(tsplay becomes other users through sudo, su or doas)',
    )
  // as Ansible's become plugins read them: the method's own variable (ansible_sudo_user, …) over the general one
  const m = out.becomeMethod ?? 'sudo'
  const pick = (what: string) => text(vars, `ansible_${m}_${what}`) ?? text(vars, `ansible_become_${what}`)
  const user = pick('user')
  if (user !== undefined) out.becomeUser = user
  const flags = pick('flags')
  if (flags !== undefined) out.becomeFlags = flags
  const exe = pick('exe')
  if (exe !== undefined) out.becomeExe = exe
  return out
}

/**
 * Who the commands run as: the become keywords `kw` under the become variables in `vars`, rendered (`user`
 * undefined: the login user). Throws `UserError` for a bad value.
 */
export function becomeOf(kw: BecomeSettings, vars: Vars): { user?: string; method: BecomeMethod } {
  const b = becomeWithVars(kw, vars)
  return {
    user: becomeUserOf(b.become, b.becomeUser, vars),
    method: becomeMethodOf(b.becomeMethod, b.becomeFlags, b.becomeExe),
  }
}

/** Variable `name` rendered, as text; undefined when not set. */
function text(vars: Vars, name: string): string | undefined {
  const raw = vars[name]
  if (raw === undefined || raw === null) return undefined
  const v = renderValue(raw, vars, { what: `variable "${name}"` })
  if (v === undefined || v === null) return undefined
  if (typeof v === 'object') throw new UserError(`${name} must be a string, found ${JSON.stringify(v)}`)
  return String(v)
}
