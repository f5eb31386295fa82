/**
 * Ansible's `now(utc=False, fmt=None)` global: the controller's current time, as Python prints a datetime
 * (`2026-12-01 02:50:07.123456`), or formatted with the common strftime codes.
 *
 * @example
 * ```yaml
 * - debug: { msg: "{{ now() }} {{ now(utc=true, fmt='%Y-%m-%dT%H:%M:%SZ') }}" }
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

const pad = (n: number, w = 2) => String(n).padStart(w, '0')

/** `strftime(fmt)` of `d` (local time, or UTC when `utc`). Throws for a code it does not know. */
export function strftime(d: Date, fmt: string, utc: boolean): string {
  const p = utc
    ? [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()]
    : [d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds()]
  const [y, mo, day, h, mi, s] = p
  const wd = utc ? d.getUTCDay() : d.getDay()
  const off = utc ? 0 : -d.getTimezoneOffset()
  const codes: Record<string, () => string> = {
    Y: () => String(y),
    y: () => pad(y % 100),
    m: () => pad(mo + 1),
    d: () => pad(day),
    H: () => pad(h),
    I: () => pad(h % 12 || 12),
    M: () => pad(mi),
    S: () => pad(s),
    f: () => pad(d.getMilliseconds() * 1000, 6),
    p: () => (h < 12 ? 'AM' : 'PM'),
    a: () => DAYS[wd].slice(0, 3),
    A: () => DAYS[wd],
    b: () => MONTHS[mo].slice(0, 3),
    B: () => MONTHS[mo],
    w: () => String(wd),
    j: () => pad(Math.floor((Date.UTC(y, mo, day) - Date.UTC(y, 0, 1)) / 86_400_000) + 1, 3),
    z: () => (utc ? '' : `${off < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(off) / 60))}${pad(Math.abs(off) % 60)}`),
    Z: () => (utc ? '' : (Intl.DateTimeFormat().resolvedOptions().timeZone ?? '')),
    s: () => String(Math.floor(d.getTime() / 1000)),
    '%': () => '%',
  }
  return fmt.replace(/%(.)/g, (_, c: string) => {
    const f = codes[c]
    if (!f) throw new UserError(`now(): the format code "%${c}" is not supported`)
    return f()
  })
}

/** `now(utc=False, fmt=None)`: keyword or positional arguments, as Ansible takes them. */
export function now(args: unknown[], kw: Record<string, unknown>): string {
  const utc = (kw.utc ?? args[0]) === true
  const fmt = kw.fmt ?? args[1]
  return strftime(new Date(), typeof fmt === 'string' ? fmt : '%Y-%m-%d %H:%M:%S.%f', utc)
}
