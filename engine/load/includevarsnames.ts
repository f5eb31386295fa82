/**
 * The variable names an `include_vars` task may define, for the undefined-variable check: the top-level keys of
 * every file its `file` may name, looked up as the module looks (`vars/` of the role's folder, of the task file's
 * folder and of the playbook's, then those folders themselves). A template in the file's name matches any text
 * there (`"{{ ansible_os_family }}.yml"` reads every `vars/*.yml`), so a name that some system's vars file defines
 * is not reported as defined nowhere. `name:` puts everything under that one name. A folder (`dir:`), a template
 * in a folder's name, an unreadable or unparsable file gives nothing (the check's doubt stays).
 *
 * @example
 * ```ts
 * includeVarsNames({ file: '{{ ansible_os_family }}.yml' }, ['/roles/nginx', '/play'])
 * // → ['nginx_conf_path', 'root_group', …] from /roles/nginx/vars/Debian.yml, RedHat.yml, …
 * ```
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, dirname, isAbsolute, join } from 'node:path'
import { parseYamlBytes } from '../source/yaml.js'

/** Files bigger than this are not read for names. */
const MAX_BYTES = 1 << 20

/** The names `include_vars` with these arguments may define, its files searched along `searchPaths`. */
export function includeVarsNames(args: Record<string, unknown>, searchPaths: readonly string[]): string[] {
  if (typeof args.name === 'string' && !args.name.includes('{{')) return [args.name]
  const file = args.file
  if (typeof file !== 'string' || args.dir !== undefined) return []
  const folder = dirname(file)
  if (folder.includes('{{')) return []
  const pattern = namePattern(basename(file))
  const folders = isAbsolute(file) ? [folder] : searchPaths.flatMap((d) => [join(d, 'vars', folder), join(d, folder)])
  const names = new Set<string>()
  for (const dir of new Set(folders)) for (const f of matching(dir, pattern)) keysOf(f).forEach((k) => names.add(k))
  return [...names]
}

/** A file name with `{{ … }}` parts as a regular expression in which each part matches any text. */
function namePattern(name: string): RegExp {
  const parts = name.split(/\{\{.*?\}\}/)
  return new RegExp(`^${parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`)
}

/** The files of `dir` whose names match `pattern` (none when it is no folder). */
function matching(dir: string, pattern: RegExp): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return []
  return readdirSync(dir)
    .filter((n) => pattern.test(n))
    .map((n) => join(dir, n))
    .filter((f) => {
      const st = statSync(f)
      return st.isFile() && st.size <= MAX_BYTES
    })
}

/** The top-level keys of a YAML or JSON file of variables (none when it cannot be read as a map). */
function keysOf(file: string): string[] {
  try {
    const v = parseYamlBytes(readFileSync(file), file).value
    return v && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v) : []
  } catch {
    return []
  }
}
