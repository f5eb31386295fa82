/**
 * Source positions of loaded YAML values. Every map/list the YAML reader produces is remembered (in a WeakMap)
 * with its own position and those of its keys and values, so any later stage holding the object can ask where
 * something came from, and objects built by code (merged vars, free-form arguments) can carry positions too.
 *
 * @example
 * ```ts
 * const { value } = await readYamlFile('site.yml')
 * keyPos(value[0], 'hosts')   // { file: 'site.yml', line: 1, col: 3 }
 * valuePos(value[0], 'hosts') // { file: 'site.yml', line: 1, col: 10 }
 * ```
 */
import type { SourcePos } from '../types.js'

/** Positions of one map or list. */
export interface NodeInfo {
  pos: SourcePos
  keys: Map<string | number, SourcePos>
  values: Map<string | number, SourcePos>
}

const infos = new WeakMap<object, NodeInfo>()

/** Remember the positions of a map/list built by the YAML converter. */
export function recordPositions(obj: object, info: NodeInfo): void {
  infos.set(obj, info)
}

/** Everything recorded for a map or list (the YAML cache stores it). */
export function positionsOf(obj: object): NodeInfo | undefined {
  return infos.get(obj)
}

/** Where an object or array produced by this loader starts, if known. */
export function posOf(obj: unknown): SourcePos | undefined {
  return typeof obj === 'object' && obj !== null ? infos.get(obj)?.pos : undefined
}

/** Where the key `key` of a loaded map is written (for lists: the item's position). */
export function keyPos(obj: unknown, key: string | number): SourcePos | undefined {
  if (typeof obj !== 'object' || obj === null) return undefined
  const info = infos.get(obj)
  return info?.keys.get(key) ?? info?.values.get(key)
}

/** Where the value under `key` (or list index) of a loaded map/list is written. */
export function valuePos(obj: unknown, key: string | number): SourcePos | undefined {
  if (typeof obj !== 'object' || obj === null) return undefined
  const info = infos.get(obj)
  return info?.values.get(key) ?? info?.keys.get(key)
}

/** Most precise known position: the value under `key`, else the key, else the object, else `fallback`. */
export function bestPos(obj: unknown, key: string | number | undefined, fallback: SourcePos): SourcePos {
  return (key !== undefined ? valuePos(obj, key) : undefined) ?? posOf(obj) ?? fallback
}

/** Record positions for an object built by code (e.g. free-form `k=v` arguments) so lookups keep working. */
export function setPositions(obj: object, pos: SourcePos, keys: Record<string, SourcePos> = {}): void {
  const m = new Map(Object.entries(keys))
  infos.set(obj, { pos, keys: m, values: new Map(m) })
}

/** Shallow-merge maps (later wins), keeping each key's source position from the map it came from. */
export function mergePositioned(...maps: Array<Record<string, unknown> | undefined>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const info: NodeInfo = { pos: { file: '', line: 0, col: 0 }, keys: new Map(), values: new Map() }
  let first = true
  for (const m of maps) {
    if (!m) continue
    const mi = infos.get(m)
    if (mi && first) info.pos = mi.pos
    if (mi) first = false
    for (const [k, v] of Object.entries(m)) {
      out[k] = v
      const kp = mi?.keys.get(k)
      const vp = mi?.values.get(k)
      if (kp) info.keys.set(k, kp)
      else info.keys.delete(k)
      if (vp) info.values.set(k, vp)
      else info.values.delete(k)
    }
  }
  if (info.pos.line > 0) infos.set(out, info)
  else if (info.keys.size) infos.set(out, { ...info, pos: [...info.keys.values()][0] })
  return out
}

/** Rename key `from` of a loaded map to `to` in place, keeping its positions (for Ansible's alternative spellings). */
export function renameKey(obj: Record<string, unknown>, from: string, to: string): void {
  obj[to] = obj[from]
  delete obj[from]
  const info = infos.get(obj)
  if (!info) return
  for (const m of [info.keys, info.values]) {
    const p = m.get(from)
    if (p) m.set(to, p)
  }
}

/** Line and column of a 0-based offset in `text` (for errors inside a file read as text, e.g. a template). */
export function offsetPos(file: string, text: string, offset: number): SourcePos {
  const before = text.slice(0, Math.max(0, offset))
  const line = before.split('\n').length
  return { file, line, col: offset - before.lastIndexOf('\n') }
}
