/**
 * The `sequence` lookup (`with_sequence`), read as Ansible reads it: the short form `[start-]end[/stride][:format]`
 * (numbers as Python's `int(x, 0)`: decimal, `0x…`, `0o…`, `0b…`), else `key=value` words (`start`, `end` or
 * `count`, `stride`, `format`); `count` ends at `start + count * stride - 1`. Its refusals are Ansible's, word for
 * word (tests compare them whole).
 *
 * @example
 * ```ts
 * sequence('start=2 end=6 stride=2 format=n%02d') // ['n02', 'n04', 'n06']
 * sequence('7-8:host%02d')                      // ['host07', 'host08']
 * ```
 */
import { UserError } from '../errors.js'
import { pyStr } from '../expr/pystr.js'
import { registerLookup } from '../expr/lookups.js'
import { parseKeyValues } from '../source/kv.js'
import { SplitError } from '../source/split.js'

const NUM = '(0?x?[0-9a-f]+)'
const SHORTCUT = new RegExp(`^(${NUM}-)?${NUM}(/${NUM})?(:(.+))?$`, 'i')
const NUMERIC = ['start', 'end', 'count', 'stride'] as const

/** Python's `int(s, 0)`, or NaN when Python would refuse it. */
function pyInt(s: string): number {
  const t = s.trim().replace(/(?<=[0-9a-f])_(?=[0-9a-f])/gi, '')
  const m = /^([+-]?)(?:0x([0-9a-f]+)|0o([0-7]+)|0b([01]+)|([1-9][0-9]*|0+))$/i.exec(t)
  if (!m) return NaN
  const [, sign, hex, oct, bin, dec] = m
  const n = hex ? parseInt(hex, 16) : oct ? parseInt(oct, 8) : bin ? parseInt(bin, 2) : Number(dec)
  return sign === '-' ? -n : n
}

function intOf(key: string, raw: string): number {
  const n = pyInt(raw)
  if (Number.isNaN(n)) throw new UserError(`can't parse ${key}=${raw} as integer`)
  return n
}

/** The settings a term gives (start 1, stride 1, format `%d` unless given). */
function settings(term: string): { start: number; end?: number; count?: number; stride: number; format: string } {
  const o = { start: 1, stride: 1, format: '%d' } as ReturnType<typeof settings>
  const m = SHORTCUT.exec(term)
  if (m) {
    const [, , start, end, , stride, , format] = m
    if (start !== undefined) o.start = intOf('start', start)
    o.end = intOf('end', end)
    if (stride !== undefined) o.stride = intOf('stride', stride)
    if (format !== undefined) o.format = format
    return o
  }
  let kv: Record<string, string>
  try {
    kv = { ...parseKeyValues(term) }
  } catch (e) {
    if (!(e instanceof SplitError)) throw e
    throw new UserError(`with_sequence: cannot read "${term}": ${e.message} (write start=N end=N, or N-M)`)
  }
  for (const k of NUMERIC) if (kv[k] !== undefined) o[k] = intOf(k, String(kv[k]))
  if (kv.format !== undefined) o.format = String(kv.format)
  const rest = Object.keys(kv).filter((k) => !(NUMERIC as readonly string[]).includes(k) && k !== 'format')
  if (rest.length) throw new UserError(`unrecognized arguments to with_sequence: ${pyStr(rest)}`)
  return o
}

/** The numbers one `with_sequence` term gives, formatted. */
export function sequence(term: string): string[] {
  const given = settings(term)
  let { start, end, stride } = given
  const { count, format } = given
  if (count === undefined && end === undefined) throw new UserError('must specify count or end in with_sequence')
  if (count !== undefined && end !== undefined) throw new UserError("can't specify both count and end in with_sequence")
  if (count !== undefined) {
    if (count !== 0) end = start + count * stride - 1
    else start = end = stride = 0
  }
  const last = end as number
  if (stride > 0 && last < start) throw new UserError('to count backwards make stride negative')
  if (stride < 0 && last > start) throw new UserError("to count forward don't make stride negative")
  if (format.split('%').length !== 2) throw new UserError(`bad formatting string: ${format}`)
  const out: string[] = []
  if (stride === 0) return out
  const stop = last + (stride > 0 ? 1 : -1) // Python's range(start, end ± 1, stride)
  for (let i = start; stride > 0 ? i < stop : i > stop; i += stride) out.push(printf(format, i))
  return out
}

/** The `%d`/`%x`/`%o`/`%s` formats `with_sequence` uses (width and zero padding). */
function printf(fmt: string, n: number): string {
  return fmt.replace(/%(0?)(\d*)([dixXos%])/g, (_, zero: string, width: string, conv: string) => {
    if (conv === '%') return '%'
    const s =
      conv === 'x'
        ? n.toString(16)
        : conv === 'X'
          ? n.toString(16).toUpperCase()
          : conv === 'o'
            ? n.toString(8)
            : String(n)
    return s.padStart(Number(width || 0), zero ? '0' : ' ')
  })
}

registerLookup('sequence', (terms) => terms.flatMap((t) => sequence(String(t))))
