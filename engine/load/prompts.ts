/**
 * `vars_prompt`: the questions a play asks on the terminal before it runs (engine/cli/prompts.ts asks them). Each
 * entry names a variable and may give `prompt`, `default`, `private` (default true: no echo), `confirm` (ask twice),
 * `unsafe` (never templated) and `encrypt` (`md5_crypt`, `sha256_crypt`, `sha512_crypt`, `bcrypt`, with `salt` or
 * `salt_size`), as in Ansible. A single map is read as a list of one.
 *
 * @example
 * ```yaml
 * - hosts: all
 *   vars_prompt:
 *     - name: release
 *       prompt: Which release?
 *       default: stable
 *       private: false
 * ```
 */
import { CRYPT_SCHEMES, type CryptScheme, type VarPrompt } from '../ast.js'
import type { SourcePos } from '../types.js'
import { describeValue, report, type LoadContext } from './context.js'
import { at, checkKeys, isMap, readBool, readInt, readString } from './keywords.js'
import { didYouMean } from '../source/suggest.js'
import { valuePos } from '../source/positions.js'

const PROMPT_KEYS = ['name', 'prompt', 'default', 'private', 'confirm', 'unsafe', 'encrypt', 'salt', 'salt_size']

/** Whether `s` names a crypt scheme tsplay can make. */
const scheme = (s: string | undefined): s is CryptScheme => CRYPT_SCHEMES.some((x) => x === s)

/** Read a play's `vars_prompt` (undefined when it has none). */
export function readVarsPrompt(
  ctx: LoadContext,
  raw: Record<string, unknown>,
  pos: SourcePos,
): VarPrompt[] | undefined {
  if (!('vars_prompt' in raw) || raw.vars_prompt === null) return undefined
  const here = at(raw, 'vars_prompt', pos)
  const v = raw.vars_prompt
  const list = isMap(v) ? [v] : v
  if (!Array.isArray(list)) {
    report(ctx, `"vars_prompt" must be a list of prompts, found ${describeValue(v)}`, here)
    return undefined
  }
  const out: VarPrompt[] = []
  list.forEach((e, i) => {
    const epos = (list === v ? valuePos(list, i) : undefined) ?? here
    if (!isMap(e)) return report(ctx, `a vars_prompt entry must be a map, found ${describeValue(e)}`, epos)
    checkKeys(ctx, e, PROMPT_KEYS, 'vars_prompt', epos, (k) => didYouMean(k, PROMPT_KEYS))
    const name = readString(ctx, e, 'name', epos)
    if (name === undefined) return report(ctx, 'a vars_prompt entry needs a "name"', epos, '(the variable it sets)')
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      return report(ctx, `vars_prompt name "${name}" is not a valid variable name`, at(e, 'name', epos))
    const d = e.default
    if (typeof d === 'object' && d !== null)
      report(ctx, `vars_prompt "${name}": "default" must be a text, found ${describeValue(d)}`, at(e, 'default', epos))
    const encrypt = readString(ctx, e, 'encrypt', epos)
    if (encrypt !== undefined && !scheme(encrypt))
      report(
        ctx,
        `vars_prompt "${name}": encrypt "${encrypt}" is not supported by tsplay`,
        at(e, 'encrypt', epos),
        `(it supports ${CRYPT_SCHEMES.join(', ')})`,
      )
    const salt = readString(ctx, e, 'salt', epos)
    const [saltRe, size] = encrypt === 'bcrypt' ? [/^[./0-9A-Za-z]{22}$/, '22'] : [/^[./0-9A-Za-z]{1,16}$/, '1 to 16']
    if (salt !== undefined && !saltRe.test(salt))
      report(ctx, `vars_prompt "${name}": "salt" must be ${size} of ./0-9A-Za-z`, at(e, 'salt', epos))
    out.push({
      name,
      prompt: readString(ctx, e, 'prompt', epos),
      default: d === undefined || d === null ? undefined : String(d),
      private: readBool(ctx, e, 'private', epos) ?? true,
      confirm: readBool(ctx, e, 'confirm', epos) ?? false,
      unsafe: readBool(ctx, e, 'unsafe', epos) ?? false,
      encrypt: scheme(encrypt) ? encrypt : undefined,
      salt,
      saltSize: readInt(ctx, e, 'salt_size', epos, 1),
      pos: epos,
    })
  })
  return out
}
