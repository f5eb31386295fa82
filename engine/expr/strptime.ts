/**
 * Python's `datetime.strptime` in the C locale, and Ansible's `to_datetime` filter over it
 * (`to_datetime(format='%Y-%m-%d %H:%M:%S')`): the same directives, the same leniency (`%d` takes `7` and ` 7`,
 * whitespace in the format takes any run of whitespace, names in any case) and the same refusals.
 *
 * @example
 * ```jinja
 * {{ ('2024-03-01T12:00:00+0100' | to_datetime('%Y-%m-%dT%H:%M:%S%z')).hour }}   {# 12 #}
 * ```
 */
import { UserError } from '../errors.js'
import { daysFromCivil, daysInMonth } from './clock.js'
import { pyStrRepr } from './pystr.js'
import { PyDateTime } from './pydatetime.js'
import { def, type Def } from './registry.js'

const MONTHS = 'january february march april may june july august september october november december'.split(' ')
const DAYS = 'monday tuesday wednesday thursday friday saturday sunday'.split(' ')
const names = (full: string[], abbr: boolean): string => {
  const xs = full.map((n) => (abbr ? n.slice(0, 3) : n))
  return `(${[...xs].sort((a, b) => b.length - a.length).join('|')})`
}

/** Each directive's pattern, as Python's `_strptime.TimeRE` gives it in the C locale. */
const DIRECTIVES: Record<string, string> = {
  d: '(3[01]|[12]\\d|0[1-9]|[1-9]| [1-9])',
  f: '([0-9]{1,6})',
  H: '(2[0-3]|[01]\\d|\\d)',
  I: '(1[0-2]|0[1-9]|[1-9])',
  G: '(\\d\\d\\d\\d)',
  j: '(36[0-6]|3[0-5]\\d|[12]\\d\\d|0[1-9]\\d|00[1-9]|[1-9]\\d|0[1-9]|[1-9])',
  m: '(1[0-2]|0[1-9]|[1-9])',
  M: '([0-5]\\d|\\d)',
  S: '(6[01]|[0-5]\\d|\\d)',
  U: '(5[0-3]|[0-4]\\d|\\d)',
  W: '(5[0-3]|[0-4]\\d|\\d)',
  V: '(5[0-3]|0[1-9]|[1-4]\\d|\\d)',
  w: '([0-6])',
  u: '([1-7])',
  y: '(\\d\\d)',
  Y: '(\\d\\d\\d\\d)',
  z: '([+-]\\d\\d:?[0-5]\\d(?::?[0-5]\\d(?:\\.\\d{1,6})?)?|Z)',
  A: names(DAYS, false),
  a: names(DAYS, true),
  B: names(MONTHS, false),
  b: names(MONTHS, true),
  p: '(am|pm)',
  Z: '(utc|gmt)',
}
/** The C locale's composite directives. */
const COMPOSITE: Record<string, string> = { c: '%a %b %d %H:%M:%S %Y', x: '%m/%d/%y', X: '%H:%M:%S' }

/** The regular expression for `fmt` and the directive each group captures. */
function compile(fmt: string): { re: RegExp; order: string[] } {
  for (const [k, v] of Object.entries(COMPOSITE)) fmt = fmt.replaceAll(`%${k}`, v)
  const order: string[] = []
  let src = ''
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i]
    if (c !== '%') {
      if (/\s/.test(c)) {
        while (i + 1 < fmt.length && /\s/.test(fmt[i + 1])) i++
        src += '\\s+'
      } else src += c.replace(/[\\.^$*+?(){}[\]|/-]/g, '\\$&')
      continue
    }
    const d = fmt[++i]
    if (d === undefined) throw new UserError(`stray % in format ${pyStrRepr(fmt)}`)
    if (d === '%') {
      src += '%'
      continue
    }
    if (!DIRECTIVES[d]) throw new UserError(`${pyStrRepr(d)} is a bad directive in format ${pyStrRepr(fmt)}`)
    if (order.includes(d)) throw new UserError(`redefinition of group name ${pyStrRepr(d)} in format ${pyStrRepr(fmt)}`)
    order.push(d)
    src += DIRECTIVES[d]
  }
  return { re: new RegExp(`^${src}`, 'i'), order }
}

/** UTC offset in seconds of a `%z` match (`+0100`, `-05:30`, `Z`). */
function offsetOf(z: string): number {
  if (z === 'Z') return 0
  let t = z
  if (t[3] === ':') t = t.slice(0, 3) + t.slice(4)
  if (t.length > 5) {
    if (t[5] !== ':' && z.includes(':')) throw new UserError(`Inconsistent use of : in ${z}`)
    if (t[5] === ':') t = t.slice(0, 5) + t.slice(6)
  }
  const secs = Number(t.slice(1, 3)) * 3600 + Number(t.slice(3, 5)) * 60 + Number(t.slice(5, 7) || 0)
  return t[0] === '-' ? -secs : secs
}

/** Python's `datetime.strptime(s, fmt)`. */
export function strptime(s: string, fmt: string): PyDateTime {
  const { re, order } = compile(fmt)
  const m = re.exec(s)
  const nomatch = () => new UserError(`time data ${pyStrRepr(s)} does not match format ${pyStrRepr(fmt)}`)
  if (!m) throw nomatch()
  if (m[0].length !== s.length) throw new UserError(`unconverted data remains: ${s.slice(m[0].length)}`)
  const f: Record<string, string> = {}
  order.forEach((d, i) => (f[d] = m[i + 1]))
  if (f.z === 'z') throw nomatch()
  let year: number | undefined = f.Y !== undefined ? Number(f.Y) : undefined
  if (f.y !== undefined) year = Number(f.y) + (Number(f.y) <= 68 ? 2000 : 1900)
  let month = f.m !== undefined ? Number(f.m) : 1
  if (f.B !== undefined) month = MONTHS.indexOf(f.B.toLowerCase()) + 1
  if (f.b !== undefined) month = MONTHS.findIndex((n) => n.startsWith(f.b.toLowerCase())) + 1
  let day = f.d !== undefined ? Number(f.d) : 1
  let hour = f.H !== undefined ? Number(f.H) : 0
  if (f.I !== undefined) {
    hour = Number(f.I)
    const pm = (f.p ?? '').toLowerCase() === 'pm'
    if (!pm && hour === 12) hour = 0
    else if (pm && hour !== 12) hour += 12
  }
  const minute = f.M !== undefined ? Number(f.M) : 0
  const second = f.S !== undefined ? Number(f.S) : 0
  const micro = f.f !== undefined ? Number(f.f.padEnd(6, '0')) : 0
  let y = year ?? 1900
  if (f.j !== undefined) {
    // the day of the year decides the date, as Python's (month and day directives are ignored then)
    const days = daysFromCivil(y, 1, 1) + Number(f.j) - 1
    const dt = new PyDateTime(BigInt(days) * 86_400_000_000n).parts()
    ;[y, month, day] = [dt.year, dt.month, dt.day]
  }
  if (day > daysInMonth(y, month)) throw new UserError('day is out of range for month')
  if (second > 59) throw new UserError('second must be in 0..59')
  const offset = f.z !== undefined ? offsetOf(f.z) : undefined
  return PyDateTime.of(y, month, day, hour, minute, second, micro, offset)
}

export const DATETIME_FILTERS: Record<string, Def> = {
  to_datetime: def('format', (v, format) => {
    if (typeof v !== 'string') throw new UserError(`strptime() argument 1 must be str, got ${typeof v}`)
    return strptime(v, format === undefined ? '%Y-%m-%d %H:%M:%S' : String(format))
  }),
}
