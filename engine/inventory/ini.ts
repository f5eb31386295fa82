/**
 * INI inventories, as Ansible reads them: `[group]` host lines with inline `key=value` vars, `[group:children]`,
 * `[group:vars]`, hosts before any section go to `ungrouped`, `#`/`;` comments, host ranges and `host:port`.
 * Host lines are split into words with shell rules (engine/source/split.ts), as Ansible's `shlex` does.
 *
 * Values: quoted values stay strings; otherwise integers (no leading zero: `0644` stays a string), decimals,
 * `true`/`false`/`True`/`False`, `None`, and `[lists]`/`{maps}` of literals become typed values, as Ansible's
 * literal parsing does; everything else is a string.
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
import { evalExpr, exprVariables } from '../expr.js'
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

/** Ansible-like typing of an INI value (see the file header). */
export function parseIniValue(text: string, quoted: boolean): unknown {
  if (quoted) return text
  if (/^[-+]?(0|[1-9]\d*)$/.test(text)) return Number(text)
  if (/^[-+]?(0|[1-9]\d*)\.\d+$/.test(text)) return Number(text)
  if (text === 'true' || text === 'True') return true
  if (text === 'false' || text === 'False') return false
  if (text === 'None') return null
  if (/^[[{]/.test(text)) {
    try {
      if (exprVariables(text).length === 0) return evalExpr(text, {})
    } catch {
      // not a literal: keep the text
    }
  }
  return text
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
        let value = raw.slice(eq + 1).trim()
        const quote = /^(["'])(.*)\1$/.exec(value)
        if (!quote) value = value.replace(/\s+[#;].*$/, '')
        b.groupVars(group, { [key]: parseIniValue(quote ? quote[2] : value, Boolean(quote)) }, at(indent + 1))
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
