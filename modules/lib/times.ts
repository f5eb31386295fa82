/**
 * `access_time`/`modification_time` for the `file` module: `preserve`, `now`, or a timestamp in a
 * strftime-style format (Ansible's default `%Y%m%d%H%M.%S`). A timestamp is turned into
 * `YYYY-MM-DD HH:MM:SS` on the controller and into epoch seconds on the host (`date -d`, the host's time zone,
 * as Ansible does), so the plan can compare it with the file's times.
 *
 * @example
 * ```ts
 * parseTimestamp('202401311200.30', '%Y%m%d%H%M.%S') // '2024-01-31 12:00:30'
 * ```
 */
import { ModuleFailure } from '../../engine/module.js'

/** Default format, as Ansible's `access_time_format`/`modification_time_format`. */
export const DEFAULT_TIME_FORMAT = '%Y%m%d%H%M.%S'

const FIELDS: Record<string, { re: string; key: 'Y' | 'm' | 'd' | 'H' | 'M' | 'S' | 'y' }> = {
  Y: { re: '(\\d{4})', key: 'Y' },
  y: { re: '(\\d{2})', key: 'y' },
  m: { re: '(\\d{1,2})', key: 'm' },
  d: { re: '(\\d{1,2})', key: 'd' },
  H: { re: '(\\d{1,2})', key: 'H' },
  M: { re: '(\\d{1,2})', key: 'M' },
  S: { re: '(\\d{1,2})', key: 'S' },
}

/** `value` parsed with `format` (directives %Y %y %m %d %H %M %S %%) as `YYYY-MM-DD HH:MM:SS`. */
export function parseTimestamp(value: string, format: string): string {
  let re = '^'
  const keys: string[] = []
  for (let i = 0; i < format.length; i++) {
    const c = format[i]
    if (c === '%' && i + 1 < format.length) {
      const d = format[++i]
      if (d === '%') re += '%'
      else if (FIELDS[d]) {
        re += FIELDS[d].re
        keys.push(FIELDS[d].key)
      } else throw new ModuleFailure(`time format '${format}': %${d} is not supported (use %Y %y %m %d %H %M %S)`)
    } else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  }
  const m = new RegExp(`${re}$`).exec(value)
  if (!m) throw new ModuleFailure(`time '${value}' does not match the format '${format}'`)
  const v: Record<string, number> = { Y: 1900, m: 1, d: 1, H: 0, M: 0, S: 0 }
  keys.forEach((k, i) => {
    const n = Number(m[i + 1])
    if (k === 'y') v.Y = n < 69 ? 2000 + n : 1900 + n
    else v[k] = n
  })
  if (v.m < 1 || v.m > 12 || v.d < 1 || v.d > 31 || v.H > 23 || v.M > 59 || v.S > 61) {
    throw new ModuleFailure(`time '${value}' is not a valid date and time`)
  }
  const p = (n: number) => String(n).padStart(2, '0')
  return `${String(v.Y).padStart(4, '0')}-${p(v.m)}-${p(v.d)} ${p(v.H)}:${p(v.M)}:${p(v.S)}`
}

/** A wanted time: leave it, set it to now, or set it to epoch seconds (resolved on the host). */
export type WantedTime = { kind: 'preserve' } | { kind: 'now' } | { kind: 'at'; text: string; epoch?: number }

/** Classify a time argument (default: `preserve`, or `now` for `state: touch`). */
export function wantedTime(value: string | undefined, format: string | undefined, touch: boolean): WantedTime {
  const v = value ?? (touch ? 'now' : 'preserve')
  if (v === 'preserve') return { kind: 'preserve' }
  if (v === 'now') return { kind: 'now' }
  return { kind: 'at', text: parseTimestamp(v, format ?? DEFAULT_TIME_FORMAT) }
}
