/**
 * Load-time syntax checks of the strings a playbook holds: every `{{ … }}` template (deep, in any value)
 * and every condition (`when`, `changed_when`, `failed_when`, `until`, `assert`'s `that`) must parse, and so must
 * `debug`'s `var` (an expression Ansible wraps in `{{ }}`); a lookup a template or condition names literally
 * must be one tsplay has. Errors point at the value's line and column.
 *
 * @example
 * ```yaml
 * - debug: { msg: "{{ x }" }     # error: template syntax
 *   when: x ==                   # error: expression syntax
 * ```
 */
import { isTemplatedCondition, parseExpr } from '../expr.js'
import { exprCalls, noCalls, type Calls } from '../expr/calls.js'
import { FILTERS, TESTS } from '../expr/filters.js'
import { templateCalls } from '../template.js'
import { UserError } from '../errors.js'
import { didYouMean } from '../source/suggest.js'
import { knownLookups, unknownLookupIn } from '../expr/lookups.js'
import { checkSyntaxRemembered } from './syntaxcache.js'
import type { PluginFile, SourcePos } from '../types.js'
import { report, type LoadContext } from './context.js'
import { pluginFile } from './plugins.js'
import { refusePlugin } from './library.js'
import { bestPos, valuePos } from '../source/positions.js'
import { collectionJinja, collectionLookup } from './collections.js'

/**
 * A lookup named literally that is neither tsplay's nor a lookup plugin file of the playbook, its roles or the
 * configured folders (run by Python, engine/expr/pyplugins.ts) is refused where it is written; in a task that may
 * not run (its `when`, a handler, a `rescue`), it is a warning, and the task fails if it runs (as in Ansible).
 */
function lookupCheck(ctx: LoadContext, text: string, what: string, here: SourcePos): void {
  const bad = unknownLookupIn(text, (name) => !!pluginFile(ctx, 'lookup', name) || collectionLookupUsed(ctx, name))
  if (!bad) return
  // a task's own `when` is evaluated whenever the task is reached: what it names fails there
  const refuse = what === 'when' ? report : refusePlugin
  refuse(ctx, `lookup plugin (${bad}) not found in ${what}`, here, `(tsplay has ${knownLookups()})`)
}

/**
 * The filters and tests `calls` names must be tsplay's: refused where written, as an unknown lookup is (a warning
 * in a task that may not run); in a variable's value (`vars`), a warning (the variable may never be read). A Python
 * plugin may still give the name: the load drops these findings when the playbook or a role has plugin files of
 * that kind (`dropPluginCallFindings`). Names in `soft` (a conditional part of a template) and any name when there is
 * a `doubt` (why the place may never run) are warnings; `posOf` places each name (default: `here`).
 */
export function callCheck(
  ctx: LoadContext,
  calls: Calls,
  what: string,
  here: SourcePos,
  soft = noCalls(),
  doubt?: string,
  posOf: (name: string) => SourcePos = () => here,
): void {
  const kinds = [
    ['filter', calls.filters, soft.filters, FILTERS],
    ['test', calls.tests, soft.tests, TESTS],
  ] as const
  for (const [kind, names, softNames, table] of kinds)
    for (const n of new Set([...names, ...softNames])) {
      if (Object.hasOwn(table, n) || fromCollection(ctx, kind, n)) continue
      const msg = `unknown ${kind} "${n}" in ${what}`
      const hint = didYouMean(n, Object.keys(table))
      const why = what.startsWith('"vars"')
        ? 'it fails where it is read'
        : !names.has(n)
          ? 'it fails only if the part of the template that calls it runs'
          : doubt
      if (why) ctx.warnings.push(new UserError(`${msg} (${why})`, posOf(n), hint))
      else (what === 'when' ? report : refusePlugin)(ctx, msg, posOf(n), hint)
    }
}

/**
 * Whether an installed collection gives filter (test) `name` (engine/load/collections.ts): its collection's plugins
 * are then loaded for the run (`LoadContext.collectionPlugins`), the short name ansible-core routes there as well.
 */
function fromCollection(ctx: LoadContext, kind: 'filter' | 'test', name: string): boolean {
  const found = collectionJinja(ctx.playbookDir, kind, name)
  if (found) useCollectionPlugin(ctx, `${kind}:${found.collection}`, { kind, file: found.dir }, found, name)
  return !!found
}

/**
 * Whether an installed collection gives lookup `name` (engine/load/collections.ts): the run then loads it under the
 * name the playbook uses (`LoadContext.collectionPlugins`).
 */
export function collectionLookupUsed(ctx: LoadContext, name: string): boolean {
  const found = collectionLookup(ctx.playbookDir, name)
  if (found) useCollectionPlugin(ctx, `lookup:${found.fqcn}`, { kind: 'lookup', file: found.file }, found, name)
  return !!found
}

/** Record that the playbook uses collection plugin `found` as `name`, in the run's entry `key` (made from `what`). */
function useCollectionPlugin(
  ctx: LoadContext,
  key: string,
  what: Omit<PluginFile, 'collection'>,
  found: { fqcn: string; collection: string },
  name: string,
): void {
  const all = (ctx.collectionPlugins ??= new Map())
  const entry = all.get(key) ?? {
    ...what,
    collection: { name: found.collection, playbookDir: ctx.playbookDir, aliases: {} },
  }
  entry.collection!.aliases[name] = found.fqcn
  all.set(key, entry)
}

/**
 * Drop the unknown-filter (or -test) findings when Python plugin files of that kind (`files`) may give the names;
 * a collection's plugins do not count (their names were looked up one by one).
 */
export function dropPluginCallFindings(ctx: LoadContext, files: readonly PluginFile[]): void {
  const kinds = new Set(files.filter((f) => !f.collection && f.kind !== 'lookup').map((f) => f.kind))
  const given = (e: UserError) => [...kinds].some((k) => e.message.startsWith(`unknown ${k} "`))
  if (!kinds.size) return
  ctx.errors.splice(0, ctx.errors.length, ...ctx.errors.filter((e) => !given(e)))
  ctx.warnings.splice(0, ctx.warnings.length, ...ctx.warnings.filter((e) => !given(e)))
}

/** Every string under `container[key]` (deep) must be a valid template; a lookup it names must exist. */
export function checkTemplates(
  ctx: LoadContext,
  container: unknown,
  key: string | number,
  fallback: SourcePos,
  what: string,
): void {
  const v = (container as Record<string | number, unknown>)[key]
  const here = bestPos(container, key, fallback)
  if (typeof v === 'string') {
    if (!v.includes('{{') && !v.includes('{%') && !v.includes('}}')) return
    let msg: string | undefined
    try {
      msg = checkSyntaxRemembered(v)
    } catch (e) {
      msg = e instanceof Error ? e.message : String(e)
    }
    if (msg) report(ctx, `invalid template in ${what}: ${msg}`, here)
    else {
      lookupCheck(ctx, v, what, here)
      const soft = noCalls()
      callCheck(ctx, templateCalls(v, 'auto', undefined, soft), what, here, soft)
    }
  } else if (Array.isArray(v)) {
    v.forEach((_, i) => checkTemplates(ctx, v, i, here, what))
  } else if (typeof v === 'object' && v !== null) {
    for (const k of Object.keys(v)) checkTemplates(ctx, v, k, here, `${what}.${k}`)
  }
}

/** Check the templates in every key of `raw` except those in `skip`. */
export function checkTemplatesIn(
  ctx: LoadContext,
  raw: Record<string, unknown>,
  fallback: SourcePos,
  skip: readonly string[],
): void {
  for (const k of Object.keys(raw)) if (!skip.includes(k)) checkTemplates(ctx, raw, k, fallback, `"${k}"`)
}

/**
 * Each condition in `conds` (read from `raw[key]`) must parse as an expression, or, written with `{{ }}` beside other
 * text, as a template.
 */
export function checkConditions(
  ctx: LoadContext,
  raw: Record<string, unknown>,
  key: string,
  conds: readonly string[],
  fallback: SourcePos,
  what = key,
): void {
  const v = raw[key]
  conds.forEach((src, i) => {
    const pos = (Array.isArray(v) ? valuePos(v, i) : undefined) ?? bestPos(raw, key, fallback)
    // as Ansible's: a condition is an expression already; `{{ }}` in it works, but is a warning
    if (src.includes('{{') || src.includes('{%')) {
      const found = `conditional statements should not include jinja2 templating delimiters such as {{ }} or {% %}`
      ctx.warnings.push(new UserError(`${found}. Found: ${src}`, pos))
    }
    try {
      const soft = noCalls()
      // a condition Ansible renders before it evaluates it: its template is what can be checked now
      const templated = isTemplatedCondition(src)
      const broken = templated ? checkSyntaxRemembered(src) : undefined
      if (broken) throw new Error(broken)
      const calls = templated
        ? templateCalls(src, 'jinja', undefined, soft)
        : exprCalls(parseExpr(src), noCalls(), soft)
      lookupCheck(ctx, src, what, pos)
      callCheck(ctx, calls, what, pos, soft)
    } catch (e) {
      const col = (e as { col?: number }).col
      const msg = e instanceof Error ? e.message : String(e)
      report(
        ctx,
        `invalid expression in ${what}: ${msg}${typeof col === 'number' ? ` (at column ${col} of "${src}")` : ''}`,
        pos,
      )
    }
  })
}

/**
 * The module arguments that are expressions rather than text: `assert`'s `that` (conditions, as `when`) and
 * `debug`'s `var`. A syntax error there fails the task whenever it runs, in Ansible too.
 */
export function checkExpressionArgs(
  ctx: LoadContext,
  module: string,
  args: Record<string, unknown>,
  fallback: SourcePos,
): void {
  const that = module === 'assert' ? args.that : undefined
  if (typeof that === 'string' || Array.isArray(that)) {
    // a YAML boolean or empty item is a condition too (it holds as itself)
    const conds = (Array.isArray(that) ? that : [that]).map((c) => (c === null ? 'True' : String(c)))
    checkConditions(ctx, args, 'that', conds, fallback, 'assert.that')
  }
  // debug's var is an expression as a condition is (no `{{ }}`: Ansible wraps it in them)
  const v = module === 'debug' ? args.var : undefined
  if (typeof v === 'string' && !v.includes('{{') && !v.includes('{%'))
    checkConditions(ctx, args, 'var', [v], fallback, 'debug.var')
}
