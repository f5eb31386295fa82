/**
 * Variable layers and their precedence (lowest first, as Ansible's for the sources tsplay supports):
 *   role defaults < inventory group vars < inventory host vars < facts < play vars < vars_files < role vars
 *   < block vars < task vars < set_fact/registered < extra vars (-e) ; magic variables are always set.
 * Values that are templates (`url: "http://{{ host }}"`) are rendered lazily, on first read, against the merged vars.
 */
import { UserError } from '../errors.js'
import { isTemplated, renderValue } from '../template.js'
import { unsafeText, wasUnsafe } from '../expr/render.js'
import { isTemplateText, markUnsafeList } from '../expr/scope.js'
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
  // a for-in, not Object.entries: this runs on every task of every host, over every variable
  for (const key in raw) {
    if (!Object.hasOwn(raw, key)) continue
    const value = raw[key]
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
  // Ansible's `vars` stays the task's: what a condition adds (a registered result) is not in it
  const view = Object.getOwnPropertyDescriptor(vars, 'vars')
  if (view && !view.enumerable) Object.defineProperty(out, 'vars', view)
  return out
}

/**
 * Give `vars` Ansible's `vars` variable: every variable of the task by name (`vars['pkg_' + item]`). As in Ansible,
 * a templated variable read through it is its text, not rendered (`raw`: the variables before rendering), and it
 * holds neither itself nor what is added later (a condition's registered result). Not enumerable: copies and
 * `hostvars` leave it out. A variable the user named `vars` stays.
 *
 * @example
 * ```ts
 * renderString("{{ vars['x'] }}", addVarsView(resolveVars(raw), raw))
 * ```
 */
export function addVarsView(vars: Vars, raw: Vars): Vars {
  if (Object.hasOwn(vars, 'vars')) return vars
  let view: Vars | undefined
  const hide = (k: string | symbol) => k === 'vars'
  const templated = (k: string | symbol) => typeof k === 'string' && Object.hasOwn(raw, k) && isTemplated(raw[k])
  const traps: ProxyHandler<Vars> = {
    get: (t, k) => (hide(k) ? undefined : templated(k) ? raw[k as string] : Reflect.get(t, k)),
    has: (t, k) => !hide(k) && Reflect.has(t, k),
    getOwnPropertyDescriptor: (t, k) => {
      if (hide(k)) return undefined
      const d = Reflect.getOwnPropertyDescriptor(t, k)
      return d && templated(k) ? { value: raw[k as string], enumerable: true, configurable: true, writable: true } : d
    },
    ownKeys: (t) => Reflect.ownKeys(t).filter((k) => !hide(k)),
  }
  const get = () => (view ??= markUnsafeList(new Proxy(vars, traps))) // its texts are data, never rendered
  Object.defineProperty(vars, 'vars', { enumerable: false, configurable: true, get })
  return vars
}
