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
import type { JinjaDelimiters } from '../../types.js'
import { ExprError } from '../lexer.js'
import { findClose } from '../scan.js'

/** Jinja's delimiters (the `template` module's `variable_start_string`, …): Jinja's own when unset. */
export type Delimiters = JinjaDelimiters

export const JINJA_DELIMITERS: Delimiters = {
  variableStart: '{{',
  variableEnd: '}}',
  blockStart: '{%',
  blockEnd: '%}',
  commentStart: '{#',
  commentEnd: '#}',
}

/** Ansible's names of the delimiters (template module arguments, `#jinja2:` overrides) → `Delimiters` keys. */
export const DELIMITER_NAMES = {
  variable_start_string: 'variableStart',
  variable_end_string: 'variableEnd',
  block_start_string: 'blockStart',
  block_end_string: 'blockEnd',
  comment_start_string: 'commentStart',
  comment_end_string: 'commentEnd',
} as const satisfies Record<string, keyof Delimiters>

export interface LexOptions {
  trimBlocks: boolean
  lstripBlocks: boolean
  delimiters?: Delimiters
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

export type Piece =
  | { t: 'text'; text: string }
  /** `src`: the text between the delimiters; `at`: its 0-based offset in the source. */
  | { t: 'out' | 'stmt'; src: string; at: number }

/** Lex `src` (newlines already `\n`). Throws `ExprError` with a 1-based column (offset + 1) for unclosed tags. */
export function lexTemplate(src: string, o: LexOptions): Piece[] {
  const d = o.delimiters ?? JINJA_DELIMITERS
  const [bs, be] = [escape(d.blockStart), escape(d.blockEnd)]
  const RAW = new RegExp(`^${bs}([-+]?)\\s*raw\\s*([-+]?)${be}`)
  const ENDRAW = new RegExp(`${bs}([-+]?)\\s*endraw\\s*([-+]?)${be}`, 'g')
  const OPEN = new RegExp([d.variableStart, d.blockStart, d.commentStart].map(escape).join('|'))
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
    const m = OPEN.exec(s.slice(i))
    if (!m) {
      pushText(s.slice(i), false, false)
      break
    }
    const open = i + m.index
    // the longest start that matches here wins (Jinja's lexer orders them by length)
    const kind = [
      ['{', d.variableStart],
      ['%', d.blockStart],
      ['#', d.commentStart],
    ]
      .filter(([, st]) => s.startsWith(st, open))
      .sort((a, b) => b[1].length - a[1].length)[0][0]
    const startLen = (kind === '{' ? d.variableStart : kind === '%' ? d.blockStart : d.commentStart).length
    const mod = s[open + startLen] === '-' || s[open + startLen] === '+' ? s[open + startLen] : ''
    const lstrip =
      o.lstripBlocks && kind !== '{' && mod !== '+' && /^[ \t]*$/.test(s.slice(s.lastIndexOf('\n', open - 1) + 1, open))
    pushText(s.slice(i, open), mod === '-', lstrip)
    const bodyStart = open + startLen + mod.length
    if (kind === '#') {
      const end = s.indexOf(d.commentEnd, bodyStart)
      if (end < 0) throw new ExprError(`unclosed comment "${d.commentStart}"`, open + 1)
      after = s[end - 1] === '-' ? 'all' : o.trimBlocks && s[end - 1] !== '+' ? 'newline' : ''
      i = end + d.commentEnd.length
      continue
    }
    const raw = kind === '%' ? RAW.exec(s.slice(open)) : null
    if (raw) {
      ENDRAW.lastIndex = open + raw[0].length
      const e = ENDRAW.exec(s)
      if (!e) throw new ExprError(`unclosed "${d.blockStart} raw ${d.blockEnd}" (no endraw)`, open + 1)
      let body = s.slice(open + raw[0].length, e.index)
      if (raw[2] === '-') body = body.replace(/^\s+/, '')
      if (e[1] === '-') body = body.replace(/\s+$/, '')
      text += body
      after = e[2] === '-' ? 'all' : o.trimBlocks && e[2] !== '+' ? 'newline' : ''
      i = e.index + e[0].length
      continue
    }
    const close = kind === '{' ? d.variableEnd : d.blockEnd
    const end = findClose(s, bodyStart, [close])
    if (end < 0) throw new ExprError(`unclosed "${kind === '{' ? d.variableStart : d.blockStart}"`, open + 1)
    const tail = s[end - 1] === '-' || s[end - 1] === '+' ? s[end - 1] : ''
    flush()
    out.push({ t: kind === '{' ? 'out' : 'stmt', src: s.slice(bodyStart, end - tail.length), at: bodyStart })
    after = tail === '-' ? 'all' : kind === '%' && o.trimBlocks && tail !== '+' ? 'newline' : ''
    i = end + close.length
  }
  flush()
  return out
}
