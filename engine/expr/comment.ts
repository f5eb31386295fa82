/**
 * Ansible's `comment` filter: text turned into a comment block in one of its styles (`plain` `#`, `erlang` `%`,
 * `c` `//`, `cblock` `/* … *\/`, `xml` `<!-- … -->`), each part overridable by keyword (`decoration`,
 * `beginning`, `end`, `prefix`, `prefix_count`, `postfix`, `postfix_count`, `newline`), composed as Ansible
 * composes it: beginning, prefix lines, each text line decorated (a decoration alone on its line loses its trailing
 * blanks), postfix lines, end.
 *
 * @example
 * ```ts
 * comment('a\nb', 'c') // '//\n// a\n// b\n//'
 * comment('x', 'plain', { prefix: '/*', postfix: '*\/' }) // '/*\n# x\n*\/'
 * ```
 */
import { UserError } from '../errors.js'

const STYLES: Record<string, Record<string, string>> = {
  plain: { decoration: '# ' },
  erlang: { decoration: '% ' },
  c: { decoration: '// ' },
  cblock: { beginning: '/*', decoration: ' * ', end: ' */' },
  xml: { beginning: '<!--', decoration: ' - ', end: '-->' },
}

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v))

/** `text` as a comment in `style`, with `kw` over the style's parts. */
export function comment(text: string, style = 'plain', kw: Record<string, unknown> = {}): string {
  const own = STYLES[style]
  if (!own) throw new UserError(`comment: unknown style "${style}" (one of ${Object.keys(STYLES).join(', ')})`)
  const edge = ('decoration' in kw ? str(kw.decoration) : own.decoration!).trimEnd()
  const p: Record<string, unknown> = {
    newline: '\n',
    beginning: '',
    prefix: edge,
    prefix_count: 1,
    decoration: '',
    postfix: edge,
    postfix_count: 1,
    end: '',
    ...own,
    ...kw,
  }
  const nl = str(p.newline)
  const deco = str(p.decoration)
  const prefix = str(p.prefix)
  const count = (k: string) => Math.max(0, Math.trunc(Number(p[k])))
  const beginning = str(p.beginning) ? `${str(p.beginning)}${nl}` : ''
  const head = prefix ? (prefix !== nl ? `${prefix}${nl}` : nl).repeat(count('prefix_count')) : ''
  const body = `${deco}${text.split(nl).join(`${nl}${deco}`)}`.split(`${deco}${nl}`).join(`${deco.trimEnd()}${nl}`)
  const tail = ['', ...Array.from({ length: count('postfix_count') }, () => str(p.postfix))].join(nl)
  const end = str(p.end) ? `${nl}${str(p.end)}` : ''
  return `${beginning}${head}${body}${tail}${end}`
}
