/**
 * Host name ranges and `host:port`, as in Ansible inventories: `pi[01:10]` (zero padding kept), `node[a:f]`,
 * steps `web[1:10:2]`, several ranges in one name (`r[1:2]n[a:b]`), `db1:2222`.
 *
 * @example
 * ```ts
 * expandHostRange('pi[08:10]', pos) // ['pi08', 'pi09', 'pi10']
 * splitHostPort('pi1:2222', pos)    // { name: 'pi1', port: 2222 }
 * ```
 */
import { UserError } from '../errors.js'
import type { SourcePos } from '../types.js'

/** Most hosts one range may produce. */
export const MAX_RANGE_HOSTS = 100_000

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'

/** Expand every `[beg:end(:step)]` in `name`. A name without a range is returned alone. Throws `UserError`. */
export function expandHostRange(name: string, pos?: SourcePos): string[] {
  const m = /^([^[]*)\[([^\]]*:[^\]]*)\](.*)$/s.exec(name)
  if (!m) return [name]
  const [, head, body, tail] = m
  const bad = (why: string) => new UserError(`bad host range "[${body}]" in "${name}": ${why}`, pos)
  const parts = body.split(':')
  if (parts.length > 3) throw bad('expected [begin:end] or [begin:end:step]')
  const [beg0, end, stepText] = parts
  const beg = beg0 === '' ? '0' : beg0
  if (end === '') throw bad('the range needs an end value')
  const step = stepText === undefined || stepText === '' ? 1 : Number(stepText)
  if (!/^\d*$/.test(stepText ?? '') || !Number.isInteger(step) || step < 1)
    throw bad('the step must be a positive whole number')
  let items: string[]
  const numeric = /^\d+$/.test(beg) && /^\d+$/.test(end)
  const alpha = /^[A-Za-z]$/.test(beg) && /^[A-Za-z]$/.test(end)
  if (numeric) {
    const pad = beg.length > 1 && beg.startsWith('0') ? beg.length : 0
    if (pad && end.length !== pad) throw bad('zero-padded ranges need begin and end of equal length')
    const b = Number(beg)
    const e = Number(end)
    if (b > e) throw bad('the begin value is after the end value')
    if ((e - b) / step + 1 > MAX_RANGE_HOSTS) throw bad(`more than ${MAX_RANGE_HOSTS} hosts`)
    items = []
    for (let i = b; i <= e; i += step) items.push(String(i).padStart(pad, '0'))
  } else if (alpha) {
    const b = LETTERS.indexOf(beg)
    const e = LETTERS.indexOf(end)
    if (b > e) throw bad('the begin letter is after the end letter')
    items = []
    for (let i = b; i <= e; i += step) items.push(LETTERS[i])
  } else if (/^[A-Za-z]+$/.test(beg) && /^[A-Za-z]+$/.test(end)) {
    throw bad('alphabetic ranges take single letters')
  } else {
    throw bad('begin and end must both be numbers or both be letters')
  }
  const rest = expandHostRange(tail, pos)
  if (items.length * rest.length > MAX_RANGE_HOSTS) throw bad(`more than ${MAX_RANGE_HOSTS} hosts`)
  return items.flatMap((i) => rest.map((r) => `${head}${i}${r}`))
}

/** `name:port` → name and port (only a colon outside `[ranges]` counts; `[::1]:22` and bare IPv6 work). */
export function splitHostPort(text: string, pos?: SourcePos): { name: string; port?: number } {
  let name: string
  let portText: string | undefined
  const v6 = /^\[([0-9A-Fa-f:.]+)\](?::(.*))?$/.exec(text)
  if (v6) {
    name = v6[1]
    portText = v6[2]
  } else {
    const outside: number[] = []
    let depth = 0
    for (let i = 0; i < text.length; i++) {
      if (text[i] === '[') depth++
      else if (text[i] === ']') depth--
      else if (text[i] === ':' && depth === 0) outside.push(i)
    }
    if (outside.length !== 1) return { name: text } // no port, or a bare IPv6 address
    name = text.slice(0, outside[0])
    portText = text.slice(outside[0] + 1)
  }
  if (portText === undefined) return { name }
  const port = Number(portText)
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
    throw new UserError(`bad port "${portText}" in host "${text}": expected a number from 1 to 65535`, pos)
  }
  return { name, port }
}

const BAD_NAME = /[\s,]/

/** Throw when `name` cannot be a host name (empty, whitespace, commas). */
export function checkHostName(name: string, pos?: SourcePos): void {
  if (name === '' || BAD_NAME.test(name))
    throw new UserError(`invalid host name ${JSON.stringify(name)}: no spaces or commas allowed`, pos)
}

/** Throw when `name` cannot be a group name (it would be ambiguous in host patterns). */
export function checkGroupName(name: string, pos?: SourcePos): void {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(name)) {
    throw new UserError(
      `invalid group name ${JSON.stringify(name)}: use letters, digits, "_", "-" and "." (patterns use : , ` +
        `& ! * ? [ ] ~)`,
      pos,
    )
  }
}
