/**
 * What Python's `date` and `datetime` share beyond their fields: `toordinal()` (days since 0001-01-01, which is
 * day 1), `isocalendar()` (an `IsoCalendarDate` named tuple: ISO year, week and weekday) and `ctime()`
 * (`Sun Aug 14 20:00:12 2016`), and the check that a method given arguments it takes none of fails as Python's.
 *
 * @example
 * ```jinja
 * {{ ('2024-12-30' | to_datetime('%Y-%m-%d')).isocalendar() }}
 * {# datetime.IsoCalendarDate(year=2025, week=1, weekday=1) #}
 * {{ ('2016-08-04' | to_datetime('%Y-%m-%d')).ctime() }}   {# Thu Aug  4 00:00:00 2016 #}
 * ```
 */
import { UserError } from '../errors.js'
import { civilFromDays, daysFromCivil, formatTime, pad, weekday, type TimeParts } from './clock.js'
import { namedTuple } from './namedtuple.js'
import { tuple } from './pystr.js'

/** `date.toordinal()` of 1970-01-01. */
const EPOCH_ORDINAL = 719_163

const ISO_CALENDAR_DATE = { module: 'datetime', name: 'IsoCalendarDate', fields: ['year', 'week', 'weekday'] }

/** Python's `toordinal()` of a day count from 1970-01-01. */
export const toOrdinal = (days: number): number => days + EPOCH_ORDINAL

/** The day count of the Monday of ISO week 1 of `year` (the week with the year's first Thursday). */
function week1Monday(year: number): number {
  const first = daysFromCivil(year, 1, 1)
  const wd = weekday(first)
  return first - wd + (wd > 3 ? 7 : 0)
}

/** Python's `isocalendar()` of a day count from 1970-01-01: `IsoCalendarDate(year, week, weekday)`. */
export function isoCalendar(days: number): number[] {
  let [year] = civilFromDays(days)
  if (days < week1Monday(year)) year--
  else if (days >= week1Monday(year + 1)) year++
  const since = days - week1Monday(year)
  return namedTuple(tuple([year, Math.floor(since / 7) + 1, (since % 7) + 1]), ISO_CALENDAR_DATE)
}

const DAY_METHODS = new Map<string, (days: number) => unknown>([
  ['weekday', weekday],
  ['isoweekday', (d) => weekday(d) + 1],
  ['toordinal', toOrdinal],
  ['isocalendar', isoCalendar],
])

/**
 * `weekday()`, `isoweekday()`, `toordinal()` or `isocalendar()` of a day count from 1970-01-01 (which take no
 * arguments) of a value of Python type `type`, or undefined for another method.
 */
export function dayMethod(
  type: string,
  name: string,
  days: number,
  args: unknown[],
  kw: Record<string, unknown>,
): unknown {
  const f = DAY_METHODS.get(name)
  if (!f) return undefined
  noArgs(`${type}.${name}`, args, kw)
  return f(days)
}

/** Python's `ctime()` of the fields `p`: `Thu Aug  4 20:00:12 2016` (the year with four digits). */
export function ctime(p: TimeParts): string {
  return `${formatTime(p, '%a %b %e %H:%M:%S')} ${pad(p.year, 4)}`
}

/**
 * Python's error when the method `qualname`, which takes no arguments, is given some: named after the value's own
 * type (`datetime.toordinal`), as a bound method that Jinja calls is.
 */
export function noArgs(qualname: string, args: unknown[], kw: Record<string, unknown>): void {
  if (Object.keys(kw).length) throw new UserError(`${qualname}() takes no keyword arguments`)
  if (args.length) throw new UserError(`${qualname}() takes no arguments (${args.length} given)`)
}
