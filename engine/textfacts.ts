/**
 * Facts parsed from text files: the kernel command line (`cmdline`, `proc_cmdline`) and resolv.conf (`dns`), as
 * Ansible reads them; and the records the fact script prints for sysfs files (`sysfsRecords`).
 *
 * @example
 * ```ts
 * cmdlineFacts('console=tty1 quiet') // { ansible_cmdline: { console: 'tty1', quiet: true }, ansible_proc_cmdline: … }
 * ```
 */
import type { Vars } from './types.js'

/** `cmdline` (the last value of a key wins) and `proc_cmdline` (a repeated key's values as a list). */
export function cmdlineFacts(text: string): Vars {
  const cmdline: Vars = {}
  const proc: Vars = {}
  for (const w of shellWords(text)) {
    const i = w.indexOf('=')
    const [k, v] = i < 0 ? [w, true] : [w.slice(0, i), w.slice(i + 1)]
    cmdline[k] = v
    if (!(k in proc)) proc[k] = v
    else proc[k] = Array.isArray(proc[k]) ? [...(proc[k] as unknown[]), v] : [proc[k], v]
  }
  return { ansible_cmdline: cmdline, ansible_proc_cmdline: proc }
}

/**
 * Words as Python's `shlex.split` gives them (quotes removed; an open quote runs on): the kernel command line's, and
 * `export -p`'s.
 */
function shellWords(text: string): string[] {
  const out: string[] = []
  let word: string | undefined
  let quote = ''
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quote) {
      if (c === quote) quote = ''
      else if (c === '\\' && quote === '"' && i + 1 < text.length) word += text[++i]
      else word += c
    } else if (/\s/.test(c)) {
      if (word !== undefined) out.push(word)
      word = undefined
    } else if (c === '"' || c === "'") {
      quote = c
      word ??= ''
    } else word = (word ?? '') + (c === '\\' && i + 1 < text.length ? text[++i] : c)
  }
  if (word !== undefined) out.push(word)
  return out
}

/** Ansible's `dns` from resolv.conf: nameservers, domain, search, sortlist, options. */
export function dnsFacts(l: string[]): Vars {
  const out: Vars = {}
  for (const line of l) {
    const [k, ...rest] = line
      .replace(/[#;].*$/, '')
      .trim()
      .split(/\s+/)
    if (k === 'nameserver' && rest[0]) ((out.nameservers ??= []) as string[]).push(rest[0])
    else if (k === 'domain' && rest[0]) out.domain = rest[0]
    else if (k === 'search' || k === 'sortlist') out[k] = rest
    else if (k === 'options')
      for (const o of rest) {
        const [name, value] = o.split(':')
        ;((out.options ??= {}) as Vars)[name] = value ?? true
      }
  }
  return out
}

/**
 * The `WHO<tab>KEY<tab>VALUE` lines the fact script prints for sysfs files (block devices, network interfaces): per
 * WHO, each KEY's value (trimmed), and the values of the repeated `listKey` (a disk's holders, a bridge's ports) in
 * the order printed.
 */
export function sysfsRecords(
  lines: readonly string[],
  listKey: string,
): { values: Map<string, Map<string, string>>; lists: Map<string, string[]> } {
  const values = new Map<string, Map<string, string>>()
  const lists = new Map<string, string[]>()
  for (const l of lines) {
    const [who = '', key = '', ...rest] = l.split('\t')
    const value = rest.join('\t').trim()
    if (key === listKey) (lists.get(who) ?? lists.set(who, []).get(who)!).push(value)
    else (values.get(who) ?? values.set(who, new Map()).get(who)!).set(key, value)
  }
  return { values, lists }
}

/** The first line of the fact script's `@env` section when the shell's `export -p` follows, not `env`'s lines. */
export const EXPORT_P = '%export -p'

/**
 * The environment as dash's or BusyBox ash's `export -p` lists it: `export NAME='value'`, a quote inside written
 * `'"'"'`, a newline kept inside the quotes (the words of `shellWords`); a name exported without a value
 * (`export NAME`) is not in it.
 *
 * @example
 * ```ts
 * exportedVars(["export A='it'\"'\"'s'", "export B='x", "y'", 'export C']) // { A: "it's", B: 'x\ny' }
 * ```
 */
export function exportedVars(lines: readonly string[]): Vars {
  const out: Vars = {}
  for (const w of shellWords(lines.join('\n'))) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(w)
    if (m) out[m[1]] = w.slice(m[0].length)
  }
  return out
}
