/**
 * Methods callable on values (`stdout.startswith('x')`, `d.get('k')`, `'{}-{}'.format(a, b)`), as Jinja exposes
 * Python's string, dict and list methods, and the global functions (`range`, `lookup`, …) by name.
 *
 * @example
 * ```yaml
 * when: result.stdout.splitlines() | length > 2 and conf.get('port', 80) == 80
 * ```
 */
import { UserError } from '../errors.js'
import { isMap, list, map, text } from './coerce.js'
import { center, pySplit } from './filters-text.js'
import { callGlobal, GLOBALS } from './globals.js'
import { formatSpec } from './formatspec.js'
import { pyRepr, pySplitlines, pyStr, tuple } from './pystr.js'
import { callFilter } from './registry.js'
import { deepEq, NO_METHOD, PyObject, short, truthy, typeName } from './values.js'

function trimChars(s: string, chars: unknown, start: boolean, end: boolean): string {
  if (chars === undefined || chars === null) return start && end ? s.trim() : start ? s.trimStart() : s.trimEnd()
  const cs = text(chars)
  let i = 0
  let j = s.length
  while (start && i < j && cs.includes(s[i])) i++
  while (end && j > i && cs.includes(s[j - 1])) j--
  return s.slice(i, j)
}

/**
 * Python's `str.format`: `{}`, `{0}`, `{name}`, `{{`/`}}`, a conversion (`!r`, `!s`) and a format spec (`{:>5}`,
 * `{0:08.2f}`, formatspec.ts).
 */
function format(s: string, args: unknown[], kw: Record<string, unknown>): string {
  let auto = 0
  return s.replace(
    /\{\{|\}\}|\{([^{}:!]*)(?:!([rsa]))?(?::([^{}]*))?\}/g,
    (m, field?: string, conv?: string, spec?: string) => {
      if (m === '{{') return '{'
      if (m === '}}') return '}'
      const f = field ?? ''
      const v = f === '' ? args[auto++] : /^\d+$/.test(f) ? args[Number(f)] : kw[f]
      if (v === undefined) throw new UserError(`format: no value for {${f}} in ${short(s)}`)
      const shown = conv === 'r' || conv === 'a' ? pyRepr(v) : conv === 's' ? pyStr(v) : v
      return formatSpec(shown, spec ?? '')
    },
  )
}

function stringMethod(o: string, name: string, args: unknown[], kw: Record<string, unknown>): unknown {
  const a0 = args[0]
  const prefixes = (): string[] => (Array.isArray(a0) ? a0.map(text) : [text(a0)])
  switch (name) {
    case 'startswith':
      return prefixes().some((p) => o.startsWith(p))
    case 'endswith':
      return prefixes().some((p) => o.endsWith(p))
    case 'lower':
      return o.toLowerCase()
    case 'upper':
      return o.toUpperCase()
    case 'capitalize':
    case 'title':
      return callFilter(name, o)
    case 'strip':
      return trimChars(o, a0, true, true)
    case 'lstrip':
      return trimChars(o, a0, true, false)
    case 'rstrip':
      return trimChars(o, a0, false, true)
    case 'split':
      return pySplit(o, a0 ?? kw.sep, args[1] ?? kw.maxsplit)
    case 'rsplit': {
      const max = Number(args[1] ?? kw.maxsplit ?? -1)
      const parts = pySplit(o, a0 ?? kw.sep)
      if (max < 0 || parts.length <= max + 1 || a0 == null) return parts
      const sep = text(a0)
      return [parts.slice(0, parts.length - max).join(sep), ...parts.slice(parts.length - max)]
    }
    case 'splitlines':
      return pySplitlines(o, truthy(kw.keepends ?? a0 ?? false))
    case 'replace':
      return callFilter('replace', o, args)
    case 'find':
      return o.indexOf(text(a0))
    case 'rfind':
      return o.lastIndexOf(text(a0))
    case 'index': {
      const i = o.indexOf(text(a0))
      if (i < 0) throw new UserError(`substring ${short(a0)} not found`)
      return i
    }
    case 'count':
      return o.split(text(a0)).length - 1
    case 'join':
      return list(a0, 'join').map(pyStr).join(o)
    case 'format':
      return format(o, args, kw)
    case 'isdigit':
      return /^\d+$/.test(o)
    case 'isalpha':
      return /^\p{L}+$/u.test(o)
    case 'isalnum':
      return /^[\p{L}\p{N}]+$/u.test(o)
    case 'isspace':
      return /^\s+$/.test(o)
    case 'islower':
      return o === o.toLowerCase() && o !== o.toUpperCase()
    case 'isupper':
      return o === o.toUpperCase() && o !== o.toLowerCase()
    case 'zfill': {
      const w = Number(a0)
      const sign = /^[-+]/.test(o) ? o[0] : ''
      return sign + o.slice(sign.length).padStart(w - sign.length, '0')
    }
    case 'ljust':
      return o.padEnd(Number(a0), args[1] === undefined ? ' ' : text(args[1]))
    case 'rjust':
      return o.padStart(Number(a0), args[1] === undefined ? ' ' : text(args[1]))
    case 'center':
      return center(o, Number(a0), args[1] === undefined ? ' ' : text(args[1]))
    case 'swapcase':
      return [...o].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('')
    case 'casefold':
      return o.toLowerCase()
    case 'isnumeric':
    case 'isdecimal':
      return /^\p{N}+$/u.test(o)
    case 'rpartition': {
      const i = o.lastIndexOf(text(a0))
      return tuple(i < 0 ? ['', '', o] : [o.slice(0, i), text(a0), o.slice(i + text(a0).length)])
    }
    case 'partition': {
      const i = o.indexOf(text(a0))
      return tuple(i < 0 ? [o, '', ''] : [o.slice(0, i), text(a0), o.slice(i + text(a0).length)])
    }
  }
  return undefined
}

/** Lists and maps a template wrote as literals (`[]`, `{}`): the only ones its methods may change in place. */
const owned = new WeakSet<object>()

/** Mark a list or map a template made itself; returns it. */
export function own<T extends object>(v: T): T {
  owned.add(v)
  return v
}

/** `list.append(x)`, `dict.update(…)`, … (for `{% do %}`): only on a list or map the template made itself. */
function mutate(o: unknown[] | Record<string, unknown>, name: string, args: unknown[], kw: Record<string, unknown>) {
  const list = Array.isArray(o) ? o : undefined
  const fns: Record<string, () => unknown> = list
    ? {
        append: () => void list.push(args[0]),
        extend: () => void list.push(...(Array.isArray(args[0]) ? args[0] : [...text(args[0])])),
        insert: () => void list.splice(Number(args[0]), 0, args[1]),
        remove: () => {
          const i = list.findIndex((x) => deepEq(x, args[0]))
          if (i < 0) throw new UserError(`list.remove(x): ${short(args[0])} not in list`)
          list.splice(i, 1)
        },
        pop: () => {
          if (!list.length) throw new UserError('pop from empty list')
          const i = args.length ? Number(args[0]) : list.length - 1
          return list.splice(i < 0 ? list.length + i : i, 1)[0]
        },
        clear: () => void list.splice(0),
        reverse: () => void list.reverse(),
      }
    : {
        update: () => {
          const from = args[0]
          const pairs = Array.isArray(from)
            ? Object.fromEntries(from.map((p) => [text((p as unknown[])[0]), (p as unknown[])[1]]))
            : from
          Object.assign(o, isMap(pairs) ? pairs : {}, kw)
        },
        setdefault: () => {
          const m = o as Record<string, unknown>
          const k = text(args[0])
          if (!Object.hasOwn(m, k)) m[k] = args[1] ?? null
          return m[k]
        },
        pop: () => {
          const m = o as Record<string, unknown>
          const k = text(args[0])
          if (!Object.hasOwn(m, k)) {
            if (args.length > 1) return args[1]
            throw new UserError(`KeyError: ${short(args[0])}`)
          }
          const v = m[k]
          delete m[k]
          return v
        },
        clear: () => {
          for (const k of Object.keys(o)) delete (o as Record<string, unknown>)[k]
        },
      }
  const f = fns[name]
  if (!f) return NO_METHOD
  if (!owned.has(o))
    throw new UserError(
      `"${name}" would change a variable's ${list ? 'list' : 'map'} in place, which tsplay does not do ` +
        `(start from a list or map the template makes: {% set x = [] %}, or build a new one with + or combine)`,
    )
  const r = f()
  return r === undefined ? null : r
}

/** Call `name` on `o` with positional `args` and keyword `kw`. */
export function callMethod(o: unknown, name: string, args: unknown[], kw: Record<string, unknown> = {}): unknown {
  if (o === GLOBALS) return callGlobal(name, args, kw)
  if (o instanceof PyObject) {
    const r = o.method(name, args, kw)
    if (r !== NO_METHOD) return r
    throw new UserError(`'${o.pyType}' object has no attribute '${name}'`)
  }
  if (typeof o === 'string') {
    const r = stringMethod(o, name, args, kw)
    if (r !== undefined) return r
  } else if (Array.isArray(o)) {
    switch (name) {
      case 'index': {
        const i = o.findIndex((x) => deepEq(x, args[0]))
        if (i < 0) throw new UserError(`${short(args[0])} is not in the list`)
        return i
      }
      case 'count':
        return o.filter((x) => deepEq(x, args[0])).length
      case 'copy':
        return [...o]
    }
    const r = mutate(o, name, args, kw)
    if (r !== NO_METHOD) return r
  } else if (isMap(o)) {
    if (name === 'cycle' && loops.has(o)) {
      if (!args.length) throw new UserError('loop.cycle needs at least one value')
      return args[Number(o.index0) % args.length]
    }
    const seen = (o as Record<symbol, unknown>)[LOOP_SEEN] as { last?: unknown[] } | undefined
    if (name === 'changed' && seen) {
      // Jinja's loop.changed(*values): true on the first call and whenever the values differ from the last call's
      const differs = seen.last === undefined || !deepEq(seen.last, args)
      seen.last = args
      return differs
    }
    const m = map(o, name)
    switch (name) {
      case 'keys':
        return Object.keys(m)
      case 'values':
        return Object.values(m)
      case 'items':
        return Object.entries(m).map((e) => tuple(e))
      case 'get': {
        const k = text(args[0])
        return Object.hasOwn(m, k) && m[k] !== undefined ? m[k] : (args[1] ?? null)
      }
      case 'copy':
        return { ...m }
    }
    const r = mutate(m, name, args, kw)
    if (r !== NO_METHOD) return r
  }
  throw new UserError(`unknown method "${name}" on ${typeName(o)} ${short(o)}`)
}

const loops = new WeakSet<object>()

/** On a template's `loop`: the values its last `loop.changed(…)` call saw, shared by the loop's iterations. */
export const LOOP_SEEN = Symbol('loop.changed values')

/** Mark a template's `loop` variable, so `loop.cycle('odd', 'even')` works on it. */
export function markLoop<T extends object>(loop: T): T {
  loops.add(loop)
  return loop
}
