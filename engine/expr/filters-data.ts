/**
 * Value and conversion filters: `default`/`d`, `mandatory`, `bool`, `int`, `float`, `string`, JSON and YAML in and
 * out, `ternary`, `type_debug`, numbers (`abs`, `round`, `random`), `length`/`count`, `extract`.
 *
 * @example
 * ```yaml
 * - copy: { dest: /etc/app.json, content: "{{ settings | combine(overrides) | to_nice_json }}" }
 * ```
 */
import { parse as yamlParse, parseAllDocuments } from 'yaml'
import { UserError } from '../errors.js'
import { attrOf, length, list, num, str, text, toFloat, toInt } from './coerce.js'
import { pyFixed, pyJson, pyStr, tuple } from './pystr.js'
import { pyRandom } from './pyrandom.js'
import { filterContext, def, type Def } from './registry.js'
import { toYaml } from './toyaml.js'
import { YAML11_BOOL } from './yaml11.js'
import { compare, force, getProp, pyTypeName, short, truthy, typeName, Undef } from './values.js'

/** Ansible's `bool`: true for true, 1 and `yes`/`on`/`1`/`true` in any case; none stays none. */
export function ansibleBool(v: unknown): unknown {
  if (v === null || typeof v === 'boolean') return v
  if (typeof v === 'string') return ['yes', 'on', '1', 'true'].includes(v.toLowerCase())
  return v === 1
}

/** Python's `round(x, n)` for the `common` method (halves away from zero as Jinja does), `ceil`, `floor`. */
export function round(v: unknown, precision: unknown = 0, method: unknown = 'common'): number {
  const x = num(v, 'round')
  const f = 10 ** Number(precision)
  if (method === 'ceil') return Math.ceil(x * f) / f
  if (method === 'floor') return Math.floor(x * f) / f
  if (method !== 'common') throw new UserError('round: method must be common, ceil or floor')
  // Python's round(): the nearest value to the float as stored, ties (exactly half) to the even neighbour
  const p = Number(precision)
  if (Number.isInteger(p) && p >= 0 && p <= 60) return Number(pyFixed(x, p))
  const scaled = Math.abs(x) * f
  const low = Math.floor(scaled)
  const r =
    (scaled - low === 0.5 ? (low % 2 === 0 ? low : low + 1) : Number(Math.abs(x).toFixed(Number(precision))) * f) / f
  return x < 0 ? -r : r
}

function fromYaml(v: unknown, all: boolean): unknown {
  if (typeof v !== 'string') return v
  try {
    // as Ansible's loader reads YAML: the playbook loader's schema (engine/source/yaml.ts)
    const opts = { version: '1.2' as const, schema: 'core', merge: true, customTags: [YAML11_BOOL] }
    if (all) return parseAllDocuments(v, opts).map((d) => d.toJS())
    return yamlParse(v, opts) ?? null
  } catch (e) {
    throw new UserError(`from_yaml: ${(e as Error).message.split('\n')[0]}`)
  }
}

function toJson(v: unknown, indent: unknown, sortKeys: unknown, kw: Record<string, unknown> = {}): string {
  if (!filterContext.ansible && indent === undefined && sortKeys === undefined && !Object.keys(kw).length) {
    return JSON.stringify(v instanceof Map ? Object.fromEntries(v) : v) ?? 'null'
  }
  const seps = Array.isArray(kw.separators) ? (kw.separators.map(String) as [string, string]) : undefined
  return pyJson(v, {
    indent: indent == null ? undefined : Number(indent),
    sortKeys: truthy(sortKeys ?? false),
    ensureAscii: kw.ensure_ascii === undefined ? true : truthy(kw.ensure_ascii),
    separators: seps,
  })
}

/**
 * Jinja's `groupby(attribute)`: `(value, items)` pairs sorted by the value (strings compared without case unless
 * `case_sensitive`; an item without the attribute has `default`), as Ansible returns them (a list of tuples).
 */
function groupby(v: unknown, attribute: unknown, dflt: unknown, caseSensitive: unknown): unknown[] {
  const get = (x: unknown) => {
    const a = attrOf(x, attribute)
    return a === undefined ? dflt : a
  }
  const fold = (k: unknown) => (!truthy(caseSensitive ?? false) && typeof k === 'string' ? k.toLowerCase() : k)
  const keyed = list(v, 'groupby').map((x, i) => ({ x, k: fold(get(x)), i }))
  keyed.sort((a, b) => compare(a.k, b.k) || a.i - b.i)
  const groups: Array<{ k: unknown; xs: unknown[] }> = []
  for (const { x, k } of keyed) {
    const last = groups.at(-1)
    if (last && compare(last.k, k) === 0 && typeof last.k === typeof k) last.xs.push(x)
    else groups.push({ k, xs: [x] })
  }
  return groups.map((g) => tuple([get(g.xs[0]), g.xs]))
}

export const DATA_FILTERS: Record<string, Def> = {
  groupby: def('attribute default case_sensitive', (v, attribute, dflt = null, cs = false) =>
    groupby(v, attribute, dflt, cs),
  ),
  default: def('default_value boolean', (v, dflt = '', boolean = false) =>
    v instanceof Undef || (truthy(boolean) && !truthy(v)) ? dflt : v,
  ),
  mandatory: def('msg', (v, msg) => {
    if (v instanceof Undef)
      throw new UserError(msg !== undefined && msg !== null ? text(msg) : `Mandatory variable '${v.path}' not defined.`)
    return v
  }),
  bool: def('', ansibleBool),
  int: def('default base', (v, d = 0, base = 10) => toInt(v, d, base)),
  float: def('default', (v, d = 0) => toFloat(v, d)),
  string: def('', (v) => pyStr(v)),
  length: def('', length),
  count: def('', length),
  abs: def('', (v) => Math.abs(num(v, 'abs'))),
  round: def('precision method', round),
  log: def('base', (v, base) =>
    base === undefined ? Math.log(num(v, 'log')) : Math.log(num(v, 'log')) / Math.log(num(base, 'log')),
  ),
  pow: def('y', (v, y) => num(v, 'pow') ** num(y, 'pow')),
  root: def('base', (v, base = 2) =>
    Number(base) === 2 ? Math.sqrt(num(v, 'root')) : num(v, 'root') ** (1 / num(base, 'root')),
  ),
  to_json: def('indent sort_keys **kw', (v, indent, sortKeys, kw: Record<string, unknown>) =>
    toJson(v, indent, sortKeys, kw),
  ),
  to_nice_json: def('indent sort_keys **kw', (v, indent = 4, sortKeys = true, kw: Record<string, unknown>) =>
    pyJson(v, {
      indent: Number(indent),
      sortKeys: truthy(sortKeys),
      ensureAscii: kw.ensure_ascii === undefined ? true : truthy(kw.ensure_ascii),
      separators: [',', ': '],
    }),
  ),
  from_json: def('', (v) => {
    try {
      return JSON.parse(str(v, 'from_json'))
    } catch (e) {
      throw new UserError(`from_json: ${(e as Error).message}`)
    }
  }),
  to_yaml: def('indent default_flow_style', (v, indent = 2, flow) =>
    toYaml(v, { indent: Number(indent), flow: flow === undefined ? null : truthy(flow) }),
  ),
  to_nice_yaml: def('indent', (v, indent = 4) => toYaml(v, { indent: Number(indent), flow: false })),
  from_yaml: def('', (v) => fromYaml(v, false)),
  from_yaml_all: def('', (v) => fromYaml(v, true)),
  ternary: def('true_val false_val none_val', (v, a, b, n) => (v === null && n !== undefined ? n : truthy(v) ? a : b)),
  type_debug: def('', pyTypeName),
  random: def('start step seed', (v, start, step, seed) => {
    const r = pyRandom(seed)
    if (typeof v === 'number' && Number.isInteger(v))
      return r.randrange(Number(start ?? 0) || 0, v, Number(step ?? 1) || 1)
    if (start || step) throw new UserError('random: start and step can only be used with whole numbers')
    const xs = list(v, 'random')
    return xs[r.randbelow(xs.length)]
  }),
  shuffle: def('seed', (v, seed) => r_shuffle([...list(v, 'shuffle')], seed)),
  extract: def('container morekeys', (v, container, morekeys) => {
    let out = getProp(container, v, `${short(container)}[${short(v)}]`)
    for (const k of morekeys === undefined || morekeys === null ? [] : Array.isArray(morekeys) ? morekeys : [morekeys])
      out = getProp(force(out), k, `…[${short(k)}]`)
    return force(out)
  }),
  attr: def('name', (v, name) => attrOf(v, name) ?? force(new Undef(`${short(v)}.${text(name)}`))),
  path_join: def('', (v) =>
    (Array.isArray(v) ? v.map(String) : [String(v)]).reduce(
      (a, b) => (b.startsWith('/') ? b : a === '' || a.endsWith('/') ? a + b : `${a}/${b}`),
      '',
    ),
  ),
}
DATA_FILTERS.d = DATA_FILTERS.default

function r_shuffle(xs: unknown[], seed: unknown): unknown[] {
  const r = pyRandom(seed || undefined)
  for (let i = xs.length - 1; i > 0; i--) {
    const j = r.randbelow(i + 1)
    ;[xs[i], xs[j]] = [xs[j], xs[i]]
  }
  return xs
}

/** Reject a value of the wrong kind for `what`, naming it. */
export function wrongType(what: string, v: unknown): UserError {
  return new UserError(`${what}: unexpected ${typeName(v)} ${short(v)}`)
}
