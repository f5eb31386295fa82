/**
 * Shell-like word splitting for the `command` module's free-form string, without a shell: quotes and
 * backslashes group and escape, and that is all. No globbing, no `$VAR`, no `$(…)`, no pipes or `;` —
 * those characters stay literal inside the words. Follows Python's `shlex.split` (POSIX mode), which
 * Ansible's `command` module uses, so the same string gives the same argv under both tools.
 *
 * @example
 * ```ts
 * splitArgs(`echo "a b" 'c d' e\\ f`) // ['echo', 'a b', 'c d', 'e f']
 * splitArgs(`echo '; touch /tmp/pwned #'`) // ['echo', '; touch /tmp/pwned #']
 * ```
 */

/** Thrown for an unclosed quote or a trailing backslash. */
export class SplitError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SplitError'
  }
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r'])
/** Characters a backslash escapes inside double quotes (others keep the backslash), as `shlex` does. */
const DQ_ESCAPABLE = new Set(['\\', '"'])

/** Split `s` into words like `shlex.split(s)`. Throws `SplitError` on an unclosed quote. */
export function splitArgs(s: string): string[] {
  const words: string[] = []
  let word = ''
  let inWord = false
  let i = 0
  while (i < s.length) {
    const c = s[i]
    if (WHITESPACE.has(c)) {
      if (inWord) words.push(word)
      word = ''
      inWord = false
      i++
    } else if (c === "'") {
      const end = s.indexOf("'", i + 1)
      if (end < 0) throw new SplitError(`no closing quotation (') in: ${s}`)
      word += s.slice(i + 1, end)
      inWord = true
      i = end + 1
    } else if (c === '"') {
      inWord = true
      i++
      for (;;) {
        if (i >= s.length) throw new SplitError(`no closing quotation (") in: ${s}`)
        const d = s[i]
        if (d === '"') {
          i++
          break
        }
        if (d === '\\' && i + 1 < s.length && DQ_ESCAPABLE.has(s[i + 1])) {
          word += s[i + 1]
          i += 2
        } else {
          word += d
          i++
        }
      }
    } else if (c === '\\') {
      if (i + 1 >= s.length) throw new SplitError(`no escaped character after a trailing backslash in: ${s}`)
      word += s[i + 1]
      inWord = true
      i += 2
    } else {
      word += c
      inWord = true
      i++
    }
  }
  if (inWord) words.push(word)
  return words
}
