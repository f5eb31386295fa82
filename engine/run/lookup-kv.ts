/**
 * Ansible's `parse_kv` for lookup terms written as one string (`'Li file=elements.csv delimiter=,'`): the
 * `key=value` words become parameters, the other words (joined by a space) are the raw text, its `_raw_params`.
 *
 * @example
 * ```ts
 * parseKv('Li file=elements.csv col=2') // { raw: 'Li', params: { file: 'elements.csv', col: '2' } }
 * ```
 */
import { UserError } from '../errors.js'
import { keyValueWords } from '../source/kv.js'
import { SplitError } from '../source/split.js'

/** The raw words and the `key=value` parameters of `s`. */
export function parseKv(s: string): { raw: string; params: Record<string, string> } {
  const params: Record<string, string> = {}
  const raw: string[] = []
  try {
    for (const w of keyValueWords(s)) {
      if (w.key !== undefined && w.value !== undefined) params[w.key] = w.value
      else raw.push(w.raw)
    }
  } catch (e) {
    if (e instanceof SplitError) throw new UserError(`cannot read the lookup's terms "${s}": ${e.message}`)
    throw e
  }
  return { raw: raw.join(' '), params }
}
