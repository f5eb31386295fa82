/**
 * Splits template text into literal text and `{{ … }}` mustaches, and classifies each mustache: a tsplay
 * (Jinja-like) expression, a handlebars block/comment/partial, or a handlebars-only mustache (`{{@index}}`,
 * `{{helper a b}}`). Closing braces inside quoted strings do not end a mustache.
 *
 * @example
 * ```ts
 * scan("a {{ x | upper }} {{#if y}}b{{/if}}") // text, expr, text, block, text, block
 * ```
 */
import { ExprError } from './lexer.js'
import { parseOutputCached } from './cache.js'
import type { Expr } from './ast.js'

export type Segment =
  | { t: 'text'; text: string }
  /** A tsplay expression. `raw`: written `{{{ }}}` (never shell-quoted). */
  | { t: 'expr'; expr: Expr; src: string; raw: boolean; tl: boolean; tr: boolean; col: number }
  /** `{{#…}}`, `{{/…}}`, `{{else}}`, `{{^…}}`, `{{>…}}`, `{{!…}}`: passed to handlebars as written. */
  | { t: 'block'; src: string; inner: string }
  /** A mustache only handlebars understands; `err` is why it is not a tsplay expression. */
  | { t: 'native'; inner: string; raw: boolean; tl: boolean; tr: boolean; err: ExprError; col: number }

const JINJA_STATEMENT = /\{%-?\s*(if|for|set|endif|endfor|else|elif|raw|endraw|macro|include|block|with)\b/

/**
 * Find the end of a tag body starting at `i` (a mustache's `}}`, a Jinja statement's `%}`): the index of one of
 * `closers` outside quotes and outside brackets (`{{ {'a': {'b': 1}} }}` ends at the last `}}`, as in Jinja), or -1.
 *
 * @example findClose("{{ {'a': 1} }}", 2, ['}}']) // 12
 */
export function findClose(s: string, i: number, closers: string[]): number {
  let quote = ''
  let depth = 0
  // the closers' first characters: most characters are none of them, and need no closer compared
  let heads = ''
  for (const c of closers) heads += c[0]
  for (let j = i; j < s.length; j++) {
    const c = s[j]
    if (quote) {
      if (c === '\\') j++
      else if (c === quote) quote = ''
    } else if (c === "'" || c === '"') quote = c
    else if (depth === 0 && heads.includes(c) && closers.some((c) => s.startsWith(c, j))) return j
    else if (c === '{' || c === '[' || c === '(') depth++
    else if ((c === '}' || c === ']' || c === ')') && depth > 0) depth--
  }
  return -1
}

/**
 * Is the `{` at `at` (right after `{{`) the start of a Jinja expression (`{{{}|length}}`, `{{{'a': 1}}}`, as
 * Jinja reads them) rather than handlebars' triple mustache? Yes when the triple reading finds no close or no
 * expression, and the Jinja reading (`{{` then an expression starting with `{`) gives one.
 */
function jinjaBrace(s: string, at: number): boolean {
  const parses = (from: number, closers: string[]) => {
    const close = findClose(s, from, closers)
    if (close < 0) return false
    try {
      parseOutputCached(s.slice(from, close))
      return true
    } catch (e) {
      if (e instanceof ExprError) return false
      throw e
    }
  }
  return !parses(at + 1, ['}}}', '}~}}']) && parses(at, ['}}'])
}

/** Split and classify. Throws `ExprError` (column in `s`) for an unclosed mustache or a Jinja statement. */
export function scan(s: string): Segment[] {
  const jinja = JINJA_STATEMENT.exec(s)
  if (jinja) {
    throw new ExprError(
      `Jinja statements ("{% ${jinja[1]} %}") are not supported in a handlebars (.hbs) template: rename it ` +
        `to .j2 for Jinja, or use handlebars blocks such as {{#if x}}…{{/if}} and {{#each xs}}…{{/each}}`,
      jinja.index + 1,
    )
  }
  const out: Segment[] = []
  let i = 0
  while (i < s.length) {
    const open = s.indexOf('{{', i)
    if (open < 0) {
      out.push({ t: 'text', text: s.slice(i) })
      break
    }
    if (open > i) out.push({ t: 'text', text: s.slice(i, open) })
    const col = open + 1
    if (open > 0 && s[open - 1] === '\\') {
      // `\{{x}}`: handlebars prints `{{x}}` literally; pass it through untouched
      const close = s.indexOf('}}', open + 2)
      const stop = close < 0 ? s.length : close + 2
      out.push({ t: 'block', src: s.slice(open, stop), inner: '\\' })
      i = stop
      continue
    }
    if (s.startsWith('{{!--', open) || s.startsWith('{{~!--', open)) {
      const end = s.indexOf('--', open + 5)
      const close = end < 0 ? -1 : s.indexOf('}}', end)
      if (close < 0) throw new ExprError('unclosed comment "{{!--"', col)
      out.push({ t: 'block', src: s.slice(open, close + 2), inner: '!' })
      i = close + 2
      continue
    }
    const tl = s[open + 2] === '~'
    const triple = s[open + 2 + (tl ? 1 : 0)] === '{' && !jinjaBrace(s, open + 2 + (tl ? 1 : 0))
    const bodyStart = open + 2 + (tl ? 1 : 0) + (triple ? 1 : 0)
    const close = findClose(s, bodyStart, triple ? ['}}}', '}~}}'] : ['}}'])
    if (close < 0) throw new ExprError(`unclosed "${triple ? '{{{' : '{{'}"`, col)
    let tr: boolean
    let bodyEnd = close
    let end: number
    if (triple) {
      tr = s.startsWith('}~}}', close)
      end = close + (tr ? 4 : 3)
    } else {
      tr = close > bodyStart && s[close - 1] === '~'
      if (tr) bodyEnd--
      end = close + 2
    }
    let inner = s.slice(bodyStart, bodyEnd)
    const head = inner.trimStart()
    const src = s.slice(open, end)
    i = end
    if (!triple && (/^[#/^>!]/.test(head) || /^else(\s|$)/.test(head))) {
      out.push({ t: 'block', src, inner })
      continue
    }
    let raw = triple
    let offset = bodyStart
    if (!triple && head.startsWith('&')) {
      // `{{& x}}` is handlebars' other spelling of `{{{ x }}}`
      offset += inner.length - head.length + 1
      inner = head.slice(1)
      raw = true
    }
    try {
      out.push({ t: 'expr', expr: parseOutputCached(inner), src, raw, tl, tr, col })
    } catch (e) {
      if (!(e instanceof ExprError)) throw e
      out.push({ t: 'native', inner, raw, tl, tr, err: new ExprError(e.message, e.col + offset), col })
    }
  }
  return out
}

/** True when the segments need handlebars (blocks, handlebars-only mustaches, `\{{` escapes or `~`). */
export function needsHandlebars(segs: Segment[], s: string): boolean {
  return (
    s.includes('\\{{') || segs.some((g) => g.t === 'block' || g.t === 'native' || (g.t === 'expr' && (g.tl || g.tr)))
  )
}
