/**
 * Ansible's backslash rule for templates written in a playbook (not template files): inside `{{ … }}`, each
 * backslash of a quoted string is doubled before Jinja reads the string, so a string means what is written there —
 * `regex_replace('(\w+)', '\1')` works as it reads, and `join('\n')` in a block scalar joins with a backslash and an
 * `n`, as in Ansible (YAML's double quotes turn `\n` into a line break before this). `{% %}` statements are left as
 * they are, as Ansible leaves them.
 *
 * @example
 * ```ts
 * escapeBackslashes("{{ x | join('\\n') }}") // "{{ x | join('\\\\n') }}"
 * ```
 */

/** The template `s` with the backslashes of the quoted strings inside its `{{ }}` doubled. */
export function escapeBackslashes(s: string): string {
  if (!s.includes('\\') || !s.includes('{{') || s.includes('{% raw') || s.includes('{%- raw')) return s
  let out = ''
  let i = 0
  while (i < s.length) {
    const open = s.indexOf('{{', i)
    if (open < 0) return out + s.slice(i)
    out += s.slice(i, open + 2)
    i = open + 2
    // a variable block: up to its `}}` outside quoted strings
    while (i < s.length) {
      const c = s[i]
      if (c === "'" || c === '"') {
        let j = i + 1
        while (j < s.length && s[j] !== c) j += s[j] === '\\' ? 2 : 1
        out += s.slice(i, Math.min(j + 1, s.length)).replace(/\\/g, '\\\\')
        i = j + 1
      } else if (c === '}' && s[i + 1] === '}') {
        out += '}}'
        i += 2
        break
      } else {
        out += c
        i++
      }
    }
  }
  return out
}
