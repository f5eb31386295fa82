/**
 * Python's format-spec mini-language, as `str.format` and `format()` apply it to one value:
 * `[[fill]align][sign][#][0][width][,|_][.precision][type]` with the types `s`, `d`, `b`, `o`, `x`, `X`, `c`,
 * `e`, `E`, `f`, `F`, `g`, `G`, `%` and none. A whole-valued float is a JavaScript integer here, so it formats as
 * an int does where Python's would differ (`'{}'.format(2.0)` gives `2`; README, templating differences).
 *
 * @example
 * ```ts
 * formatSpec('x', '>5')        // '    x'
 * formatSpec(3.14159, '08.2f') // '00003.14'
 * formatSpec(1234567, ',')     // '1,234,567'
 * ```
 */
import { UserError } from '../errors.js'
import { pyFixed, pyStr } from './pystr.js'

const SPEC = /^(?:([\s\S])?([<>=^]))?([+\- ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGosxX%])?$/

/** Python's exponent notation: at least two exponent digits (`1.5e+05`). */
function exp(x: number, digits: number): string {
  return x.toExponential(digits).replace(/e([+-])(\d)$/, 'e$10$2')
}

/** Python's `g`: fixed or exponent by the exponent, trailing zeros dropped unless `alt`. */
function general(x: number, precision: number, alt: boolean): string {
  const p = precision === 0 ? 1 : precision
  if (x === 0) return alt ? `0.${'0'.repeat(p - 1)}` : '0'
  const e = Number(exp(x, p - 1).split('e')[1])
  let s = e >= -4 && e < p ? pyFixed(x, p - 1 - e) : exp(x, p - 1)
  if (!alt) s = s.replace(/(\.\d*?)0+(e|$)/, '$1$2').replace(/\.(e|$)/, '$1')
  return s
}

/** Digits of |x| for the spec's type (no sign, no padding). */
function digits(x: number, type: string | undefined, precision: number | undefined, alt: boolean): string {
  const int = Number.isInteger(x)
  switch (type) {
    case 'b':
    case 'o':
    case 'x':
    case 'X': {
      if (!int) throw new UserError(`format: code '${type}' is for integers, not ${x}`)
      const base = { b: 2, o: 8, x: 16, X: 16 }[type]
      const d = Math.abs(x).toString(base)
      const prefix = alt ? `0${type === 'X' ? 'X' : type}` : ''
      return prefix + (type === 'X' ? d.toUpperCase() : d)
    }
    case 'c':
      return String.fromCodePoint(x)
    case 'd':
      if (!int) throw new UserError(`format: code 'd' is for integers, not ${x}`)
      return String(Math.abs(x))
    case 'e':
    case 'E': {
      const s = exp(Math.abs(x), precision ?? 6)
      return type === 'E' ? s.toUpperCase() : s
    }
    case 'f':
    case 'F':
      return pyFixed(Math.abs(x), precision ?? 6)
    case 'g':
    case 'G': {
      const s = general(Math.abs(x), precision ?? 6, alt)
      return type === 'G' ? s.toUpperCase() : s
    }
    case '%':
      return `${pyFixed(Math.abs(x) * 100, precision ?? 6)}%`
    default:
      return precision === undefined ? pyStr(Math.abs(x)) : general(Math.abs(x), precision, alt)
  }
}

/** `1234567.5` → `1,234,567.5` (the integer part only). */
function group(s: string, sep: string): string {
  const m = /^(\d+)(.*)$/.exec(s)
  if (!m) return s
  return m[1].replace(/\B(?=(\d{3})+(?!\d))/g, sep) + m[2]
}

/** `value` formatted by the format spec `spec`, as Python's `format(value, spec)`. */
export function formatSpec(value: unknown, spec: string): string {
  if (spec === '') return pyStr(value)
  if (!['string', 'number', 'boolean'].includes(typeof value))
    throw new UserError(`format: unsupported format string ${JSON.stringify(spec)} for ${pyStr(value)}`)
  const m = SPEC.exec(spec)
  if (!m) throw new UserError(`format: invalid format specifier ${JSON.stringify(spec)}`)
  const [, fillIn, alignIn, sign = '-', alt, zero, widthText, sep, precText, type] = m
  const width = widthText ? Number(widthText) : 0
  const precision = precText === undefined ? undefined : Number(precText)
  // a bool with a spec formats as the int it is (`format(True, '>3')` is `'  1'`)
  const numeric = typeof value === 'number' || (typeof value === 'boolean' && type !== 's')
  let fill = fillIn ?? ' '
  let align = alignIn
  if (zero && align === undefined) {
    fill = '0'
    align = numeric ? '=' : '<'
  }
  let body: string
  let signText = ''
  if (numeric) {
    if (type === 's') throw new UserError(`format: code 's' is for text, not ${pyStr(value)}`)
    const x = Number(value)
    body = digits(x, type, precision, !!alt)
    if (sep) body = group(body, sep)
    signText = x < 0 || Object.is(x, -0) ? '-' : sign === '+' ? '+' : sign === ' ' ? ' ' : ''
  } else {
    if (type !== undefined && type !== 's')
      throw new UserError(`format: code '${type}' is for numbers, not ${pyStr(value)}`)
    body = pyStr(value)
    if (precision !== undefined) body = [...body].slice(0, precision).join('')
  }
  const pad = Math.max(0, width - [...(signText + body)].length)
  switch (align ?? (numeric ? '>' : '<')) {
    case '<':
      return signText + body + fill.repeat(pad)
    case '^':
      return fill.repeat(Math.floor(pad / 2)) + signText + body + fill.repeat(pad - Math.floor(pad / 2))
    case '=':
      return signText + fill.repeat(pad) + body
    default:
      return fill.repeat(pad) + signText + body
  }
}
