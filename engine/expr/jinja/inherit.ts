/**
 * Jinja's template inheritance, rendered as Jinja2 renders it: a template that runs `{% extends 'base.j2' %}`
 * keeps only what it printed before that statement; then the base template renders, each of its
 * `{% block name %}` showing the most derived template's block of that name. Inside a block `{{ super() }}` is the
 * next one up the chain, and `{{ self.name() }}` renders a block again anywhere. A block sees the template's
 * variables and its top-level `{% set %}` names, not the loop or macro it sits in, unless written `scoped`.
 *
 * @example
 * ```jinja
 * {# base.j2 #}<h1>{% block title %}Site{% endblock %}</h1>
 * {# page.j2 #}{% extends 'base.j2' %}{% block title %}Page - {{ super() }}{% endblock %}
 * ```
 */
import { UserError } from '../../errors.js'
import { Callable } from '../globals.js'
import type { Scope } from '../scope.js'
import type { Node } from './parse.js'
import { frame, needTemplate, type SubRenderer } from './reuse.js'

type BlockNode = Extract<Node, { k: 'block' }>

/** One template being rendered with its chain of ancestors: each block name's definitions, most derived first. */
export interface TemplateCtx {
  blocks: Map<string, BlockNode[]>
  /** The template's variables (with `self`). */
  scope: Scope
  /** Its top-level names (`{% set %}`, macros), shared by the whole chain. */
  top: Map<string, unknown>
  /** The template it extends, once `{% extends %}` ran. */
  parent?: Node[]
  /** Length of the output when `{% extends %}` ran: what follows at the top level is dropped. */
  cut: number
}

/** What inheritance needs from the renderer besides `SubRenderer`: the template being rendered and its output. */
export interface InheritRenderer extends SubRenderer {
  tctx?: TemplateCtx
  out: string
}

/** Every block a template defines, at any depth, added after those of its descendants. */
function collectBlocks(nodes: Node[], into: Map<string, BlockNode[]>, seen: Set<string>): void {
  const kids = (n: Node): Node[][] => {
    switch (n.k) {
      case 'if':
        return [...n.branches.map((b) => b.body), n.else ?? []]
      case 'for':
        return [n.body, n.else ?? []]
      case 'setblock':
      case 'filterblock':
      case 'with':
      case 'macro':
      case 'callblock':
      case 'block':
        return [n.body]
      default:
        return []
    }
  }
  for (const n of nodes) {
    if (n.k === 'block') {
      if (seen.has(n.name)) throw new UserError(`block "${n.name}" defined twice`)
      seen.add(n.name)
      into.set(n.name, [...(into.get(n.name) ?? []), n])
    }
    for (const body of kids(n)) collectBlocks(body, into, seen)
  }
}

/** Render a template's nodes into the output, following `{% extends %}` up its chain. */
export function renderTemplate(r: InheritRenderer, nodes: Node[], scope: Scope, top: Map<string, unknown>): void {
  const saved = r.tctx
  const self: Record<string, unknown> = {}
  const ctx: TemplateCtx = { blocks: new Map(), scope: frame(scope, new Map([['self', self]])), top, cut: -1 }
  r.tctx = ctx
  try {
    let cur: Node[] | undefined = nodes
    while (cur) {
      collectBlocks(cur, ctx.blocks, new Set())
      for (const name of ctx.blocks.keys()) self[name] = new Callable(name, () => renderBlock(r, ctx, name, 0))
      ctx.parent = undefined
      r.run(cur, frame(ctx.scope, top), top)
      if (ctx.cut >= 0) r.out = r.out.slice(0, ctx.cut)
      ctx.cut = -1
      cur = ctx.parent
    }
  } finally {
    r.tctx = saved
  }
}

/** `{% extends name %}`: remember the parent; the rest of this template prints nothing. */
export function runExtends(r: InheritRenderer, n: Extract<Node, { k: 'extends' }>, scope: Scope): void {
  const ctx = r.tctx
  if (!ctx) throw new UserError('"{% extends %}" outside a template')
  if (ctx.parent) throw new UserError('extended multiple times')
  ctx.parent = needTemplate(r.value(n.e, scope), scope).nodes
  ctx.cut = r.out.length
}

/** `{% block %}` where it stands: the most derived definition (nothing once the template extends another). */
export function runBlock(r: InheritRenderer, n: BlockNode, scope: Scope): void {
  const ctx = r.tctx
  if (!ctx || ctx.parent) return
  r.emit(renderBlock(r, ctx, n.name, 0, n.scoped ? scope : undefined))
}

/**
 * The `level`th definition of block `name` rendered, with `super()` for the next one; `here` is the scope where a
 * `scoped` block stands (its variables are the template's otherwise).
 */
function renderBlock(r: InheritRenderer, ctx: TemplateCtx, name: string, level: number, here?: Scope): string {
  const chain = ctx.blocks.get(name) ?? []
  const b = chain[level]
  if (!b) throw new UserError(`there is no parent block called "${name}"`)
  const locals = new Map<string, unknown>([
    ['super', new Callable('super', () => renderBlock(r, ctx, name, level + 1, here))],
  ])
  const base = here ?? frame(ctx.scope, ctx.top)
  return r.render(b.body, frame(base, locals), locals)
}
