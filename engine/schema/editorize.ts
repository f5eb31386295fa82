/**
 * A module's TypeBox argument schema → the JSON Schema an editor uses for that module's arguments.
 *
 * The result accepts what `tsplay validate` accepts at load time (engine/load/args.ts), no more:
 * - a templated value (`"{{ x }}"`) wherever a number, boolean, list, map or choice is expected;
 * - Ansible's coercions: `yes`/`no`/`on`/`off` for booleans, digit strings for numbers, a comma-separated string
 *   for a list, a number for a string;
 * - unions of string literals become `enum` (editors offer them as completions);
 * - an argument's aliases are accepted beside it, and the schema's rules (`mutually_exclusive`, `required_one_of`,
 *   `required_together`, `required_if`) become `not`/`anyOf`/`dependencies`/`if`-`then`, so the editor flags them.
 * TypeBox's symbol keys are dropped; the non-standard `secret` becomes the standard `writeOnly` plus a note in the
 * description, `shellTemplate` becomes a note; so ajv's strict mode compiles the result.
 *
 * @example
 * ```ts
 * editorArgs(apt.schema).properties.update_cache
 * // { description: 'Run `apt-get update` first …', default: false, anyOf: [boolean, "yes"/"no"…, 0/1, template] }
 * ```
 */
import { aliasesOf, rulesOf } from '../argrules.js'
import { boolBranches, has, NUMERIC_STRING, plain, TEMPLATE, type JsonSchema } from './json.js'

/** Keys that describe a value rather than constrain it: kept on the outer node for hover text. */
const ANNOTATIONS = ['description', 'default', 'examples', 'title'] as const
/** Keys that constrain a value of one JSON type, kept with that type's branch. */
const TYPE_KEYS: Record<string, readonly string[]> = {
  string: ['minLength', 'maxLength', 'pattern', 'format'],
  integer: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'],
  number: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'],
  array: ['minItems', 'maxItems', 'uniqueItems'],
  object: ['minProperties', 'maxProperties', 'required'],
}
const NOTES: Record<string, string> = {
  secret: 'Secret: never logged or shown.',
  shellTemplate: 'Templated values are inserted shell-quoted.',
}

/** The editor schema for a module's whole argument map (an object schema), with its aliases and rules. */
export function editorArgs(typebox: unknown): JsonSchema {
  const s = plain(typebox) as JsonSchema
  const out = objectBranch(s)
  const spellings = new Map<string, string[]>()
  const props = (out.properties ?? {}) as Record<string, JsonSchema>
  for (const [alias, name] of aliasesOf(s)) {
    spellings.set(name, [...(spellings.get(name) ?? [name]), alias])
    if (props[name]) props[alias] = { ...props[name], description: `Alias of \`${name}\`.` }
  }
  const all: JsonSchema[] = []
  const required = ((s.required as string[] | undefined) ?? []).filter((r) => {
    if (!spellings.has(r)) return true
    all.push({ anyOf: spellings.get(r)!.map(has) }) // required under any of its spellings
    return false
  })
  if (required.length) out.required = required
  else delete out.required
  all.push(...ruleSchemas(s, (n) => spellings.get(n) ?? [n]))
  if (all.length) out.allOf = all
  if (typeof s.description === 'string') out.description = s.description
  return out
}

/** The schema's argument rules (`mutually_exclusive`, `required_one_of`, …, `required_by`) as JSON Schema. */
function ruleSchemas(s: JsonSchema, spell: (name: string) => string[]): JsonSchema[] {
  const r = rulesOf(s)
  const out: JsonSchema[] = []
  const hasAny = (name: string): JsonSchema => ({ anyOf: spell(name).map(has) })
  for (const g of r.mutually_exclusive ?? []) {
    for (let i = 0; i < g.length; i++)
      for (let j = i + 1; j < g.length; j++) out.push({ not: { allOf: [hasAny(g[i]), hasAny(g[j])] } })
  }
  for (const g of r.required_one_of ?? []) out.push({ anyOf: g.flatMap(spell).map(has) })
  for (const g of r.required_together ?? []) {
    if (g.every((n) => spell(n).length === 1))
      out.push({ dependencies: Object.fromEntries(g.map((n) => [n, g.filter((m) => m !== n)])) })
  }
  const props = (s.properties ?? {}) as Record<string, JsonSchema>
  for (const [key, value, needed, anyOf] of r.required_if ?? []) {
    const is: JsonSchema = { properties: { [key]: { const: value } }, required: [key] }
    const when = props[key]?.default === value ? { anyOf: [is, { not: has(key) }] } : is
    out.push({ if: when, then: anyOf ? { anyOf: needed.map(hasAny) } : { allOf: needed.map(hasAny) } })
  }
  for (const [key, needed] of Object.entries(r.required_by ?? {}))
    out.push({ if: hasAny(key), then: { allOf: needed.map(hasAny) } })
  return out
}

/** One argument's editor schema: annotations outside, the accepted shapes in `anyOf` (with the template branch). */
export function editorValue(s: JsonSchema): JsonSchema {
  const out: JsonSchema = {}
  for (const k of ANNOTATIONS) if (k in s) out[k] = s[k]
  const notes = Object.keys(NOTES)
    .filter((k) => s[k] === true)
    .map((k) => NOTES[k])
  if (notes.length) out.description = [out.description, ...notes].filter(Boolean).join(' ')
  if (s.secret === true) out.writeOnly = true
  const branches = shapes(s)
  if (branches === undefined) return out // any value
  const needsTemplate = !branches.some((b) => b.type === 'string' && Object.keys(b).length === 1)
  const all = needsTemplate ? [...branches, TEMPLATE] : branches
  if (all.length === 1) return { ...out, ...all[0] }
  return { ...out, anyOf: all }
}

/** The accepted shapes of a value, flattened; `undefined` means anything. */
function shapes(s: JsonSchema): JsonSchema[] | undefined {
  const union = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined
  if (Array.isArray(union)) {
    const consts = union.filter((b) => 'const' in b).map((b) => b.const)
    const rest = union.filter((b) => !('const' in b))
    const out: JsonSchema[] = consts.length ? [{ enum: consts }] : []
    for (const b of rest) {
      const inner = shapes(b)
      if (inner === undefined) return undefined
      out.push(...inner)
    }
    return dedupe(out)
  }
  if ('const' in s) return [{ enum: [s.const] }]
  if (Array.isArray(s.enum)) return [{ enum: s.enum }]
  const type = s.type
  if (Array.isArray(type)) return dedupe(type.flatMap((t) => shapes({ ...s, type: t }) ?? []))
  switch (type) {
    case 'boolean':
      return boolBranches()
    case 'integer':
    case 'number':
      return [pick(s, type), NUMERIC_STRING]
    case 'string':
      return [pick(s, 'string'), { type: 'number' }]
    case 'null':
      return [{ type: 'null' }]
    case 'array':
      return [
        { ...pick(s, 'array'), ...(s.items ? { items: editorValue(s.items as JsonSchema) } : {}) },
        { type: 'string' },
      ]
    case 'object':
      return [objectBranch(s)]
  }
  return undefined
}

/** An object schema with every property (and pattern property) made editor-friendly. */
function objectBranch(s: JsonSchema): JsonSchema {
  const out: JsonSchema = pick(s, 'object')
  const props = s.properties as Record<string, JsonSchema> | undefined
  if (props) out.properties = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, editorValue(v)]))
  const pattern = s.patternProperties as Record<string, JsonSchema> | undefined
  if (pattern) out.patternProperties = Object.fromEntries(Object.entries(pattern).map(([k, v]) => [k, editorValue(v)]))
  if (typeof s.additionalProperties === 'boolean') out.additionalProperties = s.additionalProperties
  else if (s.additionalProperties && typeof s.additionalProperties === 'object') {
    out.additionalProperties = editorValue(s.additionalProperties as JsonSchema)
  }
  return out
}

/** `{type}` plus the constraints that belong to that type. */
function pick(s: JsonSchema, type: string): JsonSchema {
  const out: JsonSchema = { type }
  for (const k of TYPE_KEYS[type] ?? []) if (k in s) out[k] = s[k]
  return out
}

function dedupe(list: JsonSchema[]): JsonSchema[] {
  const seen = new Set<string>()
  return list.filter((b) => {
    const key = JSON.stringify(b)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
