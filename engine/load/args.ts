/**
 * Module arguments against the module's TypeBox schema, with ajv. One compiled validator per module
 * (cached); defaults are filled in ONE place: `resolveArgs` (ajv `useDefaults` on a clone).
 *
 * Before validation, values are coerced the way Ansible coerces module arguments: `yes`/`no`/`true`/`false`/
 * `on`/`off` strings where the schema wants a boolean, numeric strings where it wants a number, numbers where
 * it wants a string. At load time, a templated value (`"{{ x }}"`) skips the type checks for that field; it is
 * checked again by `resolveArgs` after templating. Argument names are always checked. Aliases and the rules a
 * schema declares (`mutually_exclusive`, `required_if`, …) are enforced by engine/load/rules.ts, and the result
 * carries canonical names only.
 *
 * @example
 * ```ts
 * const args = resolveArgs(aptModule, { name: 'git', update_cache: 'yes' }, pos)
 * // → { name: 'git', update_cache: true, state: 'present', … defaults }
 * ```
 */
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv'
import { createHash } from 'node:crypto'
import { createRequire } from 'node:module'
import type { TSchema } from '@sinclair/typebox'
import type { ModuleArgs } from '../argtypes.js'
import type { ModuleDef } from '../module.js'
import { UserError } from '../errors.js'
import type { SourcePos } from '../types.js'
import { describeValue } from './context.js'
import { toBool } from './keywords.js'
import { renderedText } from '../expr/pyliteral.js'
import { didYouMean } from '../source/suggest.js'
import { bestPos, keyPos, mergePositioned, posOf } from '../source/positions.js'
import { canonicalArgs, checkRules } from './rules.js'
import { aliasesOf, namesNotTaken } from '../argrules.js'
import { VaultLocked } from '../vaultlocked.js'
import { precompiledValidators } from './precompiled.js'

type Schema = Record<string, unknown>

/** ajv options, shared with the build step that precompiles validators (scripts/validators.mjs). */
export const AJV_OPTIONS = {
  allErrors: true,
  strict: false,
  useDefaults: true,
  verbose: true,
  allowUnionTypes: true,
  validateSchema: false,
  // compiling ~20 module schemas dominates start-up when not precompiled; the optimizer costs more than it saves
  code: { optimize: false },
} as const
let ajv: Ajv | undefined

/**
 * A new ajv instance. ajv is loaded here, on first use, not at start: the bundle's modules come with precompiled
 * validators (which need only ajv's small runtime helpers), so most runs never load the compiler.
 */
export function newAjv(options: ConstructorParameters<typeof Ajv>[0]): Ajv {
  requireHere ??= createRequire(import.meta.url)
  const { Ajv: AjvClass } = requireHere('ajv') as typeof import('ajv')
  return new AjvClass(options)
}
const compiled = new WeakMap<object, ValidateFunction>()

/** A short fingerprint of a schema, so a stale precompiled validator is never used. */
export function schemaHash(schema: unknown): string {
  return createHash('sha1').update(JSON.stringify(schema)).digest('hex').slice(0, 16)
}

/** One module's precompiled validator: the validator under the module's name, and the hash of its schema. */
type Precompiled = Record<string, ValidateFunction> & { __hash?: string }
const precompiled = new Map<string, Precompiled | null>()
let requireHere: NodeJS.Require | undefined

/** The validator `npm run build` precompiled for one module, if this code runs from the bundle. */
function loadPrecompiled(name: string): Precompiled | null {
  let pre = precompiled.get(name)
  if (pre === undefined) {
    const load = Object.hasOwn(precompiledValidators, name) ? precompiledValidators[name] : undefined
    pre = load ? (load() as Precompiled) : null
    precompiled.set(name, pre)
  }
  return pre
}

function validatorFor<S extends TSchema>(module: ModuleDef<S, unknown>): ValidateFunction {
  let v = compiled.get(module.schema)
  if (!v) {
    const pre = loadPrecompiled(module.name)
    const fn = pre?.[module.name]
    if (fn && pre?.__hash === schemaHash(module.schema)) v = fn
    else v = (ajv ??= newAjv(AJV_OPTIONS)).compile(module.schema as Schema)
    compiled.set(module.schema, v)
  }
  return v
}

/**
 * Does this value (deep) contain a `{{ … }}` or `{% … %}` template, or a vaulted value kept encrypted (no vault
 * password): a value known only when the task runs?
 */
export function hasTemplate(v: unknown): boolean {
  if (v instanceof VaultLocked) return true
  if (typeof v === 'string') return v.includes('{{') || v.includes('{%')
  if (Array.isArray(v)) return v.some(hasTemplate)
  if (typeof v === 'object' && v !== null) return Object.values(v).some(hasTemplate)
  return false
}

/** `acceptedTypes` per schema object (schemas do not change; every task's arguments are coerced with them). */
const typesCache = new WeakMap<object, ReadonlySet<string>>()

/** The JSON types a schema accepts (following anyOf/oneOf), for coercion and messages. */
function acceptedTypes(s: Schema | undefined): ReadonlySet<string> {
  if (!s || typeof s !== 'object') return new Set()
  let out = typesCache.get(s)
  if (!out) typesCache.set(s, (out = typesOf(s)))
  return out
}

function typesOf(s: Schema): Set<string> {
  const out = new Set<string>()
  const t = s.type
  if (typeof t === 'string') out.add(t)
  else if (Array.isArray(t)) t.forEach((x) => out.add(String(x)))
  if ('const' in s) out.add(s.const === null ? 'null' : typeof s.const)
  if (Array.isArray(s.enum)) s.enum.forEach((e) => out.add(e === null ? 'null' : typeof e))
  for (const k of ['anyOf', 'oneOf'] as const) {
    const list = s[k]
    if (Array.isArray(list)) list.forEach((b) => acceptedTypes(b as Schema).forEach((x) => out.add(x)))
  }
  if (out.size === 0 && Object.keys(s).every((k) => k === 'description' || k === 'default' || k === 'secret'))
    out.add('any')
  return out
}

/** Ansible-style coercion of one value to what the schema wants; returns the same value when nothing applies. */
export function coerce(schema: Schema | undefined, v: unknown): unknown {
  if (!schema || typeof schema !== 'object') return v
  const types = acceptedTypes(schema)
  if (types.has('any')) return v
  if (typeof v === 'string' && !types.has('string')) {
    if (types.has('boolean') && toBool(v) !== undefined) return toBool(v)
    if ((types.has('integer') || types.has('number')) && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v)
    if (types.has('array') && !hasTemplate(v)) {
      // Ansible's list type splits a string at its commas; each element is then coerced (`status_code: "200,403"`)
      const parts = v
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
      const items = itemSchema(schema)
      return items ? parts.map((x) => coerce(items, x)) : parts
    }
  }
  if (typeof v === 'number' && types.has('string') && !types.has('number') && !types.has('integer')) return String(v)
  // a boolean where text is wanted (`creates: yes`) is Python's str() of it, as Ansible converts it
  if (typeof v === 'boolean' && types.has('string') && !types.has('boolean')) return v ? 'True' : 'False'
  // a list or map a rendered text became (`line: "[{{ port }}]"` gives [80]) is that text where text is wanted
  if (v !== null && typeof v === 'object' && types.has('string') && !types.has('array') && !types.has('object'))
    return renderedText(v) ?? v
  if (
    typeof v === 'number' &&
    types.has('boolean') &&
    !types.has('number') &&
    !types.has('integer') &&
    toBool(v) !== undefined
  )
    return toBool(v)
  if (Array.isArray(v)) {
    const items = itemSchema(schema)
    return items ? v.map((x) => coerce(items, x)) : v
  }
  if (typeof v === 'object' && v !== null) {
    const props = propsOf(schema)
    if (!props) return v
    const out: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v)) out[k] = coerce(props[k] as Schema | undefined, x)
    return out
  }
  return v
}

function itemSchema(s: Schema): Schema | undefined {
  if (s.items && typeof s.items === 'object') return s.items as Schema
  for (const b of [...((s.anyOf as Schema[]) ?? []), ...((s.oneOf as Schema[]) ?? [])]) {
    if (b.type === 'array' && b.items) return b.items as Schema
  }
  return undefined
}

function propsOf(s: Schema): Record<string, unknown> | undefined {
  if (s.properties && typeof s.properties === 'object') return s.properties as Record<string, unknown>
  return undefined
}

/** Words for what a schema accepts: `one of "present", "absent"`, `a boolean`, `a string or a list`. */
export function describeSchema(s: Schema | undefined): string {
  if (!s) return 'a value'
  if ('const' in s) return JSON.stringify(s.const)
  if (Array.isArray(s.enum)) return `one of ${s.enum.map((e) => JSON.stringify(e)).join(', ')}`
  const branches = (s.anyOf ?? s.oneOf) as Schema[] | undefined
  if (Array.isArray(branches)) {
    if (branches.every((b) => 'const' in b)) return `one of ${branches.map((b) => JSON.stringify(b.const)).join(', ')}`
    // `x or a list of x`: the list's items named once ("a string, true or false, or a list of those")
    const items = branches.find((b) => b.type === 'array')?.items as Schema | undefined
    const others = branches.filter((b) => b.type !== 'array')
    const inner = (items?.anyOf ?? items?.oneOf ?? (items ? [items] : undefined)) as Schema[] | undefined
    const same =
      items !== undefined &&
      (JSON.stringify(inner) === JSON.stringify(others) || JSON.stringify([items]) === JSON.stringify(others))
    const several = same && describeSchema(items).includes(' or ')
    const words = [...others.map(describeSchema), ...(several ? ['a list of those'] : [])]
    if (!several) words.push(...branches.filter((b) => b.type === 'array').map(describeSchema))
    return words.length > 2 ? `${words.slice(0, -1).join(', ')}, or ${words[words.length - 1]}` : words.join(' or ')
  }
  switch (s.type) {
    case 'string':
      return 'a string'
    case 'boolean':
      return 'true or false'
    case 'integer':
      return 'a whole number'
    case 'number':
      return 'a number'
    case 'array':
      return s.items ? `a list of ${describeSchema(s.items as Schema).replace(/^an? /, '')}s` : 'a list'
    case 'object':
      return 'a map'
    case 'null':
      return 'an empty value'
  }
  return 'a value'
}

/** For a list that a union refuses: which item its list branch does not take (`: item 3 is a map`), else ''. */
function badItem(schema: Schema | undefined, value: unknown): string {
  if (!Array.isArray(value) || !schema) return ''
  const list = [...((schema.anyOf as Schema[]) ?? []), ...((schema.oneOf as Schema[]) ?? [])].find(
    (b) => b.type === 'array',
  )
  const types = acceptedTypes(list?.items as Schema | undefined)
  if (types.size === 0 || types.has('any')) return ''
  const i = value.findIndex((x) => !types.has(jsonType(x)) && !(jsonType(x) === 'integer' && types.has('number')))
  return i < 0 ? '' : ` (item ${i + 1} is ${describeValue(value[i], false)})`
}

function jsonType(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number'
  return typeof v === 'object' ? 'object' : typeof v
}

/** Follow a JSON pointer (`/a/0/b`) into a value: [parent, key, value]. */
function follow(root: unknown, pointer: string): [unknown, string | number | undefined, unknown] {
  if (!pointer) return [undefined, undefined, root]
  const parts = pointer
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
  let parent: unknown
  let key: string | number | undefined
  let cur = root
  for (const p of parts) {
    parent = cur
    key = Array.isArray(cur) ? Number(p) : p
    cur = typeof cur === 'object' && cur !== null ? (cur as Record<string, unknown>)[p] : undefined
  }
  return [parent, key, cur]
}

function isSecret(s: unknown): boolean {
  return typeof s === 'object' && s !== null && (s as Schema).secret === true
}

/**
 * ajv errors → user errors. `raw` is the uncoerced value (holding source positions); `skipTemplated` drops
 * errors about templated values (load time).
 */
function toUserErrors(
  module: ModuleDef,
  errs: ErrorObject[],
  raw: unknown,
  pos: SourcePos,
  skipTemplated: boolean,
): UserError[] {
  const out: UserError[] = []
  const unionPaths = errs.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => e.schemaPath)
  const seen = new Set<string>()
  for (const e of errs) {
    if (unionPaths.some((p) => e.schemaPath.startsWith(`${p}/`))) continue
    const [parent, key, value] = follow(raw, e.instancePath)
    // argument names are known without rendering: only a templated value's type waits for run time
    const aboutNames = e.keyword === 'additionalProperties' || e.keyword === 'required'
    if (skipTemplated && !aboutNames && hasTemplate(value)) continue
    const field = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : ''
    const name = field ? `argument "${field}" of ${module.name}` : `arguments of ${module.name}`
    const where = parent !== undefined && key !== undefined ? bestPos(parent, key, pos) : (posOf(value) ?? pos)
    let msg: string
    let hint: string | undefined
    let at = where
    if (e.keyword === 'additionalProperties') {
      const extra = String((e.params as { additionalProperty: string }).additionalProperty)
      const allowed = Object.keys(((e.parentSchema as Schema)?.properties as object) ?? {})
      msg = `unknown argument "${field ? `${field}.` : ''}${extra}" for module ${module.name}`
      hint = didYouMean(extra, allowed) ?? (allowed.length ? `(allowed: ${allowed.join(', ')})` : undefined)
      at = keyPos(value, extra) ?? where
    } else if (e.keyword === 'required') {
      const missing = String((e.params as { missingProperty: string }).missingProperty)
      msg = `missing required argument "${field ? `${field}.` : ''}${missing}" for module ${module.name}`
      at = field ? where : pos
    } else {
      const schema = e.parentSchema as Schema
      const secret = isSecret(schema)
      msg = `${name} must be ${describeSchema(schema)}, found ${describeValue(value, secret)}${badItem(schema, value)}`
      if (typeof value === 'string' && !secret) {
        const choices = Array.isArray(schema?.enum)
          ? schema.enum
          : ((schema?.anyOf as Schema[]) ?? []).filter((b) => 'const' in b).map((b) => b.const)
        hint = didYouMean(
          value,
          choices.filter((c): c is string => typeof c === 'string'),
        )
      }
      if (
        e.keyword !== 'type' &&
        e.keyword !== 'enum' &&
        e.keyword !== 'const' &&
        e.keyword !== 'anyOf' &&
        e.keyword !== 'oneOf'
      ) {
        msg = `${name}: ${e.message ?? 'is invalid'}`
      }
    }
    const id = `${msg}@${at.line}:${at.col}`
    if (seen.has(id)) continue
    seen.add(id)
    out.push(new UserError(msg, at, hint))
  }
  return out
}

/**
 * The arguments without those written with no value (`chdir:`, `mode: ~`, or a template that gave None) where the
 * argument takes no empty value: as in Ansible, such an argument counts as not given, and its default applies.
 */
function withoutNulls(module: ModuleDef, args: Record<string, unknown>): Record<string, unknown> {
  const props = (module.schema as { properties?: Record<string, Schema> }).properties
  let anyNull = false
  for (const k in args) if (args[k] === null) anyNull = true // runs for every task on every host: no copies
  if (!props || !anyNull) return args
  const aliases = aliasesOf(module.schema)
  const empty = Object.keys(args).filter((k) => {
    const p = args[k] === null ? props[aliases.get(k) ?? k] : undefined
    const types = p ? acceptedTypes(p) : undefined
    return types !== undefined && !types.has('null') && !types.has('any')
  })
  if (!empty.length) return args
  const kept = mergePositioned(args) // a copy that keeps where each argument is written
  for (const k of empty) delete kept[k]
  return kept
}

/**
 * The arguments of a module that ignores those it does not know (`ignoresUnknownArgs`), without them, and their
 * names; any other module's as they are. Either way without the empty ones (`withoutNulls`).
 */
function withoutIgnored(module: ModuleDef, written: Record<string, unknown>) {
  const args = withoutNulls(module, written)
  if (!module.ignoresUnknownArgs) return { args, ignored: [] }
  const ignored = namesNotTaken(module.schema, args)
  if (!ignored.length) return { args, ignored }
  const kept = mergePositioned(args) // a copy that keeps where each argument is written
  for (const k of ignored) delete kept[k]
  return { args: kept, ignored }
}

/**
 * Load-time check: the canonical arguments (aliases resolved, positions kept), every mistake as a `UserError`, and
 * the names of the arguments the module ignores (`ignoresUnknownArgs`).
 */
export function checkArgs(
  module: ModuleDef,
  written: Record<string, unknown>,
  pos: SourcePos,
): { args: Record<string, unknown>; errors: UserError[]; ignored: string[] } {
  const { args, ignored } = withoutIgnored(module, written)
  const canon = canonicalArgs(module.schema, args, pos, module.name)
  const v = validatorFor(module)
  const data = cloneData(coerce(module.schema as Schema, canon.args)) as Record<string, unknown>
  const errors = [...canon.errors]
  if (!v(data)) errors.push(...toUserErrors(module, v.errors ?? [], canon.args, pos, true))
  errors.push(...checkRules(module.schema, canon.args, data, pos, module.name, false))
  return { args: canon.args, errors, ignored }
}

/** Load-time validation: every mismatch as a `UserError`; templated values are not type-checked (names always are). */
export function validateArgs(module: ModuleDef, args: Record<string, unknown>, pos: SourcePos): UserError[] {
  return checkArgs(module, args, pos).errors
}

/**
 * `structuredClone` of arguments (the validator fills defaults in, and must not touch the task's own), with plain
 * objects, arrays and primitives copied directly: a task's arguments are that, and this runs for every task on
 * every host. Anything else (other objects, an object met twice: a YAML alias) goes through `structuredClone`.
 *
 * @example
 * ```ts
 * cloneData({ path: '/x', mode: ['0644'] }) // a deep copy
 * ```
 */
export function cloneData<T>(v: T): T {
  const seen = new Set<object>()
  const copy = (x: unknown): unknown => {
    if (typeof x !== 'object' || x === null) {
      if (typeof x === 'function' || typeof x === 'symbol') throw SLOW
      return x
    }
    if (seen.has(x)) throw SLOW
    seen.add(x)
    const proto = Object.getPrototypeOf(x) as unknown
    if (Array.isArray(x)) {
      if (proto !== Array.prototype || Object.keys(x).length !== x.length) throw SLOW
      return x.map(copy)
    }
    if (proto !== Object.prototype && proto !== null) throw SLOW
    const out: Record<string, unknown> = {}
    for (const [k, y] of Object.entries(x)) out[k] = copy(y)
    return out
  }
  try {
    return copy(v) as T
  } catch (e) {
    if (e !== SLOW) throw e
    return structuredClone(v)
  }
}

const SLOW = Symbol('structuredClone')

/**
 * Run-time: resolve aliases, coerce, validate, enforce the schema's rules and fill defaults (the one place
 * defaults are applied). Throws a `UserError` naming the task position on mismatch. Returns a new object with
 * canonical names; `args` is not changed.
 */
export function resolveArgs<S extends TSchema>(
  module: ModuleDef<S, unknown>,
  args: Record<string, unknown>,
  pos: SourcePos,
): ModuleArgs<S> {
  const v = validatorFor(module)
  const canon = canonicalArgs(module.schema, withoutIgnored(module, args).args, pos, module.name)
  const data = cloneData(coerce(module.schema as Schema, canon.args)) as Record<string, unknown>
  const errs = [...canon.errors]
  if (!v(data)) {
    errs.push(...toUserErrors(module, v.errors ?? [], canon.args, pos, false))
    if (errs.length === 0) throw new UserError(`invalid arguments for module ${module.name}`, pos)
  }
  errs.push(...checkRules(module.schema, canon.args, data, pos, module.name, true))
  // validated against the schema with its defaults filled in: that is what ModuleArgs<S> describes
  if (errs.length === 0) return data as ModuleArgs<S>
  if (errs.length === 1) throw errs[0]
  throw new UserError(errs.map((e) => e.message + (e.hint ? ` ${e.hint}` : '')).join('; '), errs[0].pos ?? pos)
}
