/**
 * Functions callable by name in expressions, as Jinja and Ansible provide them: `range(…)`, `lookup(…)`/
 * `query(…)`/`q(…)` on the controller (engine/expr/lookups.ts), `dict(…)`, `namespace(…)` (a map
 * `{% set ns.x = … %}` may change inside loops), `joiner`, `cycler`, `lipsum` (engine/expr/lipsum.ts), `now`.
 *
 * @example
 * ```yaml
 * - debug: { msg: "{{ range(1, 4) | list }} {{ lookup('env', 'HOME') }}" }   # [1, 2, 3] /root
 * ```
 */
import { UserError } from '../errors.js'
import { now } from './pydatetime.js'
import { callLookup } from './lookups.js'
import { lipsum } from './lipsum.js'
import type { Scope } from './scope.js'
import { short, toStr, typeName } from './values.js'

/** The target of global calls in the AST (`{ k: 'call', o: GLOBALS, method: 'range' }`). */
export const GLOBALS = Object.freeze({ __globals: true })

const namespaces = new WeakSet<object>()

/** A function a template defines (a `{% macro %}`, a `{% call %}` block's `caller`): called by name or attribute. */
/** The key under which a recursive `{% for %}`'s `loop` holds the function `loop(items)` calls. */
export const LOOP_CALL = Symbol('loop call')

export class Callable {
  constructor(
    readonly name: string,
    readonly fn: (args: unknown[], kw: Record<string, unknown>) => unknown,
  ) {}
}

/** True for a map made by `namespace()`: the one kind of map a template may change (`{% set ns.found = true %}`). */
export function isNamespace(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && namespaces.has(v)
}

const MAX_RANGE = 100_000

function int(v: unknown, what: string): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v
  if (typeof v === 'boolean') return Number(v)
  throw new UserError(`${what} needs whole numbers, got ${typeName(v)} ${short(v)}`)
}

/** Python's `range(stop)`, `range(start, stop[, step])` as a list. */
export function range(args: unknown[]): number[] {
  if (args.length < 1 || args.length > 3) throw new UserError(`range takes 1 to 3 arguments, got ${args.length}`)
  const [start, stop, step] =
    args.length === 1
      ? [0, int(args[0], 'range'), 1]
      : [int(args[0], 'range'), int(args[1], 'range'), args.length > 2 ? int(args[2], 'range') : 1]
  if (step === 0) throw new UserError('range: the step must not be zero')
  const n = Math.max(0, Math.ceil((stop - start) / step))
  if (n > MAX_RANGE) throw new UserError(`range of ${n} numbers is too long (limit ${MAX_RANGE})`)
  return Array.from({ length: n }, (_, i) => start + i * step)
}

const FUNCS: Record<string, (args: unknown[], kw: Record<string, unknown>, scope?: Scope) => unknown> = {
  range: (args) => range(args),
  lookup: (args, kw, scope) => callLookup(args, kw, false, scope),
  query: (args, kw, scope) => callLookup(args, kw, true, scope),
  q: (args, kw, scope) => callLookup(args, kw, true, scope),
  dict: (args, kw) => {
    const out: Record<string, unknown> = {}
    for (const a of args) {
      if (Array.isArray(a)) for (const p of a) out[toStr((p as unknown[])[0])] = (p as unknown[])[1]
      else if (a && typeof a === 'object') Object.assign(out, a)
    }
    return Object.assign(out, kw)
  },
  now: (args, kw) => now(args, kw),
  lipsum: (args, kw) => lipsum(args, kw),
  namespace: (args, kw) => {
    const ns: Record<string, unknown> = Object.assign({}, ...args.filter((a) => a && typeof a === 'object'), kw)
    namespaces.add(ns)
    return ns
  },
  // Jinja's joiner: '' on its first call, the separator (', ' unless given) on every later one
  joiner: (args, kw) => {
    const sep = toStr(args[0] ?? kw.sep ?? ', ')
    let used = false
    return new Callable('joiner', () => (used ? sep : ((used = true), '')))
  },
  // Jinja's cycler: `next()` gives the items in turn, `current` the one it gives next, `reset()` starts again
  cycler: (args) => {
    if (!args.length) throw new UserError('cycler needs at least one item')
    let i = 0
    const c: Record<string, unknown> = { current: args[0] }
    c.next = new Callable('next', () => {
      const v = args[i]
      i = (i + 1) % args.length
      c.current = args[i]
      return v
    })
    c.reset = new Callable('reset', () => {
      i = 0
      c.current = args[0]
      return null
    })
    return c
  },
}

/** Is `name` a global function (Jinja's `range is defined` is true)? */
export const isGlobalFunction = (name: string): boolean => Object.hasOwn(FUNCS, name)

/** Call a global function; `scope` (the caller's variables) reaches the lookups. */
export function callGlobal(name: string, args: unknown[], kw: Record<string, unknown>, scope?: Scope): unknown {
  const f = Object.hasOwn(FUNCS, name) ? FUNCS[name] : undefined
  if (f) return f(args, kw, scope)
  const v = scope?.lookup(name)
  if (v instanceof Callable) return v.fn(args, kw)
  const recurse = typeof v === 'object' && v !== null ? (v as Record<symbol, unknown>)[LOOP_CALL] : undefined
  if (typeof recurse === 'function') return (recurse as (x: unknown) => unknown)(args[0])
  throw new UserError(`unknown function "${name}"`)
}
