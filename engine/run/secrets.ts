/**
 * Secret values seen during a run (arguments marked `secret: true`, become/login passwords, `no_log` values).
 * Every event is passed through `mask` before any reporter sees it.
 */
import type { TSchema } from '@sinclair/typebox'

const MASK = '********'

/** Holds the run's secrets; `mask` replaces them in any value (deep). */
export class Secrets {
  private readonly values = new Set<string>()
  private pattern: RegExp | undefined

  /** Remember a secret (very short values are masked too: a password is a password). */
  add(value: unknown): void {
    if (typeof value !== 'string' || value.length === 0 || this.values.has(value)) return
    this.values.add(value)
    const alts = [...this.values].sort((a, b) => b.length - a.length).map(escapeRegExp)
    this.pattern = new RegExp(alts.join('|'), 'g')
  }

  /** Every argument whose schema says `secret: true`. */
  addFromArgs(schema: TSchema, args: Record<string, unknown>): void {
    for (const k of secretKeys(schema)) if (args[k] !== undefined) this.add(String(args[k]))
  }

  mask = <T>(value: T): T => {
    const re = this.pattern
    if (!re) return value
    return deepMap(value, (s) => s.replace(re, MASK)) as T
  }
}

/** The arguments a module's schema marks `secret: true`. */
export function secretKeys(schema: TSchema): string[] {
  let keys = secretKeysOf.get(schema)
  if (!keys) {
    const props = (schema as { properties?: Record<string, { secret?: boolean }> }).properties ?? {}
    secretKeysOf.set(schema, (keys = Object.keys(props).filter((k) => props[k].secret)))
  }
  return keys
}

/** `secretKeys` per schema (asked on every task of every host). */
const secretKeysOf = new WeakMap<TSchema, string[]>()

function deepMap(v: unknown, f: (s: string) => string): unknown {
  if (typeof v === 'string') return f(v)
  if (Array.isArray(v)) return v.map((x) => deepMap(x, f))
  if (v && typeof v === 'object' && !(v instanceof Uint8Array)) {
    const out: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v)) out[k] = deepMap(x, f)
    return out
  }
  return v
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
