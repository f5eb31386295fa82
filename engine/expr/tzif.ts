/**
 * The controller's time zone at an instant: its offset and abbreviation (`CET`, `CEST`, `EDT`, `+04`), as Python's
 * `time.localtime()` gives them (`tm_gmtoff`, `tm_zone`): read from the zone's TZif file (`$TZ` under
 * /usr/share/zoneinfo, else /etc/localtime), as the C library reads it. JavaScript's `Intl` names zones otherwise
 * (`GMT+1`), so it is not used.
 *
 * @example
 * ```ts
 * localZone(1_470_000_000) // { offset: 7200, name: 'CEST' } with TZ=Europe/Paris
 * ```
 */
import { existsSync, readFileSync } from 'node:fs'

/** A zone's local time types, its transitions (when each type starts) and its POSIX rule for later times. */
interface Zone {
  times: number[]
  types: number[]
  kinds: { offset: number; name: string }[]
  rule: string
}

const zones = new Map<string, Zone | undefined>()

/** The controller's zone at `epoch` (seconds): its offset east of UTC in seconds and its abbreviation. */
export function localZone(epoch: number): { offset: number; name: string } {
  // JavaScript gives whole minutes (a zone's local mean time before 1900 has seconds): the zone file's is exact
  const offset = -new Date(Math.floor(epoch) * 1000).getTimezoneOffset() * 60
  const tz = process.env.TZ
  if (tz === '') return { offset, name: 'UTC' }
  const key = tz ?? ''
  if (!zones.has(key)) zones.set(key, loadZone(tz))
  const zone = zones.get(key)
  if (zone) {
    let i = zone.times.length - 1
    while (i >= 0 && zone.times[i] > epoch) i--
    const now = zone.kinds[i >= 0 ? zone.types[i] : 0]
    if (now && i < zone.times.length - 1) return now
    if (now?.offset === offset) return now
    // past the last transition, where the rule may give another offset: the latest type with this offset
    for (let j = zone.types.length - 1; j >= 0; j--) {
      const k = zone.kinds[zone.types[j]]
      if (k.offset === offset) return k
    }
  }
  const name = ruleName(zone?.rule ?? tz?.replace(/^:/, '') ?? '', offset)
  return { offset, name: name ?? (offset === 0 ? 'UTC' : '') }
}

/** The standard or daylight name of a POSIX TZ rule (`CET-1CEST,M3.5.0,M10.5.0/3`, `<+04>-4`) for `offset`. */
function ruleName(rule: string, offset: number): string | undefined {
  const m = /^(<[^>]*>|[A-Za-z]{3,})([-+]?\d{1,2}(?::\d{2}){0,2})(<[^>]*>|[A-Za-z]{3,})?/.exec(rule)
  if (!m) return undefined
  const unquote = (s: string) => s.replace(/^<|>$/g, '')
  const [h, mi = '0', s = '0'] = m[2].replace(/^[-+]/, '').split(':')
  const std = (m[2].startsWith('-') ? 1 : -1) * (Number(h) * 3600 + Number(mi) * 60 + Number(s))
  return offset === std || !m[3] ? unquote(m[1]) : unquote(m[3])
}

/** The TZif file of `$TZ` (or /etc/localtime), parsed; undefined when there is none. */
function loadZone(tz: string | undefined): Zone | undefined {
  const name = tz?.replace(/^:/, '')
  const path = name === undefined ? '/etc/localtime' : name.startsWith('/') ? name : `/usr/share/zoneinfo/${name}`
  if (name?.includes('..') || !existsSync(path)) return undefined
  try {
    return parseTzif(readFileSync(path))
  } catch {
    return undefined
  }
}

/** A TZif file's version 2+ data (64-bit times) when it has it, else its version 1 data; and its footer rule. */
function parseTzif(b: Buffer): Zone | undefined {
  if (b.toString('latin1', 0, 4) !== 'TZif') return undefined
  const counts = (at: number) => [20, 24, 28, 32, 36, 40].map((o) => b.readUInt32BE(at + o))
  let at = 0
  let wide = false
  if (b[4] >= 0x32) {
    const [isut, isstd, leap, time, type, chars] = counts(0)
    at = 44 + time * 5 + type * 6 + chars + leap * 8 + isstd + isut
    wide = true
  }
  const [isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt] = counts(at)
  let p = at + 44
  const times: number[] = []
  for (let i = 0; i < timecnt; i++, p += wide ? 8 : 4) times.push(wide ? Number(b.readBigInt64BE(p)) : b.readInt32BE(p))
  const types = [...b.subarray(p, p + timecnt)]
  p += timecnt
  const kindsAt = p
  const charsAt = kindsAt + typecnt * 6
  const kinds = Array.from({ length: typecnt }, (_, i) => {
    const k = kindsAt + i * 6
    const from = charsAt + b[k + 5]
    return { offset: b.readInt32BE(k), name: b.toString('latin1', from, b.indexOf(0, from)) }
  })
  const end = charsAt + charcnt + leapcnt * (wide ? 12 : 8) + isstdcnt + isutcnt
  const footer = wide ? (b.toString('latin1', end).split('\n')[1] ?? '') : ''
  return { times, types, kinds, rule: footer }
}
