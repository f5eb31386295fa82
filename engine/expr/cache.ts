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

/** Parse `src` (no `{{ }}` stripping), cached. Throws `ExprError`. */
export function parseCached(src: string): Expr {
  let e = cache.get(src)
  if (!e) {
    e = parse(src)
    if (cache.size >= CACHE_MAX) cache.clear()
    cache.set(src, e)
  }
  return e
}

const outputs = new Map<string, Expr>()

/** Parse what a `{{ }}` holds (`a, b` a tuple, as Jinja's), cached. Throws `ExprError`. */
export function parseOutputCached(src: string): Expr {
  if (!src.includes(',')) return parseCached(src) // no tuple possible: the one cache serves
  let e = outputs.get(src)
  if (!e) {
    e = parseOutput(src)
    if (outputs.size >= CACHE_MAX) outputs.clear()
    outputs.set(src, e)
  }
  return e
}
