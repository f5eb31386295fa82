/**
 * Template syntax checks remembered in the parse cache (engine/source/parsecache.ts): a template that was fine is
 * not parsed again at the next load while its text, the engine and its options are the same. Used for template
 * files and for the inline strings that take handlebars' parser (loading that parser alone costs about 10 ms);
 * other inline strings are quicker to check than to look up. An error is never stored.
 *
 * @example
 * ```ts
 * const msg = checkSyntaxRemembered(text, 'hbs', {}, true) // undefined when fine, else why not
 * ```
 */
import { usesHandlebars } from '../expr/render.js'
import { cacheKey, cacheOn, readEntry, writeEntry } from '../source/parsecache.js'
import { checkTemplateSyntax } from '../template.js'

const KIND = 'templates'

/** `checkTemplateSyntax`, remembered when `always` (a file) or when the text takes handlebars' parser. */
export function checkSyntaxRemembered(
  text: string,
  engine: Parameters<typeof checkTemplateSyntax>[1] = 'auto',
  jinja: Parameters<typeof checkTemplateSyntax>[2] = undefined,
  always = false,
): string | undefined {
  if (!cacheOn(KIND) || !(always || usesHandlebars(text, engine ?? 'auto')))
    return checkTemplateSyntax(text, engine, jinja)
  const key = cacheKey(KIND, JSON.stringify([engine, jinja ?? null]), text)
  if (readEntry(KIND, key) === 'ok') return undefined
  const msg = checkTemplateSyntax(text, engine, jinja)
  if (msg === undefined) writeEntry(KIND, key, 'ok')
  return msg
}
