/**
 * The one checker of the argument rules modules declare in their schemas (engine/argrules.ts): aliases are
 * resolved to canonical names (positions kept), then `mutually_exclusive`, `required_one_of`,
 * `required_together`, `required_if` and `required_by` are enforced. At load time a templated value counts as
 * given but its value is unknown (it may render to anything, even `omit`), so only what is certain is reported;
 * after templating everything is certain.
 *
 * @example
 * ```ts
 * canonicalArgs(lineinfile.schema, { dest: '/etc/hosts', value: 'x' }, pos).args // { path: '/etc/hosts', line: 'x' }
 * ```
 */
import { aliasesOf, rulesOf } from '../argrules.js'
import { UserError } from '../errors.js'
import type { SourcePos } from '../types.js'
import { keyPos, recordPositions, valuePos, posOf, type NodeInfo } from '../source/positions.js'

/** Does this value (deep) contain a template? (as engine/load/args.ts decides) */
function hasTemplate(v: unknown): boolean {
  if (typeof v === 'string') return v.includes('{{') || v.includes('{%')
  if (Array.isArray(v)) return v.some(hasTemplate)
  if (typeof v === 'object' && v !== null) return Object.values(v).some(hasTemplate)
  return false
}

const q = (n: string) => `"${n}"`
const list = (names: readonly string[]) => names.map(q).join(', ')

/** `aliasesOf` per schema object (schemas do not change; every task's arguments are canonicalized with them). */
const aliasCache = new WeakMap<object, ReadonlyMap<string, string>>()

function aliasesFor(schema: unknown): ReadonlyMap<string, string> {
  if (typeof schema !== 'object' || schema === null) return aliasesOf(schema)
  let m = aliasCache.get(schema)
  if (!m) aliasCache.set(schema, (m = aliasesOf(schema)))
  return m
}

/**
 * Aliases → canonical names; an alias given with its canonical name (or another alias) and a different value is an
 * error.
 */
export function canonicalArgs(
  schema: unknown,
  args: Record<string, unknown>,
  pos: SourcePos,
  module: string,
): { args: Record<string, unknown>; errors: UserError[] } {
  const aliases = aliasesFor(schema)
  if (aliases.size === 0 || !Object.keys(args).some((k) => aliases.has(k))) return { args, errors: [] }
  const out: Record<string, unknown> = {}
  const info: NodeInfo = { pos: posOf(args) ?? pos, keys: new Map(), values: new Map() }
  const from = new Map<string, string>()
  const errors: UserError[] = []
  for (const [k, v] of Object.entries(args)) {
    const name = aliases.get(k) ?? k
    const earlier = from.get(name)
    if (earlier !== undefined && JSON.stringify(out[name]) !== JSON.stringify(v)) {
      errors.push(
        new UserError(
          `argument ${q(k)} of module ${module} is an alias of ${q(name)}, already given as ${q(earlier)} ` +
            `with another value`,
          keyPos(args, k) ?? pos,
          '(give it once)',
        ),
      )
      continue
    }
    from.set(name, k)
    out[name] = v
    const kp = keyPos(args, k)
    const vp = valuePos(args, k)
    if (kp) info.keys.set(name, kp)
    if (vp) info.values.set(name, vp)
  }
  recordPositions(out, info)
  return { args: out, errors }
}

/**
 * Enforce the object-level rules on canonical arguments. `values` holds the coerced values (booleans from
 * `yes`, …); `raw` the arguments as written (positions, templates). `certain` is false at load time.
 */
export function checkRules(
  schema: unknown,
  raw: Record<string, unknown>,
  values: Record<string, unknown>,
  pos: SourcePos,
  module: string,
  certain: boolean,
): UserError[] {
  const rules = rulesOf(schema)
  const props = (schema as { properties?: Record<string, { default?: unknown }> }).properties ?? {}
  const given = (k: string) => raw[k] !== undefined && raw[k] !== null
  const known = (k: string) => given(k) && (certain || !hasTemplate(raw[k]))
  const at = (k: string) => keyPos(raw, k) ?? pos
  const errors: UserError[] = []
  for (const group of rules.mutually_exclusive ?? []) {
    const both = group.filter(known)
    if (both.length > 1)
      errors.push(
        new UserError(
          `arguments ${list(both)} of module ${module} are mutually exclusive`,
          at(both[1]),
          '(give only one)',
        ),
      )
  }
  for (const group of rules.required_one_of ?? []) {
    if (!group.some(given))
      errors.push(new UserError(`module ${module} needs one of the arguments ${list(group)}`, pos))
  }
  for (const group of rules.required_together ?? []) {
    const present = group.filter(given)
    if (present.length && present.length < group.length && group.filter(known).length) {
      const missing = group.filter((k) => !given(k))
      errors.push(
        new UserError(
          `argument ${q(present[0])} of module ${module} needs ${list(missing)} too`,
          at(present[0]),
          `(${list(group)} go together)`,
        ),
      )
    }
  }
  for (const [key, want, needed, anyOf] of rules.required_if ?? []) {
    if (given(key) && !known(key)) continue
    const value = given(key) ? values[key] : props[key]?.default
    if (value !== want) continue
    const missing = needed.filter((k) => !given(k))
    const fails = anyOf ? missing.length === needed.length : missing.length > 0
    if (!fails) continue
    const what = anyOf
      ? `one of the arguments ${list(needed)}`
      : `the argument${missing.length > 1 ? 's' : ''} ${list(missing)}`
    errors.push(
      new UserError(
        `module ${module} needs ${what} when ${q(key)} is ${JSON.stringify(want)}`,
        given(key) ? at(key) : pos,
      ),
    )
  }
  for (const [key, needed] of Object.entries(rules.required_by ?? {})) {
    const missing = given(key) ? needed.filter((k) => !given(k)) : []
    if (missing.length)
      errors.push(new UserError(`argument ${q(key)} of module ${module} needs ${list(missing)} too`, at(key)))
  }
  return errors
}
