/**
 * Jinja/Ansible filters and tests that tsplay supports, by name. Each takes already-evaluated arguments;
 * only `default`/`d`/`mandatory` and the `defined`/`undefined` tests see undefined values (as `Undef`).
 *
 * @example
 * ```yaml
 * - debug: { msg: "{{ packages | join(', ') | upper }}" }
 *   when: result is failed or (nix_version | default('0')) is version('2.18', '<')
 * ```
 */
import { readFileSync } from 'node:fs'
import { posix } from 'node:path'
import { stringify as yamlStringify, parse as yamlParse } from 'yaml'
import { UserError } from '../errors.js'
import { shQuote } from '../ssh/quote.js'
import { compare, deepEq, force, toBool, toStr, truthy, typeName, Undef, short } from './values.js'

type Fn = (v: unknown, ...args: unknown[]) => unknown

function str(v: unknown, what: string): string {
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  throw new UserError(`${what} needs a string, got ${typeName(v)} ${short(v)}`)
}
function list(v: unknown, what: string): unknown[] {
  if (Array.isArray(v)) return v
  if (typeof v === 'string') return [...v]
  if (v instanceof Map) return [...v.keys()]
  if (v && typeof v === 'object') return Object.keys(v)
  throw new UserError(`${what} needs a list, got ${typeName(v)} ${short(v)}`)
}
function map(v: unknown, what: string): Record<string, unknown> {
  if (v instanceof Map) return Object.fromEntries(v)
  if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>
  throw new UserError(`${what} needs a map, got ${typeName(v)} ${short(v)}`)
}
function toInt(v: unknown, dflt: unknown = 0): unknown {
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : dflt
  if (typeof v === 'boolean') return v ? 1 : 0
  if (typeof v === 'string' && /^\s*[-+]?\d+(\.\d*)?\s*$/.test(v)) return Math.trunc(Number(v))
  return dflt
}
function toFloat(v: unknown, dflt: unknown = 0): unknown {
  if (typeof v === 'number') return v
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v)
  return dflt
}
function length(v: unknown): number {
  if (typeof v === 'string' || Array.isArray(v)) return v.length
  if (v instanceof Map) return v.size
  if (v && typeof v === 'object') return Object.keys(v).length
  throw new UserError(`length needs a string, list or map, got ${typeName(v)} ${short(v)}`)
}
function regex(p: unknown, flags = ''): RegExp {
  try {
    return new RegExp(str(p, 'a regular expression'), flags)
  } catch (e) {
    throw new UserError(`invalid regular expression ${short(p)}: ${(e as Error).message}`)
  }
}
function unique(xs: unknown[]): unknown[] {
  const out: unknown[] = []
  for (const x of xs) if (!out.some((y) => deepEq(x, y))) out.push(x)
  return out
}

/** Filters that receive an undefined input as `Undef` instead of failing. */
export const UNDEF_FILTERS = new Set(['default', 'd', 'mandatory'])

/** Filters by name (`x | name(args)`). */
export const FILTERS: Record<string, Fn> = {
  default: (v, dflt = '', boolean = false) => (v instanceof Undef || (truthy(boolean) && !truthy(v)) ? dflt : v),
  mandatory: (v, msg) => {
    if (v instanceof Undef) throw new UserError(typeof msg === 'string' ? msg : `mandatory variable "${v.path}" is not defined`)
    return v
  },
  lower: (v) => str(v, 'lower').toLowerCase(),
  upper: (v) => str(v, 'upper').toUpperCase(),
  capitalize: (v) => { const s = str(v, 'capitalize'); return s.charAt(0).toUpperCase() + s.slice(1).toLowerCase() },
  trim: (v) => str(v, 'trim').trim(),
  string: (v) => toStr(v),
  int: (v, dflt = 0) => toInt(v, dflt),
  float: (v, dflt = 0) => toFloat(v, dflt),
  bool: (v) => toBool(v),
  length,
  count: length,
  join: (v, sep = '') => list(v, 'join').map(toStr).join(toStr(sep)),
  to_json: (v) => JSON.stringify(v instanceof Map ? Object.fromEntries(v) : v) ?? 'null',
  to_nice_json: (v, ...a) => JSON.stringify(v, null, typeof a[0] === 'number' ? a[0] : 4),
  from_json: (v) => {
    try { return JSON.parse(str(v, 'from_json')) } catch (e) { throw new UserError(`from_json: ${(e as Error).message}`) }
  },
  to_yaml: (v) => yamlStringify(v),
  to_nice_yaml: (v) => yamlStringify(v, { indent: 4 }),
  from_yaml: (v) => {
    try { return yamlParse(str(v, 'from_yaml'), { schema: 'core' }) ?? null } catch (e) { throw new UserError(`from_yaml: ${(e as Error).message}`) }
  },
  quote: (v) => shQuote(toStr(v)),
  basename: (v) => posix.basename(str(v, 'basename')),
  dirname: (v) => posix.dirname(str(v, 'dirname')),
  first: (v) => list(v, 'first')[0] ?? null,
  last: (v) => list(v, 'last').at(-1) ?? null,
  list: (v) => list(v, 'list'),
  unique: (v) => unique(list(v, 'unique')),
  sort: (v, reverse = false) => { const s = [...list(v, 'sort')].sort(compare); return truthy(reverse) ? s.reverse() : s },
  reverse: (v) => (typeof v === 'string' ? [...v].reverse().join('') : [...list(v, 'reverse')].reverse()),
  min: (v) => list(v, 'min').reduce((a, b) => (compare(a, b) <= 0 ? a : b), null),
  max: (v) => list(v, 'max').reduce((a, b) => (a === null || compare(a, b) >= 0 ? a : b), null),
  sum: (v, start = 0) => list(v, 'sum').reduce((a: number, b) => a + Number(force(b)), Number(start)),
  abs: (v) => Math.abs(Number(toFloat(v))),
  round: (v, digits = 0) => { const f = 10 ** Number(digits); return Math.round(Number(toFloat(v)) * f) / f },
  replace: (v, a, b) => str(v, 'replace').replaceAll(str(a, 'replace'), str(b, 'replace')),
  split: (v, sep) => (sep === undefined || sep === null ? str(v, 'split').trim().split(/\s+/).filter(Boolean) : str(v, 'split').split(str(sep, 'split'))),
  regex_replace: (v, p, r = '') => str(v, 'regex_replace').replace(regex(p, 'g'), str(r, 'regex_replace').replace(/\\(\d)/g, '$$$1')),
  regex_search: (v, p) => str(v, 'regex_search').match(regex(p))?.[0] ?? null,
  regex_escape: (v) => str(v, 'regex_escape').replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'),
  ternary: (v, a, b, n = b) => (v === null ? n : truthy(v) ? a : b),
  combine: (v, ...ms) => Object.assign({}, map(v, 'combine'), ...ms.map((m) => map(m, 'combine'))),
  dict2items: (v) => Object.entries(map(v, 'dict2items')).map(([key, value]) => ({ key, value })),
  items2dict: (v) => Object.fromEntries(list(v, 'items2dict').map((i) => { const m = map(i, 'items2dict'); return [toStr(m.key), m.value] })),
  b64encode: (v) => Buffer.from(str(v, 'b64encode')).toString('base64'),
  b64decode: (v) => Buffer.from(str(v, 'b64decode'), 'base64').toString('utf8'),
}
FILTERS.d = FILTERS.default

function result(v: unknown, test: string): Record<string, unknown> {
  if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>
  throw new UserError(`the "${test}" test needs a registered result (a map), got ${typeName(v)} ${short(v)}`)
}
function versionParts(v: unknown): Array<number | string> {
  return str(v, 'version').split(/[.\-+~]/).map((p) => (/^\d+$/.test(p) ? Number(p) : p))
}
function versionCmp(a: unknown, b: unknown): number {
  const x = versionParts(a)
  const y = versionParts(b)
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const p = x[i] ?? 0
    const q = y[i] ?? 0
    if (p === q) continue
    if (typeof p === 'number' && typeof q === 'number') return p - q
    return String(p) < String(q) ? -1 : 1
  }
  return 0
}
const VERSION_OPS: Record<string, (c: number) => boolean> = {
  '<': (c) => c < 0, lt: (c) => c < 0, '<=': (c) => c <= 0, le: (c) => c <= 0, '>': (c) => c > 0, gt: (c) => c > 0,
  '>=': (c) => c >= 0, ge: (c) => c >= 0, '==': (c) => c === 0, '=': (c) => c === 0, eq: (c) => c === 0, '!=': (c) => c !== 0, ne: (c) => c !== 0,
}

/** Tests that receive an undefined input as `Undef` instead of failing. */
export const UNDEF_TESTS = new Set(['defined', 'undefined'])

/** Tests by name (`x is name(args)`). */
export const TESTS: Record<string, (v: unknown, ...args: unknown[]) => boolean> = {
  defined: (v) => !(v instanceof Undef),
  undefined: (v) => v instanceof Undef,
  none: (v) => v === null,
  succeeded: (v) => result(v, 'succeeded').failed !== true,
  failed: (v) => result(v, 'failed').failed === true,
  changed: (v) => result(v, 'changed').changed === true,
  skipped: (v) => result(v, 'skipped').skipped === true,
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number',
  integer: (v) => Number.isInteger(v),
  float: (v) => typeof v === 'number' && !Number.isInteger(v),
  boolean: (v) => typeof v === 'boolean',
  mapping: (v) => v instanceof Map || (typeof v === 'object' && v !== null && !Array.isArray(v)),
  sequence: (v) => Array.isArray(v) || typeof v === 'string',
  iterable: (v) => Array.isArray(v) || typeof v === 'string' || (typeof v === 'object' && v !== null),
  truthy: (v) => truthy(v),
  falsy: (v) => !truthy(v),
  eq: (v, o) => deepEq(v, o),
  ne: (v, o) => !deepEq(v, o),
  lt: (v, o) => compare(v, o) < 0,
  le: (v, o) => compare(v, o) <= 0,
  gt: (v, o) => compare(v, o) > 0,
  ge: (v, o) => compare(v, o) >= 0,
  in: (v, o) => list(o, 'in').some((x) => deepEq(x, v)),
  contains: (v, o) => list(v, 'contains').some((x) => deepEq(x, o)),
  match: (v, p) => regex(`^(?:${str(p, 'match')})`).test(str(v, 'match')),
  search: (v, p) => regex(p).test(str(v, 'search')),
  regex: (v, p) => regex(p).test(str(v, 'regex')),
  version: (v, other, op = '==') => {
    const f = VERSION_OPS[toStr(op)]
    if (!f) throw new UserError(`unknown version comparison ${short(op)}; use one of ${Object.keys(VERSION_OPS).join(' ')}`)
    return f(versionCmp(v, other))
  },
  divisibleby: (v, n) => Number(v) % Number(n) === 0,
  even: (v) => Number(v) % 2 === 0,
  odd: (v) => Math.abs(Number(v) % 2) === 1,
}
Object.assign(TESTS, {
  success: TESTS.succeeded, failure: TESTS.failed, change: TESTS.changed, skip: TESTS.skipped,
  equalto: TESTS.eq, '==': TESTS.eq, version_compare: TESTS.version,
})

/** Methods callable on values (`stdout.startswith('x')`, `d.get('k')`), as in Jinja's Python objects. */
/** The target of Ansible's `lookup(...)` calls on the controller: `lookup('env', 'NAME')`, `lookup('file', 'PATH')`. */
export const LOOKUPS = Object.freeze({ __lookups: true })

function lookup(kind: unknown, arg: unknown): unknown {
  const name = toStr(arg)
  if (kind === 'env') return process.env[name] ?? ''
  if (kind === 'file') {
    try {
      return readFileSync(name, 'utf8').replace(/\n$/, '')
    } catch (e) {
      throw new UserError(`lookup('file', '${name}'): ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`)
    }
  }
  throw new UserError(`lookup('${toStr(kind)}') is not supported (tsplay has 'env' and 'file')`)
}

export function callMethod(o: unknown, name: string, args: unknown[]): unknown {
  if (o === LOOKUPS) return lookup(args[0], args[1])
  if (typeof o === 'string') {
    const a0 = args[0]
    switch (name) {
      case 'startswith': return (Array.isArray(a0) ? a0 : [a0]).some((p) => o.startsWith(toStr(p)))
      case 'endswith': return (Array.isArray(a0) ? a0 : [a0]).some((p) => o.endsWith(toStr(p)))
      case 'lower': return o.toLowerCase()
      case 'upper': return o.toUpperCase()
      case 'strip': return a0 === undefined ? o.trim() : trimChars(o, toStr(a0), true, true)
      case 'lstrip': return a0 === undefined ? o.trimStart() : trimChars(o, toStr(a0), true, false)
      case 'rstrip': return a0 === undefined ? o.trimEnd() : trimChars(o, toStr(a0), false, true)
      case 'split': return FILTERS.split(o, a0)
      case 'splitlines': return o.split(/\r?\n/).filter((l, i, all) => i < all.length - 1 || l !== '')
      case 'replace': return FILTERS.replace(o, a0, args[1])
      case 'find': return o.indexOf(toStr(a0))
      case 'join': return list(a0, 'join').map(toStr).join(o)
      case 'isdigit': return /^\d+$/.test(o)
    }
  } else if (o && typeof o === 'object' && !Array.isArray(o)) {
    const m = map(o, name)
    switch (name) {
      case 'keys': return Object.keys(m)
      case 'values': return Object.values(m)
      case 'items': return Object.entries(m)
      case 'get': return Object.hasOwn(m, toStr(args[0])) ? m[toStr(args[0])] : (args[1] ?? null)
    }
  }
  throw new UserError(`unknown method "${name}" on ${typeName(o)} ${short(o)}`)
}

function trimChars(s: string, chars: string, start: boolean, end: boolean): string {
  let i = 0
  let j = s.length
  while (start && i < j && chars.includes(s[i])) i++
  while (end && j > i && chars.includes(s[j - 1])) j--
  return s.slice(i, j)
}
