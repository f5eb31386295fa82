/**
 * YAML text in the layout PyYAML gives Ansible's `to_yaml` and `to_nice_yaml`: keys sorted, lists under a key
 * not indented, `-   ` before a map in a list at indent 4, leaf collections in flow style (`[1, 2]`, `{a: b}`)
 * unless `default_flow_style=False`, strings quoted when YAML 1.1 would read them as something else (`'yes'`,
 * `'12'`, `'a: b'`).
 *
 * @example
 * ```ts
 * toYaml({ b: [1, 2], a: 'yes' }, { indent: 4, flow: false }) // "a: 'yes'\nb:\n- 1\n- 2\n"
 * ```
 */
import { pyNum } from './pystr.js'

export interface YamlOptions {
  indent: number
  /** true: everything in flow style; false: block style; null: collections of scalars only in flow style. */
  flow: boolean | null
}

const RESOLVES = [
  /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(?:~|null|Null|NULL)$/,
  /^[-+]?(?:0b[0-1_]+|0[0-7_]+|(?:0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+|[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?)$/,
  /^(?:[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  /^\d{4}-\d\d?-\d\d?(?:(?:[Tt]|[ \t]+)\d\d?:\d\d:\d\d(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d\d?(?::\d\d)?))?)?$/,
  /^(?:<<|=)$/,
]

function isScalar(v: unknown): boolean {
  return v === null || typeof v !== 'object'
}

function plainOk(s: string, flowCtx: boolean): boolean {
  if (!s || s !== s.trim() || RESOLVES.some((r) => r.test(s))) return false
  // eslint-disable-next-line no-control-regex -- control characters are what this looks for
  if (/[\n\r\t\x00-\x08\x0b-\x1f\x7f]/.test(s)) return false
  if (/^[?:,[\]{}#&*!|>'"%@`]/.test(s) || /^-(\s|$)/.test(s) || /^[?:](\s|$)/.test(s)) return false
  if (/: |:$| #/.test(s)) return false
  if (flowCtx && /[,[\]{}]/.test(s)) return false
  return true
}

function scalar(v: unknown, flowCtx: boolean, contIndent: number): string {
  if (v === null || v === undefined) return 'null'
  if (typeof v === 'boolean') return String(v)
  if (typeof v === 'number')
    return Number.isNaN(v) ? '.nan' : !Number.isFinite(v) ? (v > 0 ? '.inf' : '-.inf') : pyNum(v)
  const s = String(v)
  if (plainOk(s, flowCtx)) return s
  // eslint-disable-next-line no-control-regex -- control characters are what this looks for
  if (/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(s)) return JSON.stringify(s)
  const pad = ' '.repeat(contIndent)
  return `'${s.replaceAll("'", "''").replace(/\n/g, `\n\n${pad}`)}'`
}

function flow(v: unknown): string {
  if (isScalar(v)) return scalar(v, true, 0)
  if (Array.isArray(v)) return `[${v.map(flow).join(', ')}]`
  return `{${sortedEntries(v as object)
    .map(([k, x]) => `${scalar(k, true, 0)}: ${flow(x)}`)
    .join(', ')}}`
}

function sortedEntries(v: object): Array<[string, unknown]> {
  const m = v instanceof Map ? Object.fromEntries(v) : v
  return Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
}

/** True when `v` prints inline (a scalar, an empty collection, or a flow collection). */
function inline(v: unknown, o: YamlOptions): boolean {
  if (isScalar(v)) return true
  const items = Array.isArray(v) ? v : sortedEntries(v as object).map(([, x]) => x)
  return items.length === 0 || o.flow === true || (o.flow === null && items.every(isScalar))
}

function inlineText(v: unknown, o: YamlOptions, contIndent: number): string {
  return isScalar(v) ? scalar(v, false, contIndent) : flow(v)
}

/** Lines of a block collection at `indent`. */
function block(v: unknown, indent: number, o: YamlOptions): string[] {
  const pad = ' '.repeat(indent)
  const out: string[] = []
  if (Array.isArray(v)) {
    for (const x of v) {
      if (inline(x, o)) out.push(`${pad}- ${inlineText(x, o, indent + o.indent)}`)
      else {
        const inner = block(x, indent + o.indent, o)
        inner[0] = `${pad}-${' '.repeat(o.indent - 1)}${inner[0].slice(indent + o.indent)}`
        out.push(...inner)
      }
    }
    return out
  }
  for (const [k, x] of sortedEntries(v as object)) {
    const key = scalar(k, false, indent + o.indent)
    if (inline(x, o)) out.push(`${pad}${key}: ${inlineText(x, o, indent + o.indent)}`)
    else {
      out.push(`${pad}${key}:`)
      out.push(...block(x, Array.isArray(x) ? indent : indent + o.indent, o))
    }
  }
  return out
}

/** YAML text for `v`, ending with a newline. */
export function toYaml(v: unknown, o: YamlOptions): string {
  if (inline(v, o)) return `${inlineText(v, o, o.indent)}\n`
  return `${block(v, 0, o).join('\n')}\n`
}
