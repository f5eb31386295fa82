/**
 * Small JSON Schema (draft-07) building blocks shared by the playbook, tasks, vars and inventory schemas:
 * the "this is a template" branch and the Ansible-style spellings tsplay accepts for booleans and numbers
 * (mirroring the loader's coercion in engine/load/args.ts and engine/load/keywords.ts).
 *
 * @example
 * ```ts
 * boolish('Run with sudo', false) // { description, default: false, anyOf: [boolean, "yes"/"no"…, 0/1] }
 * ```
 */

/** A plain JSON Schema object (no TypeBox symbols). */
export type JsonSchema = Record<string, unknown>

export const DRAFT_07 = 'http://json-schema.org/draft-07/schema#'

/** A string holding a `{{ … }}` or `{% … %}` template (checked after templating, at run time). */
export const TEMPLATE: JsonSchema = {
  type: 'string',
  pattern: '\\{\\{|\\{%',
  description: 'A template, checked once rendered',
}

/** The spellings of true/false tsplay accepts (see `toBool`), so `become: yes` completes and validates. */
export const BOOL_WORDS = [
  'yes',
  'no',
  'true',
  'false',
  'on',
  'off',
  'y',
  'n',
  'Yes',
  'No',
  'True',
  'False',
  'YES',
  'NO',
  'On',
  'Off',
]

/** The branches of a boolean: YAML booleans, Ansible's words, and 0/1. */
export function boolBranches(): JsonSchema[] {
  return [{ type: 'boolean' }, { type: 'string', enum: BOOL_WORDS }, { type: 'integer', enum: [0, 1] }]
}

/** A digits-only string, as the loader turns `"3600"` into 3600. */
export const NUMERIC_STRING: JsonSchema = { type: 'string', pattern: '^\\s*-?\\d+(\\.\\d+)?\\s*$' }

/** Attach a description (and default) to a schema; an undefined default is left out. */
export function doc(description: string, schema: JsonSchema, dflt?: unknown): JsonSchema {
  return dflt === undefined ? { description, ...schema } : { description, default: dflt, ...schema }
}

/** A boolean keyword (templates are not accepted: the loader needs the value before any host is contacted). */
export function boolish(description: string, dflt?: unknown): JsonSchema {
  return doc(description, { anyOf: boolBranches() }, dflt)
}

/** A boolean keyword that may also be a template, rendered at run time (`become: "{{ use_sudo }}"`). */
export function boolOrTemplate(description: string, dflt?: unknown): JsonSchema {
  return doc(description, { anyOf: [...boolBranches(), { type: 'string', pattern: '\\{\\{' }] }, dflt)
}

/** A whole-number keyword ≥ `min` (a digits-only string is fine, a template too when `templated`). */
export function intish(description: string, min = 0, dflt?: unknown, templated = false): JsonSchema {
  return doc(
    description,
    {
      anyOf: [
        { type: 'integer', minimum: min },
        { type: 'string', pattern: '^\\s*\\d+\\s*$' },
        ...(templated ? [TEMPLATE] : []),
      ],
    },
    dflt,
  )
}

/** A string, or a list of strings. */
export function stringOrList(description: string): JsonSchema {
  return doc(description, {
    anyOf: [
      { type: 'string' },
      { type: 'number' },
      { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'number' }] } },
    ],
  })
}

/** A condition (an expression without `{{ }}`), a boolean, or a list of them. */
export function conditions(description: string): JsonSchema {
  const one = { anyOf: [{ type: 'string' }, { type: 'boolean' }, { type: 'number' }] }
  return doc(description, { anyOf: [...one.anyOf, { type: 'array', items: one }] })
}

/** A map of variable names to any values. */
export function varsMap(description: string): JsonSchema {
  return doc(description, { type: 'object', propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' } })
}

/**
 * "Has key `key`", written so ajv's strictRequired accepts it inside `anyOf`/`if` (the property is declared
 * in the same schema object).
 */
export function has(key: string): JsonSchema {
  return { properties: { [key]: true }, required: [key] }
}

/** A deep copy through JSON: drops TypeBox's symbol keys and anything JSON cannot hold. */
export function plain<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T
}
