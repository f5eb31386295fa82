/**
 * Jinja's "safe" text (markupsafe's `Markup`) inside one expression: what `escape` (`e`), `forceescape` and `safe`
 * give. `escape` leaves safe text as it is (no double escaping), `+` escapes the plain side it joins to safe text,
 * and the `escaped` test tells safe text apart. Everywhere else the evaluator hands on plain text (string filters,
 * methods, `~`, comparisons, the expression's result), as Ansible does once a value leaves the template.
 *
 * @example
 * ```jinja
 * {{ 'a<b' | escape | escape }}            {# a&lt;b #}
 * {{ ('a<b' | escape) + '<c' }}             {# a&lt;b&lt;c #}
 * {{ 'a<b' | safe is escaped }}             {# True #}
 * ```
 */
import { htmlEscape } from './filters-html.js'

/** Text marked safe: its markup is meant, not to be escaped again. */
export class Markup {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text
  }
}

/** The filters that make or keep safe text. */
export const MARKUP_FILTERS = new Set(['escape', 'e', 'forceescape', 'safe'])

/** `v` as plain data: safe text becomes its string, anything else is returned as it is. */
export function plain(v: unknown): unknown {
  return v instanceof Markup ? v.text : v
}

/**
 * A markup filter on `raw` (the input as evaluated, maybe safe text). `plainResult` computes the filter's text the
 * ordinary way (arguments checked there) from the plain input.
 */
export function markupFilter(name: string, raw: unknown, plainResult: (input: unknown) => unknown): Markup {
  if (raw instanceof Markup && name !== 'forceescape') return raw
  return new Markup(String(plainResult(plain(raw))))
}

/** Python's `+` when either side is safe text: the plain text side is escaped first. `undefined` when neither is. */
export function markupAdd(l: unknown, r: unknown): Markup | undefined {
  if (!(l instanceof Markup) && !(r instanceof Markup)) return undefined
  const side = (v: unknown): string | undefined =>
    v instanceof Markup ? v.text : typeof v === 'string' ? htmlEscape(v) : undefined
  const a = side(l)
  const b = side(r)
  return a === undefined || b === undefined ? undefined : new Markup(a + b)
}
