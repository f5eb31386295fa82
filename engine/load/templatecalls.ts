/**
 * Filters and tests a `template` task's Jinja file calls must exist, checked before contact as the task's own
 * strings are (engine/load/syntax.ts `callCheck`): an unknown name Jinja compiles with the file (outside any
 * `{% if %}` branch and `a if c else b`) fails the task whenever it runs, an error when the task certainly runs;
 * one in a conditional part is a warning. Reported at the name's first use in the file.
 *
 * @example
 * ```jinja
 * {{ port | to_nice_jsn }}   {# error: unknown filter "to_nice_jsn" in template app.conf.j2 #}
 * ```
 */
import { basename } from 'node:path'
import { noCalls } from '../expr/calls.js'
import { offsetPos } from '../source/positions.js'
import type { JinjaOptions } from '../expr/jinja/run.js'
import { templateCalls } from '../template.js'
import type { LoadContext } from './context.js'
import type { Doubt } from './doubt.js'
import { callCheck } from './syntax.js'

/** Check the names a Jinja template file (`text`, its syntax valid) calls; `doubt`: why its task may not run. */
export function checkTemplateFileCalls(
  ctx: LoadContext,
  file: string,
  text: string,
  jinja: Partial<JinjaOptions>,
  doubt: Doubt,
): void {
  const soft = noCalls()
  const calls = templateCalls(text, 'jinja', jinja, soft)
  const at = (name: string) => offsetPos(file, text, firstUse(text, name))
  callCheck(ctx, calls, `template ${basename(file)}`, at(''), soft, doubt, at)
}

/** Where `name` is first called in `text`: after `|`, `is`/`is not`, or as quoted text (`map('name')`). */
function firstUse(text: string, name: string): number {
  const n = name.replace(/[^\w]/g, '')
  const m = n && new RegExp(`(?:\\|\\s*|\\bis\\s+(?:not\\s+)?|['"])(${n})\\b`).exec(text)
  return m ? m.index + m[0].length - n.length : 0
}
