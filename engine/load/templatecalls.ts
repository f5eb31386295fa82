/**
 * Filters and tests a `template` task's Jinja file calls must exist, checked before contact as the task's own
 * strings are (engine/load/syntax.ts). An unknown name that Jinja compiles with the file (outside any `{% if %}` and
 * `a if c else b`) fails the task whenever it runs: an error when the task certainly runs, else a warning. One inside
 * a conditional part fails only if that part runs: a warning. Reported at the name's first use in the file; plugin
 * files of that kind drop these findings (`dropPluginCallFindings`).
 *
 * @example
 * ```jinja
 * {{ port | to_nice_jsn }}   {# error: unknown filter "to_nice_jsn" in template app.conf.j2 #}
 * ```
 */
import { basename } from 'node:path'
import type { Task, TaskNode } from '../ast.js'
import { UserError } from '../errors.js'
import { noCalls } from '../expr/calls.js'
import { FILTERS, TESTS } from '../expr/filters.js'
import { templateText } from '../source/files.js'
import { offsetPos } from '../source/positions.js'
import { didYouMean } from '../source/suggest.js'
import { engineForFile, jinjaOptionsOf, templateCalls } from '../template.js'
import { ignored, visit, type Doubt } from './check.js'
import type { LoadContext } from './context.js'
import { taskSourceFile } from './files.js'
import { checkSyntaxRemembered } from './syntaxcache.js'

/** Check the template files of these tasks and handlers. */
export function checkTemplateFileCalls(ctx: LoadContext, tasks: TaskNode[], handlers: TaskNode[]): void {
  const seen = new Set<string>()
  const each = (n: TaskNode, doubt: Doubt) => {
    if (n.kind !== 'task' || n.module !== 'template') return
    const why = doubt ?? ignored(n) ?? (n.when.length ? 'the task may be skipped by its "when"' : undefined)
    checkFile(ctx, n, why, seen)
  }
  visit(tasks, undefined, each)
  visit(handlers, 'it is a handler, run only when notified', each)
}

function checkFile(ctx: LoadContext, task: Task, doubt: Doubt, seen: Set<string>): void {
  const file = taskSourceFile(task)
  const jinja = jinjaOptionsOf(task.args)
  if (!file || !jinja) return
  let text: string | undefined
  try {
    text = templateText(file)
  } catch {
    return // bad UTF-8 is reported by the loader
  }
  const engine = engineForFile(file)
  if (text === undefined || engine !== 'jinja' || checkSyntaxRemembered(text, engine, jinja, true) !== undefined) return
  const soft = noCalls()
  const hard = templateCalls(text, engine, jinja, soft)
  const kinds = [
    ['filter', hard.filters, soft.filters, FILTERS],
    ['test', hard.tests, soft.tests, TESTS],
  ] as const
  for (const [kind, certain, maybe, table] of kinds) {
    for (const name of new Set([...certain, ...maybe])) {
      if (Object.hasOwn(table, name)) continue
      const why = certain.has(name) ? doubt : 'it fails only if the part of the template that calls it runs'
      const id = `${kind}:${name}:${file}:${why === undefined}`
      if (seen.has(id)) continue
      seen.add(id)
      const msg = `unknown ${kind} "${name}" in template ${basename(file)}`
      const pos = offsetPos(file, text, firstUse(text, name))
      const hint = didYouMean(name, Object.keys(table))
      if (why) ctx.warnings.push(new UserError(`${msg} (${why})`, pos, hint))
      else ctx.errors.push(new UserError(msg, pos, hint))
    }
  }
}

/** Where `name` is first called in `text`: after `|`, `is`/`is not`, or as quoted text (`map('name')`). */
function firstUse(text: string, name: string): number {
  const n = name.replace(/[^\w]/g, '')
  const m = new RegExp(`(?:\\|\\s*|\\bis\\s+(?:not\\s+)?|['"])(${n})\\b`).exec(text)
  return m ? m.index + m[0].length - n.length : 0
}
