/**
 * Ansible's reading back of a rendered playbook string: text that is a Python list, map or `True`/`False`
 * literal becomes that value (`"{% if x %}[1, 2]{% endif %}"` gives a list); anything else stays text.
 *
 * @example
 * ```ts
 * convert("['a', 1]") // ['a', 1]
 * convert('[section]') // '[section]'
 * ```
 */
import type { Expr } from '../ast.js'
import { evaluate } from '../eval.js'
import { parse } from '../parser.js'
import { Undef } from '../values.js'

/** Ansible's conversion of a rendered YAML string that looks like a list, map or boolean back into that value. */
export function convert(s: string): unknown {
  if (s === 'True') return true
  if (s === 'False') return false
  if (!s.startsWith('{') && !s.startsWith('[')) return s
  try {
    const e = parse(s)
    return literal(e) ? evaluate(e, { lookup: (n) => new Undef(n), resolve: (v) => v, deep: (v) => v }) : s
  } catch {
    return s
  }
}

function literal(e: Expr): boolean {
  switch (e.k) {
    case 'lit':
      return true
    case 'list':
      return e.items.every(literal)
    case 'map':
      return e.entries.every(([k, v]) => literal(k) && literal(v))
    case 'neg':
      return e.e.k === 'lit' && typeof e.e.v === 'number'
    default:
      return false
  }
}
