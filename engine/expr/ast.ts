/**
 * The expression AST produced by engine/expr/parser.ts and walked by engine/expr/eval.ts.
 *
 * @example
 * ```ts
 * const e: Expr = { k: 'bin', op: '==', l: { k: 'name', name: 'rc', col: 1 }, r: { k: 'lit', v: 0 }, col: 4 } // rc ==
 * 0
 * ```
 */

/**
 * Keyword arguments of a call, in source order: `join(d=',')` → `[['d', lit ',']]`; a `**m` is `['**', m]` (the
 * entries of map `m`).
 */
export type Kw = Array<[string, Expr]>

/** A parsed expression. `col` is the 1-based column in the source, for messages. */
export type Expr =
  | { k: 'lit'; v: unknown }
  | { k: 'name'; name: string; col: number }
  | { k: 'attr'; o: Expr; key: string | number; col: number }
  | { k: 'index'; o: Expr; i: Expr; col: number }
  | { k: 'slice'; o: Expr; from?: Expr; to?: Expr; step?: Expr; col: number }
  /** `tuple`: written `(a, b)`; Python prints it so. */
  | { k: 'list'; items: Expr[]; tuple?: boolean }
  | { k: 'map'; entries: Array<[Expr, Expr]> }
  | { k: 'and' | 'or'; l: Expr; r: Expr }
  | { k: 'not'; e: Expr }
  | { k: 'neg'; e: Expr; col: number }
  | { k: 'bin'; op: string; l: Expr; r: Expr; col: number }
  | { k: 'filter'; name: string; e: Expr; args: Expr[]; kw: Kw; col: number }
  | { k: 'test'; name: string; e: Expr; args: Expr[]; kw: Kw; neg: boolean; col: number }
  | { k: 'call'; o: Expr; method: string; args: Expr[]; kw: Kw; col: number }
  | { k: 'cond'; c: Expr; a: Expr; b?: Expr }
  /** `*xs` among a call's arguments: the items of `xs` as positional arguments. */
  | { k: 'star'; e: Expr; col: number }

/**
 * Does `e` quote its value for the shell itself (`x | quote`)? The shell module then leaves its value as it is.
 *
 * @example
 * ```ts
 * quotesItself({ k: 'filter', name: 'quote', e: x, args: [], kw: [], col: 3 }) // true
 * ```
 */
export function quotesItself(e: Expr): boolean {
  return e.k === 'filter' && e.name === 'quote'
}
