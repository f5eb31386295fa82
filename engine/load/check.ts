/**
 * Undefined variables, found before any host is contacted: every root variable name read by a template
 * (`{{ x.y }}`) or a condition (`when: x == 1`) must be defined somewhere — play vars, vars_files, role
 * defaults/vars, block/task vars, inventory vars of any host or group, `register`ed names, `set_fact` keys,
 * loop variables, facts (`facts`, `ansible_*`), magic variables or extra vars. Names only tested with
 * `is defined`/`is not defined` or given a `default(…)` don't count. The check is deliberately lenient about
 * scope (a name defined anywhere in the playbook counts) so it never rejects a playbook that can run.
 *
 * @example
 * ```yaml
 * - debug: { msg: "{{ hydra_prot }}" }  # error: undefined variable "hydra_prot" (did you mean "hydra_port"?)
 * ```
 */
import { basename } from 'node:path'
import type { Inventory, Play, Playbook, Task, TaskNode } from '../ast.js'
import { UserError } from '../errors.js'
import { exprVariables } from '../expr.js'
import { engineForFile, templateVariables } from '../template.js'
import type { SourcePos, Vars } from '../types.js'
import { conditionPositions, sourceOf, whenPositionsOf } from './common.js'
import { offsetPos, taskSourceFile, templateText } from './files.js'
import { didYouMean } from './suggest.js'
import { bestPos, valuePos } from './positions.js'

/** Names that always exist at run time. */
export const MAGIC_VARS: readonly string[] = [
  'inventory_hostname', 'inventory_hostname_short', 'groups', 'group_names', 'hostvars', 'play_hosts', 'ansible_play_hosts',
  'ansible_play_batch', 'ansible_check_mode', 'ansible_diff_mode', 'item', 'ansible_loop', 'ansible_loop_var', 'facts',
  'ansible_facts', 'omit', 'playbook_dir', 'role_path', 'role_name', 'inventory_dir', 'inventory_file', 'environment',
  'vars', 'lookup', 'query', 'range', 'true', 'false', 'none', 'True', 'False', 'None', 'null',
]

/** Report variables read but defined nowhere. */
export function checkUndefinedVariables(pb: Playbook, inv: Inventory, extraVars: Vars): UserError[] {
  const global = new Set<string>([...MAGIC_VARS, ...Object.keys(extraVars)])
  for (const h of inv.hosts.values()) Object.keys(h.vars).forEach((k) => global.add(k))
  for (const g of inv.groups.values()) Object.keys(g.vars).forEach((k) => global.add(k))
  // registered results and set_fact keys live on the host across plays
  for (const play of pb.plays) walk([...play.tasks, ...play.handlers], (t) => {
    if (t.register) global.add(t.register)
    if (t.module === 'set_fact') Object.keys(t.args).forEach((k) => global.add(k))
  })
  const errors: UserError[] = []
  const seen = new Set<string>()
  for (const play of pb.plays) {
    const defined = new Set(global)
    for (const v of [play.vars, play.varsFiles, play.roleDefaults, play.roleVars]) Object.keys(v).forEach((k) => defined.add(k))
    walkNodes([...play.tasks, ...play.handlers], (n) => Object.keys(n.vars).forEach((k) => defined.add(k)))
    const report = (name: string, where: string, pos: SourcePos): void => {
      if (isDefined(name, defined)) return
      const id = `${name}@${pos.file}:${pos.line}:${pos.col}`
      if (seen.has(id)) return
      seen.add(id)
      errors.push(new UserError(`undefined variable "${name}" in ${where}`, pos, didYouMean(name, defined) ?? '(define it in vars, vars_files, the inventory or with -e)'))
    }
    checkPlay(play, report)
    walkNodes([...play.tasks, ...play.handlers], (n) => checkNode(n, defined, report))
  }
  return errors
}

type Report = (name: string, where: string, pos: SourcePos) => void

function isDefined(name: string, defined: Set<string>): boolean {
  return defined.has(name) || name.startsWith('ansible_') || name.startsWith('tsplay_')
}

function walk(nodes: TaskNode[], f: (t: Task) => void): void {
  walkNodes(nodes, (n) => n.kind === 'task' && f(n))
}

function walkNodes(nodes: TaskNode[], f: (n: TaskNode) => void): void {
  for (const n of nodes) {
    f(n)
    if (n.kind === 'block') walkNodes([...n.block, ...n.rescue, ...n.always], f)
  }
}

/** Every template string (deep) under `container[key]`. */
function templates(container: unknown, key: string | number, fallback: SourcePos, what: string, out: (s: string, where: string, pos: SourcePos) => void): void {
  const v = (container as Record<string | number, unknown> | undefined)?.[key]
  if (typeof v === 'string') {
    if (v.includes('{{') || v.includes('{%')) out(v, what, bestPos(container, key, fallback))
  } else if (Array.isArray(v)) v.forEach((_, i) => templates(v, i, bestPos(container, key, fallback), what, out))
  else if (typeof v === 'object' && v !== null) Object.keys(v).forEach((k) => templates(v, k, bestPos(container, key, fallback), `${what}.${k}`, out))
}

function templateNames(s: string): string[] {
  try {
    return templateVariables(s)
  } catch {
    return [] // syntax errors are reported by the loader
  }
}

function exprNames(s: string): string[] {
  try {
    return exprVariables(s)
  } catch {
    return []
  }
}

function checkPlay(play: Play, report: Report): void {
  const onTemplate = (s: string, where: string, pos: SourcePos) => templateNames(s).forEach((n) => report(n, where, pos))
  for (const k of Object.keys(play.vars)) templates(play.vars, k, play.pos, `vars.${k}`, onTemplate)
  if (play.environment) for (const k of Object.keys(play.environment)) templates(play.environment, k, play.pos, `environment.${k}`, onTemplate)
  for (const src of [play.varsFiles, play.roleDefaults, play.roleVars]) for (const k of Object.keys(src)) templates(src, k, play.pos, k, onTemplate)
}

function checkNode(n: TaskNode, defined: Set<string>, report: Report): void {
  const label = n.name ? `"${n.name}"` : n.kind === 'task' ? n.module : 'block'
  const local = new Set<string>()
  if (n.kind === 'task' && n.loop !== undefined) local.add(n.loopVar)
  const rep: Report = (name, where, pos) => (local.has(name) ? undefined : report(name, where, pos))
  const onTemplate = (s: string, where: string, pos: SourcePos) => templateNames(s).forEach((v) => rep(v, `${where} of ${label}`, pos))
  const raw = sourceOf(n)
  const whenPos = whenPositionsOf(n)
  n.when.forEach((c, i) => exprNames(c).forEach((v) => rep(v, `when of ${label}`, whenPos[i] ?? n.pos)))
  for (const k of Object.keys(n.vars)) templates(n.vars, k, n.pos, `vars.${k}`, onTemplate)
  if (n.environment) for (const k of Object.keys(n.environment)) templates(n.environment, k, n.pos, `environment.${k}`, onTemplate)
  if (n.kind !== 'task') return
  for (const k of Object.keys(n.args)) templates(n.args, k, n.argsPos, `${n.module}.${k}`, onTemplate)
  if (typeof n.loop === 'string' || Array.isArray(n.loop)) templates({ loop: n.loop }, 'loop', raw ? bestPos(raw, 'loop', n.pos) : n.pos, 'loop', onTemplate)
  for (const [key, list] of [['changed_when', n.changedWhen], ['failed_when', n.failedWhen], ['until', n.until]] as const) {
    if (!list) continue
    const ps = raw ? conditionPositions(raw, key, list.length, n.pos) : list.map(() => n.pos)
    list.forEach((c, i) => exprNames(c).forEach((v) => rep(v, `${key} of ${label}`, ps[i])))
  }
  checkTemplateFile(n, rep)
  for (const [key, v] of [['delegate_to', n.delegateTo], ['loop_control.label', n.loopLabel]] as const) {
    if (v) templateNames(v).forEach((name) => rep(name, `${key} of ${label}`, raw ? (valuePos(raw, key) ?? n.pos) : n.pos))
  }
}

/** A `template` task's file: its variables, each reported at its first use in the file. */
function checkTemplateFile(task: Task, rep: Report): void {
  if (task.module !== 'template') return
  const file = taskSourceFile(task)
  let text: string | undefined
  try {
    text = file ? templateText(file) : undefined
  } catch {
    return // bad UTF-8 is reported by the loader
  }
  if (!file || text === undefined) return
  let names: string[]
  try {
    names = templateVariables(text, engineForFile(file))
  } catch {
    return // syntax errors are reported by the loader
  }
  if (!names.length) return
  const first = new Map<string, number>()
  for (const m of text.matchAll(/\{\{[^}]*\}\}|\{%[^%]*%\}/g)) {
    for (const w of m[0].matchAll(/(?<![\w.'"])[A-Za-z_][\w-]*/g)) if (!first.has(w[0])) first.set(w[0], m.index + (w.index ?? 0))
  }
  for (const name of names) rep(name, `template ${basename(file)}`, offsetPos(file, text, first.get(name) ?? 0))
}
