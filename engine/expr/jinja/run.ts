/**
 * Renders a parsed Jinja template (parse.ts) the way Ansible's templar does: values print as Python prints them
 * (`True`, `['a', 1]`; none prints nothing), undefined variables are errors where used, `{% set %}` inside a loop
 * stays in that iteration, `loop.*` describes the innermost loop, and the output ends with as many newlines as the
 * source did (Ansible adds back what Jinja drops). YAML strings (`convertData`) that render to a list, map or
 * `True`/`False` literal become that value, as Ansible's templar does for task arguments.
 *
 * @example
 * ```ts
 * renderJinja(compileJinja('{% for x in xs %}{{ loop.index }}={{ x }} {% endfor %}'), scope, false) // '1=a 2=b '
 * ```
 */
import { UserError } from '../../errors.js'
import type { JinjaOptions } from '../../types.js'
import { ExprError } from '../lexer.js'
import { quotesItself, type Expr } from '../ast.js'
import { evaluate } from '../eval.js'
import { isNamespace } from '../globals.js'
import { pyStr } from '../pystr.js'
import { filterContext } from '../registry.js'
import type { Scope } from '../scope.js'
import { pyTruthy } from '../tests.js'
import { force, short, typeName } from '../values.js'
import { convert } from './convert.js'
import { BLOCK_VALUE, parseTemplate, type Node, type Target } from './parse.js'
import { DELIMITER_NAMES, JINJA_DELIMITERS, type Delimiters } from './lex.js'
import { renderTemplate, runBlock, runExtends, type InheritRenderer, type TemplateCtx } from './inherit.js'
import { frame, renderReuse } from './reuse.js'
import { LoopControl, renderFor } from './loop.js'

export interface JinjaTemplate {
  nodes: Node[]
  /** Characters before the template body (a `#jinja2:` line), added to offsets in errors. */
  skipped: number
  /** Newlines at the end of the source, restored on the output. */
  trailing: number
}

/** Environment settings a template may change in a first line `#jinja2: trim_blocks: False, lstrip_blocks: True`. */
export type { JinjaOptions }

const DELIMITER_KEYS: Record<string, keyof Delimiters> = DELIMITER_NAMES

/** Compile template text. Throws `ExprError` (column = 1-based offset in `src`). */
export function compileJinja(src: string, o: JinjaOptions = { trimBlocks: true, lstripBlocks: false }): JinjaTemplate {
  let s = src.replace(/\r\n?/g, '\n')
  const trailing = /\n*$/.exec(s)![0].length
  const opts = { ...o }
  if (s.startsWith('#jinja2:')) {
    const eol = s.indexOf('\n')
    const line = s.slice(8, eol < 0 ? s.length : eol)
    for (const pair of line.split(',')) {
      const m = /^\s*(\w+)\s*:\s*(\S+)\s*$/.exec(pair)
      if (!m) throw new UserError(`failed to parse jinja2 override "${pair.trim()}"`)
      const v = m[2] === 'True' || m[2] === 'true'
      const quoted = /^(['"])(.+)\1$/.exec(m[2])
      if (m[1] === 'trim_blocks') opts.trimBlocks = v
      else if (m[1] === 'lstrip_blocks') opts.lstripBlocks = v
      else if (DELIMITER_KEYS[m[1]] && quoted)
        opts.delimiters = { ...(opts.delimiters ?? JINJA_DELIMITERS), [DELIMITER_KEYS[m[1]]]: quoted[2] }
      else throw new UserError(`jinja2 override "${m[1]}" is not supported (trim_blocks, lstrip_blocks, *_string)`)
    }
    s = eol < 0 ? '' : s.slice(eol + 1)
  }
  const skipped = src.replace(/\r\n?/g, '\n').length - s.length
  try {
    return { nodes: parseTemplate(s, opts), trailing, skipped }
  } catch (e) {
    if (e instanceof ExprError && skipped) throw new ExprError(e.message, e.col + skipped)
    throw e
  }
}

function iterate(v: unknown): unknown[] {
  if (Array.isArray(v)) return v
  if (typeof v === 'string') return [...v]
  if (v && typeof v === 'object') return Object.keys(v)
  throw new UserError(`cannot loop over ${typeName(v)} ${short(v)}`)
}

/** An error while rendering, with the 0-based offset in the template of the tag being rendered. */
export class JinjaRenderError extends UserError {
  constructor(
    err: UserError,
    readonly offset: number,
  ) {
    super(err.message, undefined, err.hint)
  }
}

class Renderer implements InheritRenderer {
  out = ''
  tctx?: TemplateCtx
  /** Offset of the tag being rendered, for errors. */
  at = 0

  constructor(private readonly quote?: (s: string) => string) {}

  private val(e: Expr, scope: Scope): unknown {
    return scope.deep(force(evaluate(e, scope)))
  }

  value(e: Expr, scope: Scope): unknown {
    return this.val(e, scope)
  }

  /** Render `nodes` to their own text (a macro's body, an imported template). */
  render(nodes: Node[], scope: Scope, locals: Map<string, unknown>): string {
    const saved = this.out
    this.out = ''
    try {
      this.run(nodes, scope, locals)
      return this.out
    } finally {
      this.out = saved
    }
  }

  /** A block `set`'s or `filter`'s value: its body's text through its filters (`__block__ | …`). */
  private blockValue(n: { body: Node[]; e: Expr; at: number }, scope: Scope, locals: Map<string, unknown>): unknown {
    const body = this.render(n.body, scope, locals)
    this.at = n.at
    return this.val(n.e, frame(scope, new Map([[BLOCK_VALUE, body]])))
  }

  emit(text: string): void {
    this.out += text
  }

  capture(f: () => void): string {
    const saved = this.out
    this.out = ''
    try {
      f()
      return this.out
    } finally {
      this.out = saved
    }
  }

  template(nodes: Node[], scope: Scope, top: Map<string, unknown>): string {
    const saved = this.out
    this.out = ''
    try {
      renderTemplate(this, nodes, scope, top)
      return this.out
    } finally {
      this.out = saved
    }
  }

  run(nodes: Node[], scope: Scope, locals: Map<string, unknown>): void {
    for (const n of nodes) {
      switch (n.k) {
        case 'text':
          this.out += n.text
          break
        case 'out': {
          this.at = n.at
          const v = this.val(n.e, scope)
          const text = v === null || v === undefined ? '' : pyStr(v)
          this.out += this.quote && !quotesItself(n.e) ? this.quote(text) : text
          break
        }
        case 'if': {
          const b = n.branches.find((br) => ((this.at = br.at), pyTruthy(this.val(br.c, scope))))
          if (b) this.run(b.body, scope, locals)
          else if (n.else) this.run(n.else, scope, locals)
          break
        }
        case 'for':
          this.at = n.at
          renderFor(this, n, scope, iterate)
          break
        case 'set': {
          this.at = n.at
          const v = scope.deep(evaluate(n.e, scope))
          if (n.targets.length === 1) this.assign(n.targets[0], v, scope, locals)
          else {
            const xs = iterate(force(v))
            if (xs.length !== n.targets.length)
              throw new UserError(`cannot unpack ${xs.length} values into ${n.targets.length} names`)
            n.targets.forEach((t, i) => this.assign(t, xs[i], scope, locals))
          }
          break
        }
        case 'do':
          this.at = n.at
          evaluate(n.e, scope)
          break
        case 'break':
        case 'continue':
          throw new LoopControl(n.k, n.at)
        case 'setblock':
          this.assign(n.target, this.blockValue(n, scope, locals), scope, locals)
          break
        case 'filterblock': {
          const v = this.blockValue(n, scope, locals)
          this.out += v === null || v === undefined ? '' : pyStr(v)
          break
        }
        case 'macro':
        case 'callblock':
        case 'include':
        case 'import':
          this.at = n.at
          renderReuse(this, n, scope, locals)
          break
        case 'extends':
          this.at = n.at
          runExtends(this, n, scope)
          break
        case 'block':
          this.at = n.at
          runBlock(this, n, scope)
          break
        case 'with': {
          const inner = new Map<string, unknown>()
          const s = frame(scope, inner)
          for (const [k, e] of n.assigns) inner.set(k, scope.deep(evaluate(e, scope)))
          this.run(n.body, s, inner)
          break
        }
      }
    }
  }

  private assign(t: Target, v: unknown, scope: Scope, locals: Map<string, unknown>): void {
    if ('name' in t) {
      locals.set(t.name, v)
      return
    }
    const ns = scope.lookup(t.ns)
    if (!isNamespace(ns))
      throw new UserError(
        `cannot set "${t.ns}.${t.attr}": "${t.ns}" is not a namespace() (use {% set ${t.ns} = namespace() %})`,
      )
    ns[t.attr] = force(v)
  }
}

/**
 * Render `t` against `scope`: text, or with `convertData` the value a list/map/boolean text stands for. `quote`
 * (the shell module) quotes every `{{ }}` output.
 */
export function renderJinja(
  t: JinjaTemplate,
  scope: Scope,
  convertData: boolean,
  quote?: (s: string) => string,
): unknown {
  const saved = filterContext.ansible
  filterContext.ansible = true
  try {
    const r = new Renderer(quote)
    const top = new Map<string, unknown>()
    try {
      renderTemplate(r, t.nodes, scope, top)
    } catch (e) {
      if (e instanceof LoopControl)
        throw new JinjaRenderError(new UserError(`"{% ${e.kind} %}" outside a "{% for %}" loop`), e.at + t.skipped)
      if (e instanceof UserError && !e.pos && !(e instanceof JinjaRenderError))
        throw new JinjaRenderError(e, r.at + t.skipped)
      throw e
    }
    let out = r.out
    const have = /\n*$/.exec(out)![0].length
    if (t.trailing > have) out += '\n'.repeat(t.trailing - have)
    return convertData ? convert(out) : out
  } finally {
    filterContext.ansible = saved
  }
}
