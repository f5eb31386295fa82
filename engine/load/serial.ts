/**
 * A play's `serial`: a number of hosts per batch, a percentage of the play's hosts (`"30%"`), or a list of them
 * (`[1, "50%", 10]`: the last repeats), as Ansible 2.14 takes it (engine/run/batches.ts cuts the batches). 0 or
 * less means one batch of all the hosts, as there. Anything else is refused at its position.
 *
 * @example
 * ```yaml
 * - hosts: pis
 *   serial: [1, "50%"]   # one host first, then half of them at a time
 * ```
 */
import type { SourcePos } from '../types.js'
import { describeValue, report, type LoadContext } from './context.js'
import { at } from './keywords.js'
import { valuePos } from '../source/positions.js'

/** `N`, `"N"` or `"N%"`. */
const ENTRY = /^\s*-?\d+\s*%?\s*$/

/** The entries of `serial` (undefined when it is not written, or after reporting what is wrong). */
export function readSerial(
  ctx: LoadContext,
  raw: Record<string, unknown>,
  pos: SourcePos,
): Array<number | string> | undefined {
  const v = raw.serial
  if (v === undefined || v === null) return undefined
  const list = Array.isArray(v) ? v : [v]
  const out: Array<number | string> = []
  list.forEach((e, i) => {
    if (typeof e === 'number' && Number.isInteger(e)) out.push(e)
    else if (typeof e === 'string' && e.includes('{{'))
      out.push(e) // rendered before the play (engine/run/names.ts)
    else if (typeof e === 'string' && ENTRY.test(e)) out.push(e.includes('%') ? e.replace(/\s+/g, '') : Number(e))
    else
      report(
        ctx,
        `"serial" must be a whole number, a percentage ("30%") or a list of them, found ${describeValue(e)}`,
        (Array.isArray(v) ? valuePos(v, i) : undefined) ?? at(raw, 'serial', pos),
      )
  })
  return out.length === list.length ? out : undefined
}
