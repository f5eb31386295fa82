/**
 * Jinja's binary operators on evaluated values, as Python gives them in Ansible-mode templates: comparisons, `in`,
 * `~` (text join), arithmetic (Python objects such as dates and durations decide for themselves), `+` on strings and
 * lists, and string repetition.
 *
 * @example
 * ```ts
 * binary('+', [1], [2]) // [1, 2]
 * binary('~', 'a', 1)   // 'a1'
 * ```
 */
import { UserError } from '../errors.js'
import { pyStr } from './pystr.js'
import { filterContext } from './registry.js'
import { contains } from './tests.js'
import { compare, deepEq, force, NO_METHOD, PyObject, short, toStr, typeName } from './values.js'

/** Text of a value in the current dialect (`~`, printing). */
export function asText(v: unknown): string {
  return filterContext.ansible ? pyStr(force(v)) : toStr(v)
}

function num(v: unknown, op: string): number {
  if (typeof v === 'number') return v
  if (typeof v === 'boolean') return Number(v)
  throw new UserError(`"${op}" needs numbers, got ${typeName(v)} ${short(v)}`)
}

const ARITH = new Set(['+', '-', '*', '/', '//', '%', '**'])

export function binary(op: string, l: unknown, r: unknown): unknown {
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
