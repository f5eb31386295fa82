/**
 * Jinja's and Ansible's tests (`x is name(args)`): definedness, types, comparisons, regular expressions, versions,
 * sets, task results (`failed`, `changed`, …) and controller paths (`abs`, `exists`, `file`, `directory`, `link`).
 *
 * @example
 * ```yaml
 * when: (result is succeeded) and (nix_version is version('2.18', operator='>=')) and groups.web is subset(hosts)
 * ```
 */
import { existsSync, lstatSync, statSync } from 'node:fs'
import { UserError } from '../errors.js'
import { isMap, list, num, str, text } from './coerce.js'
import { Markup } from './markup.js'
import { pyRegex } from './pyregex.js'
import { def, FILTERS, TESTS, type Def } from './registry.js'
import { compare, deepEq, PyObject, short, truthy, typeName, Undef } from './values.js'
import { URL_TESTS } from './urls.js'
import { versionTest } from './version.js'
import { isInlineVaulted, VaultLocked } from '../vaultlocked.js'

/** Python's truthiness (an empty string, list, map, 0, none and false are false; `"no"` is true). */
export function pyTruthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false) return false
  if (typeof v === 'string') return v.length > 0
  if (typeof v === 'number') return v !== 0
  if (Array.isArray(v)) return v.length > 0
  if (v instanceof Map) return v.size > 0
  if (v instanceof PyObject) return v.truth()
  if (typeof v === 'object') return Object.keys(v).length > 0
  return Boolean(v)
}

function result(v: unknown, test: string): Record<string, unknown> {
  if (isMap(v)) return v
  throw new UserError(`the "${test}" test needs a registered result (a map), got ${typeName(v)} ${short(v)}`)
}

function changed(v: unknown): boolean {
  const r = result(v, 'changed')
  if ('changed' in r) return truthy(r.changed)
  return Array.isArray(r.results) && r.results.some((x) => isMap(x) && truthy(x.changed ?? false))
}

/** Python's `in`: substring for strings, membership for lists, key for maps. */
export function contains(container: unknown, item: unknown): boolean {
  if (typeof container === 'string') return container.includes(text(item))
  if (Array.isArray(container)) return container.some((x) => deepEq(x, item))
  if (isMap(container)) return typeof item === 'string' && Object.hasOwn(container, item)
  throw new UserError(`"in" needs a string, list or map on its right, got ${typeName(container)} ${short(container)}`)
}

function regexTest(what: string, anchored: boolean) {
  return (v: unknown, p: unknown, ignorecase?: unknown, multiline?: unknown, matchType?: unknown): boolean => {
    const flags = (truthy(ignorecase ?? false) ? 'i' : '') + (truthy(multiline ?? false) ? 'm' : '')
    const mode = matchType === undefined || matchType === null ? (anchored ? 'match' : 'search') : String(matchType)
    const s = text(v)
    const source = str(p, what)
    const inl = inlineFlags(source)
    if (mode === 'match') return pyRegex(`\\A(?:${stripInline(source)})`, flags + inl).test(s)
    if (mode === 'fullmatch') return pyRegex(`\\A(?:${stripInline(source)})\\Z`, flags + inl).test(s)
    if (mode === 'search') return pyRegex(source, flags).test(s)
    throw new UserError(`${what}: match_type must be match, search or fullmatch, got ${short(matchType)}`)
  }
}
function inlineFlags(p: string): string {
  return (/^\(\?([aiLmsux]+)\)/.exec(p)?.[1] ?? '').replace(/[^ims]/g, '')
}
function stripInline(p: string): string {
  return p.replace(/^\(\?[aiLmsux]+\)/, '')
}

function fsTest(f: (path: string) => boolean) {
  return (v: unknown): boolean => f(str(v, 'path test'))
}

export const TEST_DEFS: Record<string, Def> = {
  defined: def('', (v) => !(v instanceof Undef)),
  undefined: def('', (v) => v instanceof Undef),
  none: def('', (v) => v === null),
  string: def('', (v) => typeof v === 'string'),
  /** Safe text (`escape`, `safe`): the evaluator hands this test the value before it is made plain text. */
  escaped: def('', (v) => v instanceof Markup),
  vault_encrypted: def('', (v) => v instanceof VaultLocked || (typeof v === 'string' && isInlineVaulted(v))),
  number: def('', (v) => typeof v === 'number' || typeof v === 'boolean'),
  integer: def('', (v) => typeof v === 'number' && Number.isInteger(v)),
  float: def('', (v) => typeof v === 'number' && !Number.isInteger(v)),
  boolean: def('', (v) => typeof v === 'boolean'),
  mapping: def('', (v) => isMap(v)),
  iterable: def('', (v) => typeof v === 'string' || (typeof v === 'object' && v !== null)),
  sequence: def('', (v) => typeof v === 'string' || (typeof v === 'object' && v !== null)),
  sameas: def('other', (v, o) => v === o),
  eq: def('other', (v, o) => deepEq(v, o)),
  ne: def('other', (v, o) => !deepEq(v, o)),
  lt: def('other', (v, o) => compare(v, o) < 0),
  le: def('other', (v, o) => compare(v, o) <= 0),
  gt: def('other', (v, o) => compare(v, o) > 0),
  ge: def('other', (v, o) => compare(v, o) >= 0),
  in: def('seq', (v, o) => contains(o, v)),
  contains: def('value', (v, o) => contains(v, o)),
  match: def('pattern ignorecase multiline', regexTest('match', true)),
  search: def('pattern ignorecase multiline', regexTest('search', false)),
  regex: def('pattern ignorecase multiline match_type', regexTest('regex', false)),
  version: def('version operator strict version_type', versionTest),
  subset: def('superset', (v, o) => list(v, 'subset').every((x) => list(o, 'subset').some((y) => deepEq(x, y)))),
  superset: def('subset', (v, o) => list(o, 'superset').every((x) => list(v, 'superset').some((y) => deepEq(x, y)))),
  succeeded: def('', (v) => !truthy(result(v, 'succeeded').failed ?? false)),
  failed: def('', (v) => truthy(result(v, 'failed').failed ?? false)),
  changed: def('', changed),
  skipped: def('', (v) => truthy(result(v, 'skipped').skipped ?? false)),
  finished: def('', (v) => {
    const r = result(v, 'finished')
    return !('finished' in r) || truthy(r.finished)
  }),
  started: def('', (v) => {
    const r = result(v, 'started')
    return !('started' in r) || truthy(r.started)
  }),
  reachable: def('', (v) => !truthy(result(v, 'reachable').unreachable ?? false)),
  unreachable: def('', (v) => truthy(result(v, 'unreachable').unreachable ?? false)),
  truthy: def('convert_bool', (v, cb) =>
    pyTruthy(
      cb ? (typeof v === 'string' ? ['yes', 'on', '1', 'true'].includes(v.toLowerCase()) : v === 1 || v === true) : v,
    ),
  ),
  falsy: def('convert_bool', (v, cb) => !TEST_DEFS.truthy.fn(v, cb)),
  divisibleby: def('num', (v, n) => num(v, 'divisibleby') % num(n, 'divisibleby') === 0),
  even: def('', (v) => num(v, 'even') % 2 === 0),
  odd: def('', (v) => Math.abs(num(v, 'odd') % 2) === 1),
  lower: def('', (v) => {
    const s = text(v)
    return s === s.toLowerCase() && s !== s.toUpperCase()
  }),
  upper: def('', (v) => {
    const s = text(v)
    return s === s.toUpperCase() && s !== s.toLowerCase()
  }),
  any: def('', (v) => list(v, 'any').some(pyTruthy)),
  all: def('', (v) => list(v, 'all').every(pyTruthy)),
  nan: def('', (v) => typeof v === 'number' && Number.isNaN(v)),
  abs: def(
    '',
    fsTest((p) => p.startsWith('/')),
  ),
  exists: def(
    '',
    fsTest((p) => existsSync(p)),
  ),
  file: def(
    '',
    fsTest((p) => {
      try {
        return statSync(p).isFile()
      } catch {
        return false
      }
    }),
  ),
  directory: def(
    '',
    fsTest((p) => {
      try {
        return statSync(p).isDirectory()
      } catch {
        return false
      }
    }),
  ),
  link: def(
    '',
    fsTest((p) => {
      try {
        return lstatSync(p).isSymbolicLink()
      } catch {
        return false
      }
    }),
  ),
  link_exists: def(
    '',
    fsTest((p) => !!lstatSync(p, { throwIfNoEntry: false })),
  ),
  mount: def('', fsTest(isMount)),
  same_file: def('other', (v, other) => {
    const [a, b] = [str(v, 'same_file'), str(other, 'same_file')].map((p) => {
      const st = statSync(p, { throwIfNoEntry: false })
      if (!st) throw new UserError(`same_file: no such file or directory: '${p}'`)
      return st
    })
    return a.dev === b.dev && a.ino === b.ino
  }),
  true: def('', (v) => v === true),
  false: def('', (v) => v === false),
  callable: def('', (v) => typeof v === 'function'),
  filter: def('', (v) => typeof v === 'string' && Object.hasOwn(FILTERS, v)),
  test: def('', (v) => typeof v === 'string' && Object.hasOwn(TESTS, v)),
}

/** Python's `os.path.ismount`: a folder on another device than its parent, or the root (not a link). */
function isMount(p: string): boolean {
  const st = lstatSync(p, { throwIfNoEntry: false })
  if (!st || st.isSymbolicLink()) return false
  const up = statSync(`${p.replace(/\/+$/, '')}/..`, { throwIfNoEntry: false })
  return !!up && (up.dev !== st.dev || up.ino === st.ino)
}

Object.assign(TEST_DEFS, URL_TESTS, {
  success: TEST_DEFS.succeeded,
  isnan: TEST_DEFS.nan,
  successful: TEST_DEFS.succeeded,
  failure: TEST_DEFS.failed,
  change: TEST_DEFS.changed,
  skip: TEST_DEFS.skipped,
  equalto: TEST_DEFS.eq,
  '==': TEST_DEFS.eq,
  '!=': TEST_DEFS.ne,
  '<': TEST_DEFS.lt,
  '<=': TEST_DEFS.le,
  '>': TEST_DEFS.gt,
  '>=': TEST_DEFS.ge,
  greaterthan: TEST_DEFS.gt,
  lessthan: TEST_DEFS.lt,
  version_compare: TEST_DEFS.version,
  issubset: TEST_DEFS.subset,
  issuperset: TEST_DEFS.superset,
  is_abs: TEST_DEFS.abs,
  is_dir: TEST_DEFS.directory,
  is_file: TEST_DEFS.file,
  is_link: TEST_DEFS.link,
  is_mount: TEST_DEFS.mount,
  is_same_file: TEST_DEFS.same_file,
})
