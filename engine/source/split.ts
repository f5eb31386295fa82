/**
 * The one word splitter for what users write as a line of words. One scanner finds where words begin and end;
 * two rule sets, the two Ansible has, say what a quote or a backslash means:
 *
 * - `shell` — POSIX shell words, as Python's `shlex.split` reads them (the `command` module's argv, `validate`
 *   commands, INI inventory host lines). Blanks outside quotes separate words; `'…'` is literal; in `"…"` a
 *   backslash escapes only `"` and `\`; outside quotes a backslash escapes any character. Quotes are removed.
 *   Nothing else is special: no globs, no `$VAR`, no `$(…)`, no pipes or `;`.
 * - `ansible` — module arguments and `-e` values (Ansible's `split_args`): words are kept exactly as written
 *   (`key=value` parsing is in kv.ts), a Jinja block `{{ … }}`, `{% … %}` or `{# … #}` stays one word with its
 *   spaces, a quoted part stays one word, and a quote after a backslash neither opens nor closes one.
 *
 * Where this differs from Ansible, on purpose: tabs and carriage returns separate words like spaces do (Ansible
 * splits on spaces and newlines only), a `}}` inside a quoted string within a block does not close the block, and
 * a `#` inside a word (with `comments`) is kept (shlex drops the rest of the line there).
 *
 * @example
 * ```ts
 * splitArgs(`echo "a b" 'c d' e\\ f`)                  // ['echo', 'a b', 'c d', 'e f']
 * scanWords('msg={{ a ~ "x y" }} n=1', 'ansible').map((w) => w.raw) // ['msg={{ a ~ "x y" }}', 'n=1']
 * ```
 */
import { extend } from '../shape.js'

/** An unclosed quote or Jinja block, or a trailing backslash; `offset` (0-based) is where the problem starts. */
export class SplitError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message)
    this.name = 'SplitError'
  }
}

/** The two rule sets (see the file header). */
export type SplitStyle = 'shell' | 'ansible'

/** One word: its text as written and its 0-based `[start, end)` offsets in the scanned string. */
export interface Word {
  raw: string
  start: number
  end: number
}

/** A shell word: also its text with quotes and escapes removed, and whether any part of it was quoted. */
export interface ShellWord extends Word {
  text: string
  quoted: boolean
}

const BLANK = new Set([' ', '\t', '\n', '\r'])
const BLOCK_END: Record<string, string> = { '{': '}}', '%': '%}', '#': '#}' }
const QUOTE_NAME: Record<string, string> = { '"': 'double', "'": 'single' }

/** Where words are, under `style`. With `comments`, a `#` that starts a word ends the line. Throws `SplitError`. */
export function scanWords(s: string, style: SplitStyle, opts: { comments?: boolean } = {}): Word[] {
  const words: Word[] = []
  let i = 0
  while (i < s.length) {
    while (i < s.length && BLANK.has(s[i]!)) i++
    if (i >= s.length || (opts.comments && s[i] === '#')) break
    const start = i
    i = wordEnd(s, i, style)
    words.push({ raw: s.slice(start, i), start, end: i })
  }
  return words
}

/** The offset just past the word that starts at `i`. */
function wordEnd(s: string, i: number, style: SplitStyle): number {
  const blocks: Array<{ close: string; at: number }> = []
  while (i < s.length) {
    const c = s[i]!
    if (c === "'" || c === '"') {
      i = quoteEnd(s, i, style)
    } else if (c === '\\') {
      const next = s[i + 1]
      if (next === undefined) {
        if (style === 'shell') throw new SplitError('trailing backslash (nothing to escape)', i)
        i++
      } else if (style === 'ansible' && BLANK.has(next)) {
        i++ // Ansible: a backslash does not join words (a lone `\` is a line continuation, see kv.ts)
      } else i += 2
    } else if (style === 'ansible' && c === '{' && BLOCK_END[s[i + 1] ?? ''] !== undefined) {
      blocks.push({ close: BLOCK_END[s[i + 1]!]!, at: i })
      i += 2
    } else if (blocks.length > 0 && s.startsWith(blocks[blocks.length - 1]!.close, i)) {
      blocks.pop()
      i += 2
    } else if (blocks.length === 0 && BLANK.has(c)) {
      break
    } else i++
  }
  const open = blocks[0]
  if (open) throw new SplitError(`unclosed "${s.slice(open.at, open.at + 2)}"`, open.at)
  return i
}

/** The offset just past the quoted part opened at `i`. */
function quoteEnd(s: string, i: number, style: SplitStyle): number {
  const q = s[i]!
  const escapes = style === 'ansible' || q === '"'
  for (let j = i + 1; j < s.length; j++) {
    if (s[j] === q) return j + 1
    if (escapes && s[j] === '\\') j++
  }
  throw new SplitError(`unterminated ${QUOTE_NAME[q]} quote`, i)
}

/** Shell words with quotes and escapes removed (`shlex.split` in POSIX mode). Throws `SplitError`. */
export function shellWords(s: string, opts: { comments?: boolean } = {}): ShellWord[] {
  return scanWords(s, 'shell', opts).map((w) => extend(w, unshell(w.raw)))
}

/**
 * Split `s` into argv words like `shlex.split(s)`. Throws `SplitError`.
 * @example splitArgs(`printf "%s\\n" it\\'s`) // ['printf', '%s\\n', "it's"]
 */
export function splitArgs(s: string): string[] {
  return shellWords(s).map((w) => w.text)
}

/** One scanned shell word's text: quotes removed, escapes applied. */
function unshell(raw: string): { text: string; quoted: boolean } {
  let text = ''
  let quoted = false
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!
    if (c === "'") {
      const end = raw.indexOf("'", i + 1)
      text += raw.slice(i + 1, end)
      quoted = true
      i = end
    } else if (c === '"') {
      quoted = true
      for (i++; raw[i] !== '"'; i++) {
        if (raw[i] === '\\' && (raw[i + 1] === '"' || raw[i + 1] === '\\')) i++
        text += raw[i]
      }
    } else if (c === '\\') {
      text += raw[++i]
    } else text += c
  }
  return { text, quoted }
}
