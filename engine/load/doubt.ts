/**
 * Whether a task certainly runs when its play does, for findings that are errors only then: a `when` above it, a
 * `rescue`, a block with a `rescue` or `ignore_errors` make a finding a warning, with the reason.
 *
 * @example
 * ```ts
 * visit(play.tasks, undefined, (n, doubt) => (doubt ? warn : refuse)(n)) // doubt: 'rescue runs only after a failure'
 * ```
 */
import type { TaskNode } from '../ast.js'

/** Why a finding may be wrong (undefined: it is certain). */
export type Doubt = string | undefined

/** Walk task nodes, telling whether each may be skipped (a `when` above it or on its include, or a `rescue`). */
export function visit(nodes: readonly TaskNode[], doubt: Doubt, f: (n: TaskNode, doubt: Doubt) => void): void {
  for (const n of nodes) {
    f(n, doubt)
    if (n.kind !== 'block') continue
    const skip = n.when.length
      ? 'its block may be skipped by "when"'
      : n.include?.when.length
        ? `the ${n.include.module} may be skipped by its "when"`
        : undefined
    const inner = doubt ?? ignored(n) ?? skip
    visit(n.block, inner ?? (n.rescue.length ? 'a rescue takes over when it fails' : undefined), f)
    visit(n.always, inner, f)
    visit(n.rescue, inner ?? 'rescue runs only after a failure', f)
  }
}

/** A task or block whose failure is ignored: an undefined variable there fails it, and the run goes on. */
export function ignored(n: TaskNode): Doubt {
  return n.ignoreErrors === true || typeof n.ignoreErrors === 'string'
    ? 'its failure is ignored (ignore_errors)'
    : undefined
}
