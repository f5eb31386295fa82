/**
 * Python regular expressions (what Ansible users write) for the file modules: compiled by the engine's one
 * translator (`engine/expr/pyregex.ts`, which the `regex_*` filters use too), with a bad pattern thrown as
 * `LineError` (the modules turn it into a failed task); and Python's `re.subn` with its replacement template
 * (`\1`, `\g<1>`, `\g<name>`, `\n`), counting replacements.
 *
 * @example
 * ```ts
 * pySubn(pyRegExp('^(port)=\\d+$', 'gm'), '\\1=2222', 'port=22\n') // { text: 'port=2222\n', count: 1 }
 * ```
 */
import { UserError } from '../../engine/errors.js'
import { expandTemplate, pyRegex } from '../../engine/expr/pyregex.js'
import { LineError } from './lines.js'

/** Compile a Python pattern with `flags` (JavaScript letters) plus its own leading `(?ims)`. */
export function pyRegExp(src: string, flags = ''): RegExp {
  try {
    return pyRegex(src, flags)
  } catch (e) {
    if (e instanceof UserError) throw new LineError(e.message)
    throw e
  }
}

/** Python's `re.subn(re, template, text)`: every match replaced (`re` needs the `g` flag). */
export function pySubn(re: RegExp, template: string, text: string): { text: string; count: number } {
  let count = 0
  const out = text.replace(re, (...args: unknown[]) => {
    count++
    const hasGroups = typeof args[args.length - 1] === 'object'
    const groups = hasGroups ? (args[args.length - 1] as Record<string, string | undefined>) : undefined
    const nums = args.slice(0, args.length - (hasGroups ? 3 : 2)) as Array<string | undefined>
    return expandTemplate(template, (g) => (/^\d+$/.test(g) ? nums[Number(g)] : groups?.[g]) ?? '')
  })
  return { text: out, count }
}
