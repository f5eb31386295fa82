/**
 * Recursive-descent parser for tsplay's Jinja-like expressions, following Jinja's precedence:
 * `a if c else b` < `or` < `and` < `not` < comparisons/`in`/`not in` < `+ -` < `~` < `* / // %` < unary `-`
 * < postfix (`.attr`, `[key]`, `[a:b]`, `(args, kw=v)`, `| filter(args)`, `is [not] test(args)`).
 * The template statement parser (engine/expr/jinja/parse.ts) drives the same `Parser` over a statement's tokens.
 *
 * @example
 * ```ts
 * parse("result.rc != 0 and 'web' in group_names") // { k: 'and', l: { k: 'bin', op: '!=', … }, r: … }
 * ```
 */
import type { Expr } from './ast.js'
import { ExprError, tokenize } from './lexer.js'
import { COMPARE, PostfixParser } from './postfix.js'

/** Parse an expression; throws `ExprError` with a column. */
export function parse(src: string): Expr {
  return new Parser(tokenize(src)).parseAll()
}

/** Parse what a `{{ }}` holds: as Jinja's, `a, b` there is a tuple (`{{ url, key }}` prints `('u', 'k')`). */
export function parseOutput(src: string): Expr {
  return new Parser(tokenize(src)).parseAll(true)
}

export class Parser extends PostfixParser {
  /** The whole token list as one expression (`tuple`: or a tuple of several, as a `{{ }}` takes them). */
  parseAll(tuple = false): Expr {
    if (this.t.kind === 'eof') throw new ExprError('empty expression', 1)
    const e = tuple ? this.parseTuple(false, true) : this.parseExpr()
    if (!this.isEnd()) throw this.error('expected an operator or the end of the expression')
    return e
  }

  /** One expression; `noCond`: stop before `if` (a `for` statement's iterable). */
  parseExpr(noCond = false): Expr {
    return this.nested(() => (noCond ? this.parseOr() : this.parseTernary()))
  }

  /**
   * `a, b` as a list when there is a comma, else the one expression (`for`/`set` right-hand sides); `tuple`: a
   * tuple, as a `{{ }}` makes one.
   */
  parseTuple(noCond = false, tuple = false): Expr {
    const first = this.parseExpr(noCond)
    if (!this.isOp(',')) return first
    const items = [first]
    while (this.isOp(',')) {
      this.next()
      if (this.isEnd() || this.isWord('if') || this.isWord('recursive')) break
      items.push(this.parseExpr(noCond))
    }
    return tuple ? { k: 'list', items, tuple: true } : { k: 'list', items }
  }

  private parseTernary(): Expr {
    const a = this.parseOr()
    if (!this.isWord('if')) return a
    this.next()
    const c = this.parseOr()
    if (!this.isWord('else')) return { k: 'cond', c, a }
    this.next()
    return { k: 'cond', c, a, b: this.parseExpr() }
  }

  private parseOr(): Expr {
    let l = this.parseAnd()
    while (this.isWord('or')) {
      this.next()
      l = { k: 'or', l, r: this.parseAnd() }
    }
    return l
  }

  private parseAnd(): Expr {
    let l = this.parseNot()
    while (this.isWord('and')) {
      this.next()
      l = { k: 'and', l, r: this.parseNot() }
    }
    return l
  }

  private parseNot(): Expr {
    if (this.isWord('not')) {
      this.next()
      return { k: 'not', e: this.nested(() => this.parseNot()) }
    }
    return this.parseCompare()
  }

  /** Comparisons; a chain (`1 < x < 3`) is each pair joined by `and`, as Jinja compiles it. */
  private parseCompare(): Expr {
    const first = this.parseAdd()
    let chain: Expr | undefined
    let prev = first
    for (;;) {
      const col = this.t.col
      let cmp: Expr
      let r: Expr
      if (this.t.kind === 'op' && COMPARE.has(this.t.text)) {
        const op = this.next().text
        r = this.parseAdd()
        cmp = { k: 'bin', op, l: prev, r, col }
      } else if (this.isWord('in')) {
        this.next()
        r = this.parseAdd()
        cmp = { k: 'bin', op: 'in', l: prev, r, col }
      } else if (this.isWord('not') && this.peek.kind === 'name' && this.peek.text === 'in') {
        this.i += 2
        r = this.parseAdd()
        cmp = { k: 'not', e: { k: 'bin', op: 'in', l: prev, r, col } }
      } else return chain ?? first
      chain = chain ? { k: 'and', l: chain, r: cmp } : cmp
      prev = r
    }
  }

  private parseBinary(ops: string[], sub: () => Expr): Expr {
    let l = sub()
    while (this.t.kind === 'op' && ops.includes(this.t.text)) {
      const { text: op, col } = this.next()
      l = { k: 'bin', op, l, r: sub(), col }
    }
    return l
  }
  private parseAdd = (): Expr => this.parseBinary(['+', '-'], this.parseConcat)
  private parseConcat = (): Expr => this.parseBinary(['~'], this.parseMul)
  private parseMul = (): Expr => this.parseBinary(['*', '/', '//', '%'], this.parsePow)
  private parsePow = (): Expr => this.parseBinary(['**'], this.parseUnary)

  /** Jinja: a unary minus binds tighter than filters (`-1 | abs` is 1), filters tighter than operators. */
  private parseUnary = (withFilters = true): Expr => {
    let e: Expr
    if (this.isOp('-')) {
      const col = this.next().col
      e = { k: 'neg', e: this.nested(() => this.parseUnary(false)), col }
    } else if (this.isOp('+')) {
      this.next()
      e = this.nested(() => this.parseUnary(false))
    } else e = this.parseAccessors(this.parsePrimary())
    return withFilters ? this.parseFilters(e) : e
  }
}
