/**
 * A module's documentation, read from its definition (the TypeBox schema and the documented fields of
 * `ModuleDef`) and rendered as terminal text (`tsplay doc MODULE`) or Markdown (docs/modules.md). One source: the
 * arguments table comes from the same schema that validates the arguments and feeds the editor schema.
 *
 * @example
 * ```ts
 * argumentRows(apt.schema)[1] // { name: 'state', type: 'string', default: '"present"', choices: ['present', …], … }
 * ```
 */
import { describeRules } from '../argrules.js'
import type { ModuleDef } from '../module.js'
import { plain, type JsonSchema } from './json.js'
import { spellingsOf } from './playbook.js'

/** One row of a module's arguments table. */
export interface ArgumentRow {
  name: string
  /** `string`, `boolean`, `integer ≥ 0`, `string or list of strings`, … */
  type: string
  /** The default as YAML-ish text (`"present"`, `false`), or '' when there is none. */
  default: string
  choices: string[]
  description: string
  required: boolean
  /** Other names the argument may be given under (`dest`, `name` for `path`). */
  aliases?: string[]
  secret: boolean
}

/** Words for the JSON type(s) a schema accepts, without the choices. */
export function typeWords(s: JsonSchema): string {
  const union = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined
  if (Array.isArray(union)) {
    const words = [...new Set(union.map(typeWords))]
    return words.join(' or ')
  }
  if ('const' in s) return typeof s.const === 'string' ? 'string' : typeof s.const
  const t = s.type
  if (Array.isArray(t)) return t.join(' or ')
  const range = [s.minimum !== undefined ? `≥ ${s.minimum}` : '', s.maximum !== undefined ? `≤ ${s.maximum}` : '']
    .filter(Boolean)
    .join(', ')
  switch (t) {
    case 'integer':
    case 'number':
      return range ? `${t} ${range}` : String(t)
    case 'array':
      return s.items ? `list of ${typeWords(s.items as JsonSchema).replace(/ or /g, '/')}s` : 'list'
    case 'object':
      return 'map'
    case undefined:
      return 'any'
  }
  return String(t)
}

function choicesOf(s: JsonSchema): string[] {
  const union = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined
  const values = Array.isArray(s.enum)
    ? s.enum
    : Array.isArray(union)
      ? union.filter((b) => 'const' in b).map((b) => b.const)
      : []
  return values.map((v) => String(v))
}

/** The arguments table of a module schema, in the schema's order. */
export function argumentRows(schema: unknown): ArgumentRow[] {
  const s = plain(schema) as JsonSchema
  const props = (s.properties ?? {}) as Record<string, JsonSchema>
  const required = new Set((s.required as string[] | undefined) ?? [])
  return Object.entries(props).map(([name, p]) => ({
    name,
    type: typeWords(p),
    default: p.default === undefined ? '' : JSON.stringify(p.default),
    choices: choicesOf(p),
    description: String(p.description ?? ''),
    required: required.has(name),
    ...(Array.isArray(p.aliases) && p.aliases.length ? { aliases: p.aliases.map(String) } : {}),
    secret: p.secret === true,
  }))
}

const CHECK_WORDS: Record<ModuleDef['check'], string> = {
  full: 'full — --check predicts exactly what a run would change',
  partial: 'partial — --check reports some changes; see the description',
  none: 'none — skipped under --check',
}

/** What a module's doc says beyond the table. */
export interface ModuleSummary {
  name: string
  spellings: string[]
  summary: string
  freeForm?: string
  changedWhen: string
  check: string
  controllerOnly: boolean
  example: string
  /** Free text of the schema's own description (e.g. set_fact's "Variable names and their values"). */
  extra?: string
  /** Any keys beyond the listed arguments are accepted. */
  openArgs: boolean
  /** The schema's argument rules as sentences (`mutually_exclusive`, `required_if`, …). */
  rules: string[]
}

/** The documented summary of a module. */
export function moduleSummary(def: ModuleDef): ModuleSummary {
  const s = plain(def.schema) as JsonSchema
  return {
    name: def.name,
    spellings: spellingsOf(def),
    summary: def.summary,
    freeForm: def.freeForm,
    changedWhen: def.changedWhen,
    check: CHECK_WORDS[def.check],
    controllerOnly: def.controllerOnly === true,
    example: exampleYaml(def.example),
    extra: typeof s.description === 'string' ? s.description : undefined,
    openArgs: s.additionalProperties !== false,
    rules: describeRules(s),
  }
}

/** The example as a YAML task list item (modules write it with or without the leading `- `). */
export function exampleYaml(example: string): string {
  const text = example.replace(/^\n+|\s+$/g, '')
  if (text.startsWith('- ')) return text
  return text
    .split('\n')
    .map((l, i) => (i === 0 ? `- ${l}` : `  ${l}`))
    .join('\n')
}

/** "required", "one of path/dest/name", "secret": the notes column. */
export function rowNotes(r: ArgumentRow): string[] {
  const notes: string[] = []
  if (r.required) notes.push('required')
  if (r.aliases) notes.push(`aliases: ${r.aliases.join(', ')}`)
  if (r.secret) notes.push('secret: never shown')
  return notes
}
