/**
 * Python's `strftime` with the common codes, over a wall-clock time's fields (a JavaScript `Date` in local time or
 * UTC, or a datetime value), and the calendar arithmetic datetime values need.
 *
 * @example
 * ```ts
 * strftime(new Date(0), '%Y-%m-%dT%H:%M:%SZ', true) // '1970-01-01T00:00:00Z'
 * ```
 */
import { UserError } from '../errors.js'

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]

/** `n` with leading zeros to `w` digits. */
export const pad = (n: number, w = 2) => String(n).padStart(w, '0')

/** A wall-clock time's fields, as strftime formats them. */
export interface TimeParts {
  year: number
  /** 1–12 */
  month: number
  day: number
  hour: number
  minute: number
  second: number
  microsecond: number
  /** Minutes east of UTC; undefined for a naive time (`%z` and `%Z` give ''). */
  offset?: number
  /** The zone's name for `%Z`. */
  zone?: string
  /** Seconds since the epoch (`%s`). */
  epoch: () => number
}

/** Days from 1970-01-01 to the proleptic Gregorian date y-m-d (exact for any year). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y
  const era = Math.floor(yy / 400)
  const yoe = yy - era * 400
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

/** The proleptic Gregorian date of a day count from 1970-01-01. */
export function civilFromDays(z: number): [number, number, number] {
  z += 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1
  const m = mp < 10 ? mp + 3 : mp - 9
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d]
}

/** How many days month `m` of year `y` has. */
export function daysInMonth(y: number, m: number): number {
  return daysFromCivil(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1) - daysFromCivil(y, m, 1)
}

/** Seconds since the epoch of a naive wall-clock time read as the controller's local time, as Python reads it. */
export function localEpoch(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, us = 0): number {
  const t = new Date(2000, mo - 1, d, h, mi, s)
  t.setFullYear(y)
  return t.getTime() / 1000 + us / 1e6
}

/** Python's `weekday()` of a day count from 1970-01-01 (a Thursday): Monday is 0. */
export const weekday = (days: number): number => (((days + 3) % 7) + 7) % 7

/** `strftime(fmt)` of the fields `t`, with the common codes. Throws for a code it does not know. */
export function formatTime(t: TimeParts, fmt: string): string {
  const wd = (weekday(daysFromCivil(t.year, t.month, t.day)) + 1) % 7 // Sunday is 0
  const off = t.offset
  const codes: Record<string, () => string> = {
    Y: () => String(t.year),
    y: () => pad(t.year % 100),
    m: () => pad(t.month),
    d: () => pad(t.day),
    e: () => String(t.day).padStart(2, ' '),
    H: () => pad(t.hour),
    I: () => pad(t.hour % 12 || 12),
    M: () => pad(t.minute),
    S: () => pad(t.second),
    f: () => pad(t.microsecond, 6),
    p: () => (t.hour < 12 ? 'AM' : 'PM'),
    a: () => DAYS[wd].slice(0, 3),
    A: () => DAYS[wd],
    b: () => MONTHS[t.month - 1].slice(0, 3),
    h: () => MONTHS[t.month - 1].slice(0, 3),
    B: () => MONTHS[t.month - 1],
    w: () => String(wd),
    u: () => String(wd || 7),
    j: () => pad(daysFromCivil(t.year, t.month, t.day) - daysFromCivil(t.year, 1, 1) + 1, 3),
    z: () =>
      off === undefined ? '' : `${off < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(off) / 60))}${pad(Math.abs(off) % 60)}`,
    Z: () => t.zone ?? '',
    s: () => String(Math.floor(t.epoch())),
    F: () => `${t.year}-${pad(t.month)}-${pad(t.day)}`,
    T: () => `${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}`,
    '%': () => '%',
  }
  return fmt.replace(/%(.)/g, (_, c: string) => {
    const f = codes[c]
    if (!f) throw new UserError(`strftime: the format code "%${c}" is not supported`)
    return f()
  })
}

/** `strftime(fmt)` of `d` (local time, or UTC when `utc`). Throws for a code it does not know. */
export function strftime(d: Date, fmt: string, utc: boolean): string {
  return formatTime(dateParts(d, utc), fmt)
}

/** The controller's time zone name, once looked up. */
let localZone: string | undefined

/** The fields of `d` in local time (with its offset and zone) or in UTC (naive). */
export function dateParts(d: Date, utc: boolean): TimeParts {
  const ms = d.getMilliseconds() * 1000
  const epoch = () => d.getTime() / 1000
  if (utc) {
    const [year, month, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()]
    return {
      year,
      month,
      day,
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
      microsecond: ms,
      epoch,
    }
  }
  return {
    year: d.getFullYear(),
    month: d.getMonth() + 1,
    day: d.getDate(),
    hour: d.getHours(),
    minute: d.getMinutes(),
    second: d.getSeconds(),
    microsecond: ms,
    offset: -d.getTimezoneOffset(),
    // looked up when `%Z` asks: the first lookup loads ICU's zone data (about 25 ms)
    get zone() {
      return (localZone ??= Intl.DateTimeFormat().resolvedOptions().timeZone ?? '')
    },
    epoch,
  }
}
