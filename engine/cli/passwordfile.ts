/**
 * `--become-password-file FILE` and `--connection-password-file FILE`, read as ansible-playbook reads them: `-`
 * is standard input; an executable file is run (no shell, no arguments) and its output is the password; any other
 * file's content is. Line breaks around the password are dropped (and, from a plain file, spaces too); an empty
 * password is refused, as are a missing file and a script that fails (its exit status and error output named).
 *
 * @example
 * ```ts
 * readPasswordFile('~/.become-pass', 'become') // the password in the file, trimmed
 * ```
 */
import { spawnSync } from 'node:child_process'
import { readFileSync, statSync } from 'node:fs'
import { UserError } from '../errors.js'

const CLI = { file: '(command line)', line: 1, col: 1 }

/** The password `file` holds or prints; `what` names it in errors (`become`, `connection`). */
export function readPasswordFile(file: string, what: string): string {
  const fail = (why: string, hint?: string): never => {
    throw new UserError(`--${what}-password-file: ${why}`, CLI, hint)
  }
  let secret: string
  if (file === '-') secret = readFileSync(0, 'utf8')
  else {
    const st = statSync(file, { throwIfNoEntry: false })
    if (!st) return fail(`the password file ${file} was not found`)
    if (st.isDirectory()) return fail(`${file} is a folder`)
    if ((st.mode & 0o111) !== 0) {
      const r = spawnSync(file, [], { stdio: ['inherit', 'pipe', 'pipe'], encoding: 'utf8' })
      if (r.error)
        fail(
          `cannot run the password script ${file}: ${r.error.message}`,
          '(if it is no script, remove its executable bit)',
        )
      if (r.status !== 0)
        fail(`the password script ${file} exited with status ${r.status ?? r.signal}: ${r.stderr.trim()}`)
      secret = r.stdout
    } else {
      try {
        secret = readFileSync(file, 'utf8').trim()
      } catch (e) {
        return fail(`cannot read the password file ${file}: ${(e as Error).message}`)
      }
    }
  }
  secret = secret.replace(/^[\r\n]+|[\r\n]+$/g, '')
  return secret === '' ? fail(`the password file ${file} gave an empty password`) : secret
}
