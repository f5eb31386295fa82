/**
 * Python's `datetime` values, as Ansible's `to_datetime` filter and `now()` global give them: subtract two for a
 * timedelta (engine/expr/pytimedelta.ts), add or subtract a timedelta, compare them, read `.year` …
 * `.microsecond`, call `.strftime()`/`.isoformat()`/`.timestamp()`/`.weekday()`, `.replace(day=1, …)` for a copy
 * with other fields, `.date()`, `.time()` and `.timetz()` for its date and time parts (engine/expr/pydate.ts),
 * `.astimezone(tz=None)` for the same instant in another zone (the controller's by default, named as Python names
 * it), `.tzinfo` for its zone (engine/expr/pytimezone.ts). Printed as Python prints them (`2016-08-14 20:00:12`).
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
import { checkTzinfo, DATE_FIELDS, replaced, TIME_FIELDS } from './pyreplace.js'
import { floorDiv, PyTimedelta, unorderable, US_PER_DAY } from './pytimedelta.js'
import { offsetText, PyTimezone } from './pytimezone.js'
import { localZone } from './tzif.js'
import { force, NO_METHOD, PyObject } from './values.js'

/** A Python `datetime`: wall-clock microseconds since 1970-01-01 and, when aware, its zone. */
export class PyDateTime extends PyObject {
  readonly pyType = 'datetime'
  constructor(
    readonly wall: bigint,
    readonly tz?: PyTimezone,
  ) {
    super()
  }
  /** The datetime of these fields, aware when given a UTC `offset` in seconds. */
  static of(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, us = 0, offset?: number): PyDateTime {
    const secs = BigInt(daysFromCivil(y, mo, d)) * 86_400n + BigInt(h * 3600 + mi * 60 + s)
    return new PyDateTime(secs * 1_000_000n + BigInt(us), offset === undefined ? undefined : new PyTimezone(offset))
  }
  /** Its UTC offset in seconds; undefined when naive. */
  get offset(): number | undefined {
    return this.tz?.offset
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
      zone: this.tz?.tzname(),
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
    const tz = this.tz ? `, tzinfo=${this.tz.repr()}` : ''
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
    if (name === 'tzinfo') return this.tz ?? null
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
      case 'tzname':
      case 'dst':
        noArgs(`${this.pyType}.${name}`, args, kw)
        return !this.tz || name === 'dst' ? null : name === 'tzname' ? this.tz.tzname() : this.tz.utcoffset()
      case 'replace': {
        const { fields: f, tz } = replaced([...DATE_FIELDS, ...TIME_FIELDS], p, args, kw, true)
        const [y, mo, d, h, mi, s, us] = [f.year, f.month, f.day, f.hour, f.minute, f.second, f.microsecond]
        return new PyDateTime(
          PyDateTime.of(y ?? 1, mo ?? 1, d ?? 1, h, mi, s, us).wall,
          tz === undefined ? this.tz : (tz ?? undefined),
        )
      }
      case 'time':
      case 'timetz':
        if (name === 'timetz') noArgs(`${this.pyType}.timetz`, args, kw)
        return new PyTime(
          Number(this.wall - floorDiv(this.wall, US_PER_DAY) * US_PER_DAY),
          name === 'timetz' ? this.tz : undefined,
        )
      case 'astimezone':
        return this.astimezone(args, kw)
    }
    return NO_METHOD
  }
  /** `astimezone(tz=None)`: the same instant in `tz`, or in the controller's zone (its offset and name then). */
  private astimezone(args: unknown[], kw: Record<string, unknown>): PyDateTime {
    for (const k of Object.keys(kw))
      if (k !== 'tz') throw new UserError(`'${k}' is an invalid keyword argument for astimezone()`)
    if (args.length + Object.keys(kw).length > 1)
      throw new UserError(
        args.length > 1
          ? `astimezone() takes at most 1 argument (${args.length} given)`
          : "argument for astimezone() given by name ('tz') and position (1)",
      )
    const tz = force(args.length ? args[0] : (kw.tz ?? null))
    checkTzinfo(tz)
    if (tz && tz === this.tz) return this
    let utc = this.instant()
    if (!this.tz) {
      // a naive value is the controller's local time, at the offset its local reading has (as Python's: a time in
      // a gap a clock change skips is then read with the offset after the change)
      const p = this.parts()
      const offset = localZone(localEpoch(p.year, p.month, p.day, p.hour, p.minute, p.second)).offset
      utc = this.wall - BigInt(offset) * 1_000_000n
    }
    const zone = tz ?? localZone(Number(floorDiv(utc, 1_000_000n)))
    const to = zone instanceof PyTimezone ? zone : new PyTimezone(zone.offset, zone.name)
    return new PyDateTime(utc + BigInt(to.offset) * 1_000_000n, to)
  }
  operate(op: string, o: unknown, reflected: boolean): unknown {
    if (o instanceof PyTimedelta && (op === '+' || (op === '-' && !reflected)))
      return new PyDateTime(op === '+' ? this.wall + o.us : this.wall - o.us, this.tz)
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
