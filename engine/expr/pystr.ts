/**
 * Python's text forms of values, as Ansible prints them in Jinja templates: `str()`/`repr()` (`True`, `None`,
 * `['a', 1]`, `{'k': 'v'}`) and `json.dumps` (`{"a": 1, "b": [1, 2]}`, ASCII-only by default).
 *
 * @example
 * ```ts
 * pyStr(['a', true, null]) // "['a', True, None]"
 * pyJson({ b: 1, a: 'é' }) // '{"b": 1, "a": "\\u00e9"}'
 * ```
 */
import { namedRepr, tupleClass } from './namedtuple.js'
import { PyObject, Undef } from './values.js'

const tuples = new WeakSet<unknown[]>()

/** Mark a list as a Python tuple (`zip`, `dictsort`, `items()` give tuples): it prints as `('a', 1)`. */
export function tuple<T extends unknown[]>(xs: T): T {
  tuples.add(xs)
  return xs
}

// Python's line boundaries: \r\n, \n, \r, \v, \f, \x1c-\x1e, \x85, \u2028, \u2029
// eslint-disable-next-line no-control-regex -- str.splitlines() counts these control characters as line ends
const LINE_END = /\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/g

/** Python's `str.splitlines(keepends)`: no empty last line for a text that ends with a line break. */
export function pySplitlines(s: string, keepends = false): string[] {
  const out: string[] = []
  let at = 0
  for (const m of s.matchAll(LINE_END)) {
    const end = m.index + m[0].length
    out.push(s.slice(at, keepends ? end : m.index))
    at = end
  }
  if (at < s.length) out.push(s.slice(at))
  return out
}

/** Whether `xs` was marked a tuple. */
export function isTuple(xs: unknown[]): boolean {
  return tuples.has(xs) || tupleClass(xs) !== undefined
}

/** What Python's `str.isprintable()` refuses: control, format, surrogate, private, unassigned and separators. */
const UNPRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u
const hex = (c: number, w: number): string => c.toString(16).padStart(w, '0')

/** Python's repr of a string: single quotes unless the text has one and no double quote. */
export function pyStrRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'"
  let out = q
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0
    if (ch === q || ch === '\\') out += `\\${ch}`
    else if (ch === '\n') out += '\\n'
    else if (ch === '\r') out += '\\r'
    else if (ch === '\t') out += '\\t'
    else if ((c < 0x20 || c > 0x7e) && UNPRINTABLE.test(ch))
      out += c < 0x100 ? `\\x${hex(c, 2)}` : c < 0x10000 ? `\\u${hex(c, 4)}` : `\\U${hex(c, 8)}`
    else out += ch
  }
  return out + q
}

/** Python's repr of a float-or-int number. */
export function pyNum(n: number): string {
  if (Number.isNaN(n)) return 'nan'
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf'
  const s = String(n)
  return s.replace(/e([+-])(\d)$/, 'e$10$2')
}

/** Python's `repr()`; `sortKeys`: dict keys in order, as `pprint` prints them. */
export function pyRepr(v: unknown, depth = 0, sortKeys = false): string {
  if (v === null || v === undefined || v instanceof Undef) return 'None'
  if (v === true) return 'True'
  if (v === false) return 'False'
  if (typeof v === 'number') return pyNum(v)
  if (typeof v === 'string') return pyStrRepr(v)
  if (v instanceof PyObject) return v.repr()
  if (depth > 64) return '...'
  if (Array.isArray(v)) {
    const cls = tupleClass(v)
    if (cls) return namedRepr(v, cls, (x) => pyRepr(x, depth + 1, sortKeys))
    const items = v.map((x) => pyRepr(x, depth + 1, sortKeys))
    return tuples.has(v) ? `(${items.join(', ')}${items.length === 1 ? ',' : ''})` : `[${items.join(', ')}]`
  }
  if (v instanceof Map)
    return `{${[...v].map(([k, x]) => `${pyRepr(k, depth + 1)}: ${pyRepr(x, depth + 1)}`).join(', ')}}`
  if (typeof v === 'object') {
    const entries = Object.entries(v)
    if (sortKeys) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, x]) => `${pyStrRepr(k)}: ${pyRepr(x, depth + 1, sortKeys)}`).join(', ')}}`
  }
  return String(v)
}

/** Python's `str()`: strings as they are, everything else as its repr. */
export function pyStr(v: unknown): string {
  return typeof v === 'string' ? v : v instanceof PyObject ? v.str() : pyRepr(v)
}

/** Options of Python's `json.dumps` that Ansible's filters use. */
export interface JsonOptions {
  indent?: number
  sortKeys?: boolean
  ensureAscii?: boolean
  /** Item and key separators; default `', '` and `': '` (`','` with an indent). */
  separators?: [string, string]
}

function jsonStr(s: string, ascii: boolean): string {
  const j = JSON.stringify(s)
  return ascii ? j.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : j
}

/** Python's `json.dumps(v, …)`. */
export function pyJson(v: unknown, o: JsonOptions = {}, level = 0): string {
  const ascii = o.ensureAscii ?? true
  const [item, key] = o.separators ?? [o.indent !== undefined ? ',' : ', ', ': ']
  if (v === null || v === undefined || v instanceof Undef) return 'null'
  if (typeof v === 'boolean') return String(v)
  if (typeof v === 'number')
    return Number.isNaN(v) ? 'NaN' : !Number.isFinite(v) ? (v > 0 ? 'Infinity' : '-Infinity') : pyNum(v)
  if (typeof v === 'string') return jsonStr(v, ascii)
  if (v instanceof PyObject) return pyJson(v.json(), o, level)
  if (level > 64) throw new Error('value nested too deeply for JSON')
  const entries: Array<[string | undefined, unknown]> = Array.isArray(v)
    ? v.map((x) => [undefined, x])
    : Object.entries(v instanceof Map ? Object.fromEntries(v) : (v as object))
  if (!Array.isArray(v) && o.sortKeys)
    entries.sort(([a], [b]) => ((a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0))
  const [open, close] = Array.isArray(v) ? ['[', ']'] : ['{', '}']
  if (!entries.length) return open + close
  const parts = entries.map(([k, x]) => (k === undefined ? '' : jsonStr(k, ascii) + key) + pyJson(x, o, level + 1))
  if (o.indent === undefined) return open + parts.join(item) + close
  const pad = (n: number): string => `\n${' '.repeat(o.indent! * n)}`
  return open + pad(level + 1) + parts.join(item + pad(level + 1)) + pad(level) + close
}

/**
 * Python's `'%.Nf' % x`: as `toFixed`, but a value exactly halfway rounds to the even digit (Python formats the exact
 * binary value; `toFixed` rounds such ties up).
 */
export function pyFixed(x: number, digits: number): string {
  const exact = Math.abs(x).toFixed(Math.min(100, digits + 30))
  const tail = exact.slice(exact.length - 30)
  if (!/^50*$/.test(tail)) return x.toFixed(digits)
  const kept = exact.slice(0, exact.length - 30).replace(/\.$/, '')
  const even = Number(kept[kept.length - 1]) % 2 === 0
  return (x < 0 ? '-' : '') + (even ? kept : (Math.abs(x) + 10 ** -digits / 2).toFixed(digits))
}
