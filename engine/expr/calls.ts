/**
 * The filters and tests an expression or a Jinja template calls by name, for static checks (`tsplay validate`):
 * `x | f`, `x is t`, `{% filter f %}`, and the names given as literal text to `map('f')`, `select('t')`,
 * `reject('t')`, `selectattr('a', 't')` and `rejectattr('a', 't')`.
 *
 * @example
 * ```ts
 * exprCalls(parseExpr("xs | map('upper') | select('match', 'a')")) // filters: map, upper, select; tests: match
 * ```
 */
import type { Expr } from './ast.js'
import type { Node } from './jinja/parse.js'

/** Names of the filters and tests called. */
export interface Calls {
  filters: Set<string>
  tests: Set<string>
}

export const noCalls = (): Calls => ({ filters: new Set(), tests: new Set() })

/** The literal text argument `i` of a call, if it is one. */
const text = (args: Expr[], i: number): string | undefined => {
  const a = args[i]
  return a?.k === 'lit' && typeof a.v === 'string' ? a.v : undefined
}

/**
 * Add the filters and tests `e` calls to `out`; those inside a conditional expression (`a if c else b`) to `soft`
 * instead (Jinja looks them up only when that part runs).
 */
export function exprCalls(e: Expr, out: Calls = noCalls(), soft: Calls = out): Calls {
  let to = out
  const walk = (e: Expr | undefined): void => {
    if (!e) return
    switch (e.k) {
      case 'attr':
        return walk(e.o)
      case 'index':
        walk(e.o)
        return walk(e.i)
      case 'slice':
        walk(e.o)
        return [e.from, e.to, e.step].forEach(walk)
      case 'list':
        return e.items.forEach(walk)
      case 'map':
        return e.entries.forEach(([k, v]) => (walk(k), walk(v)))
      case 'and':
      case 'or':
      case 'bin':
        walk(e.l)
        return walk(e.r)
      case 'not':
      case 'neg':
      case 'star':
        return walk(e.e)
      case 'cond': {
        const was = to
        to = soft
        ;[e.c, e.a, e.b].forEach(walk)
        to = was
        return
      }
      case 'call':
        walk(e.o)
        break
      case 'filter': {
        to.filters.add(e.name)
        walk(e.e)
        const named = e.name === 'map' ? text(e.args, 0) : undefined
        if (named && !e.kw.some(([k]) => k === 'attribute')) to.filters.add(named)
        const test = ['select', 'reject'].includes(e.name)
          ? text(e.args, 0)
          : ['selectattr', 'rejectattr'].includes(e.name)
            ? text(e.args, 1)
            : undefined
        if (test) to.tests.add(test)
        break
      }
      case 'test':
        to.tests.add(e.name)
        walk(e.e)
        break
      default:
        return
    }
    e.args.forEach(walk)
    e.kw.forEach(([, v]) => walk(v))
  }
  walk(e)
  return out
}

/**
 * Add the filters and tests a Jinja template's nodes call to `out`; those in an `{% if %}` (its branches and
 * `elif` conditions) or a conditional expression to `soft` instead: Jinja looks those names up only when they run,
 * while an unknown name anywhere else fails the whole template.
 */
export function jinjaCalls(nodes: Node[], out: Calls = noCalls(), soft: Calls = out): Calls {
  const expr = (e: Expr) => exprCalls(e, out, soft)
  const body = (ns: Node[]) => jinjaCalls(ns, out, soft)
  for (const n of nodes) {
    switch (n.k) {
      case 'out':
      case 'set':
      case 'include':
      case 'import':
      case 'extends':
        expr(n.e)
        break
      case 'setblock':
      case 'filterblock':
        expr(n.e)
        body(n.body)
        break
      case 'if':
        // the first condition runs whenever the statement does; the rest only as far as it gets
        n.branches.forEach((b, i) => {
          exprCalls(b.c, i === 0 ? out : soft, soft)
          jinjaCalls(b.body, soft)
        })
        if (n.else) jinjaCalls(n.else, soft)
        break
      case 'for':
        expr(n.iter)
        if (n.cond) expr(n.cond)
        body(n.body)
        if (n.else) body(n.else)
        break
      case 'with':
        for (const [, e] of n.assigns) expr(e)
        body(n.body)
        break
      case 'macro':
      case 'callblock':
        for (const [, d] of n.params) if (d) expr(d)
        if (n.k === 'callblock') expr(n.call)
        body(n.body)
        break
      case 'block':
        body(n.body)
        break
    }
  }
  return out
}
