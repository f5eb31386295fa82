/**
 * Controller files that playbooks name: where a relative `src` may be on a task's search path, and a template
 * file's text read once (size-capped, strict UTF-8). Used by the playbook loader (to check sources before contact)
 * and by the file modules (to find them at run time), so both follow one rule.
 *
 * @example
 * ```ts
 * sourceCandidates('motd.hbs', ['/srv/roles/web', '/srv'], 'templates')
 * // ['/srv/roles/web/templates/motd.hbs', '/srv/roles/web/motd.hbs', '/srv/templates/motd.hbs', '/srv/motd.hbs']
 * ```
 */
import { readFileSync, statSync } from 'node:fs'
import { basename, isAbsolute, join } from 'node:path'
import { decodeUtf8 } from './utf8.js'
import { decryptIfVaulted } from '../vault/keyring.js'

/** Template files bigger than this are not read at load time. */
const MAX_TEMPLATE_BYTES = 1 << 20

/** Where a literal `src` may be, in search order: absolute as given, else `DIR/<kind>/src` or `DIR/src`. */
export function sourceCandidates(src: string, searchPaths: readonly string[], kind: 'files' | 'templates'): string[] {
  if (isAbsolute(src)) return [src]
  return searchPaths.flatMap((d) => (basename(d) === kind ? [join(d, src)] : [join(d, kind, src), join(d, src)]))
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
