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
 * failure is ignored or a task of these nodes runs on the controller and so may make it (a warning).
 */
export function checkSourceFiles(ctx: LoadContext, nodes: TaskNode[], makers = controllerTasks(nodes)): void {
  for (const n of nodes) {
    if (n.kind === 'block') {
      checkSourceFiles(ctx, [...n.block, ...n.rescue, ...n.always], makers)
      continue
    }
    const kind = KIND[n.module]
    const src = n.args.src
    if (!kind || typeof src !== 'string' || src.includes('{{') || n.args.remote_src === true) continue
    const file = taskSourceFile(n)
    const at = valuePos(n.args, 'src') ?? n.argsPos
    if (!file) {
      const looked = sourceCandidates(src, n.searchPaths, kind).map((c) => relative(ctx.playbookDir, c) || c)
      const doubt = n.ignoreErrors !== undefined && n.ignoreErrors !== false ? 'its failure is ignored' : makers
      const hint = `(looked in: ${looked.join(', ')})`
      if (doubt) ctx.warnings.push(new UserError(`${n.module} src "${src}" not found now (${doubt})`, at, hint))
      else report(ctx, `${n.module} src "${src}" not found`, at, hint)
      continue
    }
    if (kind !== 'templates') continue
    let text: string | undefined
    try {
      text = templateText(file)
    } catch (e) {
      if (e instanceof UserError) ctx.errors.push(e)
      continue
    }
    const jinja = n.module === 'template' ? jinjaOptionsOf(n.args) : {}
    const msg = text === undefined || !jinja ? undefined : checkSyntaxRemembered(text, engineForFile(file), jinja, true)
    if (msg && text !== undefined) {
      const col = /at column (\d+)$/.exec(msg)
      const line = /\(line (\d+)\)/.exec(msg)
      const pos = col ? offsetPos(file, text, Number(col[1]) - 1) : { file, line: line ? Number(line[1]) : 1, col: 1 }
      report(ctx, `invalid template: ${msg.replace(/ at column \d+$/, '')}`, pos)
    }
  }
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
