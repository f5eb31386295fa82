/**
 * Controller files that tasks read, checked before contact: a `template`/`copy` task's literal `src` (for `copy`
 * a file or a folder) must exist
 * on the task's search path (`sourceCandidates` in engine/source/files.ts, the rule modules/lib/files.ts
 * `findSource` follows at run time), and a template file's syntax must parse. Templated or remote (`remote_src`)
 * sources are left to run time.
 *
 * @example
 * ```yaml
 * - template: { src: hydra.conf.hbs, dest: /etc/hydra/hydra.conf }  # roles/hydra/templates/hydra.conf.hbs must exist
 * ```
 */
import { existsSync, statSync } from 'node:fs'
import { relative } from 'node:path'
import type { Task, TaskNode } from '../ast.js'
import { UserError } from '../errors.js'
import { engineForFile, jinjaOptionsOf } from '../template.js'
import { checkSyntaxRemembered } from './syntaxcache.js'
import { report, type LoadContext } from './context.js'
import { ignored, visit, type Doubt } from './doubt.js'
import { checkTemplateFileCalls } from './templatecalls.js'
import { sourceCandidates, templateText } from '../source/files.js'
import { offsetPos, valuePos } from '../source/positions.js'

const KIND: Record<string, 'files' | 'templates'> = { template: 'templates', copy: 'files' }

/** A task's controller source file, when its `src` is a literal that exists (else undefined). */
export function taskSourceFile(task: Task): string | undefined {
  const kind = KIND[task.module]
  const src = task.args.src
  if (!kind || typeof src !== 'string' || src.includes('{{') || task.args.remote_src === true) return undefined
  // copy also takes a folder
  const usable = (c: string) =>
    existsSync(c) && (statSync(c).isFile() || (kind === 'files' && statSync(c).isDirectory()))
  return sourceCandidates(src, task.searchPaths, kind).find(usable)
}

/**
 * Check every template/copy task's source file in these nodes. A missing one is certain (an error) unless the task's
 * failure is ignored, a task of these nodes runs on the controller and so may make it, or the task may not run (a
 * `when` above it or its own, a handler, a rescue): then a warning, as Ansible fails such a task only when it runs.
 */
export function checkSourceFiles(ctx: LoadContext, tasks: TaskNode[], handlers: TaskNode[]): void {
  const makers = controllerTasks([...tasks, ...handlers])
  const checked = new Set<string>()
  const each = (n: TaskNode, doubt: Doubt) => {
    if (n.kind !== 'block') checkSourceFile(ctx, n, makers, doubt ?? mayNotRun(n), checked)
  }
  visit(tasks, undefined, each)
  visit(handlers, 'it is a handler, run only when notified', each)
}

/** One task's source file (`doubt`: why the task may not run, for the template's unknown filters and tests). */
function checkSourceFile(ctx: LoadContext, n: Task, makers: Doubt, doubt: Doubt, checked: Set<string>): void {
  const kind = KIND[n.module]
  const src = n.args.src
  if (!kind || typeof src !== 'string' || src.includes('{{') || n.args.remote_src === true) return
  const file = taskSourceFile(n)
  const at = valuePos(n.args, 'src') ?? n.argsPos
  if (!file) {
    const looked = sourceCandidates(src, n.searchPaths, kind).map((c) => relative(ctx.playbookDir, c) || c)
    const why = n.ignoreErrors !== undefined && n.ignoreErrors !== false ? 'its failure is ignored' : (makers ?? doubt)
    const hint = `(looked in: ${looked.join(', ')})`
    if (why) ctx.warnings.push(new UserError(`${n.module} src "${src}" not found now (${why})`, at, hint))
    else report(ctx, `${n.module} src "${src}" not found`, at, hint)
    return
  }
  if (kind !== 'templates') return
  let text: string | undefined
  try {
    text = templateText(file)
  } catch (e) {
    if (e instanceof UserError) ctx.errors.push(e)
    return
  }
  const jinja = n.module === 'template' ? jinjaOptionsOf(n.args) : {}
  const msg = text === undefined || !jinja ? undefined : checkSyntaxRemembered(text, engineForFile(file), jinja, true)
  if (msg && text !== undefined) {
    const col = /at column (\d+)$/.exec(msg)
    const line = /\(line (\d+)\)/.exec(msg)
    const pos = col ? offsetPos(file, text, Number(col[1]) - 1) : { file, line: line ? Number(line[1]) : 1, col: 1 }
    report(ctx, `invalid template: ${msg.replace(/ at column \d+$/, '')}`, pos)
  } else if (text !== undefined && jinja && engineForFile(file) === 'jinja' && n.module === 'template') {
    const key = `${file}\0${doubt ?? ''}`
    if (!checked.has(key)) checkTemplateFileCalls(ctx, file, text, jinja, doubt)
    checked.add(key)
  }
}

/** Why a task may not run although its block does: its own `when` or `ignore_errors`. */
function mayNotRun(n: Task): Doubt {
  return ignored(n) ?? (n.when.length ? 'the task may be skipped by its "when"' : undefined)
}

const CONTROLLER = ['localhost', '127.0.0.1', '::1']

/** Why a missing controller file may exist by the time a task reads it: a task that runs on the controller. */
function controllerTasks(nodes: TaskNode[]): string | undefined {
  for (const n of nodes) {
    const local = n.connection === 'local' || (n.kind === 'task' && CONTROLLER.includes(n.delegateTo ?? ''))
    if (local) return 'a task that runs on the controller may make it'
    const inner = n.kind === 'block' ? controllerTasks([...n.block, ...n.rescue, ...n.always]) : undefined
    if (inner) return inner
  }
  return undefined
}
