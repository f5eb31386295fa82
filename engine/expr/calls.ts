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

/** Add the filters and tests `e` calls to `out`. */
export function exprCalls(e: Expr, out: Calls = noCalls()): Calls {
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
      case 'cond':
        ;[e.c, e.a, e.b].forEach(walk)
        return
      case 'call':
        walk(e.o)
        break
      case 'filter': {
        out.filters.add(e.name)
        walk(e.e)
        const named = e.name === 'map' ? text(e.args, 0) : undefined
        if (named && !e.kw.some(([k]) => k === 'attribute')) out.filters.add(named)
        const test = ['select', 'reject'].includes(e.name)
          ? text(e.args, 0)
          : ['selectattr', 'rejectattr'].includes(e.name)
            ? text(e.args, 1)
            : undefined
        if (test) out.tests.add(test)
        break
      }
      case 'test':
        out.tests.add(e.name)
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

/** Add the filters and tests a Jinja template's nodes call to `out`. */
export function jinjaCalls(nodes: Node[], out: Calls = noCalls()): Calls {
  for (const n of nodes) {
    switch (n.k) {
      case 'out':
      case 'set':
      case 'include':
      case 'import':
      case 'extends':
        exprCalls(n.e, out)
        break
      case 'setblock':
      case 'filterblock':
        exprCalls(n.e, out)
        jinjaCalls(n.body, out)
        break
      case 'if':
        for (const b of n.branches) {
          exprCalls(b.c, out)
          jinjaCalls(b.body, out)
        }
        if (n.else) jinjaCalls(n.else, out)
        break
      case 'for':
        exprCalls(n.iter, out)
        if (n.cond) exprCalls(n.cond, out)
        jinjaCalls(n.body, out)
        if (n.else) jinjaCalls(n.else, out)
        break
      case 'with':
        for (const [, e] of n.assigns) exprCalls(e, out)
        jinjaCalls(n.body, out)
        break
      case 'macro':
      case 'callblock':
        for (const [, d] of n.params) if (d) exprCalls(d, out)
        if (n.k === 'callblock') exprCalls(n.call, out)
        jinjaCalls(n.body, out)
        break
      case 'block':
        jinjaCalls(n.body, out)
        break
    }
  }
  return out
}
