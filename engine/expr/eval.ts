/**
 * Evaluates a parsed expression against a variable lookup. Undefined lookups yield `Undef` markers that only
 * `is defined`/`is undefined`/`default` may touch; anything else using one raises `undefined variable "x.y"`.
 *
 * @example
 * ```ts
 * evaluate(parse('x | default(3) + 1'), rootScope({}, render)) // 4
 * ```
 */
import { UserError } from '../errors.js'
import { binary } from './binary.js'
import { callFilter, callMethod, callTest, UNDEF_FILTERS, UNDEF_TESTS } from './filters.js'
import type { Expr, Kw } from './ast.js'
import { Callable, callGlobal, GLOBALS, isGlobalFunction } from './globals.js'
import { own } from './methods.js'
import { isTuple, tuple } from './pystr.js'
import { Markup, MARKUP_FILTERS, markupAdd, markupFilter, plain } from './markup.js'
import { filterContext } from './registry.js'
import { isUnsafe, type Scope } from './scope.js'
import { pyTruthy } from './tests.js'
import { VaultLocked } from '../vaultlocked.js'
import { force, getProp, short, toStr, truthy, typeName, Undef } from './values.js'

export { asText } from './binary.js'

/** Truthiness of the current dialect: Python's in Ansible-mode templates, tsplay's (`"no"` is false) elsewhere. */
export function isTrue(v: unknown): boolean {
  return filterContext.ansible ? pyTruthy(force(v)) : truthy(v)
}

/** What `is defined` sees of `e`: a global function's bare name (`range`, `lookup`) no variable hides is defined. */
function definedName(e: Expr, scope: Scope): unknown {
  const v = evaluate(e, scope)
  return v instanceof Undef && e.k === 'name' && isGlobalFunction(e.name) ? GLOBALS : v
}

/** Evaluate `e`. The result may be `Undef` (callers decide whether that is an error). */
export function evaluate(e: Expr, scope: Scope): unknown {
  return plain(evalNode(e, scope))
}

/** Evaluate `e`, keeping safe text (`Markup`) where the node gives it. */
function evalNode(e: Expr, scope: Scope): unknown {
  /** A value used as a whole: defined, with templated strings inside rendered. */
  const whole = (v: unknown): unknown => scope.deep(force(v))
  const val = (x: Expr): unknown => whole(evaluate(x, scope))
  const kwargs = (kw: Kw): Record<string, unknown> =>
    Object.assign({}, ...kw.map(([k, x]) => (k === '**' ? mapArg(val(x)) : { [k]: val(x) })))
  const args = (xs: Expr[]): unknown[] => xs.flatMap((x) => (x.k === 'star' ? listArg(val(x.e)) : [val(x)]))
  switch (e.k) {
    case 'lit':
      return e.v
    case 'name':
      return scope.lookup(e.name)
    case 'attr':
    case 'index': {
      const o = evaluate(e.o, scope)
      const key = e.k === 'attr' ? e.key : val(e.i)
      const step = typeof key === 'number' ? `[${key}]` : e.k === 'attr' ? `.${key}` : `[${JSON.stringify(key)}]`
      const path = `${o instanceof Undef ? o.path : pathOf(e.o)}${step}`
      if (o instanceof Undef) return new Undef(path)
      const v = getProp(o, key, path)
      return isUnsafe(o) ? v : scope.resolve(v)
    }
    case 'slice': {
      const o = val(e.o)
      const num = (x: Expr | undefined): number | undefined => {
        if (!x) return undefined
        const v = val(x)
        if (v === null) return undefined
        if (typeof v !== 'number' || !Number.isInteger(v))
          throw new UserError(`slice indices must be whole numbers, got ${short(v)}`)
        return v
      }
      return slice(o, num(e.from), num(e.to), num(e.step))
    }
    case 'list':
      return e.tuple ? tuple(e.items.map(val)) : own(e.items.map(val))
    case 'map': {
      const out: Record<string, unknown> = {}
      for (const [k, v] of e.entries) {
        const key = toStr(val(k))
        if (key === '__proto__') throw new UserError('the key "__proto__" is not allowed')
        out[key] = val(v)
      }
      return own(out)
    }
    case 'and': {
      const l = evalNode(e.l, scope)
      return isTrue(plain(l)) ? evalNode(e.r, scope) : l
    }
    case 'or': {
      const l = evalNode(e.l, scope)
      return isTrue(plain(l)) ? l : evalNode(e.r, scope)
    }
    case 'not':
      return !isTrue(evaluate(e.e, scope))
    case 'neg': {
      const v = force(evaluate(e.e, scope))
      if (typeof v !== 'number') throw new UserError(`cannot negate ${typeName(v)} ${short(v)}`)
      return -v
    }
    case 'cond':
      return isTrue(evaluate(e.c, scope)) ? evalNode(e.a, scope) : e.b ? evalNode(e.b, scope) : null
    case 'bin': {
      if (e.op !== '+') return binary(e.op, val(e.l), val(e.r))
      const [l, r] = [evalNode(e.l, scope), evalNode(e.r, scope)].map((v) => (v instanceof Markup ? v : whole(v)))
      return markupAdd(l, r) ?? binary(e.op, plain(l), plain(r))
    }
    case 'star':
      throw new UserError('"*" unpacks arguments only inside a call')
    case 'filter': {
      if (MARKUP_FILTERS.has(e.name)) {
        const raw = evalNode(e.e, scope)
        const a = args(e.args)
        const kw = kwargs(e.kw)
        return markupFilter(e.name, raw, (v) => callFilter(e.name, whole(v), a, kw))
      }
      const input = UNDEF_FILTERS.has(e.name) ? scope.deep(evaluate(e.e, scope)) : val(e.e)
      return callFilter(e.name, input, args(e.args), kwargs(e.kw))
    }
    case 'test': {
      if (e.name === 'escaped') return evalNode(e.e, scope) instanceof Markup !== e.neg
      const input = UNDEF_TESTS.has(e.name)
        ? definedName(e.e, scope)
        : LOCKED_TESTS.has(e.name)
          ? keepLocked(evaluate(e.e, scope), scope)
          : val(e.e)
      return callTest(e.name, input, args(e.args), kwargs(e.kw)) !== e.neg
    }
    case 'call': {
      const o = val(e.o)
      if (o === GLOBALS) {
        // as Ansible's templar: a lookup's terms are templated again, so a literal text with `{{ }}` in it is
        // rendered (values from variables are not: a host's data is never a template)
        const terms =
          LOOKUP_CALLS.has(e.method) && !e.args.some((x) => x.k === 'star')
            ? args(e.args).map((v, i) =>
                i > 0 && e.args[i]?.k === 'lit' && typeof v === 'string' ? scope.resolve(v) : v,
              )
            : args(e.args)
        return callGlobal(e.method, terms, kwargs(e.kw), scope)
      }
      const m = o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[e.method] : undefined
      if (m instanceof Callable && Object.hasOwn(o as object, e.method)) return m.fn(args(e.args), kwargs(e.kw))
      return callMethod(o, e.method, args(e.args), kwargs(e.kw))
    }
  }
}

const LOOKUP_CALLS = new Set(['lookup', 'query', 'q'])

/** Tests that may look at a vaulted value kept encrypted (no vault password) without decrypting it. */
const LOCKED_TESTS = new Set(['vault_encrypted', 'string', 'none'])

/** A test's input that may be a value kept encrypted: that as it is, anything else used as a whole. */
function keepLocked(v: unknown, scope: Scope): unknown {
  return v instanceof VaultLocked ? v : scope.deep(force(v))
}

/** The items `*xs` passes (a list, tuple or string). */
function listArg(v: unknown): unknown[] {
  if (Array.isArray(v)) return v
  if (typeof v === 'string') return [...v]
  throw new UserError(`"*" needs a list to unpack, found ${typeName(v)} ${short(v)}`)
}

/** The entries `**m` passes (a map). */
function mapArg(v: unknown): Record<string, unknown> {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>
  throw new UserError(`"**" needs a map to unpack, found ${typeName(v)} ${short(v)}`)
}

/** Python's `seq[from:to:step]` for lists and strings. */
function slice(o: unknown, from?: number, to?: number, step = 1): unknown {
  if (step === 0) throw new UserError('slice step cannot be zero')
  const xs = typeof o === 'string' ? [...o] : Array.isArray(o) ? o : undefined
  if (!xs) throw new UserError(`cannot slice ${typeName(o)} ${short(o)}`)
  const n = xs.length
  const norm = (i: number | undefined, dflt: number): number => {
    if (i === undefined) return dflt
    const j = i < 0 ? i + n : i
    return step > 0 ? Math.min(Math.max(j, 0), n) : Math.min(Math.max(j, -1), n - 1)
  }
  const start = norm(from, step > 0 ? 0 : n - 1)
  const stop = norm(to, step > 0 ? n : -1)
  const out: unknown[] = []
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(xs[i])
  return typeof o === 'string' ? out.join('') : Array.isArray(o) && isTuple(o) ? tuple(out) : out
}

/** Source-like text of a lookup chain, for messages (`result.stdout`). */
function pathOf(e: Expr): string {
  if (e.k === 'name') return e.name
  if (e.k === 'attr') return `${pathOf(e.o)}${typeof e.key === 'number' ? `[${e.key}]` : `.${e.key}`}`
  if (e.k === 'index') return `${pathOf(e.o)}[…]`
  return '(expression)'
}
