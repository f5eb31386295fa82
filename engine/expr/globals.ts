/**
 * Functions callable by name in expressions, as Jinja and Ansible provide them: `range(…)`, `lookup(…)`/
 * `query(…)`/`q(…)` on the controller, `dict(…)`, `namespace(…)` (a map `{% set ns.x = … %}` may change inside
 * loops).
 *
 * @example
 * ```yaml
 * - debug: { msg: "{{ range(1, 4) | list }} {{ lookup('env', 'HOME') }}" }   # [1, 2, 3] /root
 * ```
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { UserError } from '../errors.js'
import { now } from './clock.js'
import { short, toStr, typeName } from './values.js'

/** The target of global calls in the AST (`{ k: 'call', o: GLOBALS, method: 'range' }`). */
export const GLOBALS = Object.freeze({ __globals: true })

const namespaces = new WeakSet<object>()

/** True for a map made by `namespace()`: the one kind of map a template may change (`{% set ns.found = true %}`). */
export function isNamespace(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && namespaces.has(v)
}

const MAX_RANGE = 100_000

function int(v: unknown, what: string): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v
  if (typeof v === 'boolean') return Number(v)
  throw new UserError(`${what} needs whole numbers, got ${typeName(v)} ${short(v)}`)
}

/** Python's `range(stop)`, `range(start, stop[, step])` as a list. */
export function range(args: unknown[]): number[] {
  if (args.length < 1 || args.length > 3) throw new UserError(`range takes 1 to 3 arguments, got ${args.length}`)
  const [start, stop, step] =
    args.length === 1
      ? [0, int(args[0], 'range'), 1]
      : [int(args[0], 'range'), int(args[1], 'range'), args.length > 2 ? int(args[2], 'range') : 1]
  if (step === 0) throw new UserError('range: the step must not be zero')
  const n = Math.max(0, Math.ceil((stop - start) / step))
  if (n > MAX_RANGE) throw new UserError(`range of ${n} numbers is too long (limit ${MAX_RANGE})`)
  return Array.from({ length: n }, (_, i) => start + i * step)
}

/** The lookups tsplay has (all on the controller). */
const LOOKUPS = ['env', 'file', 'pipe', 'lines', 'items', 'list', 'fileglob']

/** Run `cmd` by /bin/sh on the controller; its output (a failure is an error, as in Ansible). */
function controllerOutput(kind: string, cmd: string): string {
  const r = spawnSync('/bin/sh', ['-c', cmd], { encoding: 'utf8', maxBuffer: 64 << 20 })
  if (r.error) throw new UserError(`lookup('${kind}', '${cmd}'): ${r.error.message}`)
  if (r.status !== 0) throw new UserError(`lookup('${kind}', '${cmd}') exited with ${r.status}: ${r.stderr.trim()}`)
  return r.stdout
}

/** Files (not folders) matching a `*`/`?` pattern in its folder, sorted (relative to the working folder). */
function fileglob(pattern: string): string[] {
  const dir = dirname(pattern)
  const re = new RegExp(
    `^${basename(pattern)
      .replace(/[.+^${}()|\\]/g, '\\$&')
      .replace(/\*/g, '[^/]*')
      .replace(/\?/g, '[^/]')}$`,
  )
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((n) => re.test(n) && statSync(join(dir, n)).isFile())
    .sort()
    .map((n) => join(dir, n))
}

/** One term of a lookup: its value, or (`lines`, `fileglob`) several values. */
function lookupOne(kind: string, arg: unknown, kw: Record<string, unknown>): unknown[] {
  if (kind === 'items' || kind === 'list') return [arg]
  const name = toStr(arg)
  if (kind === 'env') return [process.env[name] ?? kw.default ?? '']
  if (kind === 'pipe') return [controllerOutput(kind, name).trimEnd()]
  if (kind === 'lines')
    return controllerOutput(kind, name)
      .split('\n')
      .filter((l, i, all) => i < all.length - 1 || l)
  if (kind === 'fileglob') return fileglob(name)
  if (kind === 'file') {
    try {
      return [readFileSync(name, 'utf8').replace(/\n$/, '')]
    } catch (e) {
      throw new UserError(
        `lookup('file', '${name}'): ` +
          `${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
      )
    }
  }
  throw new UserError(`lookup('${kind}') is not supported (tsplay has ${LOOKUPS.map((l) => `'${l}'`).join(', ')})`)
}

/** `lookup(kind, terms…)`: one term gives its value, several give them joined with commas (`query` gives a list). */
function lookup(args: unknown[], kw: Record<string, unknown>, asList: boolean): unknown {
  const kind = toStr(args[0])
  const terms = args.slice(1).flatMap((a) => (Array.isArray(a) && kind !== 'list' ? a : [a]))
  const values = terms.flatMap((t) => lookupOne(kind, t, kw))
  if (asList || kw.wantlist === true) return values
  return values.length === 1 ? values[0] : values.map(toStr).join(',')
}

const FUNCS: Record<string, (args: unknown[], kw: Record<string, unknown>) => unknown> = {
  range: (args) => range(args),
  lookup: (args, kw) => lookup(args, kw, false),
  query: (args, kw) => lookup(args, kw, true),
  q: (args, kw) => lookup(args, kw, true),
  dict: (args, kw) => {
    const out: Record<string, unknown> = {}
    for (const a of args) {
      if (Array.isArray(a)) for (const p of a) out[toStr((p as unknown[])[0])] = (p as unknown[])[1]
      else if (a && typeof a === 'object') Object.assign(out, a)
    }
    return Object.assign(out, kw)
  },
  now: (args, kw) => now(args, kw),
  namespace: (args, kw) => {
    const ns: Record<string, unknown> = Object.assign({}, ...args.filter((a) => a && typeof a === 'object'), kw)
    namespaces.add(ns)
    return ns
  },
}

/** Names the parser turns into global calls when followed by `(`. */
export const GLOBAL_NAMES = new Set(Object.keys(FUNCS))

/** Call a global function. */
export function callGlobal(name: string, args: unknown[], kw: Record<string, unknown>): unknown {
  const f = FUNCS[name]
  if (!f) throw new UserError(`unknown function "${name}"`)
  return f(args, kw)
}
