/**
 * Role parameters: the keys of a `roles:` entry or a dependency that are no keyword of Ansible's. Ansible reads each
 * as a variable of the role's tasks (and of its dependencies'), above `set_fact`; tsplay does the same.
 *
 * @example
 * ```ts
 * roleParams(ctx, { role: 'db', db_name: 'app', tags: ['db'] }, pos) // { db_name: 'app' }
 * ```
 */
import { UserError } from '../errors.js'
import { keyPos } from '../source/positions.js'
import { didYouMean } from '../source/suggest.js'
import type { SourcePos, Vars } from '../types.js'
import type { LoadContext } from './context.js'
import { ROLE_KEYWORDS } from './keywords.js'
import { checkTemplates } from './syntax.js'

/**
 * Ansible's keywords of a role entry that tsplay does not take: refused as keywords, never read as parameters
 * (Ansible reads every other key as one).
 */
export const OTHER_ROLE_KEYWORDS = [
  'port',
  'remote_user',
  'module_defaults',
  'environment',
  'no_log',
  'run_once',
  'ignore_errors',
  'ignore_unreachable',
  'check_mode',
  'diff',
  'any_errors_fatal',
  'throttle',
  'timeout',
  'collections',
  'delegate_to',
  'delegate_facts',
]

/**
 * A role entry's parameters: its keys that are no keyword of Ansible's (`{ role: db, db_name: app }`), as Ansible
 * reads them; one spelled like a keyword gets a warning, as it may be a misspelt keyword.
 */
export function roleParams(ctx: LoadContext, raw: Record<string, unknown>, pos: SourcePos): Vars | undefined {
  const keys = Object.keys(raw).filter((k) => !ROLE_KEYWORDS.includes(k) && !OTHER_ROLE_KEYWORDS.includes(k))
  if (!keys.length) return undefined
  for (const k of keys) {
    const hint = didYouMean(k, ROLE_KEYWORDS)
    const at = keyPos(raw, k) ?? pos
    if (hint) ctx.warnings.push(new UserError(`"${k}" is read as a role parameter (a variable) ${hint}`, at))
    checkTemplates(ctx, raw, k, pos, `role parameter "${k}"`)
  }
  return Object.fromEntries(keys.map((k) => [k, raw[k]]))
}
