/**
 * The root variable names an expression reads, for static checks (`tsplay validate`): in order, leaving out
 * names only tested with `is defined`/`is undefined` or given a `default`, and names read only where a test has
 * shown them defined (`x is defined and x | bool`, `x is undefined or x > 1`, `x if x is defined else 0`: Jinja
 * evaluates the other side only then).
 *
 * @example
 * ```ts
 * exprNames(parse("a.b | default(c) ~ d is defined")) // ['c']
 * exprNames(parse("debug is defined and (debug | bool)")) // []
 * ```
 */
import type { Expr } from './ast.js'

/** The root name of `x`, `x.y`, `x['y']` (none for anything else). */
function rootName(e: Expr): string[] {
  if (e.k === 'name') return [e.name]
  return e.k === 'attr' || e.k === 'index' ? rootName(e.o) : []
}

const isDefinedTest = (e: Expr, truth: boolean): e is Extract<Expr, { k: 'test' }> =>
  e.k === 'test' && ((e.name === 'defined' && e.neg !== truth) || (e.name === 'undefined' && e.neg === truth))

/** The root names `e` shows defined when it is true (`x is defined`, `y is not undefined`, and-chains of them). */
export function definedWhenTrue(e: Expr): string[] {
  if (e.k === 'and') return [...definedWhenTrue(e.l), ...definedWhenTrue(e.r)]
  if (e.k === 'not') return definedWhenFalse(e.e)
  return isDefinedTest(e, true) ? rootName(e.e) : []
}

/** The root names `e` shows defined when it is false (`x is undefined`, `y is not defined`, or-chains of them). */
export function definedWhenFalse(e: Expr): string[] {
  if (e.k === 'or') return [...definedWhenFalse(e.l), ...definedWhenFalse(e.r)]
  if (e.k === 'not') return definedWhenTrue(e.e)
  return isDefinedTest(e, false) ? rootName(e.e) : []
}

/** Add the root names `e` reads to `out`; those in `guarded` are known defined where `e` is evaluated. */
export function exprNames(
  e: Expr,
  out: Set<string> = new Set(),
  guarded: ReadonlySet<string> = new Set(),
): Set<string> {
  const within = (g: ReadonlySet<string>, more: string[], x: Expr) =>
    more.length ? exprNames(x, out, new Set([...g, ...more])) : exprNames(x, out, g)
  const walk = (e: Expr): void => {
    switch (e.k) {
      case 'name':
        if (!guarded.has(e.name)) out.add(e.name)
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
        walk(e.l)
        within(guarded, definedWhenTrue(e.l), e.r)
        break
      case 'or':
        walk(e.l)
        within(guarded, definedWhenFalse(e.l), e.r)
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
        within(guarded, definedWhenTrue(e.c), e.a)
        walk(e.c)
        if (e.b) within(guarded, definedWhenFalse(e.c), e.b)
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
