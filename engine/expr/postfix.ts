/**
 * Primary values and postfix parts of expressions: literals, names, global calls (`range(3)`, `lookup(…)`),
 * lists/maps/tuples, `.attr`, `[key]`, `[a:b:c]`, `.method(args, kw=v)`, `| filter(args)`, `is [not] test(args)`.
 * The operator levels above them are in engine/expr/parser.ts.
 *
 * @example
 * ```ts
 * parse("xs[1:] | map(attribute='name') | join(d=', ')") // filter(filter(slice(name xs)))
 * ```
 */
import type { Expr, Kw } from './ast.js'
import { Cursor } from './cursor.js'
import { GLOBALS } from './globals.js'
import { ExprError } from './lexer.js'

const LITERALS: Record<string, unknown> = {
  true: true,
  True: true,
  false: false,
  False: false,
  none: null,
  None: null,
  null: null,
}
export const COMPARE = new Set(['==', '!=', '<', '>', '<=', '>='])
export const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'is', 'if', 'else'])

/** Arguments of a call: positional, then keyword. */
interface Args {
  args: Expr[]
  kw: Kw
}

export abstract class PostfixParser extends Cursor {
  /** One whole expression (defined by the operator parser). */
  abstract parseExpr(noCond?: boolean): Expr

  protected parsePrimary(): Expr {
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
      if (KEYWORDS.has(t.text)) throw this.error('expected a value')
      this.next()
      if (Object.hasOwn(LITERALS, t.text)) return { k: 'lit', v: LITERALS[t.text] }
      // a global function, or a macro (found among the variables when called)
      if (this.isOp('(')) {
        this.next()
        return { k: 'call', o: { k: 'lit', v: GLOBALS }, method: t.text, ...this.parseArgs(), col: t.col }
      }
      return { k: 'name', name: t.text, col: t.col }
    }
    if (this.isOp('(')) {
      this.next()
      const items = this.parseSeq(')')
      return items.length === 1 && !items.trailingComma ? items[0] : { k: 'list', items, tuple: true }
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
  protected parseSeq(close: string): Expr[] & { trailingComma?: boolean } {
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

  /**
   * Call arguments after `(` up to `)` (consumed): positional first, then `name=value`; Jinja's `*xs` and `**m`
   * may follow either.
   */
  protected parseArgs(): Args {
    const args: Expr[] = []
    const kw: Kw = []
    while (!this.isOp(')')) {
      const n = this.peek
      if (this.isOp('*') || this.isOp('**')) {
        const col = this.t.col
        const double = this.next().text === '**'
        const e = this.parseExpr()
        if (double) kw.push(['**', e])
        else args.push({ k: 'star', e, col })
      } else if (this.t.kind === 'name' && n.kind === 'op' && n.text === '=') {
        const name = this.next().text
        this.next()
        if (kw.some(([k]) => k === name)) throw new ExprError(`keyword argument "${name}" given twice`, n.col)
        kw.push([name, this.parseExpr()])
      } else {
        if (kw.length) throw this.error('a positional argument cannot follow keyword arguments')
        args.push(this.parseExpr())
      }
      if (!this.isOp(',')) break
      this.next()
    }
    this.expect(')')
    return { args, kw }
  }

  /** `.attr`, `.0`, `.method(args)`, `[key]`, `[a:b:c]`. */
  protected parseAccessors(e: Expr): Expr {
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
          e = { k: 'call', o: e, method: key, ...this.parseArgs(), col }
        } else e = { k: 'attr', o: e, key, col }
      } else if (this.isOp('[')) {
        this.next()
        e = this.parseSubscript(e, col)
      } else return e
    }
  }

  /** After `[`: an index or a slice `[from:to:step]`, up to `]` (consumed). */
  protected parseSubscript(o: Expr, col: number): Expr {
    const part = (): Expr | undefined => (this.isOp(':') || this.isOp(']') ? undefined : this.parseExpr())
    const from = part()
    if (!this.isOp(':')) {
      if (!from) throw this.error('expected a value')
      this.expect(']')
      return { k: 'index', o, i: from, col }
    }
    this.next()
    const to = part()
    let step: Expr | undefined
    if (this.isOp(':')) {
      this.next()
      step = part()
    }
    this.expect(']')
    return { k: 'slice', o, from, to, step, col }
  }

  /** `| filter(args)` and `is [not] test(args)` / `is test arg`, left to right. */
  protected parseFilters(e: Expr): Expr {
    for (;;) {
      const col = this.t.col
      if (this.isOp('|')) {
        this.next()
        const name = this.dotted(this.parseName('a filter name after "|"').text)
        const { args, kw } = this.isOp('(') ? (this.next(), this.parseArgs()) : { args: [], kw: [] }
        e = { k: 'filter', name, e, args, kw, col }
      } else if (this.isWord('is')) {
        this.next()
        let neg = false
        if (this.isWord('not')) {
          this.next()
          neg = true
        }
        const t = this.t
        let name: string
        if (t.kind === 'name') name = this.dotted(this.next().text)
        else if (t.kind === 'op' && COMPARE.has(t.text))
          name = this.next().text // `x is == 1`, `x is < 3`
        else throw this.error('expected a test name after "is"')
        let a: Args = { args: [], kw: [] }
        if (this.isOp('(')) {
          this.next()
          a = this.parseArgs()
        } else if (this.startsArgument()) a = { args: [this.parseAccessors(this.parsePrimary())], kw: [] }
        e = { k: 'test', name, e, args: a.args, kw: a.kw, neg, col }
      } else return e
    }
  }

  /**
   * A filter or test name written with its collection: ansible-core's own (`ansible.builtin.to_json`) by the last
   * part, another collection's whole (`ansible.utils.ipaddr`).
   */
  protected dotted(name: string): string {
    const parts = [name]
    while (this.isOp('.') && this.peek.kind === 'name') {
      this.next()
      parts.push(this.next().text)
    }
    const builtin = parts.length > 2 && parts[0] === 'ansible' && (parts[1] === 'builtin' || parts[1] === 'legacy')
    return parts.length === 1 || builtin ? parts.at(-1)! : parts.join('.')
  }

  /** Jinja's `x is divisibleby 3`: a test's single argument without parentheses. */
  protected startsArgument(): boolean {
    const t = this.t
    if (t.kind === 'str' || t.kind === 'num') return true
    if (t.kind === 'name') return !KEYWORDS.has(t.text) && t.text !== 'recursive'
    return t.kind === 'op' && (t.text === '[' || t.text === '{')
  }
}
