/**
 * Python regular expressions (what Ansible's `regex_*` filters and `match`/`search` tests take) run on
 * JavaScript's engine: `(?P<name>…)`, `(?P=name)`, `\A`, `\Z`, a leading `(?i)`/`(?m)`/`(?s)`, Python's `$`
 * (also before a final newline), and replacement templates with `\1`, `\g<1>`, `\g<name>`.
 *
 * @example
 * ```ts
 * pyRegex('^(?P<k>\\w+)=').exec('a=1')?.groups?.k // 'a'
 * pyReplace('k=v', pyRegex('(\\w)=(\\w)', 'g'), '\\2=\\1') // 'v=k'
 * ```
 */
import { UserError } from '../errors.js'
import { short } from './values.js'

/** Compile a Python pattern; `flags` are JavaScript flags (`g`, `i`, `m`). */
export function pyRegex(pattern: string, flags = ''): RegExp {
  flags = [...new Set(flags)].join('')
  let p = pattern
  const inline = /^\(\?([aiLmsux]+)\)/.exec(p)
  if (inline) {
    p = p.slice(inline[0].length)
    for (const f of inline[1]) if ('ims'.includes(f) && !flags.includes(f)) flags += f
  }
  let out = ''
  let inClass = false
  for (let i = 0; i < p.length; i++) {
    const c = p[i]
    if (c === '\\') {
      const n = p[i + 1] ?? ''
      i++
      if (!inClass && n === 'A') out += '(?<![\\s\\S])'
      else if (!inClass && n === 'Z') out += '(?![\\s\\S])'
      else out += c + n
    } else if (inClass) {
      if (c === ']') inClass = false
      out += c
    } else if (c === '[') {
      inClass = true
      out += c
      if (p[i + 1] === '^') out += p[++i]
      if (p[i + 1] === ']') out += `\\${p[++i]}`
    } else if (c === '(' && p.startsWith('(?P<', i)) {
      out += '(?<'
      i += 3
    } else if (c === '(' && p.startsWith('(?P=', i)) {
      const end = p.indexOf(')', i)
      out += `\\k<${p.slice(i + 4, end)}>`
      i = end
    } else if (c === '$' && !flags.includes('m')) out += '(?=\\n?(?![\\s\\S]))'
    else out += c
  }
  try {
    return new RegExp(out, flags)
  } catch (e) {
    throw new UserError(`invalid regular expression ${short(pattern)}: ${(e as Error).message}`)
  }
}

/** Apply Python's `re.sub` replacement template `repl` to each match of `re` in `s`. */
export function pyReplace(s: string, re: RegExp, repl: string, count = 0): string {
  let n = 0
  return s.replace(re, (...m: unknown[]) => {
    if (count > 0 && n++ >= count) return m[0] as string
    const hasNames = typeof m.at(-1) === 'object' && m.at(-1) !== null
    const groups = (hasNames ? m.at(-1) : {}) as Record<string, string | undefined>
    const nums = m.slice(0, hasNames ? -3 : -2) as Array<string | undefined>
    return expandTemplate(repl, (g) => {
      const v = /^\d+$/.test(g) ? nums[Number(g)] : groups[g]
      if (v === undefined && !(/^\d+$/.test(g) ? Number(g) < nums.length : Object.hasOwn(groups, g))) {
        throw new UserError(`invalid group reference ${g} in replacement ${short(repl)}`)
      }
      return v ?? ''
    })
  })
}

const ESC: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07', b: '\b', '\\': '\\' }

/** Expand `\1`, `\g<name>` and escapes of a Python replacement template. */
export function expandTemplate(repl: string, group: (g: string) => string): string {
  let out = ''
  for (let i = 0; i < repl.length; i++) {
    const c = repl[i]
    if (c !== '\\' || i + 1 >= repl.length) {
      out += c
      continue
    }
    const n = repl[i + 1]
    const g = /^g<([^>]+)>/.exec(repl.slice(i + 1))
    const d = /^\d{1,2}/.exec(repl.slice(i + 1))
    if (g) {
      out += group(g[1])
      i += g[0].length
    } else if (d) {
      out += group(String(Number(d[0])))
      i += d[0].length
    } else if (ESC[n] !== undefined) {
      out += ESC[n]
      i++
    } else {
      out += c + n
      i++
    }
  }
  return out
}
