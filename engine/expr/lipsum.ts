/**
 * Jinja's `lipsum(n=5, html=True, min=20, max=100)` global: `n` paragraphs of lorem ipsum, each `min` to `max - 1`
 * words (a capital after each full stop, a comma now and then, a full stop at the end), joined by blank lines, or
 * each in `<p>…</p>` on its own line with `html`. Random, as Jinja's: only the shape is promised.
 *
 * @example
 * ```yaml
 * - debug: { msg: "{{ lipsum(n=1, html=False, min=3, max=5) }}" }   # Lorem sit amet, dolor consectetur.
 * ```
 */
import { UserError } from '../errors.js'
import { Markup } from './markup.js'

const WORDS = (
  'a ac accumsan ad adipiscing aenean aliquam aliquet amet ante aptent arcu at auctor augue bibendum blandit ' +
  'class commodo condimentum congue consectetuer consequat conubia convallis cras cubilia curabitur curae ' +
  'cursus dapibus diam dictum dictumst dignissim dis dolor donec dui duis egestas eget eleifend elementum elit ' +
  'enim erat eros est et etiam eu euismod facilisi facilisis fames faucibus felis fermentum feugiat fringilla ' +
  'fusce gravida habitant habitasse hac hendrerit hymenaeos iaculis id imperdiet in inceptos integer interdum ' +
  'ipsum justo lacinia lacus laoreet lectus leo libero ligula litora lobortis lorem luctus maecenas magna magnis ' +
  'malesuada massa mattis mauris metus mi molestie mollis montes morbi mus nam nascetur natoque nec neque netus ' +
  'nibh nisi nisl non nonummy nostra nulla nullam nunc odio orci ornare parturient pede pellentesque penatibus ' +
  'per pharetra phasellus placerat platea porta porttitor posuere potenti praesent pretium primis proin pulvinar ' +
  'purus quam quis quisque rhoncus ridiculus risus rutrum sagittis sapien scelerisque sed sem semper senectus sit ' +
  'sociis sociosqu sodales sollicitudin suscipit suspendisse taciti tellus tempor tempus tincidunt torquent ' +
  'tortor tristique turpis ullamcorper ultrices ultricies urna ut varius vehicula vel velit venenatis vestibulum ' +
  'vitae vivamus viverra volutpat vulputate'
).split(' ')

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]
const between = (lo: number, hi: number) => lo + Math.floor(Math.random() * (hi - lo + 1))
const capital = (w: string) => w.charAt(0).toUpperCase() + w.slice(1)

function whole(v: unknown, what: string, dflt: number): number {
  if (v === undefined) return dflt
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v
  throw new UserError(`lipsum: ${what} must be a whole number ≥ 0, found ${JSON.stringify(v)}`)
}

/** One paragraph of `min` to `max` words. */
function paragraph(min: number, max: number): string {
  const words: string[] = []
  let next = true // a capital comes next
  let sinceComma = 0
  let sinceStop = 0
  if (max <= min) throw new UserError(`lipsum: empty range for randrange() (${min}, ${max}, ${max - min})`)
  const count = between(min, max - 1) // Python's randrange(min, max), as Jinja's
  for (let i = 0; i < count; i++) {
    let w = pick(WORDS)
    if (next) w = capital(w)
    next = false
    if (i < count - 1 && sinceComma > 3 + between(0, 7)) {
      w += ','
      sinceComma = 0
    } else if (i < count - 1 && sinceStop > 10 + between(0, 10)) {
      w += '.'
      sinceStop = sinceComma = 0
      next = true
    }
    sinceComma++
    sinceStop++
    words.push(w)
  }
  const text = words.join(' ')
  return /[.,]$/.test(text) ? `${text.slice(0, -1)}.` : `${text}.`
}

/** `lipsum(n, html, min, max)`, positional or by keyword, as Jinja's. */
export function lipsum(args: unknown[], kw: Record<string, unknown>): string | Markup {
  const n = whole(args[0] ?? kw.n, 'n', 5)
  const html = (args[1] ?? kw.html ?? true) !== false
  const min = whole(args[2] ?? kw.min, 'min', 20)
  const max = whole(args[3] ?? kw.max, 'max', 100)
  const paras = Array.from({ length: n }, () => paragraph(min, max))
  return html ? new Markup(paras.map((p) => `<p>${p}</p>`).join('\n')) : paras.join('\n\n')
}
