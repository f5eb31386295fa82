/**
 * Text filters (Jinja's and Ansible's): case, trimming, replacing, regular expressions, splitting, padding,
 * paths, encodings and hashes.
 *
 * @example
 * ```yaml
 * - debug: { msg: "{{ 'web_01' | regex_replace('_(\\d+)$', '-\\1') | upper }}" }   # WEB-01
 * ```
 */
import { createHash } from 'node:crypto'
import { homedir } from 'node:os'
import { UserError } from '../errors.js'
import { isMap, str, text } from './coerce.js'
import { pyRegex, pyReplace } from './pyregex.js'
import { pyFixed, pyRepr, tuple } from './pystr.js'
import { comment } from './comment.js'
import { def, type Def } from './registry.js'
import { short, toBool, truthy } from './values.js'

function flags(ignorecase: unknown, multiline: unknown, g = ''): string {
  return g + (truthy(ignorecase ?? false) ? 'i' : '') + (truthy(multiline ?? false) ? 'm' : '')
}

/** Python's `str.split(sep, maxsplit)`. */
export function pySplit(s: string, sep: unknown, maxsplit: unknown = -1): string[] {
  const max = Number(maxsplit)
  if (sep === null || sep === undefined) {
    const out: string[] = []
    let rest = s.replace(/^\s+/, '')
    while (rest) {
      if (max >= 0 && out.length >= max) {
        out.push(rest.replace(/\s+$/, ''))
        break
      }
      const m = /\s+/.exec(rest)
      out.push(m ? rest.slice(0, m.index) : rest)
      rest = m ? rest.slice(m.index + m[0].length) : ''
    }
    return out
  }
  const d = str(sep, 'split')
  if (!d) throw new UserError('split: empty separator')
  const parts = s.split(d)
  return max >= 0 && parts.length > max + 1 ? [...parts.slice(0, max), parts.slice(max).join(d)] : parts
}

/** Python's `%` formatting for `format`: `%s %r %d %i %f %.2f %x %o %e %%`, width and flags. */
function percent(fmt: string, args: unknown[]): string {
  let i = 0
  const named = args.length === 1 && isMap(args[0]) ? (args[0] as Record<string, unknown>) : undefined
  return fmt.replace(
    /%(\((\w+)\))?([-+ 0#]*)(\d+)?(?:\.(\d+))?([sridfFxXoeEgc%])/g,
    (_m, _k, key, fl: string, w, prec, conv: string) => {
      if (conv === '%') return '%'
      const v = key !== undefined && named ? named[key] : args[i++]
      let s: string
      const n = Number(v)
      switch (conv) {
        case 's':
          s = text(v)
          if (prec) s = s.slice(0, Number(prec))
          break
        case 'r':
          s = pyRepr(v)
          break
        case 'd':
        case 'i':
          s = String(Math.trunc(n))
          break
        case 'f':
        case 'F':
          s = pyFixed(n, prec === undefined ? 6 : Number(prec))
          break
        case 'e':
        case 'E':
          s = n.toExponential(prec === undefined ? 6 : Number(prec)).replace(/e([+-])(\d)$/, 'e$10$2')
          break
        case 'x':
          s = Math.trunc(n).toString(16)
          break
        case 'X':
          s = Math.trunc(n).toString(16).toUpperCase()
          break
        case 'o':
          s = Math.trunc(n).toString(8)
          break
        case 'c':
          s = typeof v === 'number' ? String.fromCodePoint(v) : text(v)
          break
        default:
          s = String(n)
      }
      if (fl.includes('+') && 'difeE'.includes(conv) && n >= 0) s = `+${s}`
      if (conv === 'E') s = s.toUpperCase()
      const width = Number(w ?? 0)
      if (s.length < width)
        s = fl.includes('-')
          ? s.padEnd(width)
          : fl.includes('0') && conv !== 's'
            ? s.padStart(width, '0')
            : s.padStart(width)
      return s
    },
  )
}

/** Jinja's `urlencode`: `/` kept in text; maps and pair lists as a query string with `+` for spaces. */
function urlencode(v: unknown): string {
  const q = (s: unknown, qs: boolean): string => {
    const e = encodeURIComponent(text(s)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    return qs ? e.replace(/%20/g, '+') : e.replace(/%2F/g, '/')
  }
  if (typeof v === 'string') return q(v, false)
  const pairs = isMap(v) ? Object.entries(v) : Array.isArray(v) ? (v as Array<[unknown, unknown]>) : undefined
  if (!pairs) return q(v, false)
  return pairs.map(([k, x]) => `${q(k, true)}=${q(x, true)}`).join('&')
}

function hash(v: unknown, kind: unknown = 'sha1'): string {
  try {
    return createHash(String(kind)).update(text(v), 'utf8').digest('hex')
  } catch {
    throw new UserError(`hash: unsupported hash type ${short(kind)}`)
  }
}

/** Python's `str.center(width, fill)` (the `center` filter and the string method). */
export function center(s: string, width: number, fill = ' '): string {
  const pad = width - s.length
  if (pad <= 0) return s
  const left = Math.floor(pad / 2) + (pad & width & 1)
  return fill.repeat(left) + s + fill.repeat(pad - left)
}

function indent(v: unknown, width: unknown = 4, first: unknown = false, blank: unknown = false): string {
  const ind = typeof width === 'string' ? width : ' '.repeat(Number(width))
  const lines = text(v).split(/\r\n|\n|\r/)
  let out = lines[0]
  for (const l of lines.slice(1)) out += `\n${l || toBool(blank) ? ind + l : l}`
  return toBool(first) ? ind + out : out
}

function regexSearch(v: unknown, p: unknown, groups: unknown[], ignorecase: unknown, multiline: unknown): unknown {
  const m = pyRegex(str(p, 'regex_search'), flags(ignorecase, multiline)).exec(text(v))
  if (!m) return null
  if (!groups.length) return m[0]
  return groups.map((g) => {
    const s = str(g, 'regex_search')
    const named = /^\\g<(\S+)>$/.exec(s)
    const num = /^\\(\d+)$/.exec(s)
    if (named) return /^\d+$/.test(named[1]) ? (m[Number(named[1])] ?? null) : (m.groups?.[named[1]] ?? null)
    if (num) return m[Number(num[1])] ?? null
    throw new UserError(`regex_search: unknown argument ${short(g)} (use '\\1' or '\\g<name>')`)
  })
}

function regexFindall(v: unknown, p: unknown, multiline: unknown, ignorecase: unknown): unknown[] {
  const re = pyRegex(str(p, 'regex_findall'), flags(ignorecase, multiline, 'g'))
  return [...text(v).matchAll(re)].map((m) =>
    m.length === 1 ? m[0] : m.length === 2 ? (m[1] ?? '') : tuple(m.slice(1).map((x) => x ?? '')),
  )
}

/** Python's `shlex.quote`, which Ansible's `quote` filter uses: safe words stay bare. */
function shlexQuote(s: string): string {
  if (!s) return "''"
  if (/^[\w@%+=:,./-]+$/.test(s)) return s
  return `'${s.replaceAll("'", `'"'"'`)}'`
}

const PY_SPECIAL = /[()[\]{}?*+\-|^$\\.&~# \t\n\r\v\f]/g

export const TEXT_FILTERS: Record<string, Def> = {
  lower: def('', (v) => text(v).toLowerCase()),
  upper: def('', (v) => text(v).toUpperCase()),
  capitalize: def('', (v) => {
    const s = text(v)
    return s.charAt(0).toUpperCase() + s.slice(1).toLowerCase()
  }),
  title: def('', (v) =>
    text(v)
      .split(/([-\s({[<]+)/)
      .map((w) => (w ? w.charAt(0).toUpperCase() + w.slice(1).toLowerCase() : w))
      .join(''),
  ),
  trim: def('chars', (v, chars) => {
    const s = text(v)
    if (chars === undefined || chars === null) return s.trim()
    const cs = text(chars)
    let i = 0
    let j = s.length
    while (i < j && cs.includes(s[i])) i++
    while (j > i && cs.includes(s[j - 1])) j--
    return s.slice(i, j)
  }),
  replace: def('old new count', (v, a, b, count) => {
    const s = text(v)
    const parts = s.split(text(a))
    const n = count === undefined || count === null ? parts.length : Number(count) + 1
    return parts.slice(0, n).join(text(b)) + (parts.length > n ? text(a) + parts.slice(n).join(text(a)) : '')
  }),
  regex_replace: def('pattern replacement ignorecase multiline count', (v, p = '', r = '', ic, ml, count = 0) =>
    pyReplace(text(v), pyRegex(str(p, 'regex_replace'), flags(ic, ml, 'g')), str(r, 'regex_replace'), Number(count)),
  ),
  regex_search: def('regex *groups ignorecase multiline', (v, p, groups: unknown[], ic, ml) =>
    regexSearch(v, p, groups, ic, ml),
  ),
  regex_findall: def('regex multiline ignorecase', regexFindall),
  regex_escape: def('re_type', (v, t = 'python') => {
    const s = str(v, 'regex_escape')
    if (t === 'posix_basic') return s.replace(/[.[\]\\*^$]/g, '\\$&')
    if (t !== 'python')
      throw new UserError(`regex_escape: re_type ${short(t)} is not supported (python or posix_basic)`)
    return s.replace(PY_SPECIAL, (c) => `\\${c}`)
  }),
  split: def('sep maxsplit', (v, sep, max) => pySplit(text(v), sep, max)),
  center: def('width', (v, w = 80) => center(text(v), Number(w))),
  wordcount: def('', (v) => (text(v).match(/[\p{L}\p{N}_]+/gu) ?? []).length),
  indent: def('width first blank', indent),
  format: def('*args **kw', (v, args: unknown[], kw: Record<string, unknown>) =>
    percent(str(v, 'format'), Object.keys(kw).length ? [kw] : args),
  ),
  quote: def('', (v) => shlexQuote(text(v))),
  basename: def('', (v) => {
    const s = str(v, 'basename')
    return s.slice(s.lastIndexOf('/') + 1)
  }),
  dirname: def('', (v) => {
    const s = str(v, 'dirname')
    const head = s.slice(0, s.lastIndexOf('/') + 1)
    return head && !/^\/+$/.test(head) ? head.replace(/\/+$/, '') : head
  }),
  expanduser: def('', (v) => str(v, 'expanduser').replace(/^~(?=\/|$)/, process.env.HOME ?? homedir())),
  splitext: def('', (v) => {
    const s = str(v, 'splitext')
    const m = /^(.*?[^/.][^/]*?)(\.[^./]*)$/.exec(s)
    return m ? [m[1], m[2]] : [s, '']
  }),
  b64encode: def('encoding', (v) => Buffer.from(text(v), 'utf8').toString('base64')),
  b64decode: def('encoding', (v) => Buffer.from(str(v, 'b64decode'), 'base64').toString('utf8')),
  hash: def('hashtype', hash),
  checksum: def('', (v) => hash(v, 'sha1')),
  sha1: def('', (v) => hash(v, 'sha1')),
  md5: def('', (v) => hash(v, 'md5')),
  urlencode: def('', urlencode),
  comment: def('style **kw', (v, style?: unknown, kw?: Record<string, unknown>) =>
    comment(text(v), style === undefined ? 'plain' : String(style), kw),
  ),
}
