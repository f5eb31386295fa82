/**
 * Parsed YAML files in the parse cache (engine/source/parsecache.ts): a file's value and the source positions of
 * every map and list in it, stored by a hash of its bytes and the limits, so the same file is not parsed again at
 * the next run (the yaml package takes about 100 ms for the flagship playbook's 85 KB, a quarter of
 * `tsplay validate`; reading it back takes a few). Only what parsed without error is stored; a file with a vault
 * (whole or an inline `!vault`) or `!unsafe` never is (no secret is written to disk, and those values carry marks
 * a plain file cannot).
 *
 * @example
 * ```ts
 * const hit = cachedYaml(bytes, 'site.yml', limits) // a YamlFile, or undefined: parse it, then:
 * storeYaml(bytes, limits, parsed)
 * ```
 */
import type { SourcePos } from '../types.js'
import type { YamlFile } from './yaml.js'
import { positionsOf, recordPositions, type NodeInfo } from './positions.js'
import { isUnsafe } from '../expr/scope.js'
import { cacheKey, cacheOn, readEntry, writeEntry } from './parsecache.js'

/** A list: items, its position, its items' positions (line, column pairs; 0, 0 for none). */
interface EncList {
  a: Enc[]
  p: [number, number]
  v: number[]
}
/** A map: keys, values, its position, its keys' and values' positions. */
interface EncMap {
  o: string[]
  w: Enc[]
  p: [number, number]
  k: number[]
  v: number[]
}
type Enc = null | string | number | boolean | EncList | EncMap

const KIND = 'yaml'

/** True when the bytes may be stored: no vault, inline or whole, and no `!unsafe`. */
function storable(bytes: Uint8Array): boolean {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return !b.includes('$ANSIBLE_VAULT') && !b.includes('!vault') && !b.includes('!unsafe')
}

/** The parsed file for these bytes from the cache, or undefined (not stored, unreadable, or the cache is off). */
export function cachedYaml(bytes: Uint8Array, file: string, limits: object): YamlFile | undefined {
  if (!cacheOn(KIND) || !storable(bytes)) return undefined
  const text = readEntry(KIND, cacheKey(KIND, JSON.stringify(limits), bytes))
  if (text === undefined) return undefined
  try {
    const entry = JSON.parse(text) as { v?: Enc; p: [number, number]; e?: 1 }
    const at = (line: number, col: number): SourcePos => ({ file, line, col })
    const value = entry.e ? undefined : decode(entry.v as Enc, at)
    return { file, value, pos: at(entry.p[0], entry.p[1]) }
  } catch {
    return undefined
  }
}

/** Store a parsed file (skipped when the cache is off, or the file holds what the cache cannot keep). */
export function storeYaml(bytes: Uint8Array, limits: object, parsed: YamlFile): void {
  if (!cacheOn(KIND) || !storable(bytes)) return
  let text: string
  try {
    const v = parsed.value === undefined ? undefined : encode(parsed.value, 0)
    text = JSON.stringify({ v, p: [parsed.pos.line, parsed.pos.col], ...(parsed.value === undefined && { e: 1 }) })
  } catch {
    return // a value JSON cannot hold as it is (not a finite number, a marked or special object)
  }
  writeEntry(KIND, cacheKey(KIND, JSON.stringify(limits), bytes), text)
}

const NOT_STORABLE = new Error('not storable')

/** Flatten positions (the map's `keys` or `values`) in the order of `ids`. */
function flat(m: Map<string | number, SourcePos>, ids: Array<string | number>): number[] {
  const out: number[] = []
  for (const id of ids) {
    const p = m.get(id)
    out.push(p ? p.line : 0, p ? p.col : 0)
  }
  return out
}

function encode(v: unknown, depth: number): Enc {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || Object.is(v, -0)) throw NOT_STORABLE
    return v
  }
  if (typeof v !== 'object' || depth > 200 || isUnsafe(v)) throw NOT_STORABLE
  const info = positionsOf(v)
  const proto = Object.getPrototypeOf(v)
  if (!info) throw NOT_STORABLE
  const p: [number, number] = [info.pos.line, info.pos.col]
  if (Array.isArray(v) && proto === Array.prototype) {
    const ids = v.map((_, i) => i)
    return { a: v.map((x) => encode(x, depth + 1)), p, v: flat(info.values, ids) }
  }
  if (proto !== Object.prototype) throw NOT_STORABLE
  const keys = Object.keys(v)
  const values = keys.map((k) => encode((v as Record<string, unknown>)[k], depth + 1))
  return { o: keys, w: values, p, k: flat(info.keys, keys), v: flat(info.values, keys) }
}

/** Positions back into a map, for the ids that had one. */
function unflat(nums: number[], ids: Array<string | number>, at: (l: number, c: number) => SourcePos) {
  const m = new Map<string | number, SourcePos>()
  ids.forEach((id, i) => {
    if (nums[2 * i] > 0) m.set(id, at(nums[2 * i], nums[2 * i + 1]))
  })
  return m
}

function decode(e: Enc, at: (line: number, col: number) => SourcePos): unknown {
  if (e === null || typeof e !== 'object') return e
  if ('a' in e) {
    const out = e.a.map((x) => decode(x, at))
    const info: NodeInfo = {
      pos: at(e.p[0], e.p[1]),
      keys: new Map(),
      values: unflat(
        e.v,
        out.map((_, i) => i),
        at,
      ),
    }
    recordPositions(out, info)
    return out
  }
  const out: Record<string, unknown> = {}
  e.o.forEach((k, i) => {
    if (k === '__proto__') throw NOT_STORABLE // the converter refuses it: not an entry this cache wrote
    out[k] = decode(e.w[i], at)
  })
  recordPositions(out, { pos: at(e.p[0], e.p[1]), keys: unflat(e.k, e.o, at), values: unflat(e.v, e.o, at) })
  return out
}
