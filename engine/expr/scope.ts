/**
 * Variable scopes for expressions and templates. A looked-up string that itself holds `{{ … }}` is rendered
 * against the same variables when it is used (Ansible's lazy templating: `url: "http://{{ host }}:{{ port }}"`
 * in group_vars just works); a variable that refers to itself is an error, not a hang.
 *
 * @example
 * ```ts
 * const s = rootScope({ port: 8080, url: 'http://x:{{ port }}' }, render)
 * s.lookup('url') // 'http://x:8080'
 * ```
 */
import { UserError } from '../errors.js'
import type { Vars } from '../types.js'
import { getProp, Undef } from './values.js'

/** Renders one template string against a scope (supplied by render.ts, to avoid an import cycle). */
export type StringRenderer = (s: string, scope: Scope) => unknown

/** What the evaluator reads variables through. */
export interface Scope {
  /** A root name's value (templated strings rendered), or `Undef`. */
  lookup(name: string): unknown
  /** Render a string found inside a value (an attribute or list item) if it holds `{{`. */
  resolve(v: unknown): unknown
  /** Deeply render the strings inside a list/map used as a whole (filter input, final result); strings pass. */
  deep(v: unknown): unknown
  /** The names of the variables (`lookup('varnames')`), lowest layer's first, each once; unset when unknown. */
  names?(): string[]
}

const MAX_NESTING = 32

const unsafe = new WeakSet<object>()

/**
 * Mark a value that came from a host (registered results, facts) as data, never a template: a command's output
 * holding `{{` is then printed as it is instead of being rendered (Ansible's "unsafe" values). Marks every
 * list and map inside it; returns `v`.
 */
export function markUnsafe<T>(v: T, depth = 0): T {
  if (v !== null && typeof v === 'object' && depth < 64 && !unsafe.has(v)) {
    unsafe.add(v)
    for (const x of Array.isArray(v) ? v : v instanceof Map ? v.values() : Object.values(v)) markUnsafe(x, depth + 1)
  }
  return v
}

/**
 * Mark only the list (or map) `v`, not what it holds, as data: the strings directly in it are never rendered (a
 * lookup's results, as Ansible's `wrap_var`; the `vars` variable's view). Returns `v`.
 */
export function markUnsafeList<T extends object>(v: T): T {
  unsafe.add(v)
  return v
}

/** True for a list/map marked with `markUnsafe`: strings directly inside it are never rendered. */
export function isUnsafe(v: unknown): boolean {
  return typeof v === 'object' && v !== null && unsafe.has(v)
}

/** True when text holds template markup: `{{`, `{%`, or a `{# … #}` comment. */
export function isTemplateText(s: string): boolean {
  return s.includes('{{') || s.includes('{%') || (s.includes('{#') && s.includes('#}'))
}

/**
 * True when `v` is a string (or a list/map holding one, at any depth) with template markup; unsafe values never are.
 */
export function hasTemplate(v: unknown, depth = 0): boolean {
  if (typeof v === 'string') return isTemplateText(v)
  if (depth > 64 || v === null || typeof v !== 'object' || unsafe.has(v)) return false
  // loops, not some(): this runs for every variable and argument of every task on every host
  if (Array.isArray(v)) {
    for (const x of v) if (hasTemplate(x, depth + 1)) return true
    return false
  }
  if (v instanceof Map) {
    for (const x of v.values()) if (hasTemplate(x, depth + 1)) return true
    return false
  }
  for (const k in v) if (Object.hasOwn(v, k) && hasTemplate((v as Record<string, unknown>)[k], depth + 1)) return true
  return false
}

/** The scope over plain variables. `render` renders nested template strings. */
export function rootScope(vars: Vars, render: StringRenderer): Scope {
  const active: string[] = []
  let depth = 0
  /** Render nested template text, refusing runaway recursion (`a: "{{ a }}"`, `a: ["{{ a }}"]`). */
  const nested = (s: string): unknown => {
    if (depth >= MAX_NESTING) {
      const chain = active.length ? ` (${active.join(' → ')})` : ''
      throw new UserError(`templates nest too deeply: a variable probably refers to itself${chain}`)
    }
    depth++
    try {
      return render(s, scope)
    } finally {
      depth--
    }
  }
  const scope: Scope = {
    lookup(name) {
      const v = getProp(vars, name, name)
      if (typeof v !== 'string' || !isTemplateText(v)) return v
      if (active.includes(name)) {
        throw new UserError(`variable "${name}" refers to itself (${[...active, name].join(' → ')})`)
      }
      active.push(name)
      try {
        return nested(v)
      } finally {
        active.pop()
      }
    },
    resolve(v) {
      return typeof v === 'string' && isTemplateText(v) ? nested(v) : v
    },
    deep(v) {
      // strings reaching here were rendered when looked up (or computed, and so are not templates)
      return typeof v !== 'string' && hasTemplate(v) ? deepRender(v, nested, 0) : v
    },
    names: () => varNames(vars),
  }
  return scope
}

/**
 * The variable names of `vars` and the layers under it (`Object.create` chains), as a dict updated layer by layer
 * orders them: the lowest layer's first, a name set again higher up keeping its place.
 */
export function varNames(vars: object): string[] {
  const layers: object[] = []
  for (let o: object | null = vars; o && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null)
    layers.push(o)
  const out = new Set<string>()
  for (const layer of layers.reverse())
    for (const k of Object.keys(layer)) if ((layer as Record<string, unknown>)[k] !== undefined) out.add(k)
  return [...out]
}

/** A scope that looks in `first` (block params, the current `#each` item) before `parent`. */
export function childScope(parent: Scope, first: (name: string) => unknown): Scope {
  return {
    lookup: (name) => {
      const v = first(name)
      // block params and `#each` items come from lists already rendered by `deep`, so no second rendering
      return v instanceof Undef ? parent.lookup(name) : v
    },
    resolve: (v) => parent.resolve(v),
    deep: (v) => parent.deep(v),
    // block params and loop items are the template's own names, not the task's variables
    names: parent.names && (() => parent.names!()),
  }
}

/** Render every templated string inside `v` (a fresh copy; untemplated parts are shared). */
export function deepRender(v: unknown, render: (s: string) => unknown, depth: number): unknown {
  if (typeof v === 'string') return isTemplateText(v) ? render(v) : v
  if (depth > 64 || v === null || typeof v !== 'object' || !hasTemplate(v)) return v
  if (Array.isArray(v)) return v.map((x) => deepRender(x, render, depth + 1))
  const src = v instanceof Map ? Object.fromEntries(v) : (v as Record<string, unknown>)
  const out: Record<string, unknown> = {}
  for (const [k, x] of Object.entries(src)) out[k] = deepRender(x, render, depth + 1)
  return out
}
