/**
 * Python's `pprint.pformat` (width 80, one space per level, dict keys sorted), which Jinja's `pprint` filter gives:
 * a value whose repr fits stays on one line; a longer list, tuple or dict puts one item per line, and a longer
 * string is split into adjacent string literals at word ends.
 *
 * @example
 * ```jinja
 * {{ hostvars[inventory_hostname] | pprint }}
 * ```
 */
import { isMap } from './coerce.js'
import { isTuple, pyRepr, pySplitlines, pyStrRepr } from './pystr.js'
import { def, type Def } from './registry.js'

const WIDTH = 80
const len = (s: string): number => [...s].length
const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** pprint's `_pprint_str`: a string too long for the line, as adjacent literals broken after whitespace. */
function formatStr(s: string, indent: number, allowance: number, level: number): string {
  if (s === '') return pyStrRepr(s)
  if (level === 1) {
    indent += 1
    allowance += 1
  }
  const parts0 = pySplitlines(s, true)
  const chunks: string[] = []
  const maxWidth = WIDTH - indent
  let maxWidth1 = maxWidth
  let rep = ''
  parts0.forEach((line, i) => {
    rep = pyStrRepr(line)
    if (i === parts0.length - 1) maxWidth1 -= allowance
    if (len(rep) <= maxWidth1) {
      chunks.push(rep)
      return
    }
    const parts = (line.match(/\S*\s*/g) ?? []).slice(0, -1)
    let maxWidth2 = maxWidth
    let current = ''
    parts.forEach((part, j) => {
      const candidate = current + part
      if (j === parts.length - 1 && i === parts0.length - 1) maxWidth2 -= allowance
      if (len(pyStrRepr(candidate)) > maxWidth2) {
        if (current) chunks.push(pyStrRepr(current))
        current = part
      } else current = candidate
    })
    if (current) chunks.push(pyStrRepr(current))
  })
  if (chunks.length === 1) return rep
  const body = chunks.join(`\n${' '.repeat(indent)}`)
  return level === 1 ? `(${body})` : body
}

/** pprint's `_format_items`: list or tuple items, one per line. */
function formatItems(items: unknown[], indent: number, allowance: number, level: number): string {
  indent += 1
  return items
    .map((x, i) => format(x, indent, i === items.length - 1 ? allowance : 1, level))
    .join(`,\n${' '.repeat(indent)}`)
}

/** pprint's `_format`: the repr if it fits in what is left of the line, else the type's own layout. */
function format(v: unknown, indent: number, allowance: number, level: number): string {
  const rep = pyRepr(v, 0, true)
  if (len(rep) <= WIDTH - indent - allowance) return rep
  const next = level + 1
  if (typeof v === 'string') return formatStr(v, indent, allowance, next)
  if (Array.isArray(v)) {
    if (isTuple(v)) {
      const end = v.length === 1 ? ',)' : ')'
      return `(${formatItems(v, indent, allowance + end.length, next)}${end}`
    }
    return `[${formatItems(v, indent, allowance + 1, next)}]`
  }
  if (isMap(v) && !(v instanceof Map)) {
    const entries = Object.entries(v).sort(([a], [b]) => byCodePoint(a, b))
    const inner = indent + 1
    const body = entries.map(([k, x], i) => {
      const key = pyStrRepr(k)
      return `${key}: ${format(x, inner + len(key) + 2, i === entries.length - 1 ? allowance + 1 : 1, next)}`
    })
    return `{${body.join(`,\n${' '.repeat(inner)}`)}}`
  }
  return rep
}

/** Python's `pprint.pformat(v)`. */
export function pformat(v: unknown): string {
  return format(v, 0, 0, 0)
}

export const PPRINT_FILTERS: Record<string, Def> = {
  pprint: def('', pformat),
}
