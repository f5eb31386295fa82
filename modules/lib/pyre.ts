/**
 * Python regular expressions (what Ansible users write) as JavaScript ones, where the two differ only in spelling:
 * `(?P<name>…)`, `(?P=name)`, `\A`, `\Z`, and leading inline flags `(?ims)`. Plus Python's `re.sub` with its
 * replacement template (`\1`, `\g<1>`, `\g<name>`, `\n`), counting replacements as `re.subn` does.
 *
 * @example
 * ```ts
 * pySubn(pyRegExp('^(port)=\\d+$', 'm'), '\\1=2222', 'port=22\n') // { text: 'port=2222\n', count: 1 }
 * ```
 */
import { expand, LineError } from './lines.js'

/** The JavaScript source of a Python pattern (no flags handled here). */
export function pySource(src: string): string {
  return src
    .replace(/\(\?P<(\w+)>/g, '(?<$1>')
    .replace(/\(\?P=(\w+)\)/g, '\\k<$1>')
    .replace(/(^|[^\\])((?:\\\\)*)\\A/g, '$1$2(?<![\\s\\S])')
    .replace(/(^|[^\\])((?:\\\\)*)\\Z/g, '$1$2(?![\\s\\S])')
}

/** Compile a Python pattern with `flags` (JavaScript letters) plus its own leading `(?ims)`. */
export function pyRegExp(src: string, flags = ''): RegExp {
  let body = src
  let all = flags
  const inline = /^\(\?([aiLmsux]+)\)/.exec(src)
  if (inline) {
    body = src.slice(inline[0].length)
    for (const f of 'ims') if (inline[1].includes(f) && !all.includes(f)) all += f
  }
  try {
    return new RegExp(pySource(body), all)
  } catch (e) {
    throw new LineError(`invalid regular expression '${src}': ${(e as Error).message}`)
  }
}

/** Python's `re.subn(re, template, text)`: every match replaced (`re` needs the `g` flag). */
export function pySubn(re: RegExp, template: string, text: string): { text: string; count: number } {
  let count = 0
  const out = text.replace(re, (...args: unknown[]) => {
    count++
    const hasGroups = typeof args[args.length - 1] === 'object'
    const end = args.length - (hasGroups ? 3 : 2)
    const m = args.slice(0, end) as string[] as RegExpExecArray
    m.groups = hasGroups ? (args[args.length - 1] as Record<string, string>) : undefined
    return expand(m, template)
  })
  return { text: out, count }
}
