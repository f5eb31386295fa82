/**
 * Jinja's reuse statements, rendered as Jinja2 renders them for Ansible: `{% macro %}` (parameters with defaults,
 * extra arguments in `varargs`/`kwargs`, `caller()` inside a `{% call %}`), `{% include %}`, and
 * `{% import 'm.j2' as m %}` / `{% from 'm.j2' import a %}`. Template names are found on Ansible's template search
 * path: the folder of the template being rendered, then each `ansible_search_path` folder's `templates/` and the
 * folder itself, then the playbook's. Imported and included templates see the task's variables (Jinja's
 * `with context`), which only makes more templates work.
 *
 * @example
 * ```jinja
 * {% from 'macros.j2' import line %}{{ line('port', 80) }}
 * ```
 */
import { readFileSync, statSync } from 'node:fs'
import { dirname, isAbsolute, join } from 'node:path'
import { UserError } from '../../errors.js'
import type { Expr } from '../ast.js'
import { Callable, GLOBALS } from '../globals.js'
import { pyStr, tuple } from '../pystr.js'
import type { Scope } from '../scope.js'
import { force, short, toStr, Undef } from '../values.js'
import { compileJinja, type JinjaTemplate } from './run.js'
import type { Node, Param } from './parse.js'

/** What reuse needs from the renderer: render nodes (to the output or to their own text), evaluate, emit text. */
export interface SubRenderer {
  run(nodes: Node[], scope: Scope, locals: Map<string, unknown>): void
  render(nodes: Node[], scope: Scope, locals: Map<string, unknown>): string
  value(e: Expr, scope: Scope): unknown
  emit(text: string): void
  /** What is emitted while `f` runs, as text (kept out of the output). */
  capture(f: () => void): string
  /** Render another template (its top-level names into `top`, its `{% extends %}` chain) to its own text. */
  template(nodes: Node[], scope: Scope, top: Map<string, unknown>): string
}

type ReuseNode = Extract<Node, { k: 'macro' | 'callblock' | 'include' | 'import' }>

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Render a `{% macro %}`, `{% call %}`, `{% include %}` or `{% import %}`/`{% from %}` statement. */
export function renderReuse(r: SubRenderer, n: ReuseNode, scope: Scope, locals: Map<string, unknown>): void {
  switch (n.k) {
    case 'macro':
      locals.set(n.name, macro(r, n.name, n.params, n.body, scope))
      return
    case 'callblock': {
      const c = n.call
      const args = c.args.map((x) => r.value(x, scope))
      const kw = Object.fromEntries(c.kw.map(([k, x]) => [k, r.value(x, scope)]))
      kw.caller = caller(r, n.params, n.body, scope)
      const global = c.o.k === 'lit' && c.o.v === GLOBALS
      const o = global ? undefined : r.value(c.o, scope)
      const target = global ? scope.lookup(c.method) : isMap(o) && Object.hasOwn(o, c.method) ? o[c.method] : undefined
      if (!(target instanceof Callable)) throw new UserError(`"{% call %}" needs a macro; "${c.method}" is not one`)
      r.emit(pyStr(target.fn(args, kw)))
      return
    }
    case 'include': {
      const names = r.value(n.e, scope)
      const t = n.ignoreMissing ? loadTemplate(names, scope) : needTemplate(names, scope)
      if (t) r.emit(r.template(t.nodes, scope, new Map()))
      return
    }
    case 'import': {
      const mod = importModule(r, needTemplate(r.value(n.e, scope), scope), scope)
      if (n.alias) locals.set(n.alias, mod)
      for (const [name, alias] of n.names ?? []) {
        if (!Object.hasOwn(mod, name))
          throw new UserError(`the template ${short(r.value(n.e, scope))} does not export "${name}"`)
        locals.set(alias, mod[name])
      }
    }
  }
}

/** A scope with `locals` in front of `parent`. */
export function frame(parent: Scope, locals: Map<string, unknown>): Scope {
  return {
    lookup: (name) => (locals.has(name) ? locals.get(name) : parent.lookup(name)),
    resolve: (v) => parent.resolve(v),
    deep: (v) => parent.deep(v),
    names: parent.names && (() => parent.names!()), // the task's variables, not the template's own names
  }
}

/** A macro as a value: called with positional and keyword arguments (`caller` among them), gives its text. */
export function macro(r: SubRenderer, name: string, params: Param[], body: Node[], home: Scope): Callable {
  return new Callable(name, (args, kw) => {
    const locals = new Map<string, unknown>()
    const rest = { ...kw }
    params.forEach(([p, dflt], i) => {
      if (i < args.length) locals.set(p, args[i])
      else if (Object.hasOwn(rest, p)) locals.set(p, rest[p])
      else if (dflt) locals.set(p, r.value(dflt, frame(home, locals)))
      else locals.set(p, new Undef(p))
      delete rest[p]
    })
    if (rest.caller !== undefined) locals.set('caller', rest.caller)
    delete rest.caller
    locals.set('varargs', tuple(args.slice(params.length)))
    locals.set('kwargs', rest)
    return r.render(body, frame(home, locals), locals)
  })
}

/** The function a `{% call %}` block gives its macro as `caller`. */
export function caller(r: SubRenderer, params: Param[], body: Node[], scope: Scope): Callable {
  return macro(r, 'caller', params, body, scope)
}

/** Ansible's search path for templates a template names, from the variables it is rendered with. */
export function templateSearchPath(scope: Scope): string[] {
  const str = (n: string) => {
    const v = scope.lookup(n)
    return typeof v === 'string' && v ? v : undefined
  }
  const out: string[] = []
  const full = str('template_fullpath')
  if (full) out.push(dirname(full))
  const sp = scope.lookup('ansible_search_path')
  const dirs = Array.isArray(sp) ? sp.filter((p): p is string => typeof p === 'string') : []
  const pb = str('playbook_dir')
  for (const p of pb && !dirs.includes(pb) ? [...dirs, pb] : dirs) out.push(join(p, 'templates'), p)
  if (!out.length) out.push(process.cwd())
  return out
}

const compiled = new Map<string, { mtime: number; t: JinjaTemplate }>()

/** The template `name` (the first of a list that exists), compiled, or undefined when none exists. */
export function loadTemplate(names: unknown, scope: Scope): JinjaTemplate | undefined {
  const list = (Array.isArray(names) ? names : [names]).map((n) => toStr(force(n)))
  const path = templateSearchPath(scope)
  for (const n of list) {
    for (const d of isAbsolute(n) ? [''] : path) {
      const f = d ? join(d, n) : n
      let st
      try {
        st = statSync(f)
      } catch {
        continue
      }
      if (!st.isFile()) continue
      const hit = compiled.get(f)
      if (hit && hit.mtime === st.mtimeMs) return hit.t
      const t = compileJinja(readFileSync(f, 'utf8'))
      compiled.set(f, { mtime: st.mtimeMs, t })
      return t
    }
  }
  return undefined
}

/** The template an include or import names; a missing one is an error naming where it was looked for. */
export function needTemplate(names: unknown, scope: Scope): JinjaTemplate {
  const t = loadTemplate(names, scope)
  if (t) return t
  throw new UserError(`template ${short(force(names))} not found (looked in ${templateSearchPath(scope).join(', ')})`)
}

/** `{% import %}`: the names an imported template defines at its top (macros, `set` values), as a map. */
export function importModule(r: SubRenderer, t: JinjaTemplate, scope: Scope): Record<string, unknown> {
  const top = new Map<string, unknown>()
  r.template(t.nodes, scope, top)
  return Object.fromEntries(top)
}
