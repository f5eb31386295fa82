/**
 * Module arguments written as one string, the Ansible way:
 * - a free-form module (`command: ls -l`) puts the string in its `freeForm` argument, after taking out
 *   `key=value` words whose key is one of its other arguments (`command: make chdir=/src creates=out`);
 * - any other module takes `key=value` pairs (`apt: name=git state=present`), values may be quoted and may
 *   hold `{{ … }}` with spaces.
 *
 * @example
 * ```yaml
 * - command: make install chdir=/src/nix   # { cmd: "make install", chdir: "/src/nix" }
 * - apt: name={{ pkg }} state=latest       # { name: "{{ pkg }}", state: "latest" }
 * ```
 */

/** One word of a `k=v` string, with the offset where it starts. */
interface Word {
  text: string
  start: number
  end: number
}

/** Split on blanks, keeping quoted parts and `{{ … }}`/`{% … %}` together; quotes are removed. */
export function splitWords(s: string): Word[] {
  const out: Word[] = []
  let i = 0
  while (i < s.length) {
    while (i < s.length && /\s/.test(s[i])) i++
    if (i >= s.length) break
    const start = i
    let text = ''
    while (i < s.length && !/\s/.test(s[i])) {
      const c = s[i]
      if (c === '"' || c === "'") {
        const close = s.indexOf(c, i + 1)
        if (close === -1) throw new Error(`unclosed ${c} quote`)
        text += s.slice(i + 1, close)
        i = close + 1
      } else if (c === '{' && (s[i + 1] === '{' || s[i + 1] === '%')) {
        const endTok = s[i + 1] === '{' ? '}}' : '%}'
        const close = s.indexOf(endTok, i + 2)
        if (close === -1) throw new Error(`unclosed ${s.slice(i, i + 2)}`)
        text += s.slice(i, close + 2)
        i = close + 2
      } else if (c === '\\' && i + 1 < s.length) {
        text += s[i + 1]
        i += 2
      } else {
        text += c
        i++
      }
    }
    out.push({ text, start, end: i })
  }
  return out
}

const KEY = /^([A-Za-z_][A-Za-z0-9_]*)=/

/** `k=v k2="v 2"` → `{ k: 'v', k2: 'v 2' }`. Throws `Error` naming the word that is not `k=v`. */
export function parseKeyValues(s: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const w of splitWords(s)) {
    const m = KEY.exec(w.text)
    if (!m) throw new Error(`"${w.text}" is not key=value`)
    out[m[1]] = w.text.slice(m[0].length)
  }
  return out
}

/**
 * Free-form: take out `k=v` words whose key is in `known`; the rest (as written) is the free-form text.
 * @example splitFreeForm('make chdir=/src', ['chdir']) // { text: 'make', params: { chdir: '/src' } }
 */
export function splitFreeForm(s: string, known: readonly string[]): { text: string; params: Record<string, string> } {
  let words: Word[]
  try {
    words = splitWords(s)
  } catch {
    return { text: s.trim(), params: {} }
  }
  const params: Record<string, string> = {}
  const cut: Array<[number, number]> = []
  for (const w of words) {
    const m = KEY.exec(w.text)
    if (m && known.includes(m[1])) {
      params[m[1]] = w.text.slice(m[0].length)
      cut.push([w.start, w.end])
    }
  }
  let text = s
  for (const [a, b] of cut.reverse()) text = text.slice(0, a) + text.slice(b)
  return { text: text.replace(/\s+$/, '').replace(/^\s+/, ''), params }
}
