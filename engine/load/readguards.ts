/**
 * Where each variable is read, and which names are known defined at every such place. A task under
 * `when: cert is defined` reads `cert_dir` (whose value is `"{{ cert | dirname }}"`) only when `cert` is defined;
 * Ansible renders a variable's value only where it is read, so `cert` missing is no error then. For each word
 * written anywhere (engine/load/mentions.ts), the names every place that writes it has shown defined: a task's or
 * an enclosing block's or include's `when` (`x is defined`, and-chains of such tests). A variable's value, a play's
 * keyword and the inventory show nothing defined; a word in a `when` is read before that `when` holds.
 *
 * @example
 * ```ts
 * readGuards(pb).get('cert_dir') // Set { 'cert' }: read only by tasks whose `when` tests "cert is defined"
 * ```
 */
import { handlerNodes, type Inventory, type Playbook, type TaskNode } from '../ast.js'
import { isTemplatedCondition, parseExpr } from '../expr.js'
import { definedWhenTrue } from '../expr/names.js'
import { innerNodes, inventoryWords, ownWords, playWords, whenWords } from './mentions.js'

/** The names a list of conditions, all of which hold, shows defined. */
function shownDefined(conds: readonly string[]): string[] {
  return conds.flatMap((c) => {
    if (isTemplatedCondition(c)) return []
    try {
      return definedWhenTrue(parseExpr(c))
    } catch {
      return [] // syntax errors are reported by the loader
    }
  })
}

/** For each word read anywhere, the names shown defined at every place that reads it. */
export function readGuards(pb: Playbook, inv: Inventory): Map<string, ReadonlySet<string>> {
  const out = new Map<string, Set<string>>()
  const none: ReadonlySet<string> = new Set()
  const site = (words: Set<string>, guards: ReadonlySet<string>) => {
    for (const w of words) {
      const seen = out.get(w)
      if (!seen) out.set(w, new Set(guards))
      else for (const g of seen) if (!guards.has(g)) seen.delete(g)
    }
  }
  const collect = (f: (words: Set<string>) => void) => {
    const words = new Set<string>()
    f(words)
    return words
  }
  const walk = (nodes: readonly TaskNode[], guards: ReadonlySet<string>) => {
    for (const n of nodes) {
      site(
        collect((w) => whenWords(n, w)),
        guards,
      )
      const when = [...n.when, ...(n.kind === 'block' ? (n.include?.when ?? []) : [])]
      const inner = new Set([...guards, ...shownDefined(when)])
      site(
        collect((w) => ownWords(n, w)),
        inner,
      )
      walk(innerNodes(n), inner)
    }
  }
  for (const play of pb.plays) {
    site(
      collect((w) => playWords(play, w)),
      none,
    )
    walk([...play.tasks, ...handlerNodes(play.handlers)], none)
  }
  site(
    collect((w) => inventoryWords(inv, w)),
    none,
  )
  return out
}
