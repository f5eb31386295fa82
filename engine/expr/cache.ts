/**
 * The parsed-expression cache shared by `parseExpr` and the template compiler (expressions are parsed once per
 * distinct source text; a run evaluates thousands).
 *
 * @example
 * ```ts
 * parseCached('x | default(1)') === parseCached('x | default(1)') // true
 * ```
 */
import type { Expr } from './ast.js'
import { parse, parseOutput } from './parser.js'

const CACHE_MAX = 10_000
const cache = new Map<string, Expr>()
const outputs = new Map<string, Expr>()

/** `parse(src)` through the cache `m` (emptied when full). */
function cached(m: Map<string, Expr>, src: string, parse: (src: string) => Expr): Expr {
  let e = m.get(src)
  if (!e) {
    e = parse(src)
    if (m.size >= CACHE_MAX) m.clear()
    m.set(src, e)
  }
  return e
}

/** Parse `src` (no `{{ }}` stripping), cached. Throws `ExprError`. */
export const parseCached = (src: string): Expr => cached(cache, src, parse)

/** Parse what a `{{ }}` holds (`a, b` a tuple, as Jinja's), cached. Throws `ExprError`. */
export const parseOutputCached = (src: string): Expr =>
  // no tuple is possible without a comma: the one cache serves
  src.includes(',') ? cached(outputs, src, parseOutput) : parseCached(src)
