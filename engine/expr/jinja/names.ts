/**
 * The variables a Jinja template reads from outside itself, for static checks: names in `{{ }}` and statements,
 * minus those the template defines before use (`{% set %}`, `{% for %}` targets and `loop` inside the loop,
 * names an `{% if %}` tests defined inside the branch it guards,
 * `{% with %}` names, macros and their parameters, imported names). What an included, imported or extended template
 * reads is not known here, nor what the blocks of a template that extends another read.
 *
 * @example
 * ```ts
 * const tpl = compileJinja('{% set n = 1 %}{% for u in users %}{{ u }}{{ n }}{{ loop.index }}{% endfor %}')
 * jinjaNames(tpl.nodes) // ['users']
 * ```
 */
import type { Expr } from '../ast.js'
import { definedWhenFalse, definedWhenTrue, exprNames } from '../names.js'
import { BLOCK_VALUE, type Node } from './parse.js'

/** Root names the template reads that it does not define first, in order. */
export function jinjaNames(nodes: Node[]): string[] {
  const out = new Set<string>()
  const read = (e: Expr, local: Set<string>): void => {
    for (const n of exprNames(e)) if (!local.has(n)) out.add(n)
  }
  const walk = (ns: Node[], local: Set<string>): void => {
    for (const n of ns) {
      switch (n.k) {
        case 'out':
          read(n.e, local)
          break
        case 'if': {
          // a branch runs only where its test showed a name defined (`{% if x is defined %}{{ x }}`), or where the
          // earlier branches' tests did (`{% if x is undefined %}…{% else %}{{ x }}`)
          const proven: string[] = []
          const within = (extra: string[], body: Node[]) => {
            const inner = new Set([...local, ...proven, ...extra])
            walk(body, inner)
            // what a `{% set %}` in the branch defines is the template's, as Jinja's `if` has no scope of its own
            for (const x of inner) if (!proven.includes(x) && !extra.includes(x)) local.add(x)
          }
          for (const b of n.branches) {
            read(b.c, new Set([...local, ...proven]))
            within(definedWhenTrue(b.c), b.body)
            proven.push(...definedWhenFalse(b.c))
          }
          if (n.else) within([], n.else)
          break
        }
        case 'for': {
          read(n.iter, local)
          const inner = new Set([...local, ...n.targets, 'loop'])
          if (n.cond) read(n.cond, new Set([...local, ...n.targets]))
          walk(n.body, inner)
          if (n.else) walk(n.else, new Set(local))
          break
        }
        case 'set':
          read(n.e, local)
          for (const t of n.targets) {
            if ('name' in t) local.add(t.name)
            else if (!local.has(t.ns)) out.add(t.ns)
          }
          break
        case 'setblock':
          walk(n.body, new Set(local))
          if ('name' in n.target) local.add(n.target.name)
          break
        case 'filterblock':
          walk(n.body, new Set(local))
          read(n.e, new Set([...local, BLOCK_VALUE]))
          break
        case 'macro':
        case 'callblock': {
          const inner = new Set([...local, ...n.params.map(([p]) => p), 'varargs', 'kwargs', 'caller'])
          for (const [, d] of n.params) if (d) read(d, inner)
          if (n.k === 'callblock') read(n.call, local)
          else local.add(n.name)
          walk(n.body, inner)
          break
        }
        case 'include':
        case 'extends':
          read(n.e, local)
          break
        case 'block':
          // a child's block may read what its parent's scoped block has (a loop variable): not known here
          if (!extending) walk(n.body, new Set([...local, 'super']))
          break
        case 'import':
          read(n.e, local)
          if (n.alias) local.add(n.alias)
          for (const [, alias] of n.names ?? []) local.add(alias)
          break
        case 'with': {
          const inner = new Set(local)
          for (const [k, e] of n.assigns) {
            read(e, local)
            inner.add(k)
          }
          walk(n.body, inner)
          break
        }
      }
    }
  }
  const extending = nodes.some((n) => n.k === 'extends')
  walk(nodes, new Set(['__block__', 'self']))
  return [...out]
}
