/**
 * `--limit @file`, as Ansible's: a part of the limit pattern that starts with `@` names a file (relative to the
 * current folder) whose lines are host patterns, one per line, blank lines skipped — the retry files
 * `ansible-playbook` writes, or any list of hosts. The other parts stay as they are; the result is a `,` union.
 *
 * @example
 * ```ts
 * readLimitFiles('@failed.retry,web') // 'pi2,pi5,web' when failed.retry holds the lines pi2 and pi5
 * ```
 */
import { readFileSync, statSync } from 'node:fs'
import { UserError } from '../errors.js'
import { splitPattern } from '../inventory/patterns.js'

const CLI = { file: '(command line)', line: 1, col: 1 }

/** The limit pattern with each `@file` part replaced by the file's lines (the pattern itself when it has none). */
export function readLimitFiles(pattern: string): string {
  const parts = splitPattern(pattern)
  if (!parts.some((p) => p.startsWith('@'))) return pattern
  const out: string[] = []
  for (const part of parts) {
    if (!part.startsWith('@')) {
      out.push(part)
      continue
    }
    const file = part.slice(1)
    let text: string
    try {
      if (statSync(file).isDirectory()) throw new UserError(`--limit: "${file}" is a folder, not a file of hosts`, CLI)
      text = readFileSync(file, 'utf8')
    } catch (e) {
      if (e instanceof UserError) throw e
      const code = (e as NodeJS.ErrnoException).code
      const why = code === 'ENOENT' ? 'file not found' : (e as Error).message
      throw new UserError(`--limit: cannot read the file of hosts "${file}": ${why}`, CLI)
    }
    const lines = text.split('\n').map((l) => l.trim())
    out.push(...lines.filter((l) => l !== ''))
  }
  return out.join(',')
}
