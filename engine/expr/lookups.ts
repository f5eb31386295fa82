/**
 * `lookup(name, terms…)`, `query(…)`/`q(…)` and Ansible's `with_<name>` loops: one table of lookups run on the
 * controller, as Ansible 2.14 runs them. A lookup gets its terms, its keyword arguments and the task's variables
 * (`vars`, `template`) and search path (`file`, `template`, `fileglob`, `first_found`; lookup-paths.ts).
 * `ansible.builtin.<name>` (and `ansible.legacy.`) name the same lookups. `wantlist=true` (or `query`) gives the
 * list; otherwise strings are joined with commas and a single value is itself. `errors='ignore'`/`'warn'` turns
 * a failure into none (or [] for a list).
 *
 * @example
 * ```yaml
 * - debug: { msg: "{{ lookup('ansible.builtin.vars', 'port', default=80) }} {{ query('sequence', 'count=3') }}" }
 * ```
 */
import { UserError } from '../errors.js'
import { markUnsafeList, type Scope } from './scope.js'
import {
  controllerLines,
  controllerOutput,
  dictItems,
  flatten1,
  indexedItems,
  nested,
  strTerms,
  subelements,
  together,
  varnamesLookup,
  varsLookup,
} from './lookup-data.js'
import {
  fileglobLookup,
  fileLookup,
  firstFoundLookup,
  templateLookup,
  unvaultLookup,
  type FileLookupCtx,
} from './lookup-files.js'
import { lookupPaths } from './lookup-paths.js'
import { force, toStr, Undef } from './values.js'

/** What a lookup runs with: the task's variables (when known), its search path, `with_first_found`'s subfolder. */
export interface LookupCtx extends FileLookupCtx {
  /** Hosts an inventory pattern selects (`inventory_hostnames`), when the run gives it. */
  hosts?: (pattern: string) => string[]
}

/** Where `errors='warn'` reports a failed lookup; the runner points it at its output (the default drops it). */
export const lookupWarnings: { sink: (msg: string) => void } = { sink: () => undefined }

/** A lookup: its terms and keyword arguments → its values. */
export type LookupFn = (terms: unknown[], kw: Record<string, unknown>, ctx: LookupCtx) => unknown[]

/** A variable of the lookup's scope: its value, or `Undef` when not defined (or there are no variables). */
const get = (ctx: LookupCtx) => (n: string) => {
  const v = ctx.scope ? ctx.scope.lookup(n) : new Undef(n)
  return v instanceof Undef ? v : force(v)
}

/**
 * The lookups, by short name. Higher layers add the ones they implement (`sequence`, by engine/run/loop.ts;
 * `password`, `csvfile`, `ini`, `url`, `config`, `inventory_hostnames`, by engine/run/lookups-controller.ts).
 */
export const LOOKUPS: Record<string, LookupFn> = {
  items: (t) => flatten1(t),
  list: (t) => t,
  indexed_items: (t) => indexedItems(t),
  dict: (t) => dictItems(t),
  together: (t) => together(t),
  nested: (t) => nested(t),
  cartesian: (t) => nested(t),
  subelements: (t) => subelements(t),
  vars: (t, kw, ctx) => varsLookup(t, get(ctx), kw.default),
  varnames: (t, _kw, ctx) => varnamesLookup(t, ctx.scope?.names && (() => ctx.scope!.names!())),
  env: (t, kw) => strTerms(t).map((n) => process.env[n] ?? kw.default ?? ''),
  pipe: (t) => strTerms(t).map((c) => controllerOutput('pipe', c).trimEnd()),
  lines: (t) => strTerms(t).flatMap((c) => controllerLines(c)),
  random_choice: (t) => (t.length ? [t[Math.floor(Math.random() * t.length)]] : []),
  file: (t, kw, ctx) => fileLookup(t, kw, ctx),
  unvault: (t, _kw, ctx) => unvaultLookup(t, ctx),
  fileglob: (t, _kw, ctx) => fileglobLookup(t, ctx),
  template: (t, kw, ctx) => templateLookup(t, kw, ctx),
  first_found: (t, kw, ctx) => firstFoundLookup(t, kw, ctx),
}

/** Add a lookup implemented above the expression layer. */
export function registerLookup(name: string, fn: LookupFn): void {
  LOOKUPS[name] = fn
}

/** Lookups implemented above the expression layer (registered when the runner loads). */
const REGISTERED_LATER = ['sequence', 'password', 'csvfile', 'ini', 'url', 'config', 'inventory_hostnames']

/** The short name of a lookup (`ansible.builtin.file` → `file`), or undefined when tsplay has no such lookup. */
export function lookupName(name: string): string | undefined {
  const short = name.replace(/^ansible\.(builtin|legacy)\./, '')
  return Object.hasOwn(LOOKUPS, short) || REGISTERED_LATER.includes(short) ? short : undefined
}

/**
 * The first lookup a template or condition names literally (`lookup('x', …)`, `query("x")`, `q('x')`) that tsplay
 * does not have and `known` (a lookup plugin file) does not know, or undefined: `validate` refuses it at its line.
 */
export function unknownLookupIn(text: string, known?: (name: string) => boolean): string | undefined {
  for (const m of text.matchAll(/(?<![\w.])(?:lookup|query|q)\(\s*(['"])([\w.]+)\1/g))
    if (!lookupName(m[2]) && !known?.(m[2])) return m[2]
  return undefined
}

/** The lookups tsplay has, for messages. */
export function knownLookups(): string {
  return [...new Set([...Object.keys(LOOKUPS), ...REGISTERED_LATER])]
    .sort()
    .map((n) => `'${n}'`)
    .join(', ')
}

/** Run lookup `name` with terms already made a list; throws `UserError` for an unknown name or a failure. */
export function runLookup(name: string, terms: unknown[], kw: Record<string, unknown>, ctx: LookupCtx): unknown[] {
  const short = lookupName(name)
  if (!short || !Object.hasOwn(LOOKUPS, short))
    throw new UserError(`lookup plugin (${name}) not found`, undefined, `(tsplay has ${knownLookups()})`)
  return LOOKUPS[short](terms, kw, ctx)
}

/** The lookup context of an expression: its variables and the search path they give. */
export function lookupCtx(scope: Scope | undefined): LookupCtx {
  const ctx: LookupCtx = { scope, paths: { paths: [], basedir: '' } }
  const read = get(ctx)
  ctx.paths = lookupPaths((n) => {
    const v = read(n)
    return v instanceof Undef ? undefined : v
  })
  return ctx
}

/** `lookup(name, terms…)` (or `query`, `asList`) as Ansible's templar calls a lookup. */
export function callLookup(
  args: unknown[],
  kwIn: Record<string, unknown>,
  asList: boolean,
  scope: Scope | undefined,
): unknown {
  const { wantlist, errors, allow_unsafe: _unsafe, ...kw } = kwIn
  const name = toStr(args[0])
  const list = asList || wantlist === true
  let values: unknown[]
  try {
    values = runLookup(name, args.slice(1), kw, lookupCtx(scope))
  } catch (e) {
    const mode = errors === undefined ? 'strict' : toStr(errors)
    if (!(e instanceof UserError) || mode === 'strict' || !lookupName(name)) throw e
    if (mode === 'warn') lookupWarnings.sink(`Lookup failed but the error is being ignored: ${e.message}`)
    return list ? [] : null
  }
  // results are data, never templates (Ansible's wrap_var): a file's `{{ x }}` stays as it is
  if (!values.length) return values
  if (list) return markUnsafeList([...values])
  if (values.every((v) => typeof v === 'string')) return values.join(',')
  return values.length === 1 ? values[0] : markUnsafeList([...values])
}
