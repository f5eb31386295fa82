/**
 * `vars_files` entries whose names need host variables (engine/load/varsfiles.ts left them for run time): per host,
 * each candidate name is rendered with the host's variables and the first file that exists is loaded, as Ansible
 * 2.14 does. An entry whose name cannot be rendered yet (a fact not gathered) is skipped until it can; one whose
 * candidates all miss is an error for that host. Files are read once.
 *
 * @example
 * ```yaml
 * vars_files: [["vars/{{ ansible_os_family }}.yml", vars/default.yml]]   # Debian hosts load vars/Debian.yml
 * ```
 */
import { readFileSync } from 'node:fs'
import type { LateVarsFile } from '../ast.js'
import { UserError } from '../errors.js'
import { findVarsFile } from '../load/varsfiles.js'
import { parseYamlBytes } from '../source/yaml.js'
import { renderString } from '../template.js'
import type { Vars } from '../types.js'

const files = new Map<string, Vars>()
/** Per host, the variables once every entry could be rendered (until then they are rendered again each time). */
const done = new WeakMap<object, Map<string, Vars>>()

function readVars(file: string): Vars {
  let v = files.get(file)
  if (v) return v
  const doc = parseYamlBytes(readFileSync(file), file)
  if (doc.value !== undefined && doc.value !== null && (typeof doc.value !== 'object' || Array.isArray(doc.value)))
    throw new UserError('a vars file must be a map of variables', doc.pos)
  v = (doc.value ?? {}) as Vars
  files.set(file, v)
  return v
}

/**
 * The variables of the late `vars_files` entries for `host`; `vars()` gives the host's other variables (rendered),
 * `key` identifies the play run (the cache's owner).
 */
export function lateVarsFiles(key: object, host: string, entries: readonly LateVarsFile[], vars: () => Vars): Vars {
  const cached = done.get(key)?.get(host)
  if (cached) return cached
  const all = vars()
  const out: Vars = {}
  let complete = true
  for (const e of entries) {
    let found: string | undefined
    let rendered = true
    for (const n of e.names) {
      let name: string
      try {
        name = renderString(n, all).trim()
      } catch (err) {
        if (!(err instanceof UserError)) throw err
        rendered = false
        break
      }
      found = findVarsFile(e.dir, name)
      if (found) break
    }
    if (!rendered) {
      complete = false
      continue
    }
    if (!found) throw new UserError(`vars file ${e.names.join(', ')} was not found (for host ${host})`, e.pos)
    Object.assign(out, readVars(found))
  }
  if (complete) {
    if (!done.has(key)) done.set(key, new Map())
    done.get(key)!.set(host, out)
  }
  return out
}
