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

function nodeWords(n: TaskNode, out: Set<string>): void {
  n.when.forEach((c) => addWords(c, out))
  templated(n.vars, out)
  templated(n.environment, out)
  if (n.kind === 'block') {
    for (const part of [n.block, n.rescue, n.always]) part.forEach((c) => nodeWords(c, out))
    // the include itself (its name, when, loop) and what a templated one was found to bring
    if (n.include) nodeWords(n.include, out)
    for (const l of n.include?.dynamic?.loaded.values() ?? []) l.nodes.forEach((c) => nodeWords(c, out))
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

/** Every word a template or condition writes, in the playbook and the inventory. */
export function mentionedWords(pb: Playbook, inv: Inventory): Set<string> {
  const out = new Set<string>()
  for (const play of pb.plays) {
    for (const v of [play.vars, play.varsFiles, play.roleDefaults, play.roleVars, play.environment]) templated(v, out)
    if (typeof play.hosts === 'string') addWords(play.hosts, out)
    for (const n of [...play.tasks, ...handlerNodes(play.handlers)]) nodeWords(n, out)
  }
  for (const g of inv.groups.values()) templated(g.vars, out)
  for (const h of inv.hosts.values()) templated(h.vars, out)
  return out
}
