/**
 * Python's `date` and `time` values, as a datetime's `.date()` and `.time()` give them. A date prints as
 * `2016-08-14`, has `.year`, `.month`, `.day`, `.isoformat()`, `.strftime()`, `.weekday()`, `.isoweekday()` and
 * `.replace()`, compares with dates, and subtracts from one for a timedelta (adding or subtracting a timedelta moves
 * it by whole days). A time prints as `20:00:12` (`20:00:12+01:00` from an aware datetime's `timetz()`), has
 * `.hour` … `.microsecond`, `.tzinfo`, `.isoformat()`, `.strftime()`, `.utcoffset()` and `.replace()`, and compares
 * with times.
 *
 * @example
 * ```jinja
 * {{ ('2016-08-14 20:00:12' | to_datetime).date() }}   {# 2016-08-14 #}
 * {{ (('2016-08-14 20:00:12' | to_datetime).date() - ('2016-08-01' | to_datetime('%Y-%m-%d')).date()).days }} {# 13 #}
 * ```
 */
import { UserError } from '../errors.js'
import { civilFromDays, daysFromCivil, formatTime, localEpoch, pad, type TimeParts } from './clock.js'
import { ctime, dayMethod, noArgs } from './pycalendar.js'
import { checkFields, DATE_FIELDS, replaced, TIME_FIELDS } from './pyreplace.js'
import { floorDiv, PyTimedelta, unorderable, US_PER_DAY } from './pytimedelta.js'
import { offsetText, type PyTimezone } from './pytimezone.js'
import { NO_METHOD, PyObject } from './values.js'

/** `strftime`'s format argument, as Python requires it. */
function format(args: unknown[], kw: Record<string, unknown>): string {
  const f = kw.format ?? args[0]
  if (f === undefined) throw new UserError("strftime() missing required argument 'format' (pos 1)")
  return String(f)
}

/** A Python `date`, kept as its day count from 1970-01-01. */
export class PyDate extends PyObject {
  readonly pyType = 'date'
  constructor(readonly days: number) {
    super()
    const [year] = civilFromDays(days)
    if (year < 1 || year > 9999) throw new UserError('date value out of range')
  }
  static of(y: number, m: number, d: number): PyDate {
    checkFields({ year: y, month: m, day: d })
    return new PyDate(daysFromCivil(y, m, d))
  }
  /** The fields strftime formats: the date at midnight, naive. */
  parts(): TimeParts {
    const [year, month, day] = civilFromDays(this.days)
    return {
      year,
      month,
      day,
      hour: 0,
      minute: 0,
      second: 0,
      microsecond: 0,
      epoch: () => localEpoch(year, month, day),
    }
  }
  isoformat(): string {
    const p = this.parts()
    return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`
  }
  str(): string {
    return this.isoformat()
  }
  repr(): string {
    const p = this.parts()
    return `datetime.date(${p.year}, ${p.month}, ${p.day})`
  }
  json(): unknown {
    return this.isoformat()
  }
  equals(o: unknown): boolean {
    return o instanceof PyDate && o.days === this.days
  }
  compareTo(o: unknown): number {
    if (!(o instanceof PyDate)) throw unorderable(this, o)
    return Math.sign(this.days - o.days)
  }
  attr(name: string): unknown {
    const p = this.parts()
    return name === 'year' || name === 'month' || name === 'day' ? p[name] : undefined
  }
  method(name: string, args: unknown[], kw: Record<string, unknown>): unknown {
    switch (name) {
      case 'strftime':
        return formatTime(this.parts(), format(args, kw))
      case 'isoformat':
        return this.isoformat()
      case 'ctime':
        noArgs(`${this.pyType}.ctime`, args, kw)
        return ctime(this.parts())
      case 'replace': {
        const f = replaced(DATE_FIELDS, this.parts(), args, kw, false).fields
        return PyDate.of(f.year ?? 1, f.month ?? 1, f.day ?? 1)
      }
    }
    return dayMethod(this.pyType, name, this.days, args, kw) ?? NO_METHOD
  }
  operate(op: string, o: unknown, reflected: boolean): unknown {
    // Python moves a date by the timedelta's whole days (`.days`), its seconds ignored
    if (o instanceof PyTimedelta && (op === '+' || (op === '-' && !reflected))) {
      const days = Number(floorDiv(o.us, US_PER_DAY))
      return new PyDate(op === '+' ? this.days + days : this.days - days)
    }
    if (o instanceof PyDate && op === '-')
      return new PyTimedelta(BigInt(reflected ? o.days - this.days : this.days - o.days) * US_PER_DAY)
    return NO_METHOD
  }
}

/** A Python `time`, kept as microseconds since midnight, and its zone when aware (`timetz()`). */
export class PyTime extends PyObject {
  readonly pyType = 'time'
  constructor(
    readonly us: number,
    readonly tz?: PyTimezone,
  ) {
    super()
  }
  /** The fields strftime formats: the time on 1900-01-01, as Python's. */
  parts(): TimeParts {
    const secs = Math.floor(this.us / 1e6)
    const [hour, minute, second] = [Math.floor(secs / 3600), Math.floor(secs / 60) % 60, secs % 60]
    const t = { year: 1900, month: 1, day: 1, hour, minute, second, microsecond: this.us % 1e6 }
    const zone = this.tz && { offset: Math.trunc(this.tz.offset / 60), zone: this.tz.tzname() }
    return { ...t, ...zone, epoch: () => localEpoch(1900, 1, 1, hour, minute, second) }
  }
  isoformat(): string {
    const p = this.parts()
    const us = p.microsecond ? `.${pad(p.microsecond, 6)}` : ''
    return `${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${us}${this.tz ? offsetText(this.tz.offset) : ''}`
  }
  str(): string {
    return this.isoformat()
  }
  repr(): string {
    const p = this.parts()
    const fields = [p.hour, p.minute, p.second, p.microsecond]
    for (let i = 0; i < 2 && fields[fields.length - 1] === 0; i++) fields.pop()
    return `datetime.time(${fields.join(', ')}${this.tz ? `, tzinfo=${this.tz.repr()}` : ''})`
  }
  /** Microseconds since midnight UTC (aware) or on the wall clock (naive). */
  private utc(): number {
    return this.us - (this.tz?.offset ?? 0) * 1e6
  }
  json(): unknown {
    throw new UserError('Object of type time is not JSON serializable')
  }
  equals(o: unknown): boolean {
    return o instanceof PyTime && !o.tz === !this.tz && o.utc() === this.utc()
  }
  compareTo(o: unknown): number {
    if (!(o instanceof PyTime)) throw unorderable(this, o)
    if (!o.tz !== !this.tz) throw new UserError("can't compare offset-naive and offset-aware times")
    return Math.sign(this.utc() - o.utc())
  }
  attr(name: string): unknown {
    if (name === 'tzinfo') return this.tz ?? null
    const p = this.parts()
    return (TIME_FIELDS as readonly string[]).includes(name) ? p[name as keyof TimeParts] : undefined
  }
  method(name: string, args: unknown[], kw: Record<string, unknown>): unknown {
    switch (name) {
      case 'strftime':
        return formatTime(this.parts(), format(args, kw))
      case 'isoformat':
        return this.isoformat()
      case 'utcoffset':
      case 'tzname':
      case 'dst':
        noArgs(`time.${name}`, args, kw)
        return !this.tz || name === 'dst' ? null : name === 'tzname' ? this.tz.tzname() : this.tz.utcoffset()
      case 'replace': {
        const { fields: f, tz } = replaced(TIME_FIELDS, this.parts(), args, kw, true)
        const us = (((f.hour ?? 0) * 60 + (f.minute ?? 0)) * 60 + (f.second ?? 0)) * 1e6 + (f.microsecond ?? 0)
        return new PyTime(us, tz === undefined ? this.tz : (tz ?? undefined))
      }
    }
    return NO_METHOD
  }
  operate(): unknown {
    return NO_METHOD
  }
}
