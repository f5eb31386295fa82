/**
 * The `csvfile` lookup, as Ansible 2.14's: `lookup('csvfile', 'Li', file='elements.csv', delimiter=',', col=2)`
 * finds the first row whose first field is the key and gives its field `col` (0-based, default 1); `default` when
 * no row matches (else nothing). Fields are read as Python's `csv` module reads them (`"…"` quoting, `""` for a
 * quote); the delimiter defaults to a tab (`TAB`). The file (default `ansible.csv`) is searched like `file`'s.
 * Options may also be written in the term (`'Li file=elements.csv delimiter=,'`).
 *
 * @example
 * ```yaml
 * - debug: { msg: "{{ lookup('csvfile', inventory_hostname, file='hosts.csv', delimiter=',', col=1) }}" }
 * ```
 */
import { readFileSync } from 'node:fs'
import { UserError } from '../errors.js'
import { findInSearchPath } from '../expr/lookup-paths.js'
import type { LookupCtx } from '../expr/lookups.js'
import { toStr } from '../expr/values.js'
import { parseKv } from './lookup-kv.js'

const OPTIONS = ['col', 'default', 'delimiter', 'file', 'encoding']

/** The rows of a CSV text, as Python's `csv.reader` (excel dialect) gives them. */
export function csvRows(text: string, delimiter: string): string[][] {
  if (delimiter.length !== 1) throw new UserError(`"delimiter" must be a 1-character string, got "${delimiter}"`)
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  let started = false
  const endField = () => {
    row.push(field)
    field = ''
  }
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
      continue
    }
    if (c === '"' && field === '') quoted = started = true
    else if (c === delimiter) {
      endField()
      started = true
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++
      if (started || field) endField()
      rows.push(row)
      row = []
      started = false
    } else {
      field += c
      started = true
    }
  }
  if (started || field) {
    endField()
    rows.push(row)
  }
  return rows
}

/** `csvfile`: each term's field (see the file's header). */
export function csvfileLookup(terms: readonly unknown[], kw: Record<string, unknown>, ctx: LookupCtx): string[] {
  const opts: Record<string, unknown> = { col: '1', delimiter: 'TAB', file: 'ansible.csv', ...kw }
  for (const k of Object.keys(kw)) if (!OPTIONS.includes(k)) throw new UserError(`${k} is not a valid option`)
  const out: string[] = []
  for (const t of terms.map(toStr)) {
    const { raw: key, params } = parseKv(t)
    if (!key) throw new UserError('Search key is required but was not found')
    for (const [k, v] of Object.entries(params)) {
      if (!OPTIONS.includes(k)) throw new UserError(`${k} is not a valid option`)
      opts[k] = v
    }
    const delimiter = toStr(opts.delimiter) === 'TAB' ? '\t' : toStr(opts.delimiter)
    const file = toStr(opts.file)
    const path = findInSearchPath(ctx.paths, 'files', file)
    if (!path) throw new UserError(`could not locate file in lookup: ${file} (No such file or directory)`)
    const row = csvRows(readFileSync(path, 'utf8'), delimiter).find((r) => r.length && r[0] === key)
    // as Ansible, `col` is read only for a row found (a default needs none)
    const col = row ? Number(opts.col) : 0
    if (!Number.isInteger(col)) throw new UserError(`csvfile: invalid literal for int() with base 10: '${opts.col}'`)
    if (row && row.at(col) === undefined) throw new UserError('csvfile: list index out of range')
    const v = row ? row.at(col) : opts.default
    if (v !== undefined && v !== null) out.push(toStr(v))
  }
  return out
}
