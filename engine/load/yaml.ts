/**
 * YAML reading with source positions, for playbooks, vars files and inventories.
 *
 * YAML 1.2 core schema (`no`, `on`, `yes` stay strings), duplicate keys refused, `<<` merge keys accepted
 * (Ansible playbooks use them), and hostile input refused with a `UserError` naming file:line:col:
 * non-UTF-8 bytes, files over a size limit, nesting deeper than a limit, alias expansion bombs.
 *
 * Values come back as plain JS (objects, arrays, strings, numbers, booleans, null). Every object/array
 * produced is remembered in a WeakMap with its position and the positions of its keys and values, so any
 * later stage holding the object can ask where something came from: `posOf(obj)`, `keyPos(obj, 'k')`,
 * `valuePos(obj, 'k')`.
 *
 * @example
 * ```ts
 * const { value } = await readYamlFile('inventory/hosts.yml')
 * const where = keyPos(value as object, 'all') // { file, line, col } of the `all:` key
 * ```
 */
import { readFile, stat } from 'node:fs/promises'
import { Alias, isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml'
import { UserError, UserErrors } from '../errors.js'
import type { SourcePos } from '../types.js'
import { decodeUtf8 } from './utf8.js'

/** Limits applied to every YAML file. */
export interface YamlLimits {
  /** Largest file accepted, in bytes (default 8 MiB). */
  maxBytes: number
  /** Deepest nesting of maps/lists accepted (default 64). */
  maxDepth: number
  /** Most values that alias expansion may produce in one file (default 100 000). */
  maxAliasNodes: number
}

export const DEFAULT_LIMITS: YamlLimits = { maxBytes: 8 * 1024 * 1024, maxDepth: 64, maxAliasNodes: 100_000 }

/** A parsed YAML file: its plain value and where it came from. */
export interface YamlFile {
  file: string
  /** `undefined` for an empty file (or one holding only comments). */
  value: unknown
  /** Position of the document's root node. */
  pos: SourcePos
}

interface NodeInfo {
  pos: SourcePos
  keys: Map<string | number, SourcePos>
  values: Map<string | number, SourcePos>
}

const infos = new WeakMap<object, NodeInfo>()

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

/** Read and parse one YAML file. Throws `UserError`/`UserErrors` with positions. */
export async function readYamlFile(file: string, limits: Partial<YamlLimits> = {}): Promise<YamlFile> {
  const lim = { ...DEFAULT_LIMITS, ...limits }
  let bytes: Buffer
  try {
    const st = await stat(file)
    if (st.isDirectory()) throw new UserError(`${file} is a folder, expected a YAML file`, { file, line: 1, col: 1 })
    if (st.size > lim.maxBytes) {
      throw new UserError(`file too large: ${st.size} bytes (limit ${lim.maxBytes})`, { file, line: 1, col: 1 })
    }
    bytes = await readFile(file)
  } catch (e) {
    if (e instanceof UserError) throw e
    const code = (e as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'file not found' : code === 'EACCES' ? 'permission denied' : String((e as Error).message)
    throw new UserError(`cannot read ${file}: ${why}`, { file, line: 1, col: 1 })
  }
  return parseYamlBytes(bytes, file, lim)
}

/** Parse YAML from raw bytes (checks size and UTF-8 first). */
export function parseYamlBytes(bytes: Uint8Array, file: string, limits: Partial<YamlLimits> = {}): YamlFile {
  const lim = { ...DEFAULT_LIMITS, ...limits }
  if (bytes.length > lim.maxBytes) {
    throw new UserError(`file too large: ${bytes.length} bytes (limit ${lim.maxBytes})`, { file, line: 1, col: 1 })
  }
  const text = decodeUtf8(bytes, file)
  return parseYaml(text, file, lim)
}

/** Parse YAML text. Throws `UserErrors` listing every syntax error, or a `UserError` for a limit. */
export function parseYaml(text: string, file: string, limits: Partial<YamlLimits> = {}): YamlFile {
  const lim = { ...DEFAULT_LIMITS, ...limits }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  const lc = new LineCounter()
  const at = (offset: number): SourcePos => {
    const p = lc.linePos(Math.max(0, Math.min(offset, text.length)))
    return { file, line: p.line, col: p.col }
  }
  checkNestingDepth(text, file, lim.maxDepth)
  let doc: Document.Parsed
  try {
    doc = parseDocument(text, {
      version: '1.2', schema: 'core', merge: true, uniqueKeys: true, prettyErrors: false, lineCounter: lc, keepSourceTokens: false,
    })
  } catch (e) {
    if (e instanceof RangeError) throw new UserError(`YAML nested too deeply to parse (limit ${lim.maxDepth})`, at(0))
    throw e
  }
  const errors = doc.errors.map((e) => new UserError(`YAML syntax error: ${yamlMessage(e.message)}`, at(e.pos[0])))
  for (const w of doc.warnings) {
    if (w.code === 'TAG_RESOLVE_FAILED') errors.push(new UserError(`unsupported YAML tag: ${yamlMessage(w.message)}`, at(w.pos[0])))
  }
  if (errors.length) throw new UserErrors(errors)
  const conv = new Converter(doc, at, lim)
  const root = doc.contents as Node | null
  const value = root ? conv.toJS(root, 0) : undefined
  return { file, value: value === null && !root ? undefined : value, pos: root?.range ? at(root.range[0]) : at(0) }
}

/** The yaml package's message without its trailing "at line N, column M:" excerpt. */
function yamlMessage(m: string): string {
  return m.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').trim()
}

/**
 * Rough nesting estimate on the raw text (indentation levels, `- ` prefixes and flow brackets), run before the
 * parser because the parser itself recurses and would overflow the stack on hostile input.
 */
function checkNestingDepth(text: string, file: string, maxDepth: number): void {
  const indents: number[] = []
  let flow = 0
  let line = 1
  let i = 0
  const limit = maxDepth + 8 // the converter enforces the exact limit; this only guards the parser
  while (i < text.length) {
    const end = text.indexOf('\n', i) === -1 ? text.length : text.indexOf('\n', i)
    let j = i
    while (j < end && text[j] === ' ') j++
    if (flow === 0 && j < end && text[j] !== '#') {
      while (indents.length && indents[indents.length - 1] >= j - i) indents.pop()
      indents.push(j - i)
    }
    let dashes = 0
    for (let k = j; k < end - 1 && text[k] === '-' && text[k + 1] === ' '; k += 2) dashes++
    let quote = ''
    for (let k = j; k < end; k++) {
      const c = text[k]
      if (quote) { if (c === quote) quote = '' } else if (c === '"' || c === "'") quote = c
      else if (c === '#' && (k === 0 || text[k - 1] === ' ')) break
      else if (c === '[' || c === '{') flow++
      else if ((c === ']' || c === '}') && flow > 0) flow--
      if (indents.length + dashes + flow > limit) {
        throw new UserError(`YAML nested too deeply (limit ${maxDepth} levels)`, { file, line, col: k - i + 1 })
      }
    }
    i = end + 1
    line++
  }
}

/** Turns yaml nodes into plain JS, recording positions, counting alias expansion and depth. */
class Converter {
  private aliasNodes = 0
  private inAlias = 0
  constructor(
    private readonly doc: Document.Parsed,
    private readonly at: (offset: number) => SourcePos,
    private readonly lim: YamlLimits,
  ) {}

  private readonly resolved = new Map<Alias, Node>()
  private readonly sizes = new WeakMap<object, number>()

  /** The anchored node an alias names (memoized: the yaml package searches the whole document each time). */
  private resolve(a: Alias): Node {
    let t = this.resolved.get(a)
    if (!t) {
      t = a.resolve(this.doc) as Node | undefined
      if (!t) throw new UserError(`YAML alias *${a.source} refers to no anchor`, this.posOfNode(a))
      this.resolved.set(a, t)
    }
    return t
  }

  /** How many values a node expands to (aliases counted in full), capped just above the limit. */
  private sizeOf(n: Node | Alias | null): number {
    if (!n) return 1
    const known = this.sizes.get(n)
    if (known !== undefined) return known
    this.sizes.set(n, this.lim.maxAliasNodes + 1) // a self-referencing alias counts as too big
    let size = 1
    if (isAlias(n)) size = this.sizeOf(this.resolve(n))
    else if (isSeq(n)) for (const it of n.items) size += this.sizeOf(it as Node | null)
    else if (isMap(n)) for (const p of n.items) size += this.sizeOf(p.key as Node | null) + this.sizeOf(p.value as Node | null)
    size = Math.min(size, this.lim.maxAliasNodes + 1)
    this.sizes.set(n, size)
    return size
  }

  private posOfNode(n: Node | Alias): SourcePos {
    return this.at(n.range?.[0] ?? 0)
  }

  toJS(node: Node | Alias, depth: number): unknown {
    if (depth > this.lim.maxDepth) throw new UserError(`YAML nested too deeply (limit ${this.lim.maxDepth} levels)`, this.posOfNode(node))
    if (isAlias(node)) {
      const target = this.resolve(node)
      if (this.inAlias > 0) return this.toJS(target, depth) // counted in full by the outermost alias
      this.aliasNodes += this.sizeOf(target)
      if (this.aliasNodes > this.lim.maxAliasNodes) {
        throw new UserError(`YAML aliases expand to too many values (limit ${this.lim.maxAliasNodes}): refusing an alias bomb`, this.posOfNode(node))
      }
      this.inAlias++
      try {
        return this.toJS(target, depth)
      } finally {
        this.inAlias--
      }
    }
    if (isScalar(node)) return scalarValue(node.value)
    if (isSeq(node)) {
      const out: unknown[] = []
      const info: NodeInfo = { pos: this.posOfNode(node), keys: new Map(), values: new Map() }
      node.items.forEach((item, i) => {
        const n = item as Node | Alias | null
        out.push(n ? this.toJS(n, depth + 1) : null)
        if (n?.range) info.values.set(i, this.posOfNode(n))
      })
      infos.set(out, info)
      return out
    }
    if (isMap(node)) {
      const out: Record<string, unknown> = {}
      const info: NodeInfo = { pos: this.posOfNode(node), keys: new Map(), values: new Map() }
      const merged: Array<[string, unknown, SourcePos | undefined]> = []
      for (const pair of node.items) {
        const k = pair.key as Node | Alias | null
        const v = pair.value as Node | Alias | null
        if (isScalar(k) && typeof k.value === 'symbol') {
          this.merge(v, depth, merged)
          continue
        }
        const kv = k ? this.toJS(k, depth + 1) : null
        if (typeof kv === 'object' && kv !== null) {
          throw new UserError('a map key must be a plain value, not a map or list', k ? this.posOfNode(k) : info.pos)
        }
        const key = String(kv)
        if (key === '__proto__') throw new UserError('the key "__proto__" is not allowed', k ? this.posOfNode(k) : info.pos)
        out[key] = v ? this.toJS(v, depth + 1) : null
        if (k?.range) info.keys.set(key, this.posOfNode(k))
        if (v?.range) info.values.set(key, this.posOfNode(v))
      }
      for (const [key, value, p] of merged) {
        if (Object.hasOwn(out, key)) continue
        out[key] = value
        if (p) info.values.set(key, p)
      }
      infos.set(out, info)
      return out
    }
    return null
  }

  /** `<<: *anchor` or `<<: [*a, *b]`: keys not set in the map itself come from the merged maps (first wins). */
  private merge(v: Node | Alias | null, depth: number, into: Array<[string, unknown, SourcePos | undefined]>): void {
    const src = v ? this.toJS(v, depth + 1) : null
    const list = Array.isArray(src) ? src : [src]
    for (const m of list) {
      if (typeof m !== 'object' || m === null || Array.isArray(m)) {
        throw new UserError('a merge key (<<) needs a map or a list of maps', v ? this.posOfNode(v) : this.at(0))
      }
      for (const [key, value] of Object.entries(m)) {
        if (!into.some(([k]) => k === key)) into.push([key, value, valuePos(m, key)])
      }
    }
  }
}

function scalarValue(v: unknown): unknown {
  if (v === null || v === undefined) return null
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v
  if (typeof v === 'bigint') return Number(v)
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64')
  return String(v)
}
