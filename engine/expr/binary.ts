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
import { isTuple, pyStr } from './pystr.js'
import { callFilter, filterContext } from './registry.js'
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
    case '*': {
      // Python's repetition of a string or list, either way round (at most about a million items or characters)
      const [seq, n] = typeof r === 'number' ? [l, r] : [r, l]
      if (typeof n === 'number' && (typeof seq === 'string' || Array.isArray(seq))) {
        const times = Math.max(0, Math.min(Math.trunc(n), 1e6 / Math.max(1, seq.length)))
        return typeof seq === 'string' ? seq.repeat(times) : Array.from({ length: times }, () => seq).flat()
      }
      return num(l, op) * num(r, op)
    }
    case '/':
    case '//':
    case '%': {
      // Python's printf-style formatting: a tuple gives the values, anything else is the one value
      if (op === '%' && typeof l === 'string') return callFilter('format', l, Array.isArray(r) && isTuple(r) ? r : [r])
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
