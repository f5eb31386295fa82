/**
 * `key=value` words, the Ansible way (its `parse_kv`), for module arguments written as one string and for
 * `-e k=v`. Words come from the one splitter (split.ts, `ansible` rules: Jinja blocks and quoted parts stay
 * whole). In each word, Python-style escapes (`\n`, `\t`, `\\`, `\"`, `\'`, `\xHH`, `\uHHHH`, …) are decoded, the
 * key ends at the first `=` not after a backslash, and the value loses its quotes only when they wrap all of it
 * (`a="x y"` → `x y`, `a=x"y"` → `x"y"`). A word that is a lone `\` is a line continuation and is dropped.
 *
 * A free-form module (`command: make chdir=/src`) takes out the words whose key is one of its other arguments;
 * the rest, as written, is its free-form text.
 *
 * @example
 * ```ts
 * parseKeyValues('name={{ pkg }} state=latest') // { name: '{{ pkg }}', state: 'latest' }
 * splitFreeForm('make install chdir=/src', ['chdir']) // { text: 'make install', params: { chdir: '/src' } }
 * ```
 */
import { scanWords, SplitError, type Word } from './split.js'

/** One word of a `k=v` string: `key`/`value` when it is `key=value`, else only the word. */
export interface KeyValueWord extends Word {
  key?: string
  value?: string
}

/** A key as Ansible's `parse_kv` takes it: any word before its `=` not starting with a quote (`daemon-reload`). */
const NAME = /^[^\s'"]\S*$/

const ESCAPE = /\\(?:U[0-9a-fA-F]{8}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[\\'"abfnrtv])/g
const SIMPLE: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
}

/** Python's escape sequences decoded, others (`\s`, `\d`, `\=`) kept as written. */
export function decodeEscapes(s: string): string {
  return s.replace(ESCAPE, (m) => {
    if (m.length === 2) return SIMPLE[m[1]!]!
    const code = parseInt(m.slice(2), 16)
    return code <= 0x10ffff ? String.fromCodePoint(code) : m
  })
}

/** `"x"` → `x`, `'x'` → `x`: quotes removed only when they wrap the whole text. */
export function unquote(s: string): string {
  const q = s[0]
  if (s.length > 1 && (q === '"' || q === "'") && s[s.length - 1] === q && s[s.length - 2] !== '\\') {
    return s.slice(1, -1)
  }
  return s
}

/** Every word of `s` with its key and value when it has them. Throws `SplitError` (unclosed quote or block). */
export function keyValueWords(s: string): KeyValueWord[] {
  return scanWords(s, 'ansible')
    .filter((w) => w.raw !== '\\')
    .map((w) => {
      const x = decodeEscapes(w.raw)
      let eq = x.indexOf('=', 1)
      while (eq > 0 && x[eq - 1] === '\\') eq = x.indexOf('=', eq + 1)
      if (eq < 0) return w
      return { ...w, key: x.slice(0, eq).trim(), value: unquote(x.slice(eq + 1).trim()) }
    })
}

/**
 * `k=v k2="v 2"` → `{ k: 'v', k2: 'v 2' }`; a key may be a template. Throws `SplitError` for an unclosed quote or
 * block, and for a word that is not `name=value` (its offset is where that word starts).
 */
export function parseKeyValues(s: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const w of keyValueWords(s)) {
    // a templated key (`"{{ item }}=set"`) is named at run time, as set_fact's keys may be
    const named = w.key !== undefined && (NAME.test(w.key) || w.key.includes('{{'))
    if (!named || w.key === undefined || w.value === undefined)
      throw new SplitError(`"${w.raw}" is not key=value`, w.start)
    out[w.key] = w.value
  }
  return out
}

/**
 * Free-form: take out the `k=v` words whose key is in `known`; the rest (as written) is the free-form text.
 * Throws `SplitError` for an unclosed quote or block (Ansible refuses those too).
 * @example splitFreeForm('make chdir=/src', ['chdir']) // { text: 'make', params: { chdir: '/src' } }
 */
export function splitFreeForm(s: string, known: readonly string[]): { text: string; params: Record<string, string> } {
  const params: Record<string, string> = {}
  let text = ''
  let from = 0
  for (const w of keyValueWords(s)) {
    if (w.key === undefined || w.value === undefined || !known.includes(w.key)) continue
    params[w.key] = w.value
    text += s.slice(from, w.start)
    from = w.end
  }
  return { text: (text + s.slice(from)).trim(), params }
}
