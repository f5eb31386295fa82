/**
 * A task's arguments rendered for one host: every value templated (keeping its type when it is one `{{ }}`),
 * `omit` dropped, arguments marked `shellTemplate` quoting their `{{ }}` values for the shell, and `set_fact`'s
 * variable names rendered too (`set_fact: "{{ item }}=moo"`), as Ansible renders them. A value still vaulted
 * (no password given) fails the task here.
 *
 * @example
 * ```ts
 * renderArgs(task, def.schema, { dir: '/srv' }) // { path: '/srv/app', state: 'directory' }
 * ```
 */
import type { TSchema } from '@sinclair/typebox'
import type { Task } from '../ast.js'
import { OMIT } from './hostvars.js'
import { renderString, renderValue } from '../template.js'
import type { Vars } from '../types.js'
import { refuseLocked } from '../vaultlocked.js'

/** Render a task's arguments (see the file header). Throws `UserError` for what does not render. */
export function renderArgs(task: Task, schema: TSchema, vars: Vars): Record<string, unknown> {
  const props = (schema as { properties?: Record<string, { shellTemplate?: boolean }> }).properties ?? {}
  const out: Record<string, unknown> = {}
  const of = `of task "${task.name ?? task.module}"`
  for (const [written, v] of Object.entries(task.args)) {
    const k =
      task.module === 'set_fact' && written.includes('{{')
        ? renderString(written, vars, { pos: task.argsPos, what: `a variable name ${of}` })
        : written
    const what = `argument "${k}" ${of}`
    const r = renderValue(v, vars, { pos: task.argsPos, what, escape: props[k]?.shellTemplate ? 'shell' : undefined })
    if (r !== OMIT) out[k] = refuseLocked(r)
  }
  return out
}
