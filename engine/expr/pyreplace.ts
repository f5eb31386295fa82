/**
 * Python's `replace()` of a `date`, `datetime` or `time` value: the fields given (positional in Python's order, or
 * by name) replace the value's own, checked as Python checks them, with Python's errors (`day is out of range for
 * month`, `hour must be in 0..23`, `'str' object cannot be interpreted as an integer`). `tzinfo=None` makes an
 * aware value naive; another value's `tzinfo` (a timezone) gives its zone.
 *
 * @example
 * ```jinja
 * {{ ('2016-08-14 20:00:12' | to_datetime).replace(day=1, hour=0) }}   {# 2016-08-01 00:00:12 #}
 * ```
 */
import { UserError } from '../errors.js'
import { daysInMonth } from './clock.js'
import { PyTimezone } from './pytimezone.js'
import { force, pyTypeName } from './values.js'

/** A date's fields, in `replace()`'s order. */
export const DATE_FIELDS = ['year', 'month', 'day'] as const
/** A time's fields, in `replace()`'s order. */
export const TIME_FIELDS = ['hour', 'minute', 'second', 'microsecond'] as const

type Field = (typeof DATE_FIELDS)[number] | (typeof TIME_FIELDS)[number]
/** Some of a value's fields, by name. */
export type Fields = Partial<Record<Field, number>>

/** What `replace()` gives: the new fields and the `tzinfo` given (undefined: none given; null: `tzinfo=None`). */
export interface Replaced {
  fields: Fields
  tz?: PyTimezone | null
}

/**
 * `replace(*args, **kw)` of a value whose fields `names` (in order) hold `own`; `tz`: it takes `tzinfo` (after
 * the fields) and `fold`, as a datetime and a time do.
 */
export function replaced(
  names: readonly Field[],
  own: Fields,
  args: unknown[],
  kw: Record<string, unknown>,
  tz: boolean,
): Replaced {
  const order: string[] = tz ? [...names, 'tzinfo'] : [...names]
  if (args.length > order.length)
    throw new UserError(
      `replace() takes at most ${order.length} ${tz ? 'positional arguments' : 'arguments'} (${args.length} given)`,
    )
  const given: Record<string, unknown> = {}
  args.forEach((v, i) => (given[order[i]] = force(v)))
  for (const [k, v] of Object.entries(kw)) {
    if (!order.includes(k) && !(tz && k === 'fold'))
      throw new UserError(`'${k}' is an invalid keyword argument for replace()`)
    const i = order.indexOf(k)
    if (i >= 0 && i < args.length)
      throw new UserError(`argument for replace() given by name ('${k}') and position (${i + 1})`)
    given[k] = force(v)
  }
  const fields: Fields = { ...own }
  for (const n of names) if (n in given) fields[n] = integer(given[n])
  checkFields(fields)
  if ('fold' in given) {
    const fold = integer(given.fold)
    if (fold !== 0 && fold !== 1) throw new UserError('fold must be either 0 or 1')
    if (fold) throw new UserError('replace(fold=1) is not supported by tsplay')
  }
  const tzinfo = given.tzinfo
  if (tzinfo !== undefined) checkTzinfo(tzinfo)
  return { fields, tz: tzinfo as PyTimezone | null | undefined }
}

/** Python's check of a `tzinfo` argument: None or a timezone (the only tzinfo objects tsplay has). */
export function checkTzinfo(tz: unknown): asserts tz is PyTimezone | null {
  if (tz !== null && !(tz instanceof PyTimezone))
    throw new UserError(`tzinfo argument must be None or of a tzinfo subclass, not type '${pyTypeName(tz)}'`)
}

/** Python's `operator.index(v)`: an int (a bool counts as one). */
function integer(v: unknown): number {
  if (typeof v === 'boolean') return Number(v)
  if (typeof v === 'number' && Number.isInteger(v)) return v
  throw new UserError(`'${pyTypeName(v)}' object cannot be interpreted as an integer`)
}

const TIME_RANGES: [Field, number][] = [
  ['hour', 23],
  ['minute', 59],
  ['second', 59],
  ['microsecond', 999_999],
]

/** Python's checks of a date's and a time's fields, in its order: the date's first. */
export function checkFields(f: Fields): void {
  const { year, month, day } = f
  if (year !== undefined && (year < 1 || year > 9999)) throw new UserError(`year ${year} is out of range`)
  if (month !== undefined && (month < 1 || month > 12)) throw new UserError('month must be in 1..12')
  if (day !== undefined && year !== undefined && month !== undefined && (day < 1 || day > daysInMonth(year, month)))
    throw new UserError('day is out of range for month')
  for (const [k, max] of TIME_RANGES) {
    const v = f[k]
    if (v !== undefined && (v < 0 || v > max)) throw new UserError(`${k} must be in 0..${max}`)
  }
}
