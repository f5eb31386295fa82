/**
 * `module_defaults` whose value for a module is a template (`debug: "{{ my_defaults }}"`): Ansible renders it when
 * the task runs, with the host's variables. At load such an entry is kept as a marker (no arguments of its own, so
 * nothing merges it by accident); a task of that module (or of one that runs it as its backend, as `service` runs
 * `systemd`, or of a group that holds it) is then read and checked on each host when it runs, as a task whose
 * arguments a template gives, with the defaults rendered first (engine/run/modulename.ts).
 *
 * @example
 * ```yaml
 * - hosts: all
 *   vars: { dflt: { msg: hello } }
 *   module_defaults: { debug: "{{ dflt }}" }
 *   tasks:
 *     - debug:          # prints hello
 * ```
 */
import { UserError, UserErrors } from '../errors.js'
import type { ModuleDef } from '../module.js'
import { renderValue } from '../template.js'
import type { SourcePos, Vars } from '../types.js'
import { describeValue } from './context.js'
import { isMap } from './keywords.js'
import { groupDefaults } from './modulegroups.js'

/** The key of a marker entry: the template and where it is written. */
const TEMPLATED = Symbol('module_defaults given by a template')

interface Marker {
  [TEMPLATED]: { text: string; pos: SourcePos }
}

/** The `module_defaults` entry for a template `text` written at `pos`. */
export function templatedDefaults(text: string, pos: SourcePos): Record<string, unknown> {
  return { [TEMPLATED]: { text, pos } } as Record<string, unknown>
}

const markerOf = (entry: Record<string, unknown> | undefined) => (entry as Partial<Marker> | undefined)?.[TEMPLATED]

/** Where a `module_defaults` entry that a template gives is written, or undefined for any other entry. */
export const templatedAt = (entry: Record<string, unknown> | undefined): SourcePos | undefined => markerOf(entry)?.pos

/** Whether a task of `def` gets defaults a template gives, among `defaults` (its module's, a backend's, a group's). */
export function hasTemplatedDefaults(
  defaults: ReadonlyMap<string, Record<string, unknown>> | undefined,
  def: ModuleDef,
): boolean {
  const own = [def.name, ...(def.backends ?? [])].map((m) => defaults?.get(m))
  return [...own, ...groupDefaults(defaults, def.name)].some((d) => markerOf(d) !== undefined)
}

/**
 * The arguments a `module_defaults` entry for `module` gives on a host with `vars`: a templated entry rendered, any
 * other as it is. Throws `UserError` when the template does not give a map of arguments.
 */
export function renderedEntry(module: string, entry: Record<string, unknown>, vars: Vars): Record<string, unknown> {
  const t = markerOf(entry)
  if (!t) return entry
  const v = renderValue(t.text, vars, { pos: t.pos, what: `module_defaults for ${module}` })
  if (isMap(v)) return v
  const msg = `module_defaults for "${module}" must be a map of arguments; ${t.text} gave ${describeValue(v)}`
  throw new UserError(msg, t.pos)
}

/**
 * `defaults` with every templated entry rendered with `vars`; throws `UserErrors` when one does not give a map of
 * arguments.
 */
export function renderDefaults(
  defaults: ReadonlyMap<string, Record<string, unknown>>,
  vars: Vars,
): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>()
  for (const [module, entry] of defaults) {
    try {
      out.set(module, renderedEntry(module, entry, vars))
    } catch (e) {
      throw e instanceof UserError ? new UserErrors([e]) : e
    }
  }
  return out
}
