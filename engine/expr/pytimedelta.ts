/**
 * Python's `timedelta`, as subtracting two datetime (or date) values gives it: `.days`, `.seconds`,
 * `.microseconds`, `.total_seconds()`; added to or subtracted from another, multiplied or divided by a number,
 * compared. Printed as Python prints it (`-1 day, 23:59:59`). Also the integer helpers the date values share.
 *
 * @example
 * ```jinja
 * {{ (('2016-08-19' | to_datetime('%Y-%m-%d')) - ('2016-08-14' | to_datetime('%Y-%m-%d'))) * 2 }}
 * {# 10 days, 0:00:00 #}
 * ```
 */
import { UserError } from '../errors.js'
import { pad } from './clock.js'
import { NO_METHOD, PyObject, short } from './values.js'

/** Microseconds in a day. */
export const US_PER_DAY = 86_400_000_000n

/** A Python `timedelta`, kept as whole microseconds. */
export class PyTimedelta extends PyObject {
  readonly pyType = 'timedelta'
  constructor(readonly us: bigint) {
    super()
  }
  get days(): number {
    return Number(floorDiv(this.us, US_PER_DAY))
  }
  get seconds(): number {
    return Number((this.us - BigInt(this.days) * US_PER_DAY) / 1_000_000n)
  }
  get microseconds(): number {
    return Number(mod(this.us, 1_000_000n))
  }
  str(): string {
    const { days, seconds, microseconds } = this
    const hms = `${Math.floor(seconds / 3600)}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`
    const d = days ? `${days} day${Math.abs(days) !== 1 ? 's' : ''}, ` : ''
    return `${d}${hms}${microseconds ? `.${pad(microseconds, 6)}` : ''}`
  }
  repr(): string {
    const parts = (['days', 'seconds', 'microseconds'] as const).filter((k) => this[k]).map((k) => `${k}=${this[k]}`)
    return `datetime.timedelta(${parts.join(', ') || '0'})`
  }
  json(): unknown {
    return this.str()
  }
  truth(): boolean {
    return this.us !== 0n
  }
  equals(o: unknown): boolean {
    return o instanceof PyTimedelta && o.us === this.us
  }
  compareTo(o: unknown): number {
    if (!(o instanceof PyTimedelta)) throw unorderable(this, o)
    return this.us < o.us ? -1 : this.us > o.us ? 1 : 0
  }
  attr(name: string): unknown {
    return name === 'days' || name === 'seconds' || name === 'microseconds' ? this[name] : undefined
  }
  method(name: string): unknown {
    return name === 'total_seconds' ? Number(this.us) / 1e6 : NO_METHOD
  }
  operate(op: string, o: unknown, reflected: boolean): unknown {
    if (o instanceof PyTimedelta) {
      const [a, b] = reflected ? [o.us, this.us] : [this.us, o.us]
      if (op === '+') return new PyTimedelta(a + b)
      if (op === '-') return new PyTimedelta(a - b)
      if (op === '/') return Number(a) / Number(b)
      if (op === '//') return Number(floorDiv(a, b))
    }
    if (typeof o === 'number' && op === '*') return new PyTimedelta(BigInt(Math.round(Number(this.us) * o)))
    if (typeof o === 'number' && !reflected && (op === '/' || op === '//'))
      return new PyTimedelta(BigInt(op === '/' ? Math.round(Number(this.us) / o) : Math.floor(Number(this.us) / o)))
    return NO_METHOD
  }
}

/** Python's `a // b` of two integers (rounded toward negative infinity). */
export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q
}

function mod(a: bigint, b: bigint): bigint {
  return ((a % b) + b) % b
}

/** Python's error for ordering `a` against a value of another type. */
export function unorderable(a: PyObject, b: unknown): UserError {
  return new UserError(`'<' not supported between instances of '${a.pyType}' and ${short(b)}`)
}
