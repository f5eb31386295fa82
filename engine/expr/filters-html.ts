/**
 * Jinja's markup and formatting filters, as Jinja 3.1 gives them: `escape` (`e`, `forceescape`), `safe`,
 * `striptags`, `truncate`, `filesizeformat`, `xmlattr`, `items` and `tojson`. The "safe" mark that `escape` and
 * `safe` put on text inside an expression is the evaluator's (see markup.ts); here they give the text.
 *
 * @example
 * ```jinja
 * <input{{ {'name': field, 'value': v} | xmlattr }}>   {# <input name="user" value="&lt;b&gt;"> #}
 * {{ description | truncate(40) }} ({{ size | filesizeformat }})
 * ```
 */
import { UserError } from '../errors.js'
import { isMap, map, text } from './coerce.js'
import { pyFixed, pyJson, tuple } from './pystr.js'
import { def, type Def } from './registry.js'
import { short, truthy } from './values.js'

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' }

/** markupsafe's `escape`: `& < > " '` as entities. */
export function htmlEscape(v: unknown): string {
  return text(v).replace(/[&<>"']/g, (c) => ESCAPES[c])
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' }

/** Python's `html.unescape` for numeric entities and the common named ones. */
function htmlUnescape(s: string): string {
  return s.replace(/&(#\d+|#[xX][0-9a-fA-F]+|[a-zA-Z]+);/g, (m, e: string) => {
    if (e[0] !== '#') return NAMED[e] ?? m
    const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd'
  })
}

/** Jinja's `striptags`: comments and tags removed, whitespace runs made one space, entities read. */
function striptags(v: unknown): string {
  const s = text(v)
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<[\s\S]*?>/g, '')
  return htmlUnescape(s.split(/\s+/).filter(Boolean).join(' '))
}

/** Jinja's `truncate`: text longer than `length` + `leeway` (5) cut to `length` with `end`, at a word unless asked. */
function truncate(v: unknown, length: unknown, killwords: unknown, end: unknown, leeway: unknown): string {
  const s = text(v)
  const n = Number(length ?? 255)
  const e = end === undefined ? '...' : text(end)
  const lee = leeway === undefined || leeway === null ? 5 : Number(leeway)
  if (n < e.length) throw new UserError(`truncate: expected length >= ${e.length}, got ${n}`)
  if (lee < 0) throw new UserError(`truncate: expected leeway >= 0, got ${lee}`)
  if ([...s].length <= n + lee) return s
  const head = [...s].slice(0, n - e.length).join('')
  if (truthy(killwords ?? false)) return head + e
  const cut = head.lastIndexOf(' ')
  return (cut < 0 ? head : head.slice(0, cut)) + e
}

/** Jinja's `filesizeformat`: `"1 Byte"`, `"12 Bytes"`, `"1.5 kB"` (powers of 1000) or `"1.5 KiB"` (`binary`). */
function filesizeformat(v: unknown, binary: unknown): string {
  const bytes = Number(v)
  if (Number.isNaN(bytes) || typeof v === 'boolean' || v === null)
    throw new UserError(`filesizeformat needs a number, got ${short(v)}`)
  const bin = truthy(binary ?? false)
  const base = bin ? 1024 : 1000
  const prefixes = bin
    ? ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB']
    : ['kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB']
  if (bytes === 1) return '1 Byte'
  if (bytes < base) return `${Math.trunc(bytes)} Bytes`
  let i = 0
  while (i < prefixes.length - 1 && bytes >= base ** (i + 2)) i++
  return `${pyFixed((base * bytes) / base ** (i + 2), 1)} ${prefixes[i]}`
}

/** Jinja's `xmlattr`: ` key="value"` for each entry that is not none, escaped. */
function xmlattr(v: unknown, autospace: unknown): string {
  const parts = Object.entries(map(v, 'xmlattr'))
    .filter(([, x]) => x !== null && x !== undefined)
    .map(([k, x]) => `${htmlEscape(k)}="${htmlEscape(x)}"`)
  const rv = parts.join(' ')
  return truthy(autospace ?? true) && rv ? ` ${rv}` : rv
}

/** Jinja's `tojson`: keys sorted, `< > & '` written as `\u003c`-style escapes, so the text is safe in HTML. */
function tojson(v: unknown, indent: unknown): string {
  const ind = indent === undefined || indent === null ? undefined : Number(indent)
  return pyJson(v, { sortKeys: true, indent: ind })
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/'/g, '\\u0027')
}

export const HTML_FILTERS: Record<string, Def> = {
  escape: def('', htmlEscape),
  e: def('', htmlEscape),
  forceescape: def('', htmlEscape),
  safe: def('', (v) => text(v)),
  striptags: def('', striptags),
  truncate: def('length killwords end leeway', truncate),
  filesizeformat: def('binary', filesizeformat),
  xmlattr: def('autospace', xmlattr),
  items: def('', (v) => {
    if (!isMap(v)) throw new UserError('Can only get item pairs from a mapping.')
    return Object.entries(map(v, 'items')).map((e) => tuple(e))
  }),
  tojson: def('indent', tojson),
}
