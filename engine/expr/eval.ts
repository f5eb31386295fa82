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
import { callFilter, callMethod, callTest, UNDEF_FILTERS, UNDEF_TESTS } from './filters.js'
import type { Expr, Kw } from './ast.js'
import { Callable, callGlobal, GLOBALS } from './globals.js'
import { pyStr, tuple } from './pystr.js'
import { filterContext } from './registry.js'
import { isUnsafe, type Scope } from './scope.js'
import { contains, pyTruthy } from './tests.js'
import { VaultLocked } from '../vaultlocked.js'
import {
  compare,
  deepEq,
  force,
  getProp,
  NO_METHOD,
  PyObject,
  short,
  toStr,
  truthy,
  typeName,
  Undef,
} from './values.js'

/** Truthiness of the current dialect: Python's in Ansible-mode templates, tsplay's (`"no"` is false) elsewhere. */
export function isTrue(v: unknown): boolean {
  return filterContext.ansible ? pyTruthy(force(v)) : truthy(v)
}

/** Text of a value in the current dialect (`~`, printing). */
export function asText(v: unknown): string {
  return filterContext.ansible ? pyStr(force(v)) : toStr(v)
}

/** Evaluate `e`. The result may be `Undef` (callers decide whether that is an error). */
export function evaluate(e: Expr, scope: Scope): unknown {
  /** A value used as a whole: defined, with templated strings inside rendered. */
  const val = (x: Expr): unknown => scope.deep(force(evaluate(x, scope)))
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
      return e.tuple ? tuple(e.items.map(val)) : e.items.map(val)
    case 'map': {
      const out: Record<string, unknown> = {}
      for (const [k, v] of e.entries) {
        const key = toStr(val(k))
        if (key === '__proto__') throw new UserError('the key "__proto__" is not allowed')
        out[key] = val(v)
      }
      return out
    }
    case 'and': {
      const l = evaluate(e.l, scope)
      return isTrue(l) ? evaluate(e.r, scope) : l
    }
    case 'or': {
      const l = evaluate(e.l, scope)
      return isTrue(l) ? l : evaluate(e.r, scope)
    }
    case 'not':
      return !isTrue(evaluate(e.e, scope))
    case 'neg': {
      const v = force(evaluate(e.e, scope))
      if (typeof v !== 'number') throw new UserError(`cannot negate ${typeName(v)} ${short(v)}`)
      return -v
    }
    case 'cond':
      return isTrue(evaluate(e.c, scope)) ? evaluate(e.a, scope) : e.b ? evaluate(e.b, scope) : null
    case 'bin':
      return binary(e.op, val(e.l), val(e.r))
    case 'star':
      throw new UserError('"*" unpacks arguments only inside a call')
    case 'filter': {
      const input = UNDEF_FILTERS.has(e.name) ? scope.deep(evaluate(e.e, scope)) : val(e.e)
      return callFilter(e.name, input, args(e.args), kwargs(e.kw))
    }
    case 'test': {
      const input = UNDEF_TESTS.has(e.name)
        ? evaluate(e.e, scope)
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
  return typeof o === 'string' ? out.join('') : out
}

/** Source-like text of a lookup chain, for messages (`result.stdout`). */
function pathOf(e: Expr): string {
  if (e.k === 'name') return e.name
  if (e.k === 'attr') return `${pathOf(e.o)}${typeof e.key === 'number' ? `[${e.key}]` : `.${e.key}`}`
  if (e.k === 'index') return `${pathOf(e.o)}[…]`
  return '(expression)'
}

function num(v: unknown, op: string): number {
  if (typeof v === 'number') return v
  if (typeof v === 'boolean') return Number(v)
  throw new UserError(`"${op}" needs numbers, got ${typeName(v)} ${short(v)}`)
}

const ARITH = new Set(['+', '-', '*', '/', '//', '%', '**'])

function binary(op: string, l: unknown, r: unknown): unknown {
  if (ARITH.has(op) && (l instanceof PyObject || r instanceof PyObject)) {
    const v = l instanceof PyObject ? l.operate(op, r, false) : NO_METHOD
    const w = v === NO_METHOD && r instanceof PyObject ? r.operate(op, l, true) : v
    if (w !== NO_METHOD) return w
    throw new UserError(`unsupported operand types for ${op}: '${typeName(l)}' and '${typeName(r)}'`)
  }
  switch (op) {
    case '==':
      return deepEq(l, r)
    case '!=':
      return !deepEq(l, r)
    case '<':
      return compare(l, r) < 0
    case '>':
      return compare(l, r) > 0
    case '<=':
      return compare(l, r) <= 0
    case '>=':
      return compare(l, r) >= 0
    case 'in':
      if (r instanceof Map) return r.has(l)
      if (typeof r === 'string' || Array.isArray(r)) return contains(r, l)
      if (r && typeof r === 'object') return Object.hasOwn(r, toStr(l))
      throw new UserError(`"in" needs a string, list or map on its right, got ${typeName(r)} ${short(r)}`)
    case '~':
      return asText(l) + asText(r)
    case '+':
      if (typeof l === 'string' && typeof r === 'string') return l + r
      if (Array.isArray(l) && Array.isArray(r)) return [...l, ...r]
      if (typeof l === 'string' || typeof r === 'string') {
        throw new UserError(
          `cannot add ${typeName(l)} ${short(l)} and ${typeName(r)} ${short(r)} (use "~" to join as text)`,
        )
      }
      return num(l, op) + num(r, op)
    case '-':
      return num(l, op) - num(r, op)
    case '*':
      if (typeof l === 'string' && typeof r === 'number')
        return l.repeat(Math.max(0, Math.min(r, 1e6 / Math.max(1, l.length))))
      return num(l, op) * num(r, op)
    case '/':
    case '//':
    case '%': {
      const a = num(l, op)
      const b = num(r, op)
      if (b === 0) throw new UserError(`division by zero in "${short(l)} ${op} ${short(r)}"`)
      if (op === '/') return a / b
      if (op === '//') return Math.floor(a / b)
      return ((a % b) + b) % b
    }
    case '**':
      return num(l, op) ** num(r, op)
  }
  throw new UserError(`unknown operator "${op}"`)
}
