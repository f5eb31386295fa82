/**
 * List and map filters (Jinja's and Ansible's): joining, picking, sorting, set operations, `map`/`select`/
 * `selectattr`, reshaping (`zip`, `batch`, `slice`, `flatten`, `subelements`) and map conversions.
 *
 * @example
 * ```yaml
 * - debug: { msg: "{{ users | selectattr('admin') | map(attribute='name') | sort | join(', ') }}" }
 * ```
 */
import { UserError } from '../errors.js'
import { attrOf, isMap, list, map, text, unique } from './coerce.js'
import { pyStr, tuple } from './pystr.js'
import { callFilter, callTest, def, type Def } from './registry.js'
import { compare, deepEq, force, short, toBool, truthy, typeName, Undef } from './values.js'

/** Jinja's sort key: strings compared case-insensitively unless asked otherwise. */
function keyed(attribute: unknown, caseSensitive: unknown): (x: unknown) => unknown {
  const attrs =
    attribute === undefined || attribute === null
      ? []
      : typeof attribute === 'string'
        ? attribute.split(',')
        : [attribute]
  const fold = (v: unknown): unknown => (!toBool(caseSensitive ?? false) && typeof v === 'string' ? v.toLowerCase() : v)
  if (!attrs.length) return fold
  return (x) => (attrs.length === 1 ? fold(attrOf(x, attrs[0])) : attrs.map((a) => fold(attrOf(x, a))))
}

function sorted(xs: unknown[], key: (x: unknown) => unknown, reverse: unknown): unknown[] {
  const ks = xs.map((x, i) => [key(x), x, i] as const)
  ks.sort((a, b) => compare(a[0], b[0]) * (truthy(reverse ?? false) ? -1 : 1) || a[2] - b[2])
  return ks.map((k) => k[1])
}

function extreme(v: unknown, attribute: unknown, caseSensitive: unknown, sign: number): unknown {
  const xs = list(v, sign < 0 ? 'min' : 'max')
  if (!xs.length) return null
  const key = keyed(attribute, caseSensitive)
  return xs.reduce((a, b) => (compare(key(b), key(a)) * sign > 0 ? b : a))
}

/** `select`/`reject`: items passing test `name(args, kw)` (truthiness without a test). */
function selector(keep: boolean, byAttr: boolean) {
  return (v: unknown, args: unknown[], kw: Record<string, unknown>): unknown[] => {
    const xs = list(v, byAttr ? 'selectattr' : 'select')
    const [attr, name, ...rest] = byAttr ? args : [undefined, ...args]
    if (byAttr && attr === undefined)
      throw new UserError(`${keep ? 'selectattr' : 'rejectattr'} needs an attribute name`)
    return xs.filter((x) => {
      const item = byAttr ? attrOf(x, attr) : x
      const ok =
        name === undefined
          ? truthy(item === undefined ? undefinedItem(x, attr) : item)
          : callTest(String(name), item === undefined ? undefinedItem(x, attr) : item, rest, kw)
      return ok === keep
    })
  }
}

function undefinedItem(x: unknown, attr: unknown): Undef {
  return new Undef(`${short(x)}.${String(attr)}`)
}

/** Ansible's `combine`: later maps win; `recursive=True` merges nested maps; `list_merge` for lists. */
export function merge(
  a: Record<string, unknown>,
  b: Record<string, unknown>,
  recursive: boolean,
  listMerge: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a }
  for (const [k, v] of Object.entries(b)) {
    const old = out[k]
    if (recursive && isMap(old) && isMap(v)) out[k] = merge(old, v, true, listMerge)
    else if (Array.isArray(old) && Array.isArray(v) && listMerge !== 'replace') {
      if (listMerge === 'keep') out[k] = old
      else if (listMerge === 'append') out[k] = [...old, ...v]
      else if (listMerge === 'prepend') out[k] = [...v, ...old]
      else if (listMerge === 'append_rp') out[k] = [...old.filter((x) => !v.some((y) => deepEq(x, y))), ...v]
      else if (listMerge === 'prepend_rp') out[k] = [...v, ...old.filter((x) => !v.some((y) => deepEq(x, y)))]
      else
        throw new UserError(
          `combine: list_merge must be replace, keep, append, prepend, append_rp or prepend_rp, got ` +
            `${short(listMerge)}`,
        )
    } else out[k] = v
  }
  return out
}

function flatten(xs: unknown[], levels: unknown, skipNulls: boolean): unknown[] {
  const out: unknown[] = []
  for (const x of xs) {
    if (skipNulls && (x === null || x === 'None' || x === 'null')) continue
    if (Array.isArray(x) && (levels === undefined || levels === null || Number(levels) >= 1)) {
      out.push(...flatten(x, levels === undefined || levels === null ? levels : Number(levels) - 1, skipNulls))
    } else out.push(x)
  }
  return out
}

function subelements(v: unknown, path: unknown, skipMissing: unknown): unknown[] {
  const elements = Array.isArray(v) ? v : isMap(v) ? Object.values(v) : undefined
  if (!elements) throw new UserError(`subelements needs a list of maps or a map, got ${typeName(v)} ${short(v)}`)
  const parts = Array.isArray(path) ? path.map(String) : String(path).split('.')
  const out: unknown[] = []
  for (const el of elements) {
    let values: unknown = el
    for (const p of parts) {
      if (isMap(values) && Object.hasOwn(values, p)) values = values[p]
      else if (toBool(skipMissing ?? false)) {
        values = []
        break
      } else throw new UserError(`subelements: could not find "${p}" in ${short(values)}`)
    }
    if (!Array.isArray(values))
      throw new UserError(`subelements: the key "${parts.join('.')}" should point to a list, got ${short(values)}`)
    for (const x of values) out.push(tuple([el, x]))
  }
  return out
}

const mapFilter = (v: unknown, args: unknown[], kw: Record<string, unknown>): unknown[] => {
  const xs = list(v, 'map')
  // as Jinja's: `attribute=` only without a filter name; with one, every keyword argument is the filter's
  if (!args.length && kw.attribute !== undefined) {
    const extra = Object.keys(kw).filter((k) => k !== 'attribute' && k !== 'default')
    if (extra.length) throw new UserError(`map: unexpected keyword argument ${extra[0]}`)
    return xs.map((x) => {
      const a = attrOf(x, kw.attribute)
      return a === undefined ? (kw.default ?? force(new Undef(`${short(x)}.${String(kw.attribute)}`))) : a
    })
  }
  if (!args.length) throw new UserError('map needs a filter name or attribute=')
  const [name, ...rest] = args
  return xs.map((x) => callFilter(String(name), x, rest, kw))
}

export const LIST_FILTERS: Record<string, Def> = {
  join: def('d attribute', (v, sep = '', attribute) =>
    list(v, 'join')
      .map((x) => pyStr(attribute == null ? x : attrOf(x, attribute)))
      .join(text(sep)),
  ),
  // an empty list gives Jinja's undefined (`| default(…)` after it works); a none item is that item
  first: def('', (v) => {
    const xs = list(v, 'first')
    return xs.length ? xs[0] : new Undef('first item of an empty list')
  }),
  last: def('', (v) => {
    const xs = list(v, 'last')
    return xs.length ? xs[xs.length - 1] : new Undef('last item of an empty list')
  }),
  list: def('', (v) => [...list(v, 'list')]),
  unique: def('case_sensitive attribute', (v, cs, attribute) => {
    const key = keyed(attribute, cs)
    const out: unknown[] = []
    const keys: unknown[] = []
    for (const x of list(v, 'unique')) {
      const k = key(x)
      if (!keys.some((y) => deepEq(k, y))) {
        keys.push(k)
        out.push(x)
      }
    }
    return out
  }),
  union: def('other', (a, b) => unique([...list(a, 'union'), ...list(b, 'union')])),
  intersect: def('other', (a, b) =>
    unique(list(a, 'intersect').filter((x) => list(b, 'intersect').some((y) => deepEq(x, y)))),
  ),
  difference: def('other', (a, b) =>
    unique(list(a, 'difference').filter((x) => !list(b, 'difference').some((y) => deepEq(x, y)))),
  ),
  symmetric_difference: def('other', (a, b) => {
    const x = list(a, 'symmetric_difference')
    const y = list(b, 'symmetric_difference')
    return unique([...x, ...y]).filter((i) => !(x.some((p) => deepEq(p, i)) && y.some((q) => deepEq(q, i))))
  }),
  sort: def('reverse case_sensitive attribute', (v, reverse, cs, attribute) =>
    sorted([...list(v, 'sort')], keyed(attribute, cs), reverse),
  ),
  reverse: def('', (v) => (typeof v === 'string' ? [...v].reverse().join('') : [...list(v, 'reverse')].reverse())),
  min: def('attribute case_sensitive', (v, a, cs) => extreme(v, a, cs, -1)),
  max: def('attribute case_sensitive', (v, a, cs) => extreme(v, a, cs, 1)),
  sum: def('attribute start', (v, attribute, start = 0) =>
    list(v, 'sum').reduce((acc: unknown, x) => {
      const y = attribute == null ? x : attrOf(x, attribute)
      return Array.isArray(acc) ? [...acc, ...list(y, 'sum')] : Number(acc) + Number(force(y))
    }, start),
  ),
  map: def('*args **kw', mapFilter),
  select: def('*args **kw', selector(true, false)),
  reject: def('*args **kw', selector(false, false)),
  selectattr: def('*args **kw', selector(true, true)),
  rejectattr: def('*args **kw', selector(false, true)),
  dict2items: def('key_name value_name', (v, kn = 'key', vn = 'value') =>
    Object.entries(map(v, 'dict2items')).map(([k, x]) => ({ [String(kn)]: k, [String(vn)]: x })),
  ),
  items2dict: def('key_name value_name', (v, kn = 'key', vn = 'value') =>
    Object.fromEntries(
      list(v, 'items2dict').map((i) => {
        const m = map(i, 'items2dict')
        if (!Object.hasOwn(m, String(kn)) || !Object.hasOwn(m, String(vn)))
          throw new UserError(`items2dict needs each map to have "${String(kn)}" and "${String(vn)}", got ${short(m)}`)
        return [pyStr(m[String(kn)]), m[String(vn)]]
      }),
    ),
  ),
  combine: def('*maps recursive list_merge', (v, ms: unknown[], recursive, listMerge = 'replace') => {
    const all = flatten([v, ...ms], 1, false).map((m) => map(m, 'combine'))
    return all.reduce((a, b) => merge(a, b, toBool(recursive ?? false), String(listMerge)), {})
  }),
  dict: def('', (v) =>
    Object.fromEntries(
      list(v, 'dict').map((p) => {
        const [k, x] = list(p, 'dict')
        return [pyStr(k), x]
      }),
    ),
  ),
  zip: def('*others', (v, others: unknown[]) => {
    const ls = [list(v, 'zip'), ...others.map((o) => list(o, 'zip'))]
    return Array.from({ length: Math.min(...ls.map((l) => l.length)) }, (_, i) => tuple(ls.map((l) => l[i])))
  }),
  zip_longest: def('*others fillvalue', (v, others: unknown[], fill = null) => {
    const ls = [list(v, 'zip_longest'), ...others.map((o) => list(o, 'zip_longest'))]
    return Array.from({ length: Math.max(...ls.map((l) => l.length)) }, (_, i) =>
      tuple(ls.map((l) => (i < l.length ? l[i] : fill))),
    )
  }),
  flatten: def('levels skip_nulls', (v, levels, skip = true) => flatten(list(v, 'flatten'), levels, toBool(skip))),
  subelements: def('subelements skip_missing', subelements),
  dictsort: def('case_sensitive by reverse', (v, cs, by = 'key', reverse) => {
    if (by !== 'key' && by !== 'value') throw new UserError('dictsort: sort by either "key" or "value"')
    const key = keyed(undefined, cs)
    return sorted(
      Object.entries(map(v, 'dictsort')).map((e) => tuple(e)),
      (e) => key((e as unknown[])[by === 'key' ? 0 : 1]),
      reverse,
    )
  }),
  batch: def('linecount fill_with', (v, n, fill) => {
    const xs = list(v, 'batch')
    const size = Number(n)
    const out: unknown[][] = []
    if (!(size > 0)) throw new UserError('batch needs a positive line count')
    for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size))
    const lastRow = out.at(-1)
    if (lastRow && fill !== undefined && fill !== null) while (lastRow.length < size) lastRow.push(fill)
    return out
  }),
  slice: def('slices fill_with', (v, n, fill) => {
    const xs = list(v, 'slice')
    const slices = Number(n)
    const per = Math.floor(xs.length / slices)
    const extra = xs.length % slices
    const out: unknown[][] = []
    let offset = 0
    for (let i = 0; i < slices; i++) {
      const start = offset + i * per
      if (i < extra) offset++
      const row = xs.slice(start, offset + (i + 1) * per)
      if (fill !== undefined && fill !== null && i >= extra) row.push(fill)
      out.push(row)
    }
    return out
  }),
}
