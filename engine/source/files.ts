/**
 * Controller files that playbooks name: where a relative `src` may be on a task's search path, and a template
 * file's text read once (size-capped, strict UTF-8). Used by the playbook loader (to check sources before contact)
 * and by the file modules (to find them at run time), so both follow one rule: Ansible 2.14's action plugins'
 * (`_find_needle`), the same as its lookups' (engine/expr/lookup-paths.ts). A task's search path is its role's
 * folder, the folder of the file the task is written in, then the play's folder (the last resort); each is searched
 * in its `files/` (or `templates/`) subfolder, then itself (a role's `tasks/` folder: the role's subfolder).
 *
 * @example
 * ```ts
 * sourceCandidates('motd.j2', ['/pb/roles/web', '/pb/roles/web/tasks', '/pb'], 'templates')
 * // ['/pb/roles/web/templates/motd.j2', '/pb/roles/web/motd.j2', '/pb/roles/web/tasks/templates/motd.j2', …,
 * //  '/pb/templates/motd.j2', '/pb/motd.j2']
 * ```
 */
import { readFileSync, statSync } from 'node:fs'
import { dirname, isAbsolute, resolve } from 'node:path'
import { searchCandidates } from '../expr/lookup-paths.js'
import { decodeUtf8 } from './utf8.js'
import { decryptIfVaulted } from '../vault/keyring.js'

/** Template files bigger than this are not read at load time. */
const MAX_TEMPLATE_BYTES = 1 << 20

/**
 * A task's search path, as Ansible's `get_search_path` plus its basedir: the role's folder (role tasks), the folder
 * of the file the task is written in, and the play's folder last; each once.
 */
export function taskSearchPaths(roleDir: string | undefined, file: string, playDir: string): string[] {
  const all = [...(roleDir ? [resolve(roleDir)] : []), resolve(dirname(file)), resolve(playDir)]
  return [...new Set(all)]
}

/**
 * Where a literal `src` may be, in search order: absolute as given, else as Ansible's `path_dwim_relative_stack`
 * looks for it along `searchPaths` (the last one is the play's folder: the last resort).
 */
export function sourceCandidates(src: string, searchPaths: readonly string[], kind: 'files' | 'templates'): string[] {
  if (isAbsolute(src)) return [src]
  const basedir = searchPaths.at(-1) ?? process.cwd()
  return [...new Set(searchCandidates({ paths: searchPaths.slice(0, -1), basedir }, kind, src))]
}

const texts = new Map<string, string | undefined>()

/** A template file's text (cached), or undefined when too large or unreadable; throws `UserError` for bad UTF-8. */
export function templateText(file: string): string | undefined {
  if (texts.has(file)) return texts.get(file)
  let bytes: Buffer | undefined
  try {
    bytes = statSync(file).size <= MAX_TEMPLATE_BYTES ? readFileSync(file) : undefined
  } catch {
    bytes = undefined // unreadable: the module reports it at run time
  }
  // a vaulted template is decrypted (a missing or wrong password throws a UserError), as Ansible reads it
  const text = bytes ? decodeUtf8(decryptIfVaulted(bytes, file), file) : undefined // invalid UTF-8 throws too
  texts.set(file, text)
  return text
}
