/**
 * yaml nodes → plain JS values, recording positions (engine/source/positions.ts), enforcing the nesting limit,
 * counting alias expansion up front (an alias bomb is refused before anything is expanded) and applying
 * `<<` merge keys. Also the nesting pre-scan run on raw text before the yaml parser (which recurses).
 *
 * @example
 * ```ts
 * const value = new Converter(doc, at, limits).toJS(doc.contents, 0)
 * ```
 */
import { Alias, isAlias, isMap, isScalar, isSeq, type Document, type Node } from 'yaml'
import { UserError } from '../errors.js'
import type { SourcePos } from '../types.js'
import { recordPositions, valuePos, type NodeInfo } from './positions.js'
import type { YamlLimits } from './yaml.js'
import { markUnsafe } from '../expr/scope.js'
import { noteLocked, VaultLocked } from '../vaultlocked.js'

/**
 * Rough nesting estimate on the raw text (indentation levels, `- ` prefixes and flow brackets), run before the
 * parser because the parser itself recurses and would overflow the stack on hostile input.
 */
export function checkNestingDepth(text: string, file: string, maxDepth: number): void {
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
      if (quote) {
        if (c === quote) quote = ''
      } else if (c === '"' || c === "'") quote = c
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
export class Converter {
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
    else if (isMap(n))
      for (const p of n.items) size += this.sizeOf(p.key as Node | null) + this.sizeOf(p.value as Node | null)
    size = Math.min(size, this.lim.maxAliasNodes + 1)
    this.sizes.set(n, size)
    return size
  }

  private posOfNode(n: Node | Alias): SourcePos {
    return this.at(n.range?.[0] ?? 0)
  }

  toJS(node: Node | Alias, depth: number): unknown {
    if (depth > this.lim.maxDepth)
      throw new UserError(`YAML nested too deeply (limit ${this.lim.maxDepth} levels)`, this.posOfNode(node))
    if (isAlias(node)) {
      const target = this.resolve(node)
      if (this.inAlias > 0) return this.toJS(target, depth) // counted in full by the outermost alias
      this.aliasNodes += this.sizeOf(target)
      if (this.aliasNodes > this.lim.maxAliasNodes) {
        throw new UserError(
          `YAML aliases expand to too many values (limit ${this.lim.maxAliasNodes}): refusing an alias bomb`,
          this.posOfNode(node),
        )
      }
      this.inAlias++
      try {
        return this.toJS(target, depth)
      } finally {
        this.inAlias--
      }
    }
    if (isScalar(node)) {
      if (node.value instanceof VaultLocked) noteLocked(node.value, this.posOfNode(node))
      return scalarValue(node.value)
    }
    if (isSeq(node)) {
      const out: unknown[] = []
      const info: NodeInfo = { pos: this.posOfNode(node), keys: new Map(), values: new Map() }
      node.items.forEach((item, i) => {
        const n = item as Node | Alias | null
        out.push(n ? this.toJS(n, depth + 1) : null)
        if (n?.range) info.values.set(i, this.posOfNode(n))
      })
      recordPositions(out, info)
      return node.tag === '!unsafe' ? markUnsafe(out) : out
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
          // `{{ x }}` unquoted is a flow map whose key is a flow map: Ansible's usual quoting mistake
          const braces = isMap(k) && k.flow === true && node.flow === true
          const hint = braces ? '; `{{ … }}` at the start of a value must be quoted as a whole (`- "{{ x }}"`)' : ''
          throw new UserError(
            `a map key must be a plain value, not a map or list${hint}`,
            k ? this.posOfNode(k) : info.pos,
          )
        }
        const key = String(kv)
        if (key === '__proto__')
          throw new UserError('the key "__proto__" is not allowed', k ? this.posOfNode(k) : info.pos)
        out[key] = v ? this.toJS(v, depth + 1) : null
        if (k?.range) info.keys.set(key, this.posOfNode(k))
        if (v?.range) info.values.set(key, this.posOfNode(v))
      }
      for (const [key, value, p] of merged) {
        if (Object.hasOwn(out, key)) continue
        out[key] = value
        if (p) info.values.set(key, p)
      }
      recordPositions(out, info)
      return node.tag === '!unsafe' ? markUnsafe(out) : out
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
  if (v instanceof VaultLocked) return v
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64')
  return String(v)
}
