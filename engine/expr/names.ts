/**
 * The root variable names an expression reads, for static checks (`tsplay validate`): in order, leaving out
 * names only tested with `is defined`/`is undefined` or given a `default`.
 *
 * @example
 * ```ts
 * exprNames(parse("a.b | default(c) ~ d is defined")) // ['c']
 * ```
 */
import type { Expr } from './ast.js'

/** Add the root names `e` reads to `out`. */
export function exprNames(e: Expr, out: Set<string> = new Set()): Set<string> {
  const walk = (e: Expr): void => {
    switch (e.k) {
      case 'name':
        out.add(e.name)
        break
      case 'attr':
        walk(e.o)
        break
      case 'index':
        walk(e.o)
        walk(e.i)
        break
      case 'slice':
        walk(e.o)
        ;[e.from, e.to, e.step].forEach((x) => x && walk(x))
        break
      case 'list':
        e.items.forEach(walk)
        break
      case 'map':
        e.entries.forEach(([k, v]) => {
          walk(k)
          walk(v)
        })
        break
      case 'and':
      case 'or':
        walk(e.l)
        walk(e.r)
        break
      case 'not':
      case 'neg':
      case 'star':
        walk(e.e)
        break
      case 'bin':
        walk(e.l)
        walk(e.r)
        break
      case 'cond':
        walk(e.a)
        walk(e.c)
        if (e.b) walk(e.b)
        break
      case 'call':
        walk(e.o)
        e.args.forEach(walk)
        e.kw.forEach(([, v]) => walk(v))
        break
      case 'filter':
        if (e.name !== 'default' && e.name !== 'd') walk(e.e)
        e.args.forEach(walk)
        e.kw.forEach(([, v]) => walk(v))
        break
      case 'test':
        if (e.name !== 'defined' && e.name !== 'undefined') walk(e.e)
        e.args.forEach(walk)
        e.kw.forEach(([, v]) => walk(v))
        break
    }
  }
  walk(e)
  return out
}
