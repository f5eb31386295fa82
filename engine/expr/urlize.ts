/**
 * Jinja's `urlize` filter: web addresses (`http(s)://`, `www.`, `name.com`) and e-mail addresses in a text become
 * links, the rest of the text is HTML-escaped. Punctuation around a link stays outside it unless it balances a
 * bracket inside. Links get `rel="noopener"` (plus `nofollow`, and `rel`'s words), and `target` when given.
 *
 * @example
 * ```jinja
 * {{ 'see www.example.org.' | urlize }}
 * {# see <a href="https://www.example.org" rel="noopener">www.example.org</a>. #}
 * ```
 */
import { UserError } from '../errors.js'
import { list, text } from './coerce.js'
import { htmlEscape } from './filters-html.js'
import { pyStrRepr } from './pystr.js'
import { def, type Def } from './registry.js'
import { truthy } from './values.js'

const W = '[\\p{L}\\p{N}_]'
const HTTP = new RegExp(
  '^(' +
    `(https?://|www\\.)((?:${W.slice(0, -1)}%-]+\\.)+)?([a-z]{2,63}|xn--${W.slice(0, -1)}%]{2,59})` +
    `|(?:${W.slice(0, -1)}%-]{2,63}\\.)+(com|net|int|edu|gov|org|info|mil)` +
    '|(https?://)((\\d{1,3})(\\.\\d{1,3}){3}|\\[([\\da-f]{0,4}:){2}([\\da-f]{0,4}:?){1,6}\\])' +
    ')(?::\\d{1,5})?(?:[/?#]\\S*)?$',
  'iu',
)
const EMAIL = new RegExp(`^\\S+@${W}(?:${W.slice(0, -1)}.-])*\\.${W}+$`, 'u')
const SCHEME = new RegExp(`^(?:${W.slice(0, -1)}.+-]{2,}:/{0,2})$`, 'u')

const count = (s: string, sub: string): number => s.split(sub).length - 1

/** One word (no whitespace): its link, with the punctuation around it kept outside. */
function linkWord(word: string, attrs: string, trim: (s: string) => string, schemes: string[]): string {
  let middle = word
  let head = ''
  let tail = ''
  const lead = /^(?:[(<]|&lt;)+/.exec(middle)
  if (lead) {
    head = lead[0]
    middle = middle.slice(head.length)
  }
  const trail = /(?:[)>.,\n]|&gt;)+$/.exec(middle)
  if (trail) {
    tail = trail[0]
    middle = middle.slice(0, trail.index)
  }
  for (const [open, close] of [
    ['(', ')'],
    ['<', '>'],
    ['&lt;', '&gt;'],
  ]) {
    const opens = count(middle, open)
    if (opens <= count(middle, close)) continue
    for (let i = Math.min(opens, count(tail, close)); i > 0; i--) {
      const end = tail.indexOf(close) + close.length
      middle += tail.slice(0, end)
      tail = tail.slice(end)
    }
  }
  if (HTTP.test(middle)) {
    const href = /^https?:\/\//.test(middle) ? middle : `https://${middle}`
    middle = `<a href="${href}"${attrs}>${trim(middle)}</a>`
  } else if (middle.startsWith('mailto:') && EMAIL.test(middle.slice(7))) {
    middle = `<a href="${middle}">${middle.slice(7)}</a>`
  } else if (middle.includes('@') && !middle.startsWith('www.') && !middle.includes(':') && EMAIL.test(middle)) {
    middle = `<a href="mailto:${middle}">${middle}</a>`
  } else {
    for (const s of schemes)
      if (middle !== s && middle.startsWith(s)) middle = `<a href="${middle}"${attrs}>${middle}</a>`
  }
  return head + middle + tail
}

function urlize(v: unknown, limit: unknown, nofollow: unknown, target: unknown, rel: unknown, extra: unknown): string {
  const rels = new Set(
    text(rel ?? '')
      .split(/\s+/)
      .filter(Boolean),
  )
  if (truthy(nofollow ?? false)) rels.add('nofollow')
  rels.add('noopener')
  const relText = [...rels].sort().join(' ')
  const schemes = extra === undefined || extra === null ? [] : list(extra, 'urlize').map((s) => text(s))
  for (const s of schemes) if (!SCHEME.test(s)) throw new UserError(`${pyStrRepr(s)} is not a valid URI scheme prefix.`)
  const n = limit === undefined || limit === null ? undefined : Number(limit)
  const trim = (s: string) => (n !== undefined && [...s].length > n ? `${[...s].slice(0, n).join('')}...` : s)
  const attrs = `${relText ? ` rel="${htmlEscape(relText)}"` : ''}${target ? ` target="${htmlEscape(target)}"` : ''}`
  return htmlEscape(v)
    .split(/(\s+)/)
    .map((w, i) => (i % 2 ? w : linkWord(w, attrs, trim, schemes)))
    .join('')
}

export const URLIZE_FILTERS: Record<string, Def> = {
  urlize: def('trim_url_limit nofollow target rel extra_schemes', urlize),
}
