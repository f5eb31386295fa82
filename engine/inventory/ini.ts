/**
 * INI inventories, as Ansible reads them: `[group]` host lines with inline `key=value` vars, `[group:children]`,
 * `[group:vars]`, hosts before any section go to `ungrouped`, `#`/`;` comments, host ranges and `host:port`.
 * Host lines are split into words with shell rules (engine/source/split.ts), as Ansible's `shlex` does.
 *
 * Values are typed as Ansible types them, by Python's literal rules (`parseIniValue`): numbers, `True`/`False`,
 * `None`, lists, tuples and maps of literals; everything else (`yes`, `0644`) is a string. Quoted values stay
 * strings and `true`/`false` are booleans (deliberate differences, see the README).
 *
 * @example
 * ```ini
 * [hydra_builders]
 * pi[02:03] ansible_user=pi nix_max_jobs=2
 * [hydra:children]
 * hydra_builders
 * [hydra:vars]
 * hydra_port=3000
 * ```
 */
import { UserError } from '../errors.js'
import { exprVariables } from '../expr.js'
import { pyLiteral } from '../expr/pyliteral.js'
import type { SourcePos, Vars } from '../types.js'
import { shellWords, SplitError, type ShellWord } from '../source/split.js'
import type { InventoryBuilder } from './builder.js'
import { expandHostRange, splitHostPort } from './ranges.js'

/** A host line's words, split like a shell would (quotes, backslashes); a `#` that starts a word ends the line. */
function hostLineWords(line: string, pos: (col: number) => SourcePos): ShellWord[] {
  try {
    return shellWords(line, { comments: true })
  } catch (e) {
    if (e instanceof SplitError) throw new UserError(e.message, pos(e.offset + 1))
    throw e
  }
}

const INT = /^(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|[1-9](?:_?\d)*|0(?:_?0)*)$/
const DIGITS = '\\d(?:_?\\d)*'
const FLOAT = new RegExp(
  `^(?:(?:(?:${DIGITS})?\\.${DIGITS}|${DIGITS}\\.)(?:[eE][+-]?${DIGITS})?|${DIGITS}[eE][+-]?${DIGITS})$`,
)
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v' }

/** A Python string literal's value (`'a'`, `"a\\nb"`, `r"a\\b"`), or undefined for other text. */
function pyString(text: string): string | undefined {
  const m = /^([rR]?)(['"])((?:\\[\s\S]|(?!\2)[^\\\n])*)\2$/.exec(text)
  if (!m) return undefined
  if (m[1]) return m[3]
  return m[3].replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|[\s\S])/g, (all, e: string) =>
    e.length > 1
      ? String.fromCharCode(parseInt(e.slice(1), 16))
      : e === '\n'
        ? ''
        : (ESCAPES[e] ?? (/['"\\]/.test(e) ? e : all)),
  )
}

/** A Python number literal's value, a sign allowed (`-0x1F`, `1_000`, `.5`, `1e3`), or undefined. */
function pyNumber(text: string): number | undefined {
  const sign = text.startsWith('-') ? -1 : 1
  const body = /^[-+]/.test(text) ? text.slice(1) : text
  if (INT.test(body) || FLOAT.test(body)) return sign * Number(body.replaceAll('_', ''))
  return undefined
}

/** Python's `ast.literal_eval` of one INI value, as Ansible types it, or undefined when it is no literal. */
function literalValue(text: string): { value: unknown } | undefined {
  if (text === 'True' || text === 'False') return { value: text === 'True' }
  if (text === 'None') return { value: null }
  const n = pyNumber(text)
  if (n !== undefined) return { value: n }
  const str = pyString(text)
  if (str !== undefined) return { value: str }
  if (!/^[[{(]/.test(text)) return undefined
  try {
    const lit = exprVariables(text).length === 0 ? pyLiteral(text) : undefined
    return lit && { value: plain(lit.value) }
  } catch {
    return undefined // not an expression at all
  }
}

/** A tuple inside a literal as a plain list, as Ansible's inventory hands it on (`(1, 2)` is `[1, 2]`). */
const plain = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(plain)
    : v !== null && typeof v === 'object'
      ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]))
      : v

/**
 * An INI value typed as Ansible's `_parse_value` types it (Python's `ast.literal_eval`, else the text): `8080`,
 * `0x10`, `1e3`, `True`, `None`, `[1, 2]` and `(1, 2)` become values; `yes` and `010` stay text (and complex
 * numbers, `1j`, which tsplay has no type for). Two deliberate differences (README, "Differences from Ansible"): a
 * `quoted` host-line value stays a string, and `true`/`false` are booleans as `True`/`False` are.
 */
export function parseIniValue(text: string, quoted = false): unknown {
  if (quoted) return text
  if (text === 'true' || text === 'false') return text === 'true'
  const lit = literalValue(text)
  return lit ? lit.value : text
}

/** A `[group:vars]` value: a quoted string (its escapes read as Python reads them), else typed without a comment. */
function varsLineValue(raw: string): unknown {
  const str = pyString(raw)
  if (str !== undefined) return str
  return parseIniValue(raw.replace(/\s+[#;].*$/, ''))
}

/** Parse INI inventory text from `file` into the builder. Errors are recorded in the builder. */
export function parseIni(text: string, file: string, b: InventoryBuilder): void {
  let group = 'ungrouped'
  let kind: 'hosts' | 'children' | 'vars' = 'hosts'
  const pendingVars = new Map<string, SourcePos>()
  const lines = text.split(/\r?\n/)
  lines.forEach((raw, idx) => {
    const line = idx + 1
    const at = (col: number): SourcePos => ({ file, line, col })
    const trimmed = raw.trim()
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) return
    const indent = raw.length - raw.trimStart().length
    b.attempt(() => {
      if (trimmed.startsWith('[')) {
        const m = /^\[([^\]]*)\]\s*(?:[#;].*)?$/.exec(trimmed)
        if (!m)
          return b.fail('malformed section header: expected [group], [group:children] or [group:vars]', at(indent + 1))
        const [name, suffix, extra] = m[1].trim().split(':')
        if (extra !== undefined || (suffix !== undefined && suffix !== 'children' && suffix !== 'vars')) {
          return b.fail(`unknown section [${m[1]}]: expected [group], [group:children] or [group:vars]`, at(indent + 1))
        }
        group = name
        kind = (suffix ?? 'hosts') as typeof kind
        if (kind === 'vars') {
          if (!b.hasGroup(name)) pendingVars.set(name, at(indent + 1))
        } else b.group(name, at(indent + 2))
        return
      }
      if (kind === 'vars') {
        const eq = raw.indexOf('=')
        if (eq < 0) return b.fail(`expected key=value in [${group}:vars]`, at(indent + 1))
        const key = raw.slice(0, eq).trim()
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
          return b.fail(`invalid variable name ${JSON.stringify(key)}`, at(indent + 1))
        b.groupVars(group, { [key]: varsLineValue(raw.slice(eq + 1).trim()) }, at(indent + 1))
        return
      }
      const toks = hostLineWords(raw, at)
      if (toks.length === 0) return
      if (kind === 'children') {
        if (toks.length > 1)
          return b.fail(`expected one group name per line in [${group}:children]`, at(toks[1].start + 1))
        b.addChild(group, toks[0].text, at(toks[0].start + 1))
        pendingVars.delete(toks[0].text)
        return
      }
      const vars: Vars = {}
      for (const t of toks.slice(1)) {
        const eq = t.text.indexOf('=')
        if (eq <= 0)
          return b.fail(`expected key=value after the host name, found ${JSON.stringify(t.text)}`, at(t.start + 1))
        vars[t.text.slice(0, eq)] = parseIniValue(t.text.slice(eq + 1), t.quoted)
      }
      const { name, port } = splitHostPort(toks[0].text, at(toks[0].start + 1))
      if (port !== undefined) vars.ansible_port = port
      for (const h of expandHostRange(name, at(toks[0].start + 1))) b.addHost(h, group, vars, at(toks[0].start + 1))
    })
    if (kind !== 'vars' && b.hasGroup(group)) pendingVars.delete(group)
  })
  for (const [name, pos] of pendingVars) b.fail(`[${name}:vars] is for a group that this inventory never defines`, pos)
}
