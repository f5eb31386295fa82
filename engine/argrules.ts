/**
 * Argument rules a module declares in its schema, as Ansible's `argument_spec` does: `aliases` on a property,
 * and on the object `mutually_exclusive`, `required_one_of`, `required_together`, `required_if`, `required_by`.
 * They are plain keywords on the TypeBox schema (ajv ignores them); one checker enforces them
 * (engine/load/rules.ts) at load time and again after templating, `tsplay doc` lists them and the editor schema
 * carries them as JSON Schema.
 *
 * @example
 * ```ts
 * const Args = Type.Object({
 *   path: Type.String({ aliases: ['dest', 'name'] }),
 *   line: Type.Optional(Type.String()),
 *   state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')], { default: 'present' })),
 * }, { additionalProperties: false, ...argRules({ required_if: [['state', 'present', ['line']]] }) })
 * ```
 */

/** `[key, value, needed]`: when `key` is `value`, every name in `needed` is required; with `true` last, one of them. */
export type RequiredIf =
  readonly [string, unknown, readonly string[]] | readonly [string, unknown, readonly string[], boolean]

/** The object-level rules (Ansible's names and meanings). */
export interface ArgRules {
  /** No two of each group may be given together. */
  mutually_exclusive?: readonly (readonly string[])[]
  /** At least one of each group must be given. */
  required_one_of?: readonly (readonly string[])[]
  /** Each group is given all together or not at all. */
  required_together?: readonly (readonly string[])[]
  required_if?: readonly RequiredIf[]
  /** When the key is given, every name in its list is required too. */
  required_by?: Readonly<Record<string, readonly string[]>>
}

export const RULE_KEYS = [
  'mutually_exclusive',
  'required_one_of',
  'required_together',
  'required_if',
  'required_by',
] as const

/** Schema options declaring rules (spread into `Type.Object`'s options; typed so mistakes fail to compile). */
export function argRules(rules: ArgRules): ArgRules {
  return rules
}

type Schema = Record<string, unknown>

/** The rules declared on an object schema. */
export function rulesOf(schema: unknown): ArgRules {
  const s = (schema ?? {}) as Schema
  const out: ArgRules = {}
  for (const k of RULE_KEYS)
    if (Array.isArray(s[k]) || (k === 'required_by' && s[k])) (out as Record<string, unknown>)[k] = s[k]
  return out
}

/** Alias → canonical name, for the top-level properties of an object schema. */
export function aliasesOf(schema: unknown): Map<string, string> {
  const out = new Map<string, string>()
  const props = ((schema ?? {}) as Schema).properties as Record<string, Schema> | undefined
  for (const [name, p] of Object.entries(props ?? {})) {
    const list = p?.aliases
    if (Array.isArray(list)) for (const a of list) out.set(String(a), name)
  }
  return out
}

/**
 * The names in `args` an object schema takes neither as a property nor as an alias; none when the schema takes any
 * name (`additionalProperties`: set_fact's variables, add_host's host variables).
 */
export function namesNotTaken(schema: unknown, args: Record<string, unknown>): string[] {
  const s = (schema ?? {}) as Schema
  if (s.additionalProperties !== undefined && s.additionalProperties !== false) return []
  const props = (s.properties ?? {}) as Record<string, unknown>
  const aliases = aliasesOf(schema)
  return Object.keys(args).filter((k) => !Object.hasOwn(props, k) && !aliases.has(k))
}

/** Rules as short sentences, for `tsplay doc` and docs/modules.md. */
export function describeRules(schema: unknown): string[] {
  const r = rulesOf(schema)
  const q = (names: readonly string[]) => names.map((n) => `\`${n}\``).join(', ')
  const out: string[] = []
  for (const g of r.mutually_exclusive ?? []) out.push(`${q(g)}: at most one of them`)
  for (const g of r.required_one_of ?? []) out.push(`${q(g)}: at least one of them is required`)
  for (const g of r.required_together ?? []) out.push(`${q(g)}: all or none of them`)
  for (const [key, value, needed, any] of r.required_if ?? []) {
    out.push(
      `when \`${key}\` is ${JSON.stringify(value)}: ` +
        `${any ? `one of ${q(needed)} is` : `${q(needed)} ${needed.length > 1 ? 'are' : 'is'}`} required`,
    )
  }
  for (const [key, needed] of Object.entries(r.required_by ?? {}))
    out.push(`with \`${key}\`: ${q(needed)} ${needed.length > 1 ? 'are' : 'is'} required`)
  return out
}
