/**
 * Role argument specs, as Ansible's `meta/argument_specs.yml` declares them: per role entry point (`main`),
 * `options.<name>` with `type` (str, int, float, bool, list, dict, path, raw), `choices`, `required`, `default`,
 * `description`, `elements`. This unit is pure: the option keys and types, and one check of a value against an
 * option (Ansible's conversions: `"80"` is an int, `yes` a bool, `"a,b"` a list). `tsplay validate` uses it on
 * the values written in the inventory, play vars and `-e`; the `validate_argument_spec` task the loader puts at the
 * start of such a role uses it on the rendered values, before any task of the role runs.
 *
 * @example
 * ```ts
 * checkOption({ type: 'int' }, 'eighty') // 'must be an int, found "eighty"'
 * checkOption({ type: 'int' }, '8080')   // undefined (fine)
 * ```
 */

/** The option types tsplay knows (Ansible's names). */
export const OPTION_TYPES = [
  'str',
  'int',
  'float',
  'bool',
  'list',
  'dict',
  'path',
  'raw',
  'json',
  'jsonarg',
  'bytes',
  'bits',
] as const
export type OptionType = (typeof OPTION_TYPES)[number]

/** The keys an option may have. */
export const OPTION_KEYS = [
  'type',
  'choices',
  'required',
  'default',
  'description',
  'elements',
  'aliases',
  'version_added',
  'no_log',
  'options',
  // accepted and not checked: deprecation notes and the spec-level rules
  'apply_defaults',
  'fallback',
  'removed_in_version',
  'removed_at_date',
  'removed_from_collection',
  'deprecated_aliases',
  'mutually_exclusive',
  'required_together',
  'required_one_of',
  'required_if',
  'required_by',
] as const

/** One option of a role's argument spec. */
export interface OptionSpec {
  type?: OptionType
  choices?: unknown[]
  required?: boolean
  default?: unknown
  description?: string | string[]
  elements?: OptionType
  aliases?: string[]
  /** Sub-options of a `dict` (or of each element of a list of dicts), checked as Ansible checks them. */
  options?: Record<string, OptionSpec>
}

const TRUE_WORDS = ['yes', 'on', 'true', '1', 'y', 't']
const FALSE_WORDS = ['no', 'off', 'false', '0', 'n', 'f']

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v)
  if (Array.isArray(v)) return 'a list'
  if (v !== null && typeof v === 'object') return 'a map'
  return String(v)
}

/** Python's `repr` of a YAML value (`None`, `True`, `[1, 'a']`, `{'k': 1}`): what Ansible's `str` conversion gives. */
function pythonText(v: unknown): string {
  if (v === null || v === undefined) return 'None'
  if (typeof v === 'boolean') return v ? 'True' : 'False'
  if (typeof v === 'string') return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
  if (Array.isArray(v)) return `[${v.map(pythonText).join(', ')}]`
  if (typeof v === 'object') {
    const items = Object.entries(v as Record<string, unknown>).map(([k, x]) => `${pythonText(k)}: ${pythonText(x)}`)
    return `{${items.join(', ')}}`
  }
  return String(v)
}

const UNITS = 'BKMGTPEZY'

/** A size as Ansible's `human_to_bytes` reads it (`10M` → 10485760; bits: `10Mb`), or undefined. */
function sizeOf(value: unknown, bits: boolean): { value: number } | undefined {
  if (typeof value === 'number') return { value: Math.trunc(value) }
  const m = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*$/.exec(value) : null
  if (!m) return undefined
  const unit = m[2]
  const expect = bits ? /^(?:[KMGTPEZY]?b|[KMGTPEZY]?bits?)?$/ : /^(?:[KMGTPEZYB]|[KMGTPEZY]B|bytes?)?$/
  if (!expect.test(unit)) return undefined
  const i = unit ? Math.max(0, UNITS.indexOf(unit[0].toUpperCase())) : 0
  return { value: Math.round(Number(m[1]) * 1024 ** i) }
}

/** `value` converted to `type` as Ansible converts role arguments, or an error text. */
export function convert(type: OptionType | undefined, value: unknown): { value: unknown } | { error: string } {
  const bad = (what: string) => ({ error: `must be ${what}, found ${show(value)}` })
  switch (type ?? 'raw') {
    case 'raw':
      return { value }
    case 'str':
    case 'path':
      // Ansible converts anything to its Python text, a map or a list too (`{'a': 1}`), with no error
      return { value: typeof value === 'string' ? value : pythonText(value) }
    case 'int':
      if (typeof value === 'number' && Number.isInteger(value)) return { value }
      if (typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value)) return { value: Number(value) }
      return bad('an int')
    case 'float':
      if (typeof value === 'number') return { value }
      if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
        return { value: Number(value) }
      return bad('a float')
    case 'bool': {
      if (typeof value === 'boolean') return { value }
      const w = String(value).toLowerCase()
      if ((typeof value === 'string' || typeof value === 'number') && TRUE_WORDS.includes(w)) return { value: true }
      if ((typeof value === 'string' || typeof value === 'number') && FALSE_WORDS.includes(w)) return { value: false }
      return bad('a bool (true/false, yes/no)')
    }
    case 'list':
      if (Array.isArray(value)) return { value }
      if (typeof value === 'string') return { value: value.split(',').map((s) => s.trim()) }
      if (typeof value === 'number') return { value: [String(value)] }
      return bad('a list')
    case 'dict':
      return value !== null && typeof value === 'object' && !Array.isArray(value) ? { value } : bad('a dict (a map)')
    case 'json':
    case 'jsonarg':
      return typeof value === 'string' ? { value } : { value: JSON.stringify(value) }
    case 'bytes':
    case 'bits':
      return sizeOf(value, type === 'bits') ?? bad(`a size (${type === 'bits' ? '10Mb' : '10M'}, or a number)`)
  }
}

/** Check one value against an option: `undefined` when fine, else what is wrong ("must be an int, found …"). */
export function checkOption(spec: OptionSpec, value: unknown): string | undefined {
  const c = convert(spec.type, value)
  if ('error' in c) return c.error
  const items = spec.type === 'list' && Array.isArray(c.value) ? c.value : undefined
  if (items && spec.elements) {
    for (const item of items) {
      const e = convert(spec.elements, item)
      if ('error' in e) return `has an element that ${e.error}`
    }
  }
  if (spec.choices?.length) {
    const list = items ?? [c.value]
    const wrong = list.find((v) => !spec.choices!.some((ch) => ch === v || String(ch) === String(v)))
    if (wrong !== undefined)
      return `must be one of ${spec.choices.map((ch) => JSON.stringify(ch)).join(', ')}, found ${show(wrong)}`
  }
  if (spec.options && (spec.type === 'dict' || (items && spec.elements === 'dict'))) {
    const maps = items ?? [c.value]
    for (const [i, m] of maps.entries()) {
      const wrong = checkSubOptions(spec.options, m as Record<string, unknown>)
      if (wrong) return items ? `has an element (item ${i + 1}) whose ${wrong}` : `has ${wrong}`
    }
  }
  return undefined
}

/** The sub-options of a map, as Ansible checks them: unknown keys, missing required ones, wrong values. */
function checkSubOptions(options: Record<string, OptionSpec>, map: Record<string, unknown>): string | undefined {
  const names = (o: OptionSpec, key: string) => [key, ...(o.aliases ?? [])]
  const known = new Set(Object.entries(options).flatMap(([k, o]) => names(o, k)))
  const unknown = Object.keys(map).filter((k) => !known.has(k))
  const quoted = unknown.map((k) => JSON.stringify(k)).join(', ')
  if (unknown.length) return `unsupported key(s) ${quoted} (supported: ${[...known].join(', ')})`
  for (const [key, o] of Object.entries(options)) {
    const given = names(o, key).find((n) => map[n] !== undefined && map[n] !== null)
    if (given === undefined) {
      if (o.required) return `key "${key}" missing (required)`
      continue
    }
    const wrong = checkOption(o, map[given])
    if (wrong) return `key "${given}" ${wrong}`
  }
  return undefined
}

/** A type word for messages and docs (`int`, `list of str`). */
export function typeWord(spec: OptionSpec): string {
  return spec.type === 'list' && spec.elements ? `list of ${spec.elements}` : (spec.type ?? 'raw')
}
