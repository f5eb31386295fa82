/**
 * Parses lexed template pieces (lex.ts) into a tree of Jinja statements: `if`/`elif`/`else`, `for … in … [if …]`
 * with `else`, `set` (`a = …`, `a, b = …`, `ns.attr = …`, and the block form `{% set a %}…{% endset %}` with
 * optional filters), `with`, `macro` and `call`, `include`, `import` and `from … import`, `extends` and `block`,
 * and `{{ … }}` outputs.
 * Expressions are parsed by engine/expr/parser.ts.
 * Errors carry the 1-based offset in the template as their column.
 *
 * @example
 * ```ts
 * parseTemplate('{% for u in users if u.admin %}{{ u.name }}{% else %}none{% endfor %}', opts)
 * // [{ k: 'for', targets: ['u'], iter: …, cond: …, body: [out u.name], else: [text 'none'] }]
 * ```
 */
import type { Expr } from '../ast.js'
import { autoescapeBlock } from './autoescape.js'
import { ExprError, tokenize } from '../lexer.js'
import { Parser } from '../parser.js'
import { lexTemplate, type LexOptions, type Piece } from './lex.js'

/** What `{% set %}` assigns to: a name, or an attribute of a namespace. */
export type Target = { name: string } | { ns: string; attr: string }

export type Node =
  | { k: 'text'; text: string }
  | { k: 'out'; e: Expr; at: number }
  | { k: 'if'; branches: Array<{ c: Expr; body: Node[]; at: number }>; else?: Node[] }
  | {
      k: 'for'
      targets: string[]
      iter: Expr
      cond?: Expr
      body: Node[]
      else?: Node[]
      at: number
      recursive?: boolean
    }
  | { k: 'set'; targets: Target[]; e: Expr; at: number }
  /** `{% do expr %}` (jinja2.ext.do): the expression evaluated, its value dropped. */
  | { k: 'do'; e: Expr; at: number }
  /** `{% break %}` and `{% continue %}` (jinja2.ext.loopcontrols) in a `{% for %}`. */
  | { k: 'break' | 'continue'; at: number }
  /** `{% set name | filters %}…{% endset %}`: `e` applies the filters to the name `__block__`. */
  | { k: 'setblock'; target: Target; body: Node[]; e: Expr; at: number }
  /** `{% filter upper | trim %}…{% endfilter %}`: the body's text through `e` (filters on `__block__`). */
  | { k: 'filterblock'; body: Node[]; e: Expr; at: number }
  | { k: 'with'; assigns: Array<[string, Expr]>; body: Node[] }
  /** `{% macro name(a, b=1) %}…{% endmacro %}`. */
  | { k: 'macro'; name: string; params: Param[]; body: Node[]; at: number }
  /** `{% call(x) name(args) %}…{% endcall %}`: `call` is the macro call, the body is its `caller(x)`. */
  | { k: 'callblock'; params: Param[]; call: Extract<Expr, { k: 'call' }>; body: Node[]; at: number }
  /** `{% include 'x.j2' [ignore missing] %}` (a list of names: the first that exists). */
  | { k: 'include'; e: Expr; ignoreMissing: boolean; at: number }
  /** `{% import 'm.j2' as m %}` (`names` undefined) or `{% from 'm.j2' import a, b as c %}`. */
  | { k: 'import'; e: Expr; alias?: string; names?: Array<[string, string]>; at: number }
  /** `{% extends 'base.j2' %}`: this template fills the blocks of that one. */
  | { k: 'extends'; e: Expr; at: number }
  /** `{% block name [scoped] %}…{% endblock %}`: a part a child template may replace. */
  | { k: 'block'; name: string; scoped: boolean; body: Node[]; at: number }

/** A macro parameter and its default. */
export type Param = [string, Expr | undefined]

/** The name under which a block `set` sees its rendered body. */
export const BLOCK_VALUE = '__block__'

/** Parse a statement's source; columns in errors become offsets in the template. */
function stmtParser(src: string, at: number): Parser {
  try {
    return new Parser(tokenize(src).map((t) => ({ ...t, col: t.col + at })))
  } catch (e) {
    if (e instanceof ExprError) throw new ExprError(e.message, e.col + at)
    throw e
  }
}

class TemplateParser {
  private i = 0
  constructor(private readonly pieces: Piece[]) {}

  /** Nodes up to one of `ends` (a statement keyword, left unconsumed) or the end. */
  nodes(ends: string[]): { nodes: Node[]; end?: string; at: number } {
    const nodes: Node[] = []
    while (this.i < this.pieces.length) {
      const p = this.pieces[this.i]
      if (p.t === 'text') {
        nodes.push({ k: 'text', text: p.text })
        this.i++
        continue
      }
      if (p.t === 'out') {
        const ps = stmtParser(p.src, p.at)
        if (ps.isEnd()) throw new ExprError('empty expression in "{{ }}"', p.at + 1)
        nodes.push({ k: 'out', e: whole(ps, () => ps.parseTuple(false, true)), at: p.at })
        this.i++
        continue
      }
      const word = /^\s*(\w+)/.exec(p.src)?.[1] ?? ''
      if (ends.includes(word)) return { nodes, end: word, at: p.at }
      this.i++
      nodes.push(this.statement(word, p.src, p.at))
    }
    return { nodes, at: 0 }
  }

  private block(ends: string[], opening: string, at: number): { nodes: Node[]; end: string; at: number; src: string } {
    const r = this.nodes(ends)
    if (!r.end) throw new ExprError(`"{% ${opening} %}" is never closed (no "{% ${ends.at(-1)} %}")`, at + 1)
    const p = this.pieces[this.i++] as { src: string; at: number }
    return { nodes: r.nodes, end: r.end, at: r.at, src: p.src }
  }

  /** `{% block name [scoped] [required] %}…{% endblock [name] %}`. */
  private blockStatement(ps: Parser, at: number): Node {
    const name = ps.parseName('a block name').text
    let scoped = false
    while (ps.isWord('scoped') || ps.isWord('required')) scoped = ps.next().text === 'scoped' || scoped
    if (!ps.isEnd()) throw ps.error('expected the end of "{% block %}"')
    const b = this.block(['endblock'], 'block', at)
    const q = stmtParser(b.src, b.at)
    q.next()
    if (!q.isEnd() && q.parseName('a block name').text !== name)
      throw new ExprError(`"{% endblock %}" names another block than "${name}"`, b.at + 1)
    if (!q.isEnd()) throw q.error('expected the end of "{% endblock %}"')
    return { k: 'block', name, scoped, body: b.nodes, at }
  }

  private statement(word: string, src: string, at: number): Node {
    const ps = stmtParser(src, at)
    if (!word) throw new ExprError('expected a statement name after "{%"', at + 1)
    ps.next()
    switch (word) {
      case 'if': {
        const branches = [{ c: whole(ps, () => ps.parseExpr()), body: [] as Node[], at }]
        for (;;) {
          const b = this.block(['elif', 'else', 'endif'], 'if', at)
          branches[branches.length - 1].body = b.nodes
          if (b.end === 'elif') {
            const q = stmtParser(b.src, b.at)
            q.next()
            branches.push({ c: whole(q, () => q.parseExpr()), body: [], at: b.at })
          } else if (b.end === 'else') {
            const e = this.block(['endif'], 'if', at)
            return { k: 'if', branches, else: e.nodes }
          } else return { k: 'if', branches }
        }
      }
      case 'for': {
        const targets = names(ps)
        if (!ps.isWord('in')) throw ps.error('expected "in" in "{% for %}"')
        ps.next()
        const iter = ps.parseTuple(true)
        let cond: Expr | undefined
        if (ps.isWord('if')) {
          ps.next()
          cond = ps.parseExpr()
        }
        const recursive = ps.isWord('recursive')
        if (recursive) ps.next()
        if (!ps.isEnd()) throw ps.error('expected the end of "{% for %}"')
        const b = this.block(['else', 'endfor'], 'for', at)
        const els = b.end === 'else' ? this.block(['endfor'], 'for', at).nodes : undefined
        return { k: 'for', targets, iter, cond, body: b.nodes, else: els, at, recursive }
      }
      case 'do':
        return { k: 'do', e: whole(ps, () => ps.parseTuple()), at }
      case 'break':
      case 'continue':
        if (!ps.isEnd()) throw ps.error(`expected the end of "{% ${word} %}"`)
        return { k: word as 'break' | 'continue', at }
      case 'set': {
        const targets = setTargets(ps)
        if (ps.isOp('=')) {
          ps.next()
          return { k: 'set', targets, e: whole(ps, () => ps.parseTuple(false, true)), at }
        }
        if (targets.length !== 1) throw ps.error('a block "{% set %}" takes one name')
        if (!ps.isEnd() && !ps.isOp('|')) throw ps.error('expected "=" or "|" in "{% set %}"')
        const rest = ps.isEnd() ? '' : src.slice(ps.t.col - at - 1)
        const q = stmtParser(`${BLOCK_VALUE} ${rest}`, ps.t.col - BLOCK_VALUE.length - 2)
        const e = whole(q, () => q.parseExpr())
        const b = this.block(['endset'], 'set', at)
        return { k: 'setblock', target: targets[0], body: b.nodes, e, at }
      }
      case 'filter': {
        if (ps.isEnd()) throw ps.error('expected a filter after "{% filter"')
        const q = stmtParser(`${BLOCK_VALUE} | ${src.slice(ps.t.col - at - 1)}`, ps.t.col - BLOCK_VALUE.length - 4)
        const e = whole(q, () => q.parseExpr())
        return { k: 'filterblock', body: this.block(['endfilter'], 'filter', at).nodes, e, at }
      }
      case 'with': {
        const assigns: Array<[string, Expr]> = []
        while (!ps.isEnd()) {
          const name = ps.parseName('a name').text
          ps.expect('=')
          assigns.push([name, ps.parseExpr()])
          if (!ps.isOp(',')) break
          ps.next()
        }
        if (!ps.isEnd()) throw ps.error('expected the end of "{% with %}"')
        return { k: 'with', assigns, body: this.block(['endwith'], 'with', at).nodes }
      }
      case 'autoescape': {
        const value = whole(ps, () => ps.parseExpr())
        return autoescapeBlock(value, this.block(['endautoescape'], 'autoescape', at).nodes)
      }
      case 'macro': {
        const name = ps.parseName('a macro name').text
        ps.expect('(')
        const params = macroParams(ps)
        if (!ps.isEnd()) throw ps.error('expected the end of "{% macro %}"')
        return { k: 'macro', name, params, body: this.block(['endmacro'], 'macro', at).nodes, at }
      }
      case 'call': {
        let params: Param[] = []
        if (ps.isOp('(')) {
          ps.next()
          params = macroParams(ps)
        }
        const call = whole(ps, () => ps.parseExpr())
        if (call.k !== 'call') throw new ExprError('"{% call %}" needs a macro call, as "{% call m(x) %}"', at + 1)
        return { k: 'callblock', params, call, body: this.block(['endcall'], 'call', at).nodes, at }
      }
      case 'include': {
        const e = ps.parseExpr()
        let ignoreMissing = false
        if (ps.isWord('ignore')) {
          ps.next()
          if (!ps.isWord('missing')) throw ps.error('expected "ignore missing"')
          ps.next()
          ignoreMissing = true
        }
        contextEnd(ps, 'include')
        return { k: 'include', e, ignoreMissing, at }
      }
      case 'import': {
        const e = ps.parseExpr()
        if (!ps.isWord('as')) throw ps.error('expected "as" in "{% import %}"')
        ps.next()
        const alias = ps.parseName('a name').text
        contextEnd(ps, 'import')
        return { k: 'import', e, alias, at }
      }
      case 'extends': {
        const e = whole(ps, () => ps.parseExpr())
        return { k: 'extends', e, at }
      }
      case 'block':
        return this.blockStatement(ps, at)
      case 'from': {
        const e = ps.parseExpr()
        if (!ps.isWord('import')) throw ps.error('expected "import" in "{% from %}"')
        ps.next()
        const list: Array<[string, string]> = []
        do {
          if (list.length) ps.next()
          if (ps.isWord('with') || ps.isWord('without')) break
          const name = ps.parseName('a name').text
          let alias = name
          if (ps.isWord('as')) {
            ps.next()
            alias = ps.parseName('a name').text
          }
          list.push([name, alias])
        } while (ps.isOp(','))
        contextEnd(ps, 'from')
        return { k: 'import', e, names: list, at }
      }
    }
    throw new ExprError(
      `unknown statement "{% ${word} %}"${/^(end\w+|elif|else)$/.test(word) ? ' (no block is open here)' : ''}`,
      at + 1,
    )
  }
}

/** Run `f` and require the statement's tokens to be used up. */
function whole<T>(ps: Parser, f: () => T): T {
  const v = f()
  if (!ps.isEnd()) throw ps.error('expected an operator or the end of the statement')
  return v
}

/** A macro's parameters after its `(`, through the `)`: `a, b=1`. */
function macroParams(ps: Parser): Param[] {
  const out: Param[] = []
  while (!ps.isOp(')')) {
    const name = ps.parseName('a parameter name').text
    let dflt: Expr | undefined
    if (ps.isOp('=')) {
      ps.next()
      dflt = ps.parseExpr()
    }
    out.push([name, dflt])
    if (!ps.isOp(',')) break
    ps.next()
  }
  ps.expect(')')
  return out
}

/**
 * An optional `with context`/`without context` (tsplay's includes and imports always see the variables), then the end
 * of the `{% stmt %}` statement.
 */
function contextEnd(ps: Parser, stmt: string): void {
  if (ps.isWord('with') || ps.isWord('without')) {
    ps.next()
    if (!ps.isWord('context')) throw ps.error('expected "context"')
    ps.next()
  }
  if (!ps.isEnd()) throw ps.error(`expected the end of "{% ${stmt} %}"`)
}

/** `a`, `a, b`, `(a, b)` in a `for`. */
function names(ps: Parser): string[] {
  const paren = ps.isOp('(')
  if (paren) ps.next()
  const out = [ps.parseName('a loop variable name').text]
  while (ps.isOp(',')) {
    ps.next()
    if (ps.t.kind !== 'name') break
    out.push(ps.next().text)
  }
  if (paren) ps.expect(')')
  return out
}

function setTargets(ps: Parser): Target[] {
  const out: Target[] = []
  for (;;) {
    const name = ps.parseName('a variable name').text
    if (ps.isOp('.')) {
      ps.next()
      out.push({ ns: name, attr: ps.parseName('an attribute name').text })
    } else out.push({ name })
    if (!ps.isOp(',')) return out
    ps.next()
  }
}

/** Lex and parse a template. Throws `ExprError` whose column is the 1-based offset in `src`. */
export function parseTemplate(src: string, o: LexOptions): Node[] {
  return new TemplateParser(lexTemplate(src, o)).nodes([]).nodes
}
