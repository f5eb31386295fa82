/**
 * The `ini` lookup, as Ansible 2.14's (Python's `configparser` rules): `lookup('ini', 'user', section='prod',
 * file='users.ini')` gives the value of `user` in `[prod]`; keys are compared lowercased unless
 * `case_sensitive=true`, `[DEFAULT]` values show in every section, `%(other)s` refers to another key, values go on
 * over indented lines. `type=properties` reads a Java properties file (no sections); `re=true` gives the values of
 * every key the term matches; `default` (empty text unless given) stands for a missing key; `allow_no_value` accepts
 * keys without `=`. The file is searched like `file`'s. Options may also be written in the term (`'user
 * section=prod file=users.ini'`).
 *
 * @example
 * ```yaml
 * - debug: { msg: "{{ lookup('ini', 'port', section='db', file='app.ini', default='5432') }}" }
 * ```
 */
import { readFileSync } from 'node:fs'
import { UserError } from '../errors.js'
import { findInSearchPath } from '../expr/lookup-paths.js'
import type { LookupCtx } from '../expr/lookups.js'
import { pyRegex } from '../expr/pyregex.js'
import { toBool, toStr } from '../expr/values.js'

const OPTIONS = [
  'type',
  'file',
  'section',
  're',
  'encoding',
  'default',
  'case_sensitive',
  'allow_no_value',
  'allow_none',
]

type Sections = Map<string, Map<string, string | null>>

/** An ini text read as configparser reads it: sections of keys (`DEFAULT` among them), values not interpolated. */
export function parseIni(text: string, o: { caseSensitive: boolean; allowNoValue: boolean }): Sections {
  const out: Sections = new Map([['DEFAULT', new Map()]])
  let cur: Map<string, string | null> | undefined
  let last: { key: string; indent: number } | undefined
  text.split(/\r?\n/).forEach((line, i) => {
    const body = line.trim()
    const indent = line.length - line.trimStart().length
    if (!body || body.startsWith('#') || body.startsWith(';')) {
      if (!body) last = undefined
      return
    }
    if (cur && last && indent > last.indent) {
      const v = cur.get(last.key)
      cur.set(last.key, `${v ?? ''}\n${body}`)
      return
    }
    const head = /^\[(.+)\]$/.exec(body)
    if (head) {
      if (out.has(head[1]) && head[1] !== 'DEFAULT') throw new UserError(`section '${head[1]}' already exists`)
      cur = out.get(head[1]) ?? new Map()
      out.set(head[1], cur)
      last = undefined
      return
    }
    if (!cur) throw new UserError(`File contains no section headers (line ${i + 1}: '${line}')`)
    const m = /^(.*?)\s*[=:]\s*(.*)$/.exec(body)
    if (!m && !o.allowNoValue) throw new UserError(`Source contains parsing errors: [line ${i + 1}]: '${line}'`)
    const key = o.caseSensitive ? (m ? m[1] : body) : (m ? m[1] : body).toLowerCase()
    if (cur.has(key)) throw new UserError(`option '${key}' in a section already exists (line ${i + 1})`)
    cur.set(key, m ? m[2] : null)
    last = { key, indent }
  })
  return out
}

/** A section's keys with `[DEFAULT]`'s, `%(key)s` and `%%` interpolated (configparser's BasicInterpolation). */
export function sectionItems(ini: Sections, section: string): Map<string, string | null> {
  const own = ini.get(section)
  if (!own) throw new UserError(`No section '${section}'`)
  const all = new Map([...ini.get('DEFAULT')!, ...own])
  const interp = (v: string, depth: number): string => {
    if (depth > 10) throw new UserError(`interpolation too deep in section '${section}'`)
    return v.replace(/%(%|\(([^)]*)\)s|.?)/g, (whole, what: string, name?: string) => {
      if (what === '%') return '%'
      if (name === undefined) throw new UserError(`'%' must be followed by '%' or '(' in "${v}"`)
      const ref = all.get(name.toLowerCase())
      if (ref === undefined || ref === null) throw new UserError(`bad interpolation variable reference ${whole}`)
      return interp(ref, depth + 1)
    })
  }
  return new Map([...all].map(([k, v]) => [k, v === null ? null : interp(v, 0)]))
}

/** Options written in the term, as Ansible's ini lookup splits them: the key and `name=value` phrases. */
function termOptions(term: string): { key: string; opts: Record<string, string> } {
  const parts: Record<string, string> = {}
  const order: string[] = []
  let cur = 'key'
  term
    .split(/\s+/)
    .filter(Boolean)
    .forEach((phrase, i) => {
      if (phrase.includes('=')) for (const k of OPTIONS) if (phrase.includes(`${k}=`)) cur = k
      if (i === 0 || !parts[cur]) {
        parts[cur] = phrase
        order.push(cur)
      } else parts[cur] += ` ${phrase}`
    })
  let key: string | undefined
  const opts: Record<string, string> = {}
  for (const p of order.map((k) => parts[k])) {
    if (!p.includes('=')) {
      key ??= p
      continue
    }
    const kv = p.split('=')
    if (kv.length !== 2) throw new UserError(`Could not use '${p}' from the ini lookup's term: too many "="`)
    if (!OPTIONS.includes(kv[0])) throw new UserError(`${kv[0]} is not a valid option.`)
    opts[kv[0]] = kv[1]
  }
  if (key === undefined)
    throw new UserError(`No key to lookup was provided as first term with in string inline options: ${term}`)
  return { key, opts }
}

/** `ini`: each term's value(s) (see the file's header). */
export function iniLookup(terms: readonly unknown[], kw: Record<string, unknown>, ctx: LookupCtx): string[] {
  for (const k of Object.keys(kw)) if (!OPTIONS.includes(k)) throw new UserError(`${k} is not a valid option.`)
  const out: string[] = []
  for (const t of terms.map(toStr)) {
    const inline = t.includes('=') || t.trim().includes(' ')
    const { key, opts } = inline ? termOptions(t) : { key: t, opts: {} }
    const o: Record<string, unknown> = { ...kw, ...opts }
    const file = toStr(o.file ?? 'ansible.ini')
    const path = findInSearchPath(ctx.paths, 'files', file)
    if (!path) throw new UserError(`could not locate file in lookup: ${file} (No such file or directory)`)
    let text = readFileSync(path, 'utf8')
    let section = toStr(o.section ?? 'global')
    if (toStr(o.type ?? 'ini') === 'properties') {
      text = `[java_properties]\n${text}`
      section = 'java_properties'
    }
    const noValue = o.allow_no_value ?? o.allow_none
    const ini = parseIni(text, {
      caseSensitive: o.case_sensitive !== undefined && toBool(o.case_sensitive),
      allowNoValue: noValue !== undefined && toBool(noValue),
    })
    if (!ini.has(section)) throw new UserError(`No section '${section}' in ${file}`)
    const items = sectionItems(ini, section)
    if (o.re !== undefined && toBool(o.re)) {
      const re = pyRegex(key)
      for (const [k, v] of items) if (v !== null && re.exec(k)?.index === 0) out.push(v)
      continue
    }
    const want = o.case_sensitive !== undefined && toBool(o.case_sensitive) ? key : key.toLowerCase()
    const v = items.has(want) ? items.get(want) : toStr(o.default ?? '')
    if (v !== null && v !== undefined) out.push(v)
  }
  return out
}
