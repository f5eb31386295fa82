/**
 * Lookups over controller files, searched as Ansible 2.14 searches them (lookup-paths.ts): `file` (text, trailing
 * whitespace stripped), `unvault` (text as it is), `fileglob`, `template` (a Jinja file rendered with the task's
 * variables and `template_vars`) and `first_found` (`files`/`paths`/`skip`, as roles pick a vars file per
 * distribution).
 *
 * @example
 * ```yaml
 * - include_vars: "{{ lookup('first_found', {'files': [ansible_distribution ~ '.yml', 'default.yml'],
 *                                            'paths': ['vars']}) }}"
 * - copy: { dest: /etc/motd, content: "{{ lookup('template', 'motd.j2', template_vars={'who': 'ops'}) }}" }
 * ```
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { UserError } from '../errors.js'
import { asList, flatten1, strTerms } from './lookup-data.js'
import { fileglob as globIn, findInSearchPath, type LookupPaths } from './lookup-paths.js'
import { convert } from './jinja/convert.js'
import { frame } from './jinja/reuse.js'
import { DELIMITER_NAMES, JINJA_DELIMITERS, type Delimiters } from './jinja/lex.js'
import { compileJinja, renderJinja, type JinjaOptions } from './jinja/run.js'
import type { Scope } from './scope.js'
import { toBool, toStr, typeName, short } from './values.js'

/** What file lookups need: the search path, the variables (for `template`), where `first_found` looks first. */
export interface FileLookupCtx {
  paths: LookupPaths
  scope?: Scope
  /** `files` for `lookup('first_found')`; `vars`/`templates` for a `with_first_found` on include_vars/template. */
  subdir?: string
}

/**
 * How a controller file's bytes become its content: the runner makes it decrypt vaulted files (engine/vault sits
 * above this layer), as Ansible's `file` and `template` lookups do.
 */
export const lookupFileBytes: { decode: (bytes: Buffer, file: string) => Buffer } = { decode: (b) => b }

function readText(file: string, term: string, what: string): string {
  let bytes: Buffer
  try {
    bytes = readFileSync(file)
  } catch (e) {
    throw new UserError(`${what} ${term}: ${(e as Error).message}`)
  }
  return lookupFileBytes.decode(bytes, file).toString('utf8')
}

/** `file`: each file's text, without trailing whitespace (`rstrip=false` keeps it, `lstrip=true` strips leading). */
export function fileLookup(terms: readonly unknown[], kw: Record<string, unknown>, ctx: FileLookupCtx): string[] {
  return strTerms(terms).map((t) => {
    const f = findInSearchPath(ctx.paths, 'files', t)
    if (!f) throw new UserError(`could not locate file in lookup: ${t}`)
    let s = readText(f, t, 'could not read file in lookup:')
    if (kw.lstrip !== undefined && toBool(kw.lstrip)) s = s.trimStart()
    if (kw.rstrip === undefined || toBool(kw.rstrip)) s = s.trimEnd()
    return s
  })
}

/** `unvault`: each file's text as it is (decrypted when vaulted; no whitespace stripped, unlike `file`). */
export function unvaultLookup(terms: readonly unknown[], ctx: FileLookupCtx): string[] {
  return strTerms(terms).map((t) => {
    const f = findInSearchPath(ctx.paths, 'files', t)
    if (!f) throw new UserError(`Unable to find file matching "${t}"`)
    return readText(f, t, 'could not read file in lookup:')
  })
}

/** `fileglob`: the files each pattern matches (in the first folder where it matches anything). */
export function fileglobLookup(terms: readonly unknown[], ctx: FileLookupCtx): string[] {
  return strTerms(terms).flatMap((t) => globIn(ctx.paths, t))
}

/** The template lookup's delimiter options (its variable and comment strings; blocks keep Jinja's). */
const LOOKUP_DELIMITERS = ['variable_start_string', 'variable_end_string', 'comment_start_string', 'comment_end_string']

/** Jinja's settings for the template lookup: Ansible's (trim_blocks), with the delimiters `kw` gives. */
function lookupJinja(kw: Record<string, unknown>): JinjaOptions {
  let delimiters: Delimiters | undefined
  for (const k of LOOKUP_DELIMITERS) {
    const v = kw[k]
    if (v === undefined || v === null) continue
    if (typeof v !== 'string' || v === '') throw new UserError(`${k} of the template lookup must be a string`)
    delimiters = { ...(delimiters ?? JINJA_DELIMITERS), [DELIMITER_NAMES[k as keyof typeof DELIMITER_NAMES]]: v }
  }
  return { trimBlocks: true, lstripBlocks: false, ...(delimiters ? { delimiters } : {}) }
}

/**
 * `template`: each Jinja file rendered with the task's variables, Ansible's template variables and `template_vars`;
 * its delimiter options as Ansible's.
 */
export function templateLookup(terms: readonly unknown[], kw: Record<string, unknown>, ctx: FileLookupCtx): unknown[] {
  const scope = ctx.scope
  if (!scope) throw new UserError("lookup('template') needs the task's variables")
  const tv = kw.template_vars ?? {}
  if (typeof tv !== 'object' || tv === null || Array.isArray(tv))
    throw new UserError(`template_vars must be a map, got ${typeName(tv)} ${short(tv)}`)
  return strTerms(terms).map((t) => {
    const f = findInSearchPath(ctx.paths, 'templates', t)
    if (!f) throw new UserError(`the template file ${t} could not be found for the lookup`)
    const text = readText(f, t, 'could not read template')
    const extra: Record<string, unknown> = {
      template_path: t,
      template_fullpath: f,
      template_destpath: null,
      template_run_date: new Date().toISOString().replace('T', ' ').slice(0, 26),
      template_host: scope.lookup('inventory_hostname'),
      template_uid: process.env.USER ?? '',
      ansible_managed: 'Ansible managed',
      ...(tv as Record<string, unknown>),
    }
    const out = renderJinja(compileJinja(text, lookupJinja(kw)), frame(scope, new Map(Object.entries(extra))), false)
    return kw.convert_data === undefined || toBool(kw.convert_data) ? convert(toStr(out)) : out
  })
}

const splitOn = (v: unknown, seps: RegExp): string[] =>
  asList(v).flatMap((x) => (typeof x === 'string' ? x.split(seps) : Array.isArray(x) ? x.map(toStr) : [toStr(x)]))

/** The names `first_found` tries, in order, and whether none found is fine (`skip: true`). */
function firstFoundNames(terms: readonly unknown[], kw: Record<string, unknown>): { names: string[]; skip: boolean } {
  let names: string[] = []
  let skip = kw.skip !== undefined && toBool(kw.skip)
  const walk = (list: readonly unknown[]) => {
    for (const t of list) {
      if (Array.isArray(t)) {
        walk(t)
        continue
      }
      const o = typeof t === 'object' && t !== null ? (t as Record<string, unknown>) : kw
      if (typeof t !== 'string' && (typeof t !== 'object' || t === null))
        throw new UserError(`Invalid term supplied to first_found: ${typeName(t)} ${short(t)}`)
      const files = splitOn(o.files, /[,;]/).filter(Boolean)
      const paths = splitOn(o.paths, /[,:;]/).filter(Boolean)
      skip = o.skip !== undefined ? toBool(o.skip) : skip
      if (paths.length) for (const p of paths) for (const f of files) names.push(join(p, f))
      else if (files.length) names = files
      else names.push(toStr(t))
    }
  }
  walk(terms)
  return { names, skip }
}

/** `first_found`: the first of the names that exists (looked up like `file`), or [] with `skip: true`. */
export function firstFoundLookup(
  terms: readonly unknown[],
  kw: Record<string, unknown>,
  ctx: FileLookupCtx,
  render: (s: string) => string | undefined = (s) => s,
): string[] {
  const { names, skip } = firstFoundNames(flatten1(terms).length ? terms : [], kw)
  for (const n of names) {
    const name = render(n)
    if (name === undefined) continue
    const f = findInSearchPath(ctx.paths, ctx.subdir ?? 'files', name)
    if (f) return [f]
  }
  if (skip) return []
  throw new UserError(`No file was found when using first_found. Tried: ${names.join(', ') || 'no names'}`)
}
