/**
 * Value semantics shared by expressions and templates: the undefined marker, truthiness, string conversion,
 * equality and ordering. Chosen to match Ansible/Jinja where a playbook can tell the difference.
 *
 * Truthiness (used by `when`, `and`/`or`/`not`, `if … else`): `false`, `null`, `0`, empty strings, lists and maps
 * are false, and so is any string that Ansible's `bool` treats as false: `false`, `no`, `off`, `n`, `f`, `0`
 * (case-insensitive, surrounding space ignored) — so `when: enable_x` with `enable_x: "no"` from an INI
 * inventory does what the user means. Every other value is true.
 *
 * @example
 * ```ts
 * truthy('no') // false
 * toStr([1, 'a']) // '[1,"a"]'
 * ```
 */
import { UserError } from '../errors.js'
import { lockedError, VaultLocked } from '../vaultlocked.js'
import { namedRepr, tupleClass, tupleField } from './namedtuple.js'

/** An undefined value found by a lookup; using it (except under `is defined`/`default`) is an error naming `path`. */
export class Undef {
  constructor(readonly path: string) {}
}

/** Reading a variable (or a key, attribute or index) that is not defined: Ansible's AnsibleUndefinedVariable. */
export class UndefinedVariableError extends UserError {}

/** The error for reading an undefined variable. */
export function undefinedError(u: Undef): UserError {
  return new UndefinedVariableError(`undefined variable "${u.path}"`)
}

/**
 * A Python object that is not a JSON-like value (a `datetime`, a `timedelta`): it prints, compares and answers
 * attributes, methods and operators its own way. Templates never hand one out as a value (a template that gives one
 * gives its `str()`, as Ansible's); inside one expression it works as in Python.
 */
export abstract class PyObject {
  /** How many were made in this process: a value computed while this did not change holds none. */
  static made = 0
  constructor() {
    PyObject.made++
  }
  /** Python's type name (`type_debug`). */
  abstract readonly pyType: string
  /** `str(self)`. */
  abstract str(): string
  /** `repr(self)`. */
  abstract repr(): string
  /** What Ansible's JSON encoder writes for it. */
  abstract json(): unknown
  /** `self == other`. */
  abstract equals(other: unknown): boolean
  /** `self <=> other`: negative, zero or positive; throws where Python raises. */
  abstract compareTo(other: unknown): number
  /** The attribute `name`, or undefined. */
  abstract attr(name: string): unknown
  /** The method `name` called with these arguments, or `NO_METHOD`. */
  abstract method(name: string, args: unknown[], kw: Record<string, unknown>): unknown
  /** `self op other` (or `other op self` when `reflected`), or `NO_METHOD` when Python would raise. */
  abstract operate(op: string, other: unknown, reflected: boolean): unknown
  /** Python's truth value. */
  truth(): boolean {
    return true
  }
  toJSON(): unknown {
    return this.json()
  }
}

/**
 * `v` with every `PyObject` inside it replaced by its `str()` (a copy only where one is found): what a template
 * hands out, so such objects never reach facts, arguments or output.
 */
export function plainValue(v: unknown, depth = 0): unknown {
  if (v instanceof PyObject) return v.str()
  if (v === null || typeof v !== 'object' || depth > 64 || v instanceof Map || v instanceof Undef) return v
  if (Array.isArray(v)) {
    const cls = tupleClass(v)
    // the named tuples tsplay makes (IsoCalendarDate) hold integers
    if (cls) return namedRepr(v, cls, String)
    const out = v.map((x) => plainValue(x, depth + 1))
    return out.some((x, i) => x !== v[i]) ? out : v
  }
  const proto: unknown = Object.getPrototypeOf(v)
  if (proto !== Object.prototype && proto !== null) return v
  let out: Record<string, unknown> | undefined
  for (const [k, x] of Object.entries(v)) {
    const y = plainValue(x, depth + 1)
    if (y !== x) (out ??= { ...(v as Record<string, unknown>) })[k] = y
  }
  return out ?? v
}

/** Answer of `PyObject.method`/`operate` when the object has no such method or operator. */
export const NO_METHOD = Symbol('no method')

/** Throw if `v` is undefined, or a vaulted value kept encrypted (no vault password); otherwise return it. */
export function force(v: unknown): unknown {
  if (v instanceof Undef) throw undefinedError(v)
  if (v instanceof VaultLocked) throw lockedError(v)
  return v
}

const FALSE_STRINGS = new Set(['false', 'no', 'off', 'n', 'f', '0', ''])
const TRUE_STRINGS = new Set(['true', 'yes', 'on', 'y', 't', '1'])

/** Truthiness for conditions (see the file header). */
export function truthy(v: unknown): boolean {
  v = force(v)
  if (v === null || v === undefined || v === false) return false
  if (typeof v === 'string') return !FALSE_STRINGS.has(v.trim().toLowerCase())
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v)
  if (Array.isArray(v)) return v.length > 0
  if (v instanceof Map) return v.size > 0
  if (v instanceof PyObject) return v.truth()
  if (typeof v === 'object') return Object.keys(v).length > 0
  return Boolean(v)
}

/** Ansible's `bool` filter: true only for true, non-zero 1, and `true/yes/on/y/t/1` strings. */
export function toBool(v: unknown): boolean {
  v = force(v)
  if (typeof v === 'boolean') return v
  if (typeof v === 'number') return v === 1
  if (typeof v === 'string') return TRUE_STRINGS.has(v.trim().toLowerCase())
  return false
}

/** Text for a value inserted into a string: strings as-is, `null` as "", lists and maps as JSON. */
export function toStr(v: unknown): string {
  v = force(v)
  if (typeof v === 'string') return v
  if (v === null || v === undefined) return ''
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v)
  if (v instanceof Map) return JSON.stringify(Object.fromEntries(v))
  if (v instanceof PyObject) return v.str()
  return JSON.stringify(v) ?? ''
}

/** A short type name for messages. */
export function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'none'
  if (Array.isArray(v)) return 'list'
  if (v instanceof PyObject) return v.pyType
  if (typeof v === 'object') return 'map'
  return typeof v
}

/** Python's type name of `v` (`type_debug`, messages that quote Python's). */
export function pyTypeName(v: unknown): string {
  if (v === null) return 'NoneType'
  if (typeof v === 'boolean') return 'bool'
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float'
  if (typeof v === 'string') return 'str'
  if (Array.isArray(v)) return tupleClass(v)?.name ?? 'list'
  if (v instanceof PyObject) return v.pyType
  return 'dict'
}

/** Structural equality (numbers by value, lists item by item, maps key by key). */
export function deepEq(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (a instanceof PyObject) return a.equals(b)
  if (b instanceof PyObject) return b.equals(a)
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    return typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b)
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEq(x, b[i]))
  }
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  return (
    ka.length === kb.length &&
    ka.every((k) => Object.hasOwn(b, k) && deepEq((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  )
}

/** Ordering for `<`, `>`, `sort`, `min`, `max`: numbers with numbers, strings with strings, lists item by item. */
export function compare(a: unknown, b: unknown): number {
  a = force(a)
  b = force(b)
  if (a instanceof PyObject) return a.compareTo(b)
  if (b instanceof PyObject) return -b.compareTo(a)
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b)
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compare(a[i], b[i])
      if (c !== 0) return c
    }
    return a.length - b.length
  }
  throw new UserError(`cannot compare ${typeName(a)} ${short(a)} with ${typeName(b)} ${short(b)}`)
}

/** A value shortened for messages. */
export function short(v: unknown): string {
  const s = v instanceof Undef ? v.path : typeof v === 'string' ? JSON.stringify(v) : toStr(v)
  return s.length > 40 ? `${s.slice(0, 37)}...` : s
}

/**
 * Read `key` from a map, list, string or `Map`. Only own properties count (walking up prototypes that are not
 * `Object.prototype`, so layered scopes made with `Object.create` work), so `constructor` or `__proto__` never leak.
 * Returns `Undef` when absent.
 */
export function getProp(obj: unknown, key: unknown, path: string): unknown {
  if (obj instanceof Map) return obj.has(key) ? obj.get(key) : new Undef(path)
  if (Array.isArray(obj) || typeof obj === 'string') {
    const field = typeof key === 'string' && Array.isArray(obj) ? tupleField(obj, key) : undefined
    if (field !== undefined) return field
    if (typeof key !== 'number' || !Number.isInteger(key)) return new Undef(path)
    const i = key < 0 ? obj.length + key : key
    return i >= 0 && i < obj.length ? obj[i] : new Undef(path)
  }
  if (typeof obj !== 'object' || obj === null) return new Undef(path)
  if (obj instanceof PyObject) {
    // an attribute may be None (a naive datetime's tzinfo): only a missing one is undefined
    const v = typeof key === 'string' ? obj.attr(key) : undefined
    return v === undefined ? new Undef(path) : v
  }
  const k = typeof key === 'number' ? String(key) : key
  if (typeof k !== 'string') return new Undef(path)
  for (let o: object | null = obj; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    if (Object.prototype.hasOwnProperty.call(o, k)) {
      const v = (o as Record<string, unknown>)[k]
      return v === undefined ? new Undef(path) : v
    }
  }
  return new Undef(path)
}
