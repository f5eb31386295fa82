/**
 * A cursor over expression tokens with the small helpers both parsers use (engine/expr/parser.ts for expressions,
 * engine/expr/jinja/parse.ts for template statements).
 *
 * @example
 * ```ts
 * const c = new Cursor(tokenize('x = 1')); c.parseName('a name'); c.expect('=')
 * ```
 */
import { ExprError, type Token } from './lexer.js'

/** Deepest nesting accepted (parentheses, lists, `not`, unary minus), so hostile input cannot overflow the stack. */
const MAX_DEPTH = 100

export class Cursor {
  protected i = 0
  private depth = 0
  constructor(protected readonly toks: Token[]) {}

  /** Run `f` one nesting level deeper. */
  protected nested<T>(f: () => T): T {
    if (++this.depth > MAX_DEPTH) throw new ExprError(`expression nested too deeply (limit ${MAX_DEPTH})`, this.t.col)
    try {
      return f()
    } finally {
      this.depth--
    }
  }

  get t(): Token {
    return this.toks[this.i]
  }
  /** The token after the current one. */
  get peek(): Token {
    return this.toks[Math.min(this.i + 1, this.toks.length - 1)]
  }
  isOp(text: string): boolean {
    return this.t.kind === 'op' && this.t.text === text
  }
  isEnd(): boolean {
    return this.t.kind === 'eof'
  }
  isWord(text: string): boolean {
    return this.t.kind === 'name' && this.t.text === text
  }
  next(): Token {
    return this.toks[this.i++]
  }
  expect(text: string): Token {
    if (!this.isOp(text)) throw this.error(`expected "${text}"`)
    return this.next()
  }
  error(what: string): ExprError {
    const t = this.t
    const found =
      t.kind === 'eof' ? 'end of expression' : t.kind === 'str' ? `string ${JSON.stringify(t.text)}` : `"${t.text}"`
    return new ExprError(`${what}, found ${found}`, t.col)
  }
  /** A name token (keywords included). */
  parseName(what: string): Token {
    if (this.t.kind !== 'name') throw this.error(`expected ${what}`)
    return this.next()
  }
}
