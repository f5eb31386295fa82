/**
 * Template compilation and rendering (the engine behind engine/template.ts). Templates are compiled once per
 * distinct text and cached. Three shapes:
 *  - exactly one `{{ expr }}` and nothing else: the value keeps its type (list, number, map);
 *  - text and `{{ expr }}`s only: rendered by concatenation, no handlebars involved (the hot path);
 *  - anything with blocks or handlebars-only syntax: compiled by handlebars (engine/expr/hbs.ts).
 *
 * @example
 * ```ts
 * renderTemplate('{{ ports }}', rootScope({ ports: [80, 443] }, renderTemplate), false) // [80, 443]
 * ```
 */
import { shQuote } from '../ssh/quote.js'
import type { Vars } from '../types.js'
import { evaluate } from './eval.js'
import { compileHbs, renderHbs, type HbsTemplate } from './hbs.js'
import type { Expr } from './ast.js'
import { needsHandlebars, scan, type Segment } from './scan.js'
import { rootScope, type Scope } from './scope.js'
import { force, toStr } from './values.js'

/** A compiled template. */
export type Compiled =
  | { kind: 'text'; text: string }
  | { kind: 'single'; expr: Expr }
  | { kind: 'parts'; parts: Array<string | { expr: Expr; raw: boolean }>; segs: Segment[] }
  | { kind: 'hbs'; hbs: HbsTemplate; segs: Segment[] }

const CACHE_MAX = 5_000
const cache = new Map<string, Compiled>()

/** Compile `s` (cached). `shell`: `{{ }}` values will be shell-quoted. Throws `ExprError`/`UserError`. */
export function compileTemplate(s: string, shell: boolean): Compiled {
  const key = (shell ? 's' : 'p') + s
  let c = cache.get(key)
  if (c) return c
  if (!s.includes('{{') && !s.includes('{%')) c = { kind: 'text', text: s }
  else {
    const segs = scan(s)
    if (needsHandlebars(segs, s)) c = { kind: 'hbs', hbs: compileHbs(segs, shell), segs }
    else if (!shell && segs.length === 1 && segs[0].t === 'expr' && !segs[0].raw) c = { kind: 'single', expr: segs[0].expr }
    else {
      const parts = segs.map((g) => (g.t === 'text' ? g.text : { expr: (g as { expr: Expr }).expr, raw: (g as { raw: boolean }).raw }))
      c = { kind: 'parts', parts, segs }
    }
  }
  if (cache.size >= CACHE_MAX) cache.clear()
  cache.set(key, c)
  return c
}

/** Render a compiled template: a value of any type for `single`, else a string. */
export function renderCompiled(c: Compiled, vars: Vars, scope: Scope, shell: boolean): unknown {
  switch (c.kind) {
    case 'text':
      return c.text
    case 'single':
      return scope.deep(force(evaluate(c.expr, scope)))
    case 'parts': {
      let out = ''
      for (const p of c.parts) {
        if (typeof p === 'string') out += p
        else {
          const s = toStr(scope.deep(force(evaluate(p.expr, scope))))
          out += shell && !p.raw ? shQuote(s) : s
        }
      }
      return out
    }
    case 'hbs':
      return renderHbs(c.hbs, vars, scope, shell)
  }
}

/** The scope over `vars` in which nested template strings (a variable's value holding `{{ }}`) are rendered. */
export function scopeFor(vars: Vars): Scope {
  return rootScope(vars, (s, scope) => renderCompiled(compileTemplate(s, false), vars, scope, false))
}
