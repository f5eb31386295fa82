/**
 * Loop items: `loop:` as written, and Ansible's `with_<lookup>` forms turned into the same list of items
 * (`with_items` flattens one level, `with_dict` gives `{key, value}` maps, `with_nested` the cartesian product, …),
 * plus the per-item variables `loop_control` asks for (`index_var`, `extended` → `ansible_loop`).
 * Pure functions over already-rendered values; `with_fileglob`/`with_first_found` look at the controller's files.
 *
 * @example
 * ```ts
 * loopItems('dict', { a: 1 }, [])          // [{ key: 'a', value: 1 }]
 * loopItems('sequence', 'start=1 end=3 format=n%02d', [])  // ['n01', 'n02', 'n03']
 * ```
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { basename, dirname, isAbsolute, join } from 'node:path'
import type { LoopLookup } from '../ast.js'
import { UserError } from '../errors.js'
import { parseKeyValues } from '../source/kv.js'
import { SplitError } from '../source/split.js'

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === null || v === undefined ? [] : [v])

/** What some lookups need from the run: the hosts an inventory pattern selects (`with_inventory_hostnames`). */
export interface LoopEnv {
  hosts?: (pattern: string) => string[]
}

/** The items of a loop. `lookup` undefined means `loop:` (the value must be a list). */
export function loopItems(
  lookup: LoopLookup | undefined,
  value: unknown,
  searchPaths: readonly string[],
  env: LoopEnv = {},
): unknown[] {
  switch (lookup) {
    case undefined:
      if (!Array.isArray(value))
        throw new UserError(
          `loop must be a list, got ${value === null ? 'null' : typeof value}`,
          undefined,
          '(for a map, use "| dict2items")',
        )
      return value
    case 'list':
      return asList(value)
    case 'items':
      return asList(value).flatMap((x) => (Array.isArray(x) ? x : [x]))
    case 'indexed_items':
      return loopItems('items', value, searchPaths).map((x, i) => [i, x])
    case 'dict': {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw new UserError(`with_dict needs a map, got ${Array.isArray(value) ? 'a list' : typeof value}`)
      return Object.entries(value).map(([key, v]) => ({ key, value: v }))
    }
    case 'together': {
      const lists = asList(value).map(asList)
      const n = Math.max(0, ...lists.map((l) => l.length))
      return Array.from({ length: n }, (_, i) => lists.map((l) => (i < l.length ? l[i] : null)))
    }
    case 'nested':
    case 'cartesian':
      return asList(value)
        .map(asList)
        .reduce<unknown[][]>((acc, l) => acc.flatMap((a) => l.map((x) => [...a, x])), [[]])
    case 'sequence':
      return asList(value).flatMap((t) => sequence(String(t)))
    case 'subelements':
      return subelements(value)
    case 'fileglob':
      return asList(value).flatMap((p) => fileglob(String(p), searchPaths))
    case 'first_found':
      return [firstFound(value, searchPaths)]
    case 'lines':
      return asList(value).flatMap((cmd) => controllerLines(String(cmd)))
    case 'inventory_hostnames': {
      if (!env.hosts) throw new UserError('with_inventory_hostnames needs the inventory')
      const pick = env.hosts
      return [...new Set(asList(value).flatMap((p) => pick(String(p))))]
    }
    case 'env':
      return asList(value).map((n) => process.env[String(n)] ?? '')
    case 'random_choice': {
      const l = asList(value)
      return l.length ? [l[Math.floor(Math.random() * l.length)]] : []
    }
  }
}

/** `with_lines`: a command run on the controller (by /bin/sh, as Ansible's lookup runs it), its output's lines. */
function controllerLines(cmd: string): string[] {
  const r = spawnSync('/bin/sh', ['-c', cmd], { encoding: 'utf8', maxBuffer: 64 << 20 })
  if (r.error) throw new UserError(`with_lines: cannot run "${cmd}": ${r.error.message}`)
  if (r.status !== 0) throw new UserError(`with_lines: "${cmd}" exited with ${r.status}: ${r.stderr.trim()}`)
  return r.stdout.split('\n').filter((l, i, all) => i < all.length - 1 || l !== '')
}

/** `with_sequence`: `start=1 end=10 stride=2 format=x%02d`, `count=3`, or the short `1-10/2:fmt%d`. */
export function sequence(term: string): string[] {
  const o: Record<string, string> = {}
  const short = /^\s*(?:(-?\d+|0x[0-9a-f]+)-)?(-?\d+|0x[0-9a-f]+)(?:\/(\d+))?(?::(.+))?\s*$/i.exec(term)
  if (short && !term.includes('=')) {
    Object.assign(
      o,
      { start: short[1] ?? '1', end: short[2] },
      short[3] ? { stride: short[3] } : {},
      short[4] ? { format: short[4] } : {},
    )
  } else {
    try {
      Object.assign(o, parseKeyValues(term))
    } catch (e) {
      if (!(e instanceof SplitError)) throw e
      throw new UserError(`with_sequence: cannot read "${term}": ${e.message} (write start=N end=N, or N-M)`)
    }
  }
  const num = (k: string, d: number) => (o[k] === undefined ? d : Number(o[k]))
  const start = num('start', 1)
  const stride = num('stride', 1)
  const end = o.count !== undefined ? start + (Number(o.count) - 1) * stride : num('end', NaN)
  if (![start, end, stride].every(Number.isFinite))
    throw new UserError(`with_sequence: "${term}" needs whole numbers for start, end (or count) and stride`)
  if (o.count !== undefined && o.end !== undefined)
    throw new UserError('with_sequence: use either "count" or "end", not both')
  const out: string[] = []
  if (stride === 0) return out
  for (let i = start; stride > 0 ? i <= end : i >= end; i += stride) out.push(printf(o.format ?? '%d', i))
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

/** `with_subelements: [list, 'key', {skip_missing: true}]` → `[element, sub]` pairs. */
function subelements(value: unknown): unknown[] {
  const [src, key, flags] = asList(value)
  const skip = typeof flags === 'object' && flags !== null && (flags as Record<string, unknown>).skip_missing === true
  const elems = Array.isArray(src) ? src : typeof src === 'object' && src !== null ? Object.values(src) : undefined
  if (!elems || typeof key !== 'string')
    throw new UserError('with_subelements needs [a list (or map) of maps, "subkey"]')
  const out: unknown[] = []
  for (const el of elems) {
    let sub: unknown = el
    for (const part of key.split('.'))
      sub = typeof sub === 'object' && sub !== null ? (sub as Record<string, unknown>)[part] : undefined
    if (sub === undefined) {
      if (skip) continue
      throw new UserError(`with_subelements: an element has no "${key}" (add {skip_missing: true} to skip it)`)
    }
    if (!Array.isArray(sub)) throw new UserError(`with_subelements: "${key}" of an element is not a list`)
    for (const s of sub) out.push([el, s])
  }
  return out
}

/** Folders a relative controller path is looked up in: `files/` of each search path, then the path itself. */
function candidates(rel: string, searchPaths: readonly string[], sub = 'files'): string[] {
  if (isAbsolute(rel)) return [rel]
  return searchPaths.flatMap((d) => [join(d, sub, rel), join(d, rel)])
}

const globRe = (pat: string) =>
  new RegExp(
    `^${pat
      .replace(/[.+^${}()|\\]/g, '\\$&')
      .replace(/\*/g, '[^/]*')
      .replace(/\?/g, '[^/]')}$`,
  )

/**
 * `with_fileglob`: files (not folders) matching a pattern in its folder, sorted; the first folder that matches wins.
 */
function fileglob(pattern: string, searchPaths: readonly string[]): string[] {
  for (const c of candidates(pattern, searchPaths)) {
    const dir = dirname(c)
    if (!existsSync(dir)) continue
    const re = globRe(basename(c))
    const hits = readdirSync(dir)
      .filter((n) => re.test(n))
      .map((n) => join(dir, n))
      .filter((p) => statSync(p).isFile())
      .sort()
    if (hits.length) return hits
  }
  return []
}

/** `with_first_found`: names (or `{files, paths}`) → the first that exists on the controller. */
function firstFound(value: unknown, searchPaths: readonly string[]): string {
  const names: string[] = []
  for (const t of asList(value)) {
    if (typeof t === 'object' && t !== null && !Array.isArray(t)) {
      const o = t as { files?: unknown; paths?: unknown }
      const files = asList(o.files).map(String)
      const paths = asList(o.paths).map(String)
      for (const f of files) names.push(...(paths.length ? paths.map((p) => join(p, f)) : [f]))
    } else names.push(String(t))
  }
  for (const n of names)
    for (const c of candidates(n, searchPaths, 'vars').concat(candidates(n, searchPaths))) if (existsSync(c)) return c
  throw new UserError(`with_first_found: none of ${names.map((n) => `"${n}"`).join(', ')} was found`)
}

/** The per-item variables `loop_control` asks for: `index_var`, and `ansible_loop` when `extended`. */
export function itemVars(
  items: readonly unknown[],
  i: number,
  opts: { indexVar?: string; extended?: boolean },
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (opts.indexVar) {
    out[opts.indexVar] = i
    out.ansible_index_var = opts.indexVar
  }
  if (opts.extended) {
    const n = items.length
    out.ansible_loop = {
      allitems: items,
      index: i + 1,
      index0: i,
      revindex: n - i,
      revindex0: n - i - 1,
      first: i === 0,
      last: i === n - 1,
      length: n,
      ...(i > 0 ? { previtem: items[i - 1] } : {}),
      ...(i < n - 1 ? { nextitem: items[i + 1] } : {}),
    }
  }
  return out
}
