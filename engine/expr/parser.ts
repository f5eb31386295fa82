/**
 * Recursive-descent parser for tsplay's Jinja-like expressions, following Jinja's precedence:
 * `a if c else b` < `or` < `and` < `not` < comparisons/`in`/`not in` < `+ -` < `~` < `* / // %` < unary `-`
 * < postfix (`.attr`, `[key]`, `(args)`, `| filter(args)`, `is [not] test(args)`).
 *
 * @example
 * ```ts
 * parse("result.rc != 0 and 'web' in group_names") // { k: 'and', l: { k: 'bin', op: '!=', … }, r: … }
 * ```
 */
import { LOOKUPS } from './filters.js'
import type { Expr } from './ast.js'
import { ExprError, tokenize, type Token } from './lexer.js'

const LITERALS: Record<string, unknown> = { true: true, True: true, false: false, False: false, none: null, None: null, null: null }
const COMPARE = new Set(['==', '!=', '<', '>', '<=', '>='])

/** Parse an expression; throws `ExprError` with a column. */
export function parse(src: string): Expr {
  return new Parser(tokenize(src)).parseAll()
}

/** Deepest nesting accepted (parentheses, lists, `not`, unary minus), so hostile input cannot overflow the stack. */
const MAX_DEPTH = 100

class Parser {
  private i = 0
  private depth = 0
  constructor(private readonly toks: Token[]) {}

  /** Run `f` one nesting level deeper. */
  private nested<T>(f: () => T): T {
    if (++this.depth > MAX_DEPTH) throw new ExprError(`expression nested too deeply (limit ${MAX_DEPTH})`, this.t.col)
    try {
      return f()
    } finally {
      this.depth--
    }
  }

  private get t(): Token {
    return this.toks[this.i]
  }
  private isOp(text: string): boolean {
    return this.t.kind === 'op' && this.t.text === text
  }
  private isEnd(): boolean {
    return this.t.kind === 'eof'
  }
  private isWord(text: string): boolean {
    return this.t.kind === 'name' && this.t.text === text
  }
  private next(): Token {
    return this.toks[this.i++]
  }
  private expect(text: string): Token {
    if (!this.isOp(text)) throw this.error(`expected "${text}"`)
    return this.next()
  }
  private error(what: string): ExprError {
    const t = this.t
    const found = t.kind === 'eof' ? 'end of expression' : t.kind === 'str' ? `string ${JSON.stringify(t.text)}` : `"${t.text}"`
    return new ExprError(`${what}, found ${found}`, t.col)
  }

  parseAll(): Expr {
    if (this.t.kind === 'eof') throw new ExprError('empty expression', 1)
    const e = this.parseExpr()
    if (!this.isEnd()) throw this.error('expected an operator or the end of the expression')
    return e
  }

  private parseExpr(): Expr {
    return this.nested(() => this.parseTernary())
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

  private parseCompare(): Expr {
    let l = this.parseAdd()
    for (;;) {
      const col = this.t.col
      if (this.t.kind === 'op' && COMPARE.has(this.t.text)) {
        const op = this.next().text
        l = { k: 'bin', op, l, r: this.parseAdd(), col }
      } else if (this.isWord('in')) {
        this.next()
        l = { k: 'bin', op: 'in', l, r: this.parseAdd(), col }
      } else if (this.isWord('not') && this.toks[this.i + 1].kind === 'name' && this.toks[this.i + 1].text === 'in') {
        this.i += 2
        l = { k: 'not', e: { k: 'bin', op: 'in', l, r: this.parseAdd(), col } }
      } else return l
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

  private parsePrimary(): Expr {
    const t = this.t
    if (t.kind === 'num') {
      this.next()
      return { k: 'lit', v: t.num }
    }
    if (t.kind === 'str') {
      this.next()
      let v = t.text
      while (this.t.kind === 'str') v += this.next().text // Jinja: adjacent strings concatenate
      return { k: 'lit', v }
    }
    if (t.kind === 'name') {
      if (['and', 'or', 'not', 'in', 'is', 'if', 'else'].includes(t.text)) throw this.error('expected a value')
      this.next()
      if (Object.hasOwn(LITERALS, t.text)) return { k: 'lit', v: LITERALS[t.text] }
      if (t.text === 'lookup' && this.isOp('(')) {
        this.next()
        return { k: 'call', o: { k: 'lit', v: LOOKUPS }, method: 'lookup', args: this.parseSeq(')'), col: t.col }
      }
      return { k: 'name', name: t.text, col: t.col }
    }
    if (this.isOp('(')) {
      this.next()
      const items = this.parseSeq(')')
      return items.length === 1 && !items.trailingComma ? items[0] : { k: 'list', items }
    }
    if (this.isOp('[')) {
      this.next()
      return { k: 'list', items: this.parseSeq(']') }
    }
    if (this.isOp('{')) {
      this.next()
      const entries: Array<[Expr, Expr]> = []
      while (!this.isOp('}')) {
        const key = this.parseExpr()
        this.expect(':')
        entries.push([key, this.parseExpr()])
        if (!this.isOp(',')) break
        this.next()
      }
      this.expect('}')
      return { k: 'map', entries }
    }
    throw this.error('expected a value')
  }

  /** Comma-separated expressions up to `close` (consumed); a trailing comma is allowed. */
  private parseSeq(close: string): Expr[] & { trailingComma?: boolean } {
    const items: Expr[] & { trailingComma?: boolean } = []
    while (!this.isOp(close)) {
      items.push(this.parseExpr())
      if (!this.isOp(',')) break
      this.next()
      items.trailingComma = true
    }
    if (items.length && this.toks[this.i - 1].text !== ',') items.trailingComma = false
    this.expect(close)
    return items
  }

  private parseName(what: string): Token {
    if (this.t.kind !== 'name') throw this.error(`expected ${what}`)
    return this.next()
  }

  /** `.attr`, `.0`, `.method(args)`, `[key]`. */
  private parseAccessors(e: Expr): Expr {
    for (;;) {
      const col = this.t.col
      if (this.isOp('.')) {
        this.next()
        const t = this.t
        if (t.kind === 'num' && /^\d+$/.test(t.text)) {
          this.next()
          e = { k: 'attr', o: e, key: Number(t.text), col }
          continue
        }
        const key = this.parseName('an attribute name').text
        if (this.isOp('(')) {
          this.next()
          e = { k: 'call', o: e, method: key, args: this.parseSeq(')'), col }
        } else e = { k: 'attr', o: e, key, col }
      } else if (this.isOp('[')) {
        this.next()
        const i = this.parseExpr()
        this.expect(']')
        e = { k: 'index', o: e, i, col }
      } else return e
    }
  }

  /** `| filter(args)` and `is [not] test(args)`, left to right. */
  private parseFilters(e: Expr): Expr {
    for (;;) {
      const col = this.t.col
      if (this.isOp('|')) {
        this.next()
        const name = this.parseName('a filter name after "|"').text
        const args = this.isOp('(') ? (this.next(), this.parseSeq(')')) : []
        e = { k: 'filter', name, e, args, col }
      } else if (this.isWord('is')) {
        this.next()
        let neg = false
        if (this.isWord('not')) {
          this.next()
          neg = true
        }
        const t = this.t
        let name: string
        if (t.kind === 'name') name = this.next().text
        else throw this.error('expected a test name after "is"')
        const args = this.isOp('(') ? (this.next(), this.parseSeq(')')) : []
        e = { k: 'test', name, e, args, neg, col }
      } else return e
    }
  }
}
