/**
 * Variable layers and their precedence (lowest first, as Ansible's for the sources tsplay supports):
 *   role defaults < inventory group vars < inventory host vars < facts < play vars < vars_files < role vars
 *   < block vars < task vars < set_fact/registered < extra vars (-e) ; magic variables are always set.
 * Values that are templates (`url: "http://{{ host }}"`) are rendered lazily, on first read, against the merged vars.
 */
import { UserError } from '../errors.js'
import { isTemplated, renderValue } from '../template.js'
import { unsafeText, wasUnsafe } from '../expr/render.js'
import { isTemplateText } from '../expr/scope.js'
import type { Vars } from '../types.js'

/** Merge layers, later wins (Ansible's `hash_behaviour = replace`). */
export function mergeLayers(layers: readonly (Vars | undefined)[]): Vars {
  const out: Vars = {}
  for (const l of layers) if (l) Object.assign(out, l)
  return out
}

/**
 * A rendered value that is the text of an `!unsafe` value stays unsafe: it is never rendered when read again (as
 * Ansible's unsafe text); other rendered text holding `{{` is rendered again when read, as in Ansible.
 */
export function finalValue(v: unknown): unknown {
  if (typeof v !== 'string' || !isTemplateText(v) || !wasUnsafe(v)) return v
  try {
    return unsafeText(v)
  } catch {
    return v // text holding "{% endraw %}" itself stays as it is
  }
}

/**
 * A view of `raw` in which templated values render on first read (and are cached).
 * A variable that refers to itself, directly or not, is an error naming it.
 */
export function resolveVars(raw: Vars): Vars {
  const out: Vars = {}
  const busy = new Set<string>()
  for (const [key, value] of Object.entries(raw)) {
    if (!isTemplated(value)) {
      out[key] = value
      continue
    }
    Object.defineProperty(out, key, {
      enumerable: true,
      configurable: true,
      get() {
        if (busy.has(key)) throw new UserError(`variable "${key}" refers to itself`)
        busy.add(key)
        try {
          const v = finalValue(renderValue(value, out, { what: `variable "${key}"` }))
          Object.defineProperty(out, key, { value: v, enumerable: true, configurable: true, writable: true })
          return v
        } finally {
          busy.delete(key)
        }
      },
    })
  }
  return out
}

/**
 * `{ ...vars, ...layers }` without reading `vars`: a variable whose template has not been rendered yet stays
 * unrendered until something reads it (a spread would render every one, and fail on a broken one nothing uses).
 *
 * @example
 * ```ts
 * evalCondition('r.rc == 0', extendVars(vars, { r: result }))
 * ```
 */
export function extendVars(vars: Vars, ...layers: Vars[]): Vars {
  const out: Vars = {}
  for (const [k, d] of Object.entries(Object.getOwnPropertyDescriptors(vars)))
    if (d.enumerable) Object.defineProperty(out, k, d)
  for (const l of layers)
    for (const [k, v] of Object.entries(l))
      Object.defineProperty(out, k, { value: v, enumerable: true, configurable: true, writable: true })
  return out
}
