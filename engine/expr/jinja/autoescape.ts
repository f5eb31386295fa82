/**
 * `{% autoescape VALUE %}…{% endautoescape %}` as Ansible 2.14 renders it: its Jinja never escapes, so the block is
 * a `with` scope (what it sets stays inside) that evaluates VALUE and escapes nothing. The value is kept under a
 * name no template can spell. Jinja tests the value's truth to write the block's literal text, so an undefined
 * value fails when the block holds text and not when it holds only `{{ … }}` (checked with ansible-playbook).
 *
 * @example
 * ```jinja
 * {% autoescape true %}{{ '<b>' }}{% endautoescape %}   {# <b> #}
 * ```
 */
import type { Expr } from '../ast.js'
import type { Node } from './parse.js'

const AUTOESCAPE = ' autoescape'

/** Whether literal text is written by these nodes, or by the blocks, branches and loops among them. */
function hasText(nodes: readonly Node[]): boolean {
  return nodes.some((n) => {
    switch (n.k) {
      case 'text':
        return n.text !== ''
      case 'if':
        return n.branches.some((b) => hasText(b.body)) || hasText(n.else ?? [])
      case 'for':
        return hasText(n.body) || hasText(n.else ?? [])
      case 'with':
      case 'filterblock':
      case 'setblock':
        return hasText(n.body)
      default:
        return false
    }
  })
}

/** The node for an autoescape block of `value` around `body`. */
export function autoescapeBlock(value: Expr, body: Node[]): Node {
  // with text: `not not VALUE`; without: `VALUE is defined` (evaluated, an undefined one tolerated, and not a name
  // the static checks require)
  const e: Expr = hasText(body)
    ? { k: 'not', e: { k: 'not', e: value } }
    : { k: 'test', name: 'defined', e: value, args: [], kw: [], neg: false, col: 0 }
  return { k: 'with', assigns: [[AUTOESCAPE, e]], body }
}
