/**
 * Splits Jinja template text into text, `{{ … }}` outputs and `{% … %}` statements, applying what Jinja's lexer
 * does to whitespace: `{{-`/`{%-`/`{#-` strip the whitespace before the tag and `-}}`/`-%}`/`-#}` the whitespace
 * after it; `trim_blocks` drops the first newline after a statement or comment (Ansible's default: on);
 * `lstrip_blocks` strips spaces and tabs before a statement alone on its line (`{%+` opts out); `{# … #}` is a
 * comment; `{% raw %}…{% endraw %}` is text. A single trailing newline of the source is dropped, as
 * `keep_trailing_newline=False` does (Ansible adds trailing newlines back, see run.ts).
 *
 * @example
 * ```ts
 * lexTemplate('{% if x %}\nyes\n{% endif %}\n', { trimBlocks: true, lstripBlocks: false })
 * // stmt "if x", text "yes\n", stmt "endif"
 * ```
 */
import { ExprError } from '../lexer.js'
import { findClose } from '../scan.js'

export interface LexOptions {
  trimBlocks: boolean
  lstripBlocks: boolean
}

export type Piece =
  | { t: 'text'; text: string }
  /** `src`: the text between the delimiters; `at`: its 0-based offset in the source. */
  | { t: 'out' | 'stmt'; src: string; at: number }

const RAW = /^\{%([-+]?)\s*raw\s*([-+]?)%\}/
const ENDRAW = /\{%([-+]?)\s*endraw\s*([-+]?)%\}/g

/** Lex `src` (newlines already `\n`). Throws `ExprError` with a 1-based column (offset + 1) for unclosed tags. */
export function lexTemplate(src: string, o: LexOptions): Piece[] {
  const s = src.endsWith('\n') ? src.slice(0, -1) : src
  const out: Piece[] = []
  let text = ''
  let i = 0
  /** Whitespace after the previous tag to strip (`-}}`), or its first newline (trim_blocks). */
  let after: '' | 'all' | 'newline' = ''
  const pushText = (t: string, stripRight: boolean, lstrip: boolean): void => {
    if (after === 'all') t = t.replace(/^\s+/, '')
    else if (after === 'newline' && t.startsWith('\n')) t = t.slice(1)
    after = ''
    if (stripRight) t = t.replace(/\s+$/, '')
    else if (lstrip) t = t.replace(/(^|\n)[ \t]+$/, '$1')
    text += t
  }
  const flush = (): void => {
    if (text) out.push({ t: 'text', text })
    text = ''
  }
  while (i <= s.length) {
    const m = /\{[{%#]/.exec(s.slice(i))
    if (!m) {
      pushText(s.slice(i), false, false)
      break
    }
    const open = i + m.index
    const kind = s[open + 1]
    const mod = s[open + 2] === '-' || s[open + 2] === '+' ? s[open + 2] : ''
    const lstrip =
      o.lstripBlocks && kind !== '{' && mod !== '+' && /^[ \t]*$/.test(s.slice(s.lastIndexOf('\n', open - 1) + 1, open))
    pushText(s.slice(i, open), mod === '-', lstrip)
    const bodyStart = open + 2 + mod.length
    if (kind === '#') {
      const end = s.indexOf('#}', bodyStart)
      if (end < 0) throw new ExprError('unclosed comment "{#"', open + 1)
      after = s[end - 1] === '-' ? 'all' : o.trimBlocks && s[end - 1] !== '+' ? 'newline' : ''
      i = end + 2
      continue
    }
    const raw = kind === '%' ? RAW.exec(s.slice(open)) : null
    if (raw) {
      ENDRAW.lastIndex = open + raw[0].length
      const e = ENDRAW.exec(s)
      if (!e) throw new ExprError('unclosed "{% raw %}" (no "{% endraw %}")', open + 1)
      let body = s.slice(open + raw[0].length, e.index)
      if (raw[2] === '-') body = body.replace(/^\s+/, '')
      if (e[1] === '-') body = body.replace(/\s+$/, '')
      text += body
      after = e[2] === '-' ? 'all' : o.trimBlocks && e[2] !== '+' ? 'newline' : ''
      i = e.index + e[0].length
      continue
    }
    const close = kind === '{' ? '}}' : '%}'
    const end = findClose(s, bodyStart, [close])
    if (end < 0) throw new ExprError(`unclosed "${kind === '{' ? '{{' : '{%'}"`, open + 1)
    const tail = s[end - 1] === '-' || s[end - 1] === '+' ? s[end - 1] : ''
    flush()
    out.push({ t: kind === '{' ? 'out' : 'stmt', src: s.slice(bodyStart, end - tail.length), at: bodyStart })
    after = tail === '-' ? 'all' : kind === '%' && o.trimBlocks && tail !== '+' ? 'newline' : ''
    i = end + 2
  }
  flush()
  return out
}
