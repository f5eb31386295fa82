/**
 * Python's `datetime` values, as Ansible's `to_datetime` filter and `now()` global give them: subtract two for a
 * timedelta (engine/expr/pytimedelta.ts), add or subtract a timedelta, compare them, read `.year` …
 * `.microsecond`, call `.strftime()`/`.isoformat()`/`.timestamp()`/`.weekday()`, `.replace(day=1, …)` for a copy
 * with other fields, `.date()` and `.time()` for its date and time parts (engine/expr/pydate.ts). Printed as Python
 * prints them (`2016-08-14 20:00:12`).
 *
 * @example
 * ```yaml
 * - debug:
 *     msg: "{{ (('2016-08-14 20:00:12' | to_datetime) - ('2015-12-25' | to_datetime('%Y-%m-%d'))).days }}" # 233
 * ```
 */
import { UserError } from '../errors.js'
import { civilFromDays, dateParts, daysFromCivil, formatTime, localEpoch, pad, type TimeParts } from './clock.js'
import { ctime, dayMethod, noArgs } from './pycalendar.js'
import { PyDate, PyTime } from './pydate.js'
import { DATE_FIELDS, replaced, TIME_FIELDS } from './pyreplace.js'
import { floorDiv, PyTimedelta, unorderable, US_PER_DAY } from './pytimedelta.js'
import { NO_METHOD, PyObject } from './values.js'

/** A Python `datetime`: wall-clock microseconds since 1970-01-01 and, when aware, its UTC offset in seconds. */
export class PyDateTime extends PyObject {
  readonly pyType = 'datetime'
  constructor(
    readonly wall: bigint,
    readonly offset?: number,
  ) {
    super()
  }
  static of(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, us = 0, offset?: number): PyDateTime {
    const secs = BigInt(daysFromCivil(y, mo, d)) * 86_400n + BigInt(h * 3600 + mi * 60 + s)
    return new PyDateTime(secs * 1_000_000n + BigInt(us), offset)
  }
  /** The fields of the wall-clock time. */
  parts(): TimeParts {
    const days = Number(floorDiv(this.wall, US_PER_DAY))
    const inDay = Number(this.wall - BigInt(days) * US_PER_DAY)
    const [year, month, day] = civilFromDays(days)
    const secs = Math.floor(inDay / 1e6)
    const off = this.offset
    return {
      year,
      month,
      day,
      hour: Math.floor(secs / 3600),
      minute: Math.floor(secs / 60) % 60,
      second: secs % 60,
      microsecond: inDay % 1e6,
      offset: off === undefined ? undefined : Math.trunc(off / 60),
      zone: off === undefined ? undefined : off === 0 ? 'UTC' : `UTC${offsetText(off)}`,
      epoch: () => this.timestamp(),
    }
  }
  /** Seconds since the epoch (a naive time is read as the controller's local time, as Python does). */
  timestamp(): number {
    if (this.offset !== undefined) return Number(this.wall) / 1e6 - this.offset
    const p = this.parts()
    return localEpoch(p.year, p.month, p.day, p.hour, p.minute, p.second, p.microsecond)
  }
  isoformat(sep = 'T'): string {
    const p = this.parts()
    const date = `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`
    const time = `${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${p.microsecond ? `.${pad(p.microsecond, 6)}` : ''}`
    return `${date}${sep}${time}${this.offset === undefined ? '' : offsetText(this.offset)}`
  }
  str(): string {
    return this.isoformat(' ')
  }
  repr(): string {
    const p = this.parts()
    const fields = [p.year, p.month, p.day, p.hour, p.minute, p.second, p.microsecond]
    for (let i = 0; i < 2 && fields[fields.length - 1] === 0; i++) fields.pop()
    const tz = this.offset === undefined ? '' : `, tzinfo=${tzRepr(this.offset)}`
    return `datetime.datetime(${fields.join(', ')}${tz})`
  }
  json(): unknown {
    return this.isoformat()
  }
  /** Microseconds since the epoch in UTC (aware) or on the wall clock (naive). */
  private instant(): bigint {
    return this.offset === undefined ? this.wall : this.wall - BigInt(this.offset) * 1_000_000n
  }
  equals(o: unknown): boolean {
    if (!(o instanceof PyDateTime) || (o.offset === undefined) !== (this.offset === undefined)) return false
    return o.instant() === this.instant()
  }
  compareTo(o: unknown): number {
    if (!(o instanceof PyDateTime)) throw unorderable(this, o)
    if ((o.offset === undefined) !== (this.offset === undefined))
      throw new UserError("can't compare offset-naive and offset-aware datetimes")
    const [a, b] = [this.instant(), o.instant()]
    return a < b ? -1 : a > b ? 1 : 0
  }
  attr(name: string): unknown {
    const p = this.parts()
    // str() of Python's timezone: `UTC`, `UTC+01:00`
    if (name === 'tzinfo')
      return this.offset === undefined ? null : this.offset === 0 ? 'UTC' : `UTC${offsetText(this.offset)}`
    return ['year', 'month', 'day', 'hour', 'minute', 'second', 'microsecond'].includes(name)
      ? p[name as keyof TimeParts]
      : undefined
  }
  method(name: string, args: unknown[], kw: Record<string, unknown>): unknown {
    const p = this.parts()
    switch (name) {
      case 'strftime':
        return formatTime(p, String(kw.format ?? args[0]))
      case 'isoformat':
        return this.isoformat(String(kw.sep ?? args[0] ?? 'T'))
      case 'timestamp':
        return this.timestamp()
    }
    return this.dateMethod(name, args, kw) ?? this.timeMethod(name, args, kw)
  }
  /** The methods a datetime shares with its date, or undefined. */
  private dateMethod(name: string, args: unknown[], kw: Record<string, unknown>): unknown {
    const days = Number(floorDiv(this.wall, US_PER_DAY))
    if (name === 'date') return new PyDate(days)
    if (name !== 'ctime') return dayMethod(this.pyType, name, days, args, kw)
    noArgs(`${this.pyType}.ctime`, args, kw)
    return ctime(this.parts())
  }
  /** The methods that read or change a datetime's time and zone, or NO_METHOD. */
  private timeMethod(name: string, args: unknown[], kw: Record<string, unknown>): unknown {
    const p = this.parts()
    switch (name) {
      case 'utcoffset':
        return this.offset === undefined ? null : new PyTimedelta(BigInt(this.offset) * 1_000_000n)
      case 'replace': {
        const { fields: f, naive } = replaced([...DATE_FIELDS, ...TIME_FIELDS], p, args, kw, true)
        const [y, mo, d, h, mi, s, us] = [f.year, f.month, f.day, f.hour, f.minute, f.second, f.microsecond]
        return PyDateTime.of(y ?? 1, mo ?? 1, d ?? 1, h, mi, s, us, naive ? undefined : this.offset)
      }
      case 'time':
        return new PyTime(Number(this.wall - floorDiv(this.wall, US_PER_DAY) * US_PER_DAY))
    }
    return NO_METHOD
  }
  operate(op: string, o: unknown, reflected: boolean): unknown {
    if (o instanceof PyTimedelta && (op === '+' || (op === '-' && !reflected)))
      return new PyDateTime(op === '+' ? this.wall + o.us : this.wall - o.us, this.offset)
    if (o instanceof PyDateTime && op === '-') {
      if ((o.offset === undefined) !== (this.offset === undefined))
        throw new UserError("can't subtract offset-naive and offset-aware datetimes")
      const [a, b] = reflected ? [o, this] : [this, o]
      return new PyTimedelta(a.instant() - b.instant())
    }
    return NO_METHOD
  }
}

/** Ansible's `now(utc=False, fmt=None)`: the controller's time as a naive datetime, or formatted with `fmt`. */
export function now(args: unknown[], kw: Record<string, unknown>): unknown {
  const utc = (kw.utc ?? args[0]) === true
  const fmt = kw.fmt ?? args[1]
  const p = dateParts(new Date(), utc)
  const dt = PyDateTime.of(p.year, p.month, p.day, p.hour, p.minute, p.second, p.microsecond)
  return typeof fmt === 'string' ? formatTime(dt.parts(), fmt) : dt
}

/** `+HH:MM` (with `:SS` when the offset has seconds). */
function offsetText(secs: number): string {
  const a = Math.abs(secs)
  const ss = a % 60
  return `${secs < 0 ? '-' : '+'}${pad(Math.floor(a / 3600))}:${pad(Math.floor(a / 60) % 60)}${ss ? `:${pad(ss)}` : ''}`
}

function tzRepr(secs: number): string {
  return secs === 0
    ? 'datetime.timezone.utc'
    : `datetime.timezone(${new PyTimedelta(BigInt(secs) * 1_000_000n).repr()})`
}
