/**
 * Argument coercions shared by the filters and tests: text, lists, maps and numbers the way Jinja's and Ansible's
 * Python filters accept them, with one-line errors naming the filter.
 *
 * @example
 * ```ts
 * toInt('12.7') // 12
 * list({ a: 1 }, 'join') // ['a']
 * ```
 */
import { UserError } from '../errors.js'
import { pyStr } from './pystr.js'
import { deepEq, PyObject, short, typeName } from './values.js'

/** Text of a value as Python's `str()` gives it (lists and maps in Python's form). */
export function text(v: unknown): string {
  return pyStr(v)
}

/** A string argument (numbers and booleans converted); lists and maps are refused. */
export function str(v: unknown, what: string): string {
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean') return pyStr(v)
  throw new UserError(`${what} needs a string, got ${typeName(v)} ${short(v)}`)
}

/** Iterate as Python does: a list's items, a string's characters, a map's keys. */
export function list(v: unknown, what: string): unknown[] {
  if (Array.isArray(v)) return v
  if (typeof v === 'string') return [...v]
  if (v instanceof Map) return [...v.keys()]
  if (v && typeof v === 'object') return Object.keys(v)
  throw new UserError(`${what} needs a list, got ${typeName(v)} ${short(v)}`)
}

export function map(v: unknown, what: string): Record<string, unknown> {
  if (v instanceof Map) return Object.fromEntries(v)
  if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>
  throw new UserError(`${what} needs a map, got ${typeName(v)} ${short(v)}`)
}

export function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof PyObject)
}

/** Jinja's `int`: whole numbers from numbers and numeric text (`'12.7'` → 12, `'0x1F'` with base 16), else `dflt`. */
export function toInt(v: unknown, dflt: unknown = 0, base: unknown = 10): unknown {
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : dflt
  if (typeof v === 'boolean') return v ? 1 : 0
  if (typeof v !== 'string') return dflt
  const s = v.trim().replaceAll('_', '')
  const b = Number(base)
  const prefixed = /^([-+]?)0([xob])([0-9a-f]+)$/i.exec(s)
  if (prefixed && { x: 16, o: 8, b: 2 }[prefixed[2].toLowerCase()] === b)
    return Number(`${prefixed[1]}1`) * parseInt(prefixed[3], b)
  const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, b)
  if (new RegExp(`^[-+]?[${digits}]+$`, 'i').test(s)) return parseInt(s, b)
  const f = toFloat(s, null)
  return typeof f === 'number' && Number.isFinite(f) ? Math.trunc(f) : dflt
}

/** Jinja's `float`: numbers and numeric text, else `dflt`. */
export function toFloat(v: unknown, dflt: unknown = 0): unknown {
  if (typeof v === 'number') return v
  if (typeof v === 'boolean') return Number(v)
  if (typeof v !== 'string') return dflt
  const s = v.trim().toLowerCase()
  if (/^[-+]?(inf|infinity)$/.test(s)) return s.startsWith('-') ? -Infinity : Infinity
  if (/^[-+]?nan$/.test(s)) return NaN
  return /^[-+]?(\d[\d_]*\.?\d*|\.\d+)(e[-+]?\d+)?$/.test(s) ? Number(s.replaceAll('_', '')) : dflt
}

/** A number argument (numeric text accepted). */
export function num(v: unknown, what: string): number {
  if (typeof v === 'number') return v
  if (typeof v === 'boolean') return Number(v)
  const f = toFloat(v, null)
  if (typeof f === 'number') return f
  throw new UserError(`${what} needs a number, got ${typeName(v)} ${short(v)}`)
}

export function length(v: unknown): number {
  if (typeof v === 'string') return [...v].length
  if (Array.isArray(v)) return v.length
  if (v instanceof Map) return v.size
  if (v && typeof v === 'object') return Object.keys(v).length
  throw new UserError(`length needs a string, list or map, got ${typeName(v)} ${short(v)}`)
}

export function unique(xs: unknown[]): unknown[] {
  const out: unknown[] = []
  for (const x of xs) if (!out.some((y) => deepEq(x, y))) out.push(x)
  return out
}

/** `item.a.b` / `item.0` as Jinja's `attribute=` reads it; undefined when absent. */
export function attrOf(item: unknown, path: unknown): unknown {
  let v = item
  for (const part of typeof path === 'number' ? [path] : String(path).split('.')) {
    if (v === null || typeof v !== 'object') return undefined
    const key = Array.isArray(v) && /^-?\d+$/.test(String(part)) ? Number(part) : part
    v = Array.isArray(v)
      ? v.at(Number(key))
      : Object.hasOwn(v, String(key))
        ? (v as Record<string, unknown>)[String(key)]
        : undefined
  }
  return v
}
