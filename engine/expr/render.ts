/**
 * Template compilation and rendering (the engine behind engine/template.ts). Templates are compiled once per
 * distinct text and cached. Which engine renders a text:
 *  - Jinja (engine/expr/jinja/) — template files not named `.hbs`, and playbook strings that use Jinja syntax
 *    (`{% %}`, `{# #}`, `{{-`/`-}}`): rendered as Ansible renders them;
 *  - otherwise the tsplay dialect, in three shapes: exactly one `{{ expr }}` (the value keeps its type: list,
 *    number, map); text and `{{ expr }}`s only (rendered by concatenation, the hot path); anything with
 *    handlebars blocks or handlebars-only syntax (compiled by handlebars, engine/expr/hbs.ts).
 *
 * @example
 * ```ts
 * renderTemplate('{{ ports }}', rootScope({ ports: [80, 443] }, renderTemplate), false) // [80, 443]
 * ```
 */
import { escapeBackslashes } from './backslashes.js'
import { shQuote } from '../quote.js'
import type { Vars } from '../types.js'
import { asText, evaluate } from './eval.js'
import { compileHbs, renderHbs, type HbsTemplate } from './hbs.js'
import { quotesItself, type Expr } from './ast.js'
import { compileJinja, renderJinja, type JinjaOptions, type JinjaTemplate } from './jinja/run.js'
import { needsHandlebars, scan, type Segment } from './scan.js'
import { UserError } from '../errors.js'
import { isTemplateText, rootScope, type Scope } from './scope.js'
import { force, plainValue, PyObject } from './values.js'

/** Which engine renders a text: `auto` for playbook strings, `jinja` for template files, `hbs` for `.hbs` files. */
export type Engine = 'auto' | 'jinja' | 'hbs'

/** A compiled template. */
export type Compiled =
  | { kind: 'text'; text: string }
  | { kind: 'single'; expr: Expr }
  /**
   * `trailed`: one `{{ }}` and then only whitespace (a `>` block's newline, see `readsBack`): a list or map keeps
   * its type, as Ansible's templating reads the text it printed back as a value; `bare`: the `{{ }}` is one
   * variable's name and the rest one newline, where Ansible's shortcut also keeps a number, boolean or none.
   */
  | {
      kind: 'parts'
      parts: Array<string | { expr: Expr; raw: boolean }>
      segs: Segment[]
      trailed?: { bare: boolean }
    }
  | { kind: 'hbs'; hbs: HbsTemplate; segs: Segment[] }
  /** `convert`: a playbook string (a result that reads as a list, map or boolean becomes one, as in Ansible). */
  | { kind: 'jinja'; t: JinjaTemplate; convert: boolean }

const CACHE_MAX = 5_000
const cache = new Map<string, Compiled>()

const UNSAFE_OPEN = '{% raw %}'
const UNSAFE_CLOSE = '{% endraw %}'

/**
 * The form YAML's `!unsafe` tag gives a string: text that is never templated. Text with template markup is
 * wrapped in `{% raw %}…{% endraw %}` (and rendered back to itself, never converted to a list or map).
 * Throws `UserError` for text holding `{% endraw %}` itself.
 */
export function unsafeText(s: string): string {
  if (!isTemplateText(s)) return s
  if (s.includes(UNSAFE_CLOSE)) throw new UserError('an !unsafe string cannot contain "{% endraw %}"')
  return UNSAFE_OPEN + s + UNSAFE_CLOSE
}

/** Texts `!unsafe` gave (by content): a value that renders to one of them is still never rendered. */
const unsafeTexts = new Set<string>()

/** True when `s` is the text of an `!unsafe` value that has been rendered (so it must not be rendered again). */
export function wasUnsafe(s: string): boolean {
  return unsafeTexts.has(s)
}

/** True when a playbook string uses Jinja-only syntax: statements, comments or whitespace control. */
export function usesJinjaSyntax(s: string): boolean {
  return s.includes('{%') || /(^|[^{])\{#/.test(s) || s.includes('{{-') || /(^|[^-])-\}\}/.test(s)
}

/**
 * True when compiling `s` with `engine` takes handlebars' parser (a `.hbs` file, `{{#if}}` blocks, `{{~`); false
 * for a text the scan refuses (compiling it raises that error).
 */
export function usesHandlebars(s: string, engine: Engine): boolean {
  if (engine === 'hbs') return true
  if (engine !== 'auto' || usesJinjaSyntax(s) || (!s.includes('{{') && !s.includes('{%'))) return false
  try {
    return needsHandlebars(scan(s), s)
  } catch {
    return false
  }
}

/** The engine for a template file: handlebars for `.hbs`, Jinja for everything else (as Ansible). */
export function engineForFile(file: string): Engine {
  return file.endsWith('.hbs') ? 'hbs' : 'jinja'
}

/** Compile `s` (cached). `shell`: `{{ }}` values will be shell-quoted. Throws `ExprError`/`UserError`. */
export function compileTemplate(
  s: string,
  shell: boolean,
  engine: Engine = 'auto',
  jinja?: Partial<JinjaOptions>,
): Compiled {
  const env = jinja
    ? `${jinja.trimBlocks === false ? 'T' : 't'}${jinja.lstripBlocks ? 'L' : 'l'}` +
      (jinja.delimiters ? `${JSON.stringify(jinja.delimiters)}\0` : '')
    : ''
  const key = (shell ? 's' : 'p') + engine[0] + env + s
  let c = cache.get(key)
  if (c) return c
  // a playbook's template (not a template file's): Ansible's backslash rule for the strings in its `{{ }}`, applied
  // once here, where the compiled form is cached
  if (engine === 'auto') s = escapeBackslashes(s)
  if (
    engine === 'auto' &&
    s.startsWith(UNSAFE_OPEN) &&
    s.endsWith(UNSAFE_CLOSE) &&
    s.indexOf(UNSAFE_CLOSE) === s.length - UNSAFE_CLOSE.length
  ) {
    c = { kind: 'text', text: s.slice(UNSAFE_OPEN.length, -UNSAFE_CLOSE.length) }
    unsafeTexts.add(c.text)
  } else if (engine === 'jinja' || (engine === 'auto' && usesJinjaSyntax(s)))
    c = {
      kind: 'jinja',
      t: compileJinja(s, {
        trimBlocks: jinja?.trimBlocks ?? true,
        lstripBlocks: jinja?.lstripBlocks ?? false,
        delimiters: jinja?.delimiters,
      }),
      convert: engine === 'auto' && !shell,
    }
  else if (!s.includes('{{') && !s.includes('{%')) c = { kind: 'text', text: s }
  else {
    const segs = scan(s)
    if (needsHandlebars(segs, s)) c = { kind: 'hbs', hbs: compileHbs(segs, shell), segs }
    else if (!shell && segs.length === 1 && segs[0].t === 'expr' && !segs[0].raw)
      c = { kind: 'single', expr: segs[0].expr }
    else {
      // a shell script that is one value (`shell: "{{ cmd }}"`) is that script: not quoted into one word
      const whole = segs.length === 1
      const parts = segs.map((g) =>
        g.t === 'text' ? g.text : { expr: (g as { expr: Expr }).expr, raw: whole || (g as { raw: boolean }).raw },
      )
      c = { kind: 'parts', parts, segs }
      const [first, rest] = segs
      if (!shell && segs.length === 2 && first.t === 'expr' && !first.raw && rest.t === 'text' && readsBack(rest.text))
        c.trailed = { bare: first.expr.k === 'name' && rest.text === '\n' }
    }
  }
  if (cache.size >= CACHE_MAX) cache.clear()
  cache.set(key, c)
  return c
}

/** Render a compiled template: a value of any type for `single` (and converted Jinja strings), else a string. */
export function renderCompiled(c: Compiled, vars: Vars, scope: Scope, shell: boolean): unknown {
  switch (c.kind) {
    case 'text':
      return c.text
    case 'single': {
      // a datetime gives its text (inside a list or map too), as Ansible's templating
      const made = PyObject.made
      const v = plain(scope.deep(force(evaluate(c.expr, scope))), made)
      // Ansible's templating turns a none into '' unless the template is one variable's name (`{{ x }}`)
      return v === null && c.expr.k !== 'name' ? '' : v
    }
    case 'parts': {
      let out = ''
      for (const p of c.parts) {
        if (typeof p === 'string') out += p
        else {
          const made = PyObject.made
          const v = scope.deep(force(evaluate(p.expr, scope)))
          // as Ansible's: a printed list or map is read back; a number, boolean or none only through its shortcut
          // for one variable's name (`{{ name }}`, whose `$` also matches before one last newline)
          if (c.trailed && (Array.isArray(v) || isPlainMap(v))) return plain(v, made)
          if (c.trailed?.bare && (v === null || typeof v === 'number' || typeof v === 'boolean')) return v
          const s = asText(v)
          out += shell && !p.raw && !quotesItself(p.expr) ? shQuote(s) : s
        }
      }
      return out
    }
    case 'hbs':
      return renderHbs(c.hbs, vars, scope, shell)
    case 'jinja':
      return renderJinja(c.t, scope, c.convert, shell && !isOneOutput(c.t) ? shQuote : undefined)
  }
}

/**
 * Whether Ansible reads a value printed before `tail` back as that value: Python parses it with trailing blanks
 * and newlines, but not with blanks after the last newline (an indent at the end).
 */
function readsBack(tail: string): boolean {
  return /^[ \t\r\n]+$/.test(tail) && !/\n[ \t]+$/.test(tail)
}

/** `v` without Python objects, walked only when its evaluation made some (`made`: the count before it). */
const plain = (v: unknown, made: number): unknown => (PyObject.made === made ? v : plainValue(v))

/** A map as templates make them (coerce.ts's `isMap` also takes class instances, such as an undefined value). */
function isPlainMap(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false
  const proto: unknown = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

/** A Jinja template that is one `{{ }}` output and nothing else (a whole shell script given by a value). */
function isOneOutput(t: JinjaTemplate): boolean {
  return t.nodes.length === 1 && t.nodes[0].k === 'out'
}

/** The scope over `vars` in which nested template strings (a variable's value holding `{{ }}`) are rendered. */
export function scopeFor(vars: Vars): Scope {
  return rootScope(vars, (s, scope) => renderCompiled(compileTemplate(s, false), vars, scope, false))
}
