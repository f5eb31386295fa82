/**
 * Python's `datetime.timezone`: the `tzinfo` of an aware datetime or time value (a fixed UTC offset, and a name
 * when `astimezone()` made it from the controller's zone). Prints as Python's: `UTC+01:00` (or its name) as text,
 * `datetime.timezone(datetime.timedelta(seconds=3600))` in a list; answers `utcoffset(dt)`, `tzname(dt)` and
 * `dst(dt)`; equal to another of the same offset. Its `.utc` (as Python's `timezone.utc`) converts to UTC.
 *
 * @example
 * ```jinja
 * {{ ('2024-03-01T12:00:00+0100' | to_datetime('%Y-%m-%dT%H:%M:%S%z')).tzinfo.utcoffset(none) }}   {# 1:00:00 #}
 * {% set t = '2024-03-01T12:00:00+0100' | to_datetime('%Y-%m-%dT%H:%M:%S%z') %}
 * {{ t.astimezone(t.tzinfo.utc) }}   {# 2024-03-01 11:00:00+00:00 #}
 * ```
 */
import { UserError } from '../errors.js'
import { pad } from './clock.js'
import { pyStrRepr } from './pystr.js'
import { PyTimedelta } from './pytimedelta.js'
import { NO_METHOD, PyObject, pyTypeName } from './values.js'

/** `timezone.utc`, `timezone.min` and `timezone.max`: their offsets. */
const CONSTANTS = new Map([
  ['utc', 0],
  ['min', -86_340],
  ['max', 86_340],
])

/** A fixed-offset time zone: `offset` seconds east of UTC, and its name if it was given one. */
export class PyTimezone extends PyObject {
  readonly pyType = 'timezone'
  constructor(
    readonly offset: number,
    readonly name?: string,
  ) {
    super()
  }
  /** `tzname()`: the name, else `UTC` or `UTC+01:00`. */
  tzname(): string {
    return this.name ?? (this.offset === 0 ? 'UTC' : `UTC${offsetText(this.offset)}`)
  }
  utcoffset(): PyTimedelta {
    return new PyTimedelta(BigInt(this.offset) * 1_000_000n)
  }
  str(): string {
    return this.tzname()
  }
  repr(): string {
    if (this.offset === 0 && this.name === undefined) return 'datetime.timezone.utc'
    return `datetime.timezone(${this.utcoffset().repr()}${this.name === undefined ? '' : `, ${pyStrRepr(this.name)}`})`
  }
  json(): unknown {
    throw new UserError('Object of type timezone is not JSON serializable')
  }
  equals(o: unknown): boolean {
    return o instanceof PyTimezone && o.offset === this.offset
  }
  compareTo(o: unknown): number {
    const other = o instanceof PyObject ? `datetime.${o.pyType}` : pyTypeName(o)
    throw new UserError(`'<' not supported between instances of 'datetime.timezone' and '${other}'`)
  }
  /** The class's constants, which Python reads through an instance too: `utc`, `min` and `max`. */
  attr(name: string): unknown {
    const offset = CONSTANTS.get(name)
    return offset === undefined ? undefined : new PyTimezone(offset)
  }
  method(name: string, args: unknown[], kw: Record<string, unknown>): unknown {
    if (name !== 'utcoffset' && name !== 'tzname' && name !== 'dst') return NO_METHOD
    if (Object.keys(kw).length) throw new UserError(`timezone.${name}() takes no keyword arguments`)
    if (args.length !== 1) throw new UserError(`timezone.${name}() takes exactly one argument (${args.length} given)`)
    const dt = args[0]
    if (dt !== null && !(dt instanceof PyObject && dt.pyType === 'datetime')) {
      const type = dt instanceof PyObject ? `datetime.${dt.pyType}` : pyTypeName(dt)
      throw new UserError(`${name}(dt) argument must be a datetime instance or None, not ${type}`)
    }
    return name === 'utcoffset' ? this.utcoffset() : name === 'tzname' ? this.tzname() : null
  }
  operate(): unknown {
    return NO_METHOD
  }
}

/** `+HH:MM` (with `:SS` when the offset has seconds). */
export function offsetText(secs: number): string {
  const a = Math.abs(secs)
  const ss = a % 60
  return `${secs < 0 ? '-' : '+'}${pad(Math.floor(a / 3600))}:${pad(Math.floor(a / 60) % 60)}${ss ? `:${pad(ss)}` : ''}`
}
