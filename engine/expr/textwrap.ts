/**
 * Python's `textwrap.wrap` as Jinja's `wordwrap` calls it (no tab expansion, whitespace kept as it is, leading and
 * trailing whitespace of each line dropped), and the `wordwrap` filter: each line of the text wrapped on its own,
 * the pieces joined with `wrapstring` (default `"\n"`).
 *
 * @example
 * ```jinja
 * {{ motd | wordwrap(60) }}
 * {{ long_words | wordwrap(10, break_long_words=false, wrapstring='<br>') }}
 * ```
 */
import { UserError } from '../errors.js'
import { text } from './coerce.js'
import { pySplitlines } from './pystr.js'
import { def, type Def } from './registry.js'
import { truthy } from './values.js'

// Python's str.isalnum() + '_' (\w) and \w without digits (textwrap's "letter"), for Unicode text.
const WS = '[\\t\\n\\x0b\\x0c\\r ]'
const NWS = '[^\\t\\n\\x0b\\x0c\\r ]'
const W = '[\\p{L}\\p{N}_]'
const LT = '[\\p{L}\\p{Nl}\\p{No}_]'
const WP = `[\\p{L}\\p{N}_!"'&.,?]`

/** textwrap's `wordsep_re`: whitespace runs, em-dashes between words, words split after their hyphens. */
const WORDSEP = new RegExp(
  `(${WS}+` +
    `|(?<=${WP})-{2,}(?=${W})` +
    `|${NWS}+?(?:-(?:(?<=${LT}{2}-)|(?<=${LT}-${LT}-))(?=${LT}-?${LT})` +
    `|(?=${WS}|$)|(?<=${WP})(?=-{2,}${W})))`,
  'u',
)
const WORDSEP_SIMPLE = new RegExp(`(${WS}+)`, 'u')

function chunksOf(s: string, hyphens: boolean): string[] {
  return s.split(hyphens ? WORDSEP : WORDSEP_SIMPLE).filter((c) => c !== '' && c !== undefined)
}

const blank = (c: string): boolean => c.replace(new RegExp(`${WS}+`, 'gu'), '') === ''
const len = (s: string): number => [...s].length

/** textwrap's `_handle_long_word`: break the chunk to fill the line (after a hyphen where one fits). */
function longWord(rev: string[], line: string[], lineLen: number, width: number, breakLong: boolean, hyphens: boolean) {
  const spaceLeft = width < 1 ? 1 : width - lineLen
  if (breakLong) {
    const chunk = [...rev[rev.length - 1]]
    let end = spaceLeft
    if (hyphens && chunk.length > spaceLeft) {
      const hyphen = chunk.slice(0, spaceLeft).lastIndexOf('-')
      if (hyphen > 0 && chunk.slice(0, hyphen).some((c) => c !== '-')) end = hyphen + 1
    }
    line.push(chunk.slice(0, end).join(''))
    rev[rev.length - 1] = chunk.slice(end).join('')
  } else if (line.length === 0) {
    line.push(rev.pop() as string)
  }
}

/** Python's `textwrap.wrap(s, width, expand_tabs=False, replace_whitespace=False, …)`. */
export function wrap(s: string, width: number, breakLong = true, hyphens = true): string[] {
  if (width <= 0) throw new UserError(`invalid width ${width} (must be > 0)`)
  const rev = chunksOf(s, hyphens).reverse()
  const lines: string[] = []
  while (rev.length) {
    const line: string[] = []
    let lineLen = 0
    if (lines.length && blank(rev[rev.length - 1])) rev.pop()
    while (rev.length) {
      const l = len(rev[rev.length - 1])
      if (lineLen + l > width) break
      line.push(rev.pop() as string)
      lineLen += l
    }
    if (rev.length && len(rev[rev.length - 1]) > width) {
      longWord(rev, line, lineLen, width, breakLong, hyphens)
    }
    if (line.length && blank(line[line.length - 1])) line.pop()
    if (line.length) lines.push(line.join(''))
  }
  return lines
}

function wordwrap(v: unknown, width: unknown, breakLong: unknown, wrapstring: unknown, hyphens: unknown): string {
  const s = text(v)
  const sep = wrapstring === undefined || wrapstring === null ? '\n' : text(wrapstring)
  const w = width === undefined ? 79 : Number(width)
  if (!Number.isInteger(w)) throw new UserError(`wordwrap: width must be a whole number, got ${text(width)}`)
  return pySplitlines(s)
    .map((l) => wrap(l, w, truthy(breakLong ?? true), truthy(hyphens ?? true)).join(sep))
    .join(sep)
}

export const WRAP_FILTERS: Record<string, Def> = {
  wordwrap: def('width break_long_words wrapstring break_on_hyphens', wordwrap),
}
