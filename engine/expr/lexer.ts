/**
 * Tokenizer for tsplay's Jinja-like expression language (`when`, `{{ … }}`). Hand-written, no `eval`.
 *
 * @example
 * ```ts
 * tokenize("result.rc == 0 and 'x' in groups") // name, ., name, ==, num, and, str, in, name, eof
 * ```
 */

/** A syntax error in an expression; `col` is 1-based within the expression source. */
export class ExprError extends Error {
  readonly col: number
  constructor(message: string, col: number) {
    super(message)
    this.name = 'ExprError'
    this.col = col
  }
}

export type TokKind = 'num' | 'str' | 'name' | 'op' | 'eof'

export interface Token {
  kind: TokKind
  /** Name text, operator text, decoded string, or number source. */
  text: string
  /** Numeric value for `num`. */
  num?: number
  /** 1-based column of the token's first character. */
  col: number
}

const OPS = [
  '//',
  '==',
  '!=',
  '<=',
  '>=',
  '**',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  '.',
  ':',
  '|',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  '~',
  '=',
]
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', '\\': '\\', "'": "'", '"': '"' }

function isNameStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_'
}
function isDigit(c: string): boolean {
  return c >= '0' && c <= '9'
}

/** Split `src` into tokens; the last one is `eof`. Throws `ExprError` for a character it does not know. */
export function tokenize(src: string): Token[] {
  const out: Token[] = []
  let i = 0
  while (i < src.length) {
    const c = src[i]
    // any Unicode space, as Python's `\s` in Jinja's lexer (a no-break space typed in an editor included)
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || (c > '\x7f' && /\s/u.test(c))) {
      i++
      continue
    }
    const col = i + 1
    if (isDigit(c)) {
      let j = i
      while (j < src.length && (isDigit(src[j]) || src[j] === '_')) j++
      if (src[j] === '.' && isDigit(src[j + 1] ?? '')) {
        j++
        while (j < src.length && isDigit(src[j])) j++
      }
      if (
        (src[j] === 'e' || src[j] === 'E') &&
        (isDigit(src[j + 1] ?? '') || ((src[j + 1] === '-' || src[j + 1] === '+') && isDigit(src[j + 2] ?? '')))
      ) {
        j += 2
        while (j < src.length && isDigit(src[j])) j++
      }
      const text = src.slice(i, j)
      out.push({ kind: 'num', text, num: Number(text.replaceAll('_', '')), col })
      i = j
      continue
    }
    if (isNameStart(c)) {
      let j = i + 1
      while (j < src.length && (isNameStart(src[j]) || isDigit(src[j]))) j++
      out.push({ kind: 'name', text: src.slice(i, j), col })
      i = j
      continue
    }
    if (c === "'" || c === '"') {
      let j = i + 1
      let s = ''
      for (;;) {
        if (j >= src.length) throw new ExprError('unterminated string', col)
        const d = src[j]
        if (d === c) break
        if (d === '\\' && j + 1 < src.length) {
          const e = src[j + 1]
          s += ESCAPES[e] ?? `\\${e}`
          j += 2
          continue
        }
        s += d
        j++
      }
      out.push({ kind: 'str', text: s, col })
      i = j + 1
      continue
    }
    const op = OPS.find((o) => src.startsWith(o, i))
    if (!op) throw new ExprError(`unexpected character ${JSON.stringify(c)}`, col)
    out.push({ kind: 'op', text: op, col })
    i += op.length
  }
  out.push({ kind: 'eof', text: '', col: src.length + 1 })
  return out
}
