/**
 * Templating: `{{ … }}` in playbook values and in `template` files.
 *
 * Inside `{{ }}` goes a tsplay expression (engine/expr.ts) — Jinja's syntax, so one playbook works under both
 * ansible-playbook and tsplay: `{{ a.b }}`, `{{ a['b'] }}`, `{{ a[0] }}`, `{{ x | default('y') | upper }}`,
 * `{{ xs | map(attribute='name') | join(d=', ') }}` and Ansible's common filters and tests.
 * Two engines around them (engine/expr/render.ts): Jinja (`{% if %}`, `{% for %}`, `{% set %}`, `{% raw %}`,
 * `{# #}`, whitespace control) renders template files not named `.hbs` exactly as Ansible does, and playbook
 * strings that use Jinja syntax; handlebars blocks (`{{#each xs as |x|}}…{{/each}}`, `{{#if c}}…{{/if}}`) work
 * in `.hbs` files and playbook strings.
 *
 * - A string that is exactly one `{{ expr }}` keeps the value's type (list, number, map).
 * - An undefined variable is an error: `undefined variable "x" in <what>`, at `pos` — never "".
 * - Values print as: strings as-is, numbers, `true`/`false` (Ansible prints `True`/`False`), `null` as "",
 *   lists and maps as JSON (Ansible prints Python reprs; use `| to_json` for output both agree on).
 * - A variable whose value holds `{{ }}` is rendered when used (`url: "http://{{ host }}"` in group_vars).
 * - `escape: 'shell'`: every `{{ }}` value is shell-quoted (`shQuote`), so no variable can inject shell;
 *   triple-stash `{{{ x }}}` inserts the value raw. The `shell` module renders its script this way.
 * - Compiled templates are cached per distinct text.
 *
 * @example
 * ```yaml
 * - shell: "nix-store --verify {{ repair_flag }} > {{ log_dir }}/verify.log"   # rendered with escape: 'shell'
 * - copy: { dest: /etc/hydra/machines, content: "{{ builders | join('\n') }}\n" }
 * ```
 */
import { statSync } from 'node:fs'
import { hostname, userInfo } from 'node:os'
import { strftime } from './expr/clock.js'
import { basename } from 'node:path'
import { UserError } from './errors.js'
import { ExprError, exprVariables } from './expr.js'
import { JinjaRenderError, type JinjaOptions } from './expr/jinja/run.js'
import { DELIMITER_NAMES, JINJA_DELIMITERS, type Delimiters } from './expr/jinja/lex.js'
import { jinjaNames } from './expr/jinja/names.js'
import { exprCalls, jinjaCalls, noCalls, type Calls } from './expr/calls.js'
import { compileTemplate, engineForFile, renderCompiled, scopeFor, usesHandlebars, type Engine } from './expr/render.js'
import { convertRendered } from './expr/pyliteral.js'
import { scan, type Segment } from './expr/scan.js'

export { engineForFile, type Engine } from './expr/render.js'
import { hasTemplate, type Scope } from './expr/scope.js'

export { markUnsafe } from './expr/scope.js'
import { toStr } from './expr/values.js'
import type { SourcePos, Vars } from './types.js'

/** Options for rendering. */
export interface RenderOptions {
  /** Where the template is written, for errors. */
  pos?: SourcePos
  /** What is rendered ("argument \"dest\" of task \"write config\""), for errors: `… in <what>`. */
  what?: string
  /** `'shell'`: shell-quote every `{{ }}` value (`{{{ }}}` stays raw). */
  escape?: 'shell'
  /**
   * The template engine: `auto` (playbook strings, the default), `jinja` or `hbs` (template files: `engineForFile`).
   */
  engine?: Engine
  /** Jinja's whitespace settings (the `template` module's `trim_blocks`/`lstrip_blocks`); a `#jinja2:` line wins. */
  jinja?: Partial<JinjaOptions>
}

function short(s: string): string {
  const one = s.replace(/\s+/g, ' ')
  return JSON.stringify(one.length > 60 ? `${one.slice(0, 57)}...` : one)
}

/** Turn an error from compiling/rendering `s` into a `UserError` at `opts.pos`. */
function userError(err: unknown, s: string, opts: RenderOptions): unknown {
  const what = opts.what ? ` in ${opts.what}` : ''
  const inFile = opts.engine && opts.engine !== 'auto' && opts.pos
  if (inFile && (err instanceof ExprError || err instanceof JinjaRenderError)) {
    const offset = err instanceof ExprError ? err.col - 1 : tagStart(s, err.offset)
    const msg = err instanceof ExprError ? `template syntax error: ${err.message}` : err.message
    return new UserError(
      `${msg}${what}`,
      { file: opts.pos!.file, ...lineCol(s, offset) },
      err instanceof UserError ? err.hint : undefined,
    )
  }
  if (err instanceof ExprError) {
    return new UserError(`template syntax error: ${err.message} at column ${err.col} of ${short(s)}${what}`, opts.pos)
  }
  if (err instanceof UserError && !err.pos) return new UserError(`${err.message}${what}`, opts.pos, err.hint)
  return err
}

/** The `{{`/`{%` that opens the tag whose body starts at `offset` (errors point at the tag). */
function tagStart(s: string, offset: number): number {
  const m = /\{[{%][-+]?\s*$/.exec(s.slice(Math.max(0, offset - 3), offset))
  return m ? offset - (Math.min(offset, 3) - m.index) : offset
}

/** 1-based line and column of a 0-based offset in `s`. */
function lineCol(s: string, offset: number): { line: number; col: number } {
  const before = s.slice(0, Math.max(0, offset))
  const nl = before.lastIndexOf('\n')
  return { line: before.split('\n').length, col: offset - nl }
}

/** True when `s` may need rendering by `engine` (plain text outside template files never does). */
function hasMarkup(s: string, engine: Engine = 'auto', jinja?: Partial<JinjaOptions>): boolean {
  const d = jinja?.delimiters
  if (d && engine === 'jinja') return [d.variableStart, d.blockStart, d.commentStart].some((x) => s.includes(x))
  return s.includes('{{') || s.includes('{%') || (engine !== 'hbs' && s.includes('{#'))
}

function renderOne(s: string, vars: Vars, scope: Scope, opts: RenderOptions): unknown {
  if (!hasMarkup(s, opts.engine, opts.jinja)) return opts.engine === 'jinja' ? trailingOnly(s) : s
  const shell = opts.escape === 'shell'
  try {
    return renderCompiled(compileTemplate(s, shell, opts.engine, opts.jinja), vars, scope, shell)
  } catch (err) {
    throw userError(err, s, opts)
  }
}

/**
 * Render every string inside `value` (lists and maps deeply; keys are not templated). A string that is exactly
 * one `{{ expr }}` becomes the expression's value with its type. Throws `UserError` with `opts.pos`.
 *
 * @example
 * ```ts
 * renderValue({ ports: '{{ ports }}', url: 'http://{{ host }}' }, { ports: [80], host: 'pi1' }) // { ports: [80], url:
 * 'http://pi1' }
 * ```
 */
export function renderValue(value: unknown, vars: Vars, opts: RenderOptions = {}): unknown {
  if (!hasTemplate(value)) return value
  const scope = scopeFor(vars)
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') {
      const r = renderOne(v, vars, scope, opts)
      // as Ansible hands a rendered value on: text that is a list, map or boolean literal becomes one
      const text = typeof r === 'string' && opts.engine !== 'hbs' && opts.escape !== 'shell'
      return text && hasMarkup(v, opts.engine, opts.jinja) ? convertRendered(v, r) : r
    }
    if (v === null || typeof v !== 'object' || depth > 64) return v
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1))
    const out: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v)) out[k] = walk(x, depth + 1)
    return out
  }
  return walk(value, 0)
}

/** Render a template to text (a whole-string `{{ list }}` prints as JSON). Throws `UserError` with `opts.pos`. */
export function renderString(s: string, vars: Vars, opts: RenderOptions = {}): string {
  if (!hasMarkup(s, opts.engine)) return opts.engine === 'jinja' ? trailingOnly(s) : s
  const v = renderOne(s, vars, scopeFor(vars), opts)
  return typeof v === 'string' ? v : toStr(v)
}

/** True when `value` is a string holding `{{`, or a list/map containing one at any depth. */
export function isTemplated(value: unknown): boolean {
  return hasTemplate(value)
}

/**
 * Root variable names a template reads, in order (names only tested with `is defined` or given a `default` are
 * left out, and so is anything inside `{{#each}}`/`{{#with}}`, whose names may belong to the item).
 * Returns [] for a Jinja template with a syntax error. A template for handlebars is only scanned, not parsed by
 * handlebars (its parser alone costs about 10 ms to load): `checkTemplateSyntax` tells its syntax errors.
 */
export function templateVariables(s: string, engine: Engine = 'auto', jinja?: Partial<JinjaOptions>): string[] {
  if (usesHandlebars(s, engine)) {
    try {
      return segmentNames(scan(s))
    } catch {
      return []
    }
  }
  let c
  try {
    c = compileTemplate(s, false, engine, jinja)
  } catch {
    return []
  }
  if (c.kind === 'text') return []
  if (c.kind === 'jinja') return jinjaNames(c.t.nodes)
  if (c.kind === 'single') return exprVariables(c.expr)
  return segmentNames(c.segs)
}

/**
 * The filters and tests a template calls by name (see engine/expr/calls.ts); none for a Jinja template with a syntax
 * error. A template for handlebars is only scanned: its `{{ }}` expressions count, not its helpers. With `soft`,
 * the names Jinja looks up only when their part runs (in an `{% if %}` or `a if c else b`) go there.
 */
export function templateCalls(s: string, engine: Engine = 'auto', jinja?: Partial<JinjaOptions>, soft?: Calls): Calls {
  const out = noCalls()
  const exprsOf = (segs: Segment[]) => segs.forEach((g) => g.t === 'expr' && exprCalls(g.expr, out, soft ?? out))
  try {
    if (usesHandlebars(s, engine)) exprsOf(scan(s))
    else {
      const c = compileTemplate(s, false, engine, jinja)
      if (c.kind === 'jinja') jinjaCalls(c.t.nodes, out, soft ?? out)
      else if (c.kind === 'single') exprCalls(c.expr, out, soft ?? out)
      else if (c.kind === 'parts') exprsOf(c.segs)
    }
  } catch {
    // a syntax error is reported by the loader
  }
  return out
}

/** The root names a scanned handlebars-style template reads (not inside `{{#each}}`/`{{#with}}`). */
function segmentNames(segs: Segment[]): string[] {
  const out = new Set<string>()
  let depth = 0
  for (const g of segs) {
    if (g.t === 'expr' && depth === 0) exprVariables(g.expr).forEach((n) => out.add(n))
    else if (g.t === 'native' && depth === 0) {
      const m = /^\s*([A-Za-z_][\w-]*)[.\s]?/.exec(g.inner)
      if (m && m[1] !== 'this' && /^[^\s()]+$/.test(g.inner.trim())) out.add(m[1])
    } else if (g.t === 'block') {
      const head = g.inner.trim()
      const m = /^#\s*(\w+)\s+([A-Za-z_][\w-]*)/.exec(head)
      if (m && depth === 0 && m[2] !== 'this') out.add(m[2])
      if (/^#\s*(each|with)\b/.test(head)) depth++
      else if (/^\/\s*(each|with)\b/.test(head)) depth--
    }
  }
  return [...out]
}

/** Why `s` is not a valid template (`"… at column N"`), or `undefined` when it is fine. */
export function checkTemplateSyntax(
  s: string,
  engine: Engine = 'auto',
  jinja?: Partial<JinjaOptions>,
): string | undefined {
  if (!hasMarkup(s, engine, jinja)) return undefined
  try {
    compileTemplate(s, false, engine, jinja)
    return undefined
  } catch (err) {
    if (err instanceof ExprError) return `${err.message} at column ${err.col}`
    if (err instanceof UserError) return err.message
    throw err
  }
}

/** A template file without markup still goes through Jinja's newline handling (CRLF becomes LF). */
function trailingOnly(s: string): string {
  return s.replace(/\r\n?/g, '\n')
}

/** The controller user's name, for `template_uid`. */
let templateUid: string | undefined
/** The controller's host name (`template_host`), looked up once. */
let templateHost: string | undefined

/** The variables Ansible adds to a template file's own (`template_destpath` when the task gives a `dest`). */
export const TEMPLATE_FILE_VARS = [
  'ansible_managed',
  'template_path',
  'template_fullpath',
  'template_host',
  'template_uid',
  'template_destpath',
  'template_mtime',
  'template_run_date',
]

/** Python's `str()` of a local datetime, as Ansible's `template_mtime`/`template_run_date` print. */
const pyDate = (d: Date) => strftime(d, '%Y-%m-%d %H:%M:%S.%f', false)

/** The file's modification time (now, for a text with no file behind it). */
function mtimeOf(file: string): Date {
  try {
    return statSync(file).mtime
  } catch {
    return new Date()
  }
}

/**
 * Render a `template` module's file as Ansible does: Jinja unless it is named `.hbs`, with Ansible's template
 * variables (`TEMPLATE_FILE_VARS`) added. Errors point at the line and column in the file.
 */
export function renderTemplateFile(
  text: string,
  file: string,
  vars: Vars,
  jinja?: Partial<JinjaOptions>,
  dest?: string,
): string {
  // Jinja reads variables through the prototype chain (getProp): the template's own variables are laid over the
  // task's, which are not copied. Handlebars reads only own properties of its root: it gets them as own properties,
  // getters kept so lazily rendered values stay lazy.
  const engine = engineForFile(file)
  const extra = (
    engine === 'jinja' ? Object.create(vars) : Object.defineProperties({}, Object.getOwnPropertyDescriptors(vars))
  ) as Vars
  Object.assign(extra, {
    ansible_managed: 'Ansible managed',
    template_path: file,
    template_fullpath: file,
    template_host: (templateHost ??= hostname()),
    template_uid: (templateUid ??= userInfo().username), // looked up once (it reads the passwd database)
    ...(dest === undefined ? {} : { template_destpath: dest }),
  })
  // worked out when the template reads them (a `stat` of the file and two dates per render otherwise)
  const now = new Date()
  Object.defineProperties(extra, {
    template_mtime: { get: () => pyDate(mtimeOf(file)), enumerable: true, configurable: true },
    template_run_date: { get: () => pyDate(now), enumerable: true, configurable: true },
  })
  return renderString(text, extra, {
    what: `template ${basename(file)}`,
    pos: { file, line: 1, col: 1 },
    engine,
    jinja,
  })
}

/**
 * Jinja's settings from a `template` task's arguments (`trim_blocks`, `lstrip_blocks`, the `*_string`
 * delimiters); undefined when a delimiter is a template (known only when the task runs; `rendered`: the arguments
 * are rendered already, none is a template).
 *
 * @example
 * ```ts
 * jinjaOptionsOf({ variable_start_string: '[[' }) // { delimiters: { variableStart: '[[', variableEnd: '}}', … } }
 * ```
 */
export function jinjaOptionsOf(args: Record<string, unknown>, rendered = false): Partial<JinjaOptions> | undefined {
  const out: Partial<JinjaOptions> = {}
  if (typeof args.trim_blocks === 'boolean') out.trimBlocks = args.trim_blocks
  if (typeof args.lstrip_blocks === 'boolean') out.lstripBlocks = args.lstrip_blocks
  let delimiters: Delimiters | undefined
  for (const [arg, key] of Object.entries(DELIMITER_NAMES)) {
    const v = args[arg]
    if (v === undefined || v === null) continue
    const plain =
      typeof v === 'string' && (rendered || Object.values(JINJA_DELIMITERS).includes(v) || !/\{\{|\{%/.test(v))
    if (!plain) return undefined
    delimiters = { ...(delimiters ?? JINJA_DELIMITERS), [key]: v }
  }
  return delimiters ? { ...out, delimiters } : out
}
