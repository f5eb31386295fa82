/**
 * The keywords plays, blocks, tasks and role references accept, and typed readers for their values.
 * Each reader reports a `UserError` at the value's position (what was expected, what was found) and
 * returns `undefined`, so loading continues and every mistake is reported at once.
 *
 * Booleans accept YAML booleans and Ansible's spellings (`yes`/`no`/`true`/`false`/`on`/`off`, any case),
 * since under YAML 1.2 `become: yes` is the string "yes".
 *
 * @example
 * ```yaml
 * - hosts: all
 *   become: yes        # read as true
 *   tags: [setup, nix] # or "setup,nix"
 * ```
 */
import { LOOP_LOOKUPS, type Environment } from '../ast.js'
import type { SourcePos } from '../types.js'
import { describeValue, report, type LoadContext } from './context.js'
import { bestPos, keyPos } from '../source/positions.js'

const COMMON = [
  'name',
  'when',
  'tags',
  'become',
  'become_user',
  'become_method',
  'become_flags',
  'become_exe',
  'environment',
  'vars',
  'no_log',
  'ignore_errors',
  'check_mode',
  'diff',
  'connection',
  'remote_user',
  'port',
  'debugger',
] as const

export const PLAY_KEYWORDS: readonly string[] = [
  ...COMMON.filter((k) => k !== 'when'),
  'hosts',
  'vars_files',
  'vars_prompt',
  'gather_facts',
  'tasks',
  'pre_tasks',
  'post_tasks',
  'handlers',
  'roles',
  'strategy',
  'serial',
  'any_errors_fatal',
  'max_fail_percentage',
  'force_handlers',
  'user',
  'order',
  'collections',
  'module_defaults',
  'timeout',
  'throttle',
  'ignore_unreachable',
  'gather_subset',
  'gather_timeout',
  'fact_path',
]

export const TASK_KEYWORDS: readonly string[] = [
  ...COMMON,
  'loop',
  ...LOOP_LOOKUPS.map((l) => `with_${l}`),
  'loop_control',
  'register',
  'notify',
  'changed_when',
  'failed_when',
  'run_once',
  'any_errors_fatal',
  'delegate_to',
  'delegate_facts',
  'async',
  'poll',
  'timeout',
  'until',
  'retries',
  'delay',
  'args',
  'listen',
  'throttle',
  'ignore_unreachable',
  'collections',
  'module_defaults',
]

export const BLOCK_KEYWORDS: readonly string[] = [
  ...COMMON,
  'block',
  'rescue',
  'always',
  'notify',
  'run_once',
  'any_errors_fatal',
  'throttle',
  'timeout',
  'ignore_unreachable',
  'collections',
  'module_defaults',
  'delegate_to',
  'delegate_facts',
]

export const INCLUDE_KEYWORDS: readonly string[] = [
  ...COMMON,
  'import_tasks',
  'include_tasks',
  'file',
  'apply',
  'args',
  'listen',
  'loop',
  ...LOOP_LOOKUPS.map((l) => `with_${l}`),
  'loop_control',
  'collections',
  'register',
]

/** An `import_tasks` also takes the keywords its tasks inherit, as a block's (Ansible passes them on). */
export const IMPORT_KEYWORDS: readonly string[] = [
  ...INCLUDE_KEYWORDS,
  'notify',
  'run_once',
  'any_errors_fatal',
  'throttle',
  'ignore_unreachable',
  'module_defaults',
  'delegate_to',
  'delegate_facts',
]

/** Keywords of an `include_role`/`import_role` task. */
export const ROLE_INCLUDE_KEYWORDS: readonly string[] = [
  ...COMMON,
  'include_role',
  'import_role',
  'loop',
  ...LOOP_LOOKUPS.map((l) => `with_${l}`),
  'loop_control',
  'collections',
  'register',
]

/** Arguments of `include_role`/`import_role`. */
export const ROLE_INCLUDE_ARGS: readonly string[] = [
  'name',
  'tasks_from',
  'vars_from',
  'defaults_from',
  'handlers_from',
  'apply',
  'public',
  'allow_duplicates',
  'rolespec_validate',
]

export const ROLE_KEYWORDS: readonly string[] = [
  'role',
  'name',
  'vars',
  'tags',
  'when',
  'become',
  'become_user',
  'become_method',
  'become_flags',
  'become_exe',
  'connection',
  'debugger',
]

export const LOOP_CONTROL_KEYWORDS: readonly string[] = [
  'loop_var',
  'label',
  'index_var',
  'extended',
  'extended_allitems',
  'pause',
]

type Raw = Record<string, unknown>

/** Position of `raw[key]`'s value (or the key, or the map). */
export function at(raw: Raw, key: string, fallback: SourcePos): SourcePos {
  return bestPos(raw, key, fallback)
}

function bad(
  ctx: LoadContext,
  raw: Raw,
  key: string,
  fallback: SourcePos,
  expected: string,
  found: unknown,
): undefined {
  report(ctx, `"${key}" must be ${expected}, found ${describeValue(found)}`, at(raw, key, fallback))
  return undefined
}

/** A plain map is a non-null, non-array object. */
export function isMap(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

export function readString(ctx: LoadContext, raw: Raw, key: string, fallback: SourcePos): string | undefined {
  const v = raw[key]
  if (v === undefined || v === null) return undefined
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  return bad(ctx, raw, key, fallback, 'a string', v)
}

const TRUE = new Set(['yes', 'true', 'on', 'y', '1'])
const FALSE = new Set(['no', 'false', 'off', 'n', '0'])

/** Ansible's boolean spellings, or undefined when `v` is none of them. */
export function toBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v
  if (typeof v === 'number' && (v === 0 || v === 1)) return v === 1
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase()
    if (TRUE.has(s)) return true
    if (FALSE.has(s)) return false
  }
  return undefined
}

export function readBool(ctx: LoadContext, raw: Raw, key: string, fallback: SourcePos): boolean | undefined {
  const v = raw[key]
  if (v === undefined || v === null) return undefined
  const b = toBool(v)
  return b !== undefined ? b : bad(ctx, raw, key, fallback, 'true or false', v)
}

/** A boolean, or a template rendered per host at run time (`become: "{{ use_sudo }}"`). */
export function readBoolOrTemplate(
  ctx: LoadContext,
  raw: Raw,
  key: string,
  fallback: SourcePos,
): boolean | string | undefined {
  const v = raw[key]
  return typeof v === 'string' && v.includes('{{') ? v : readBool(ctx, raw, key, fallback)
}

/** A whole number (at least `min`), or a template kept to be rendered later (per host, or before the play). */
export function readIntOrTemplate(
  ctx: LoadContext,
  raw: Raw,
  key: string,
  fallback: SourcePos,
  min = 0,
): number | string | undefined {
  const v = raw[key]
  return typeof v === 'string' && v.includes('{{') ? v : readInt(ctx, raw, key, fallback, min)
}

export function readInt(ctx: LoadContext, raw: Raw, key: string, fallback: SourcePos, min = 0): number | undefined {
  const v = raw[key]
  if (v === undefined || v === null) return undefined
  const n = typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v
  if (typeof n === 'number' && Number.isInteger(n) && n >= min) return n
  if (typeof v === 'string' && v.includes('{{')) {
    report(
      ctx,
      `"${key}" must be a whole number ≥ ${min}, not a template ("${v}")`,
      at(raw, key, fallback),
      '(tsplay needs this value before any host is contacted; write the number)',
    )
    return undefined
  }
  return bad(ctx, raw, key, fallback, `a whole number ≥ ${min}`, v)
}

/** A string or a list of strings (`tags: a,b` splits on commas when `splitCommas`). */
export function readStringList(
  ctx: LoadContext,
  raw: Raw,
  key: string,
  fallback: SourcePos,
  splitCommas = false,
): string[] {
  const v = raw[key]
  if (v === undefined || v === null) return []
  const one = (s: string) =>
    splitCommas
      ? s
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean)
      : [s]
  if (typeof v === 'string' || typeof v === 'number') return one(String(v))
  if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number'))
    return v.flatMap((x) => one(String(x)))
  bad(ctx, raw, key, fallback, 'a string or a list of strings', v)
  return []
}

/** YAML 1.1 booleans (what Ansible's YAML reads as true/false) that YAML 1.2 leaves as strings. */
const YAML11_BOOLS: Record<string, string> = Object.fromEntries([
  ...['yes', 'Yes', 'YES', 'on', 'On', 'ON'].map((k) => [k, 'True']),
  ...['no', 'No', 'NO', 'off', 'Off', 'OFF'].map((k) => [k, 'False']),
])

/**
 * Conditions: a string, boolean, or list of them; booleans (also YAML 1.1's `yes`/`no`/`on`/`off`) become
 * `True`/`False`.
 */
export function readConditions(ctx: LoadContext, raw: Raw, key: string, fallback: SourcePos): string[] | undefined {
  const v = raw[key]
  if (v === undefined || v === null) return undefined
  const one = (x: unknown): string | undefined =>
    typeof x === 'string'
      ? (YAML11_BOOLS[x] ?? x)
      : typeof x === 'boolean'
        ? x
          ? 'True'
          : 'False'
        : typeof x === 'number'
          ? String(x)
          : undefined
  const list = Array.isArray(v) ? v : [v]
  const out = list.map(one)
  if (out.some((x) => x === undefined))
    return bad(ctx, raw, key, fallback, 'a condition (a string) or a list of conditions', v)
  return out as string[]
}

export function readMap(ctx: LoadContext, raw: Raw, key: string, fallback: SourcePos): Raw | undefined {
  const v = raw[key]
  if (v === undefined || v === null) return undefined
  return isMap(v) ? v : bad(ctx, raw, key, fallback, 'a map of names to values', v)
}

/**
 * `environment`: a map, a template giving one, or a list of those merged in order (later names win), as
 * Ansible takes it.
 */
export function readEnvironment(ctx: LoadContext, raw: Raw, fallback: SourcePos): Environment | undefined {
  const v = raw.environment
  const one = (x: unknown) => isMap(x) || (typeof x === 'string' && x.includes('{{'))
  if (typeof v === 'string' && one(v)) return v
  if (Array.isArray(v) && v.every(one)) return v as Environment
  return readMap(ctx, raw, 'environment', fallback)
}

/** Report keys of `raw` not in `allowed` (with a "did you mean"), except those `skip` accepts. */
export function checkKeys(
  ctx: LoadContext,
  raw: Raw,
  allowed: readonly string[],
  what: string,
  fallback: SourcePos,
  hintFor: (key: string) => string | undefined,
  skip: (key: string) => boolean = () => false,
): void {
  for (const k of Object.keys(raw)) {
    if (allowed.includes(k) || skip(k)) continue
    report(ctx, `unknown ${what} keyword "${k}"`, keyPos(raw, k) ?? fallback, hintFor(k))
  }
}
