/**
 * Undefined variables, found before any host is contacted: every root variable name read by a template
 * (`{{ x.y }}`) or a condition (`when: x == 1`) must be defined somewhere — play vars, vars_files, role
 * defaults/vars, block/task vars, inventory vars of any host or group, `register`ed names, `set_fact` keys,
 * loop variables, facts (`facts`, `ansible_*`), magic variables or extra vars. Names only tested with
 * `is defined`/`is not defined` or given a `default(…)` don't count. Scope is lenient (a name defined anywhere
 * in the playbook counts). Each finding is reported where the name is written (a task, a template file, a
 * play/role/inventory variable's value), with a "did you mean".
 *
 * Error or warning: a finding is an ERROR only when it is certain — nothing in the playbook can define names at
 * run time that the loader cannot see (`include_vars`, includes, templated `set_fact` keys) and
 * the place that reads the name always runs and its failure ends the host's play (a task under no `when`, outside
 * `rescue`, not under `ignore_errors` nor in a block with a `rescue`; or a variable's value that some template
 * reads). Anything else is a WARNING: Ansible would run it, and so does tsplay.
 *
 * @example
 * ```yaml
 * - debug: { msg: "{{ hydra_prot }}" }  # error: undefined variable "hydra_prot" (did you mean "hydra_port"?)
 * ```
 */
import { basename } from 'node:path'
import { handlerNodes, type Inventory, type Play, type Playbook, type Task, type TaskNode } from '../ast.js'
import { UserError } from '../errors.js'
import { exprVariables, isTemplatedCondition, parseExpr } from '../expr.js'
import { definedWhenTrue } from '../expr/names.js'
import { engineForFile, jinjaOptionsOf, renderString, TEMPLATE_FILE_VARS, templateVariables } from '../template.js'
import type { SourcePos, Vars } from '../types.js'
import { checkSyntaxRemembered } from './syntaxcache.js'
import { conditionPositions, sourceOf, whenPositionsOf } from './common.js'
import { taskSourceFile } from './files.js'
import { templateText } from '../source/files.js'
import { includeVarsNames } from './includevarsnames.js'
import { ignored, visit, type Doubt } from './doubt.js'
import { mentionedWords } from './mentions.js'
import { readGuards } from './readguards.js'
import { didYouMean } from '../source/suggest.js'
import { bestPos, offsetPos, valuePos } from '../source/positions.js'

/** Names that always exist at run time. */
export const MAGIC_VARS: readonly string[] = [
  'inventory_hostname',
  'inventory_hostname_short',
  'groups',
  'group_names',
  'hostvars',
  'play_hosts',
  'ansible_play_hosts',
  'ansible_play_batch',
  'ansible_play_hosts_all',
  'ansible_check_mode',
  'ansible_diff_mode',
  'ansible_playbook_python',
  'ansible_verbosity',
  'ansible_inventory_sources',
  'ansible_version',
  'ansible_forks',
  'ansible_config_file',
  'ansible_run_tags',
  'ansible_skip_tags',
  'item',
  'ansible_loop',
  'ansible_loop_var',
  'facts',
  'ansible_facts',
  // a fact gathering's own two facts, named without the prefix as Ansible's setup returns them
  'gather_subset',
  'module_setup',
  'omit',
  'playbook_dir',
  'role_path',
  'role_name',
  'ansible_host',
  'ansible_role_name',
  'role_names',
  'ansible_role_names',
  'ansible_play_role_names',
  'ansible_dependent_role_names',
  'ansible_parent_role_names',
  'ansible_parent_role_paths',
  'inventory_dir',
  'inventory_file',
  'environment',
  'vars',
  'lookup',
  'query',
  'range',
  'true',
  'false',
  'none',
  'True',
  'False',
  'None',
  'null',
]

/** Modules that define variables the loader cannot list (their names come from files or templates at run time). */
const RUNTIME_DEFINERS = ['include_vars', 'include_tasks', 'include_role', 'import_role']

/** The variables a module sets at run time: facts (`getent_passwd`, `packages`), `add_host`'s host variables. */
function moduleFacts(t: Task): string[] {
  if (t.module === 'getent' && typeof t.args.database === 'string') return [`getent_${t.args.database}`]
  if (t.module === 'package_facts') return ['packages']
  if (t.module === 'service_facts') return ['services']
  const special = ['name', 'host', 'hostname', 'groups', 'group', 'groupname']
  if (t.module === 'add_host') return Object.keys(t.args).filter((k) => !special.includes(k))
  return []
}

/** What the variable check found. */
export interface VariableFindings {
  errors: UserError[]
  warnings: UserError[]
  /** Every word written in a template or condition anywhere (engine/load/mentions.ts). */
  mentioned: Set<string>
}

/** Report variables read but defined nowhere: certain ones as errors, the rest as warnings. */
export function checkUndefinedVariables(pb: Playbook, inv: Inventory, extraVars: Vars): VariableFindings {
  const global = new Set<string>([...MAGIC_VARS, ...Object.keys(extraVars)])
  for (const h of inv.hosts.values()) Object.keys(h.vars).forEach((k) => global.add(k))
  for (const g of inv.groups.values()) Object.keys(g.vars).forEach((k) => global.add(k))
  let dynamic: Doubt
  // registered results and set_fact keys live on the host across plays
  for (const play of pb.plays) {
    if (play.lateVarsFiles?.length) dynamic ??= 'a vars_files entry loaded at run time may define it'
    walk([...play.tasks, ...handlerNodes(play.handlers)], (t) => {
      if (t.register) global.add(t.register)
      if (t.module === 'set_fact')
        Object.keys(t.args).forEach((k) =>
          k.includes('{{') ? (dynamic ??= 'a templated set_fact may define it') : global.add(k),
        )
      if (RUNTIME_DEFINERS.includes(t.module)) dynamic ??= `${t.module} may define it at run time`
      // what the files an include_vars may read define counts as defined (each system's vars file, say)
      if (t.module === 'include_vars') includeVarsNames(t.args, t.searchPaths).forEach((k) => global.add(k))
      if (t.moduleTemplate) dynamic ??= `a ${t.module} whose arguments a template gives may define it`
      if (t.external) dynamic ??= `the facts the ${t.module} module of the playbook returns may define it`
      for (const fact of moduleFacts(t))
        if (fact.includes('{{')) dynamic ??= `a templated ${t.module} may define it`
        else global.add(fact)
    })
    walkNodes([...play.tasks, ...handlerNodes(play.handlers)], (n) => {
      // an include registers its result too
      if (n.kind === 'block' && n.include?.register) global.add(n.include.register)
      // what a templated include brings is known only at run time
      if (n.kind === 'block' && n.include?.dynamic) dynamic ??= `${n.include.dynamic.name} may define it at run time`
      // a public include_role's defaults and vars are the play's once it ran
      const pub = n.kind === 'block' ? n.include?.publicVars : undefined
      for (const k of Object.keys({ ...pub?.defaults, ...pub?.vars })) global.add(k)
    })
  }
  const out: VariableFindings = { errors: [], warnings: [], mentioned: mentionedWords(pb, inv) }
  const seen = new Set<string>()
  const everywhere = new Set(global)
  const pending: Array<{
    name: string
    where: string
    pos: SourcePos
    defined: Set<string>
    doubt: Doubt
    owner?: string
  }> = []
  for (const play of pb.plays) {
    const defined = new Set(global)
    for (const v of [play.vars, play.varsFiles, play.roleDefaults, play.roleVars])
      Object.keys(v).forEach((k) => defined.add(k))
    for (const p of play.varsPrompt ?? []) defined.add(p.name)
    walkNodes([...play.tasks, ...handlerNodes(play.handlers)], (n) => {
      Object.keys(n.vars).forEach((k) => defined.add(k))
      // a private include_role's defaults (on its block, and its handlers')
      Object.keys(n.defaults ?? {}).forEach((k) => defined.add(k))
      // a looped include's loop and index variables are defined in the tasks it brings
      if (n.kind === 'block' && n.include?.loop !== undefined) defined.add(loopVarOf(n.include))
      if (n.kind === 'block' && n.include?.loopIndexVar) defined.add(n.include.loopIndexVar)
    })
    defined.forEach((k) => everywhere.add(k))
    const report =
      (doubt: Doubt, owner?: string): Report =>
      (name, where, pos) => {
        if (!isDefined(name, defined)) pending.push({ name, where, pos, defined, doubt, owner })
      }
    checkPlay(play, report)
    visit([...play.tasks, ...handlerNodes(play.handlers)], undefined, (n, doubt) =>
      checkNode(n, doubt, (d) => report(d)),
    )
  }
  checkInventory(inv, (owner) => (name, where, pos) => {
    if (!isDefined(name, everywhere)) pending.push({ name, where, pos, defined: everywhere, doubt: undefined, owner })
  })
  let guards: Map<string, ReadonlySet<string>> | undefined
  // a variable's value is rendered only where the variable is read
  const ownerDoubt = (owner: string, name: string): Doubt => {
    if (!out.mentioned.has(owner)) return `"${owner}" is read by nothing`
    guards ??= readGuards(pb, inv)
    if (guards.get(owner)?.has(name)) return `"${owner}" is read only where a "when" shows "${name}" defined`
    return undefined
  }
  for (const f of pending) {
    f.pos = namePos(f.pos, f.name)
    const id = `${f.name}@${f.pos.file}:${f.pos.line}:${f.pos.col}`
    if (seen.has(id)) continue
    seen.add(id)
    const doubt = dynamic ?? f.doubt ?? (f.owner !== undefined ? ownerDoubt(f.owner, f.name) : undefined)
    // never the variable whose value reads the name (`_x: "{{ x | join }}"` does not mean `_x`)
    const others = f.owner === undefined ? f.defined : [...f.defined].filter((k) => k !== f.owner)
    const hint = didYouMean(f.name, others) ?? '(define it in vars, vars_files, the inventory or with -e)'
    if (doubt)
      out.warnings.push(new UserError(`variable "${f.name}" in ${f.where} is defined nowhere (${doubt})`, f.pos, hint))
    else out.errors.push(new UserError(`undefined variable "${f.name}" in ${f.where}`, f.pos, hint))
  }
  return out
}

/** The position of `name` itself, searched in the source from where its value starts (same line or the next few). */
function namePos(pos: SourcePos, name: string): SourcePos {
  let text: string | undefined
  try {
    text = pos.file.startsWith('(') ? undefined : templateText(pos.file)
  } catch {
    return pos
  }
  if (!text) return pos
  let offset = 0
  for (let line = 1; line < pos.line; line++) {
    offset = text.indexOf('\n', offset) + 1
    if (offset === 0) return pos
  }
  offset += pos.col - 1
  const re = new RegExp(`(?<![\\w.])${name.replace(/[^\w]/g, '')}(?!\\w)`, 'g')
  re.lastIndex = offset
  const m = re.exec(text.slice(0, offset + 2000))
  return m ? offsetPos(pos.file, text, m.index) : pos
}

type Report = (name: string, where: string, pos: SourcePos) => void

const isVarsMap = (v: unknown): v is Vars => typeof v === 'object' && v !== null && !Array.isArray(v)

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
function templates(
  container: unknown,
  key: string | number,
  fallback: SourcePos,
  what: string,
  out: (s: string, where: string, pos: SourcePos) => void,
): void {
  const v = (container as Record<string | number, unknown> | undefined)?.[key]
  if (typeof v === 'string') {
    if (v.includes('{{') || v.includes('{%')) out(v, what, bestPos(container, key, fallback))
  } else if (Array.isArray(v)) v.forEach((_, i) => templates(v, i, bestPos(container, key, fallback), what, out))
  else if (typeof v === 'object' && v !== null)
    Object.keys(v).forEach((k) => templates(v, k, bestPos(container, key, fallback), `${what}.${k}`, out))
}

function templateNames(s: string): string[] {
  try {
    return checkSyntaxRemembered(s) === undefined ? templateVariables(s) : [] // the loader reports the error
  } catch {
    return [] // syntax errors are reported by the loader
  }
}

/**
 * Each condition's names (see `exprNames`) for a list that must all hold (`when`, `failed_when`, assert's `that`):
 * Ansible stops at the first false one, so names an earlier one tests defined are left out of the later ones.
 */
function listNames(list: readonly string[]): string[][] {
  const guarded = new Set<string>()
  return list.map((s) => {
    try {
      // a condition Ansible renders first: the names its template reads (its rendered text is known only then)
      if (isTemplatedCondition(s)) return templateNames(s)
      const e = parseExpr(s)
      const names = exprVariables(e, guarded)
      definedWhenTrue(e).forEach((n) => guarded.add(n))
      return names
    } catch {
      return []
    }
  })
}

function checkPlay(play: Play, report: (doubt: Doubt, owner?: string) => Report): void {
  const each = (vars: Vars, what: (k: string) => string, owned: boolean) => {
    for (const k of Object.keys(vars)) {
      const rep = report(undefined, owned ? k : undefined)
      templates(vars, k, play.pos, what(k), (s, where, pos) => templateNames(s).forEach((n) => rep(n, where, pos)))
    }
  }
  each(play.vars, (k) => `vars.${k}`, true)
  // a play's templated keywords are rendered before the play, with the play's variables (`port` when a connection
  // opens, with the host's too: the inventory's names count as defined here as well)
  const before = [
    ['hosts', play.hosts],
    ['gather_facts', play.gatherFacts],
    ['throttle', play.throttle],
    ['timeout', play.taskTimeout],
    ['max_fail_percentage', play.maxFailPercentage],
    ['gather_timeout', play.gatherTimeout],
    ['port', play.port],
    ...(play.serial ?? []).map((e) => ['serial', e] as const),
  ] as const
  for (const [key, v] of before)
    if (typeof v === 'string' && v.includes('{{')) templateNames(v).forEach((n) => report(undefined)(n, key, play.pos))
  if (isVarsMap(play.environment)) each(play.environment, (k) => `environment.${k}`, false)
  else if (play.environment) each({ environment: play.environment }, () => 'environment', false)
  for (const src of [play.varsFiles, play.roleDefaults, play.roleVars]) each(src, (k) => `variable "${k}"`, true)
}

/** Inventory variables' values (group_vars, host_vars, inline). */
function checkInventory(inv: Inventory, report: (owner: string) => Report): void {
  const groups = [...inv.groups.values()].map((g) => [`group "${g.name}"`, g.vars, g.pos] as const)
  const hosts = [...inv.hosts.values()].map((h) => [`host "${h.name}"`, h.vars, h.pos] as const)
  for (const [who, vars, pos] of [...groups, ...hosts]) {
    for (const k of Object.keys(vars)) {
      const rep = report(k)
      const fallback = pos ?? { file: inv.sources[0] ?? '(inventory)', line: 1, col: 1 }
      templates(vars, k, fallback, `variable "${k}" of ${who}`, (s, where, p) =>
        templateNames(s).forEach((n) => rep(n, where, p)),
      )
    }
  }
}

/** A task's loop variable: a templated `loop_var` as its own `vars` render it (else the template, read by none). */
function loopVarOf(t: Task): string {
  if (!t.loopVar.includes('{{')) return t.loopVar
  try {
    return renderString(t.loopVar, t.vars).trim()
  } catch {
    return t.loopVar
  }
}

/** One task or block: its own `when` is read whenever its parent runs; the rest only when the `when` holds. */
function checkNode(n: TaskNode, parent: Doubt, reportFor: (doubt: Doubt) => Report): void {
  const label = n.name ? `"${n.name}"` : n.kind === 'task' ? n.module : 'block'
  const local = new Set<string>()
  if (n.kind === 'task' && n.loop !== undefined) local.add(loopVarOf(n))
  if (n.kind === 'task' && n.loopIndexVar) local.add(n.loopIndexVar)
  if (n.kind === 'block' && n.include?.loop !== undefined) local.add(loopVarOf(n.include))
  const own = parent ?? ignored(n)
  const guarded = reportFor(own ?? (n.when.length ? 'the task may be skipped by its "when"' : undefined))
  const always = reportFor(own)
  const rep: Report = (name, where, pos) => (local.has(name) ? undefined : guarded(name, where, pos))
  const onTemplate = (s: string, where: string, pos: SourcePos) =>
    templateNames(s).forEach((v) => rep(v, `${where} of ${label}`, pos))
  const raw = sourceOf(n)
  const whenPos = whenPositionsOf(n)
  listNames(n.when).forEach((names, i) => names.forEach((v) => always(v, `when of ${label}`, whenPos[i] ?? n.pos)))
  for (const k of Object.keys(n.vars)) templates(n.vars, k, n.pos, `vars.${k}`, onTemplate)
  if (typeof n.environment === 'string')
    templates({ environment: n.environment }, 'environment', n.pos, 'environment', onTemplate)
  else if (n.environment)
    for (const k of Object.keys(n.environment)) templates(n.environment, k, n.pos, `environment.${k}`, onTemplate)
  if (n.kind !== 'task') return
  for (const k of Object.keys(n.args)) templates(n.args, k, n.argsPos, `${n.module}.${k}`, onTemplate)
  if (typeof n.loop === 'string' || Array.isArray(n.loop))
    templates({ loop: n.loop }, 'loop', raw ? bestPos(raw, 'loop', n.pos) : n.pos, 'loop', onTemplate)
  for (const [key, list] of [
    ['changed_when', n.changedWhen],
    ['failed_when', n.failedWhen],
    ['until', n.until],
  ] as const) {
    if (!list) continue
    const ps = raw ? conditionPositions(raw, key, list.length, n.pos) : list.map(() => n.pos)
    listNames(list).forEach((names, i) => names.forEach((v) => rep(v, `${key} of ${label}`, ps[i])))
  }
  // assert's conditions read their names as `when` does (debug's `var` may name an undefined one: it says so)
  const that = n.module === 'assert' ? n.args.that : undefined
  const conds = (Array.isArray(that) ? that : [that]).map((c) => (typeof c === 'string' ? c : 'True'))
  listNames(conds).forEach((names, i) => {
    const at = (Array.isArray(that) ? valuePos(that, i) : undefined) ?? valuePos(n.args, 'that') ?? n.argsPos ?? n.pos
    names.forEach((v) => rep(v, `assert.that of ${label}`, at))
  })
  checkTemplateFile(n, rep)
  for (const [key, v] of [
    ['delegate_to', n.delegateTo],
    ['loop_control.label', n.loopLabel],
    ['throttle', n.throttle],
    ['timeout', n.timeout],
    ['port', n.port],
  ] as const) {
    if (typeof v === 'string')
      templateNames(v).forEach((name) => rep(name, `${key} of ${label}`, raw ? (valuePos(raw, key) ?? n.pos) : n.pos))
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
  const jinja = jinjaOptionsOf(task.args)
  if (!file || text === undefined || !jinja) return // templated delimiters: checked when it renders
  let names: string[]
  try {
    if (checkSyntaxRemembered(text, engineForFile(file), jinja, true) !== undefined) return // the loader reports it
    names = templateVariables(text, engineForFile(file), jinja)
  } catch {
    return // syntax errors are reported by the loader
  }
  names = names.filter((n) => !TEMPLATE_FILE_VARS.includes(n))
  if (!names.length) return
  const first = new Map<string, number>()
  for (const m of text.matchAll(/\{\{[^}]*\}\}|\{%[^%]*%\}/g)) {
    for (const w of m[0].matchAll(/(?<![\w.'"])[A-Za-z_][\w-]*/g))
      if (!first.has(w[0])) first.set(w[0], m.index + (w.index ?? 0))
  }
  for (const name of names) rep(name, `template ${basename(file)}`, offsetPos(file, text, first.get(name) ?? 0))
}
