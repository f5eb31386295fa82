/**
 * Jinja's `{% for %}`: the items (filtered by an `if`), `{% else %}` when none are left, the `loop` variable
 * (`index`, `first`, `previtem`, `cycle()`, …), and `recursive` loops whose body calls `loop(children)` to render
 * itself over other items one level deeper (`loop.depth`). A loop that is not recursive is at depth 1, also
 * inside another loop, as in Jinja.
 *
 * @example
 * ```jinja
 * {% for x in tree recursive %}{{ x.name }}{% if x.kids %}({{ loop(x.kids) }}){% endif %}{% endfor %}
 * ```
 */
import { UserError } from '../../errors.js'
import { LOOP_CALL } from '../globals.js'
import { LOOP_SEEN, markLoop } from '../methods.js'
import type { Scope } from '../scope.js'
import { pyTruthy } from '../tests.js'
import { short } from '../values.js'
import type { Node } from './parse.js'
import { frame, type SubRenderer } from './reuse.js'

type ForNode = Extract<Node, { k: 'for' }>

/** Thrown by `{% break %}`/`{% continue %}`; the innermost loop's item catches it. */
export class LoopControl {
  constructor(
    readonly kind: 'break' | 'continue',
    readonly at: number,
  ) {}
}

/** The items `iterate` gives for a value (a list, a map's keys, a string's characters). */
export type Iterate = (v: unknown) => unknown[]

/** Bind the loop's target names to item `x` (`for k, v in …` unpacks it). */
export function bindTargets(targets: string[], x: unknown, locals: Map<string, unknown>): void {
  if (targets.length === 1) {
    locals.set(targets[0], x)
    return
  }
  const xs = Array.isArray(x) ? x : typeof x === 'string' ? [...x] : undefined
  if (!xs || xs.length !== targets.length) {
    throw new UserError(`cannot unpack ${short(x)} into ${targets.length} loop variables (${targets.join(', ')})`)
  }
  targets.forEach((t, i) => locals.set(t, xs[i]))
}

/**
 * Where item `i` of `items` stands, as Jinja's `loop` and Ansible's `ansible_loop` say it: `index` (from 1),
 * `index0`, `revindex`, `revindex0`, `first`, `last`, `length`, and `previtem`/`nextitem` where there is one.
 */
export function loopPosition(items: readonly unknown[], i: number): Record<string, unknown> {
  const n = items.length
  return {
    index: i + 1,
    index0: i,
    revindex: n - i,
    revindex0: n - i - 1,
    first: i === 0,
    last: i === n - 1,
    length: n,
    ...(i > 0 ? { previtem: items[i - 1] } : {}),
    ...(i < n - 1 ? { nextitem: items[i + 1] } : {}),
  }
}

/** Render the `{% for %}` node `n` over the value of its `iter`, at `depth` (1 unless a recursive call). */
export function renderFor(r: SubRenderer, n: ForNode, scope: Scope, iterate: Iterate, depth = 1): void {
  renderItems(r, n, scope, iterate, iterate(r.value(n.iter, scope)), depth)
}

function renderItems(r: SubRenderer, n: ForNode, scope: Scope, iterate: Iterate, all: unknown[], depth: number) {
  let items = all
  if (n.cond) {
    const cond = n.cond
    items = items.filter((x) => {
      const locals = new Map<string, unknown>()
      bindTargets(n.targets, x, locals)
      return pyTruthy(r.value(cond, frame(scope, locals)))
    })
  }
  if (!items.length) {
    if (n.else) r.run(n.else, scope, new Map())
    return
  }
  const seen: { last?: unknown[] } = {}
  for (const [i, x] of items.entries()) {
    const locals = new Map<string, unknown>()
    bindTargets(n.targets, x, locals)
    const loop: Record<string | symbol, unknown> = { ...loopPosition(items, i), depth, depth0: depth - 1 }
    loop[LOOP_SEEN] = seen
    if (n.recursive)
      loop[LOOP_CALL] = (v: unknown) => r.capture(() => renderItems(r, n, scope, iterate, iterate(v), depth + 1))
    locals.set('loop', markLoop(loop))
    try {
      r.run(n.body, frame(scope, locals), locals)
    } catch (e) {
      if (!(e instanceof LoopControl)) throw e
      if (e.kind === 'break') break
    }
  }
}
