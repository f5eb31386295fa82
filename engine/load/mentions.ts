/**
 * Every word written inside a template (`{{ … }}`, `{% … %}`), a condition (`when`, `failed_when`, …) or a
 * template file, anywhere in a playbook, its roles and the inventory. It over-approximates "the names that are
 * read" (`hostvars[h]['x']`, `lookup('vars', 'x')` count too), so a variable missing from it is certainly read by
 * nothing: the base of the "unused inventory variable" warning.
 *
 * @example
 * ```ts
 * mentionedWords(pb, inv).has('hydra_port') // true: "{{ hydra_port }}" is written in a task or template
 * ```
 */
import { handlerNodes, type Inventory, type Playbook, type TaskNode } from '../ast.js'
import { taskSourceFile } from './files.js'
import { templateText } from '../source/files.js'

const WORD = /[A-Za-z_][A-Za-z0-9_]*/g

function addWords(text: string, out: Set<string>): void {
  for (const m of text.matchAll(WORD)) out.add(m[0])
}

/** Words of every templated string under `v` (deep). */
function templated(v: unknown, out: Set<string>, depth = 0): void {
  if (depth > 64) return
  if (typeof v === 'string') {
    if (v.includes('{{') || v.includes('{%')) addWords(v, out)
  } else if (Array.isArray(v)) v.forEach((x) => templated(x, out, depth + 1))
  else if (typeof v === 'object' && v !== null) Object.values(v).forEach((x) => templated(x, out, depth + 1))
}

/** Words of `n` itself but its `when` and the tasks inside it: what it reads once its `when` holds. */
export function ownWords(n: TaskNode, out: Set<string>): void {
  templated(n.vars, out)
  templated(n.environment, out)
  if (n.kind === 'block') {
    // the include itself (its name, loop); its `when` is read before, as a task's
    if (n.include) ownWords(n.include, out)
    return
  }
  templated(n.args, out)
  if (typeof n.loop === 'string') addWords(n.loop, out)
  else templated(n.loop, out)
  for (const list of [n.changedWhen, n.failedWhen, n.until]) list?.forEach((c) => addWords(c, out))
  for (const s of [n.delegateTo, n.loopLabel]) if (s) addWords(s, out)
  if (n.module === 'template') {
    const file = taskSourceFile(n)
    try {
      const text = file ? templateText(file) : undefined
      if (text) addWords(text, out)
    } catch {
      // bad UTF-8 is reported by the loader
    }
  }
}

/** The tasks inside a block: its parts, and what a templated include was found to bring. */
export function innerNodes(n: TaskNode): TaskNode[] {
  if (n.kind !== 'block') return []
  const loaded = [...(n.include?.dynamic?.loaded.values() ?? [])].flatMap((l) => l.nodes)
  return [...n.block, ...n.rescue, ...n.always, ...loaded]
}

/** Words of the `when` conditions of `n` (and of its include's). */
export function whenWords(n: TaskNode, out: Set<string>): void {
  n.when.forEach((c) => addWords(c, out))
  if (n.kind === 'block') n.include?.when.forEach((c) => addWords(c, out))
}

function nodeWords(n: TaskNode, out: Set<string>): void {
  whenWords(n, out)
  ownWords(n, out)
  innerNodes(n).forEach((c) => nodeWords(c, out))
}

/** Words of a play's own templates: its variables, environment and hosts. */
export function playWords(play: Playbook['plays'][number], out: Set<string>): void {
  for (const v of [play.vars, play.varsFiles, play.roleDefaults, play.roleVars, play.environment]) templated(v, out)
  if (typeof play.hosts === 'string') addWords(play.hosts, out)
}

/** Words of the inventory's variables. */
export function inventoryWords(inv: Inventory, out: Set<string>): void {
  for (const g of inv.groups.values()) templated(g.vars, out)
  for (const h of inv.hosts.values()) templated(h.vars, out)
}

/** Every word a template or condition writes, in the playbook and the inventory. */
export function mentionedWords(pb: Playbook, inv: Inventory): Set<string> {
  const out = new Set<string>()
  for (const play of pb.plays) {
    playWords(play, out)
    for (const n of [...play.tasks, ...handlerNodes(play.handlers)]) nodeWords(n, out)
  }
  inventoryWords(inv, out)
  return out
}
