/**
 * A task whose module is named by a template (`action: "{{ ansible_facts.pkg_mgr }}"`), for one host: the name is
 * rendered with the host's variables, then the module and its arguments are read and checked as the loader reads
 * any task (aliases, free-form strings, `key=value` pairs, the schema's rules). What cannot be run fails that host.
 * Tasks whose arguments, or whose `module_defaults`, a template gives come here too: the template is rendered
 * first (the defaults under the task's own arguments, see engine/load/templateddefaults.ts).
 *
 * @example
 * ```ts
 * resolveModule(rc, task, vars) // { ...task, module: 'apt', args: { name: 'git' } } on a Debian host
 * ```
 */
import { dirname } from 'node:path'
import type { Task } from '../ast.js'
import { UserError, UserErrors } from '../errors.js'
import { newLoadContext } from '../load/context.js'
import { buildTask } from '../load/taskfields.js'
import { renderString, renderValue } from '../template.js'
import { isWholeTemplate } from '../load/action.js'
import { renderDefaults } from '../load/templateddefaults.js'
import type { Vars } from '../types.js'
import type { RunContext } from './context.js'

/**
 * What the runner handles itself before any module runs (includes, `meta`): as in Ansible, not a module a template
 * can name (Ansible fails the task: the module is "missing interpreter line").
 */
const NOT_BY_TEMPLATE = new Set(['include_tasks', 'import_tasks', 'include_role', 'import_role', 'include', 'meta'])

/** The task as it runs on a host whose variables are `vars`. Throws `UserErrors` for what cannot run. */
export function resolveModule(rc: RunContext, task: Task, vars: Vars): Task {
  const at = task.argsPos
  const name = renderString(task.module, vars, { pos: at, what: 'module name' }).trim()
  const ctx = newLoadContext(rc.modules, rc.playbook.dir, {})
  if (task.module.includes('{{') && NOT_BY_TEMPLATE.has(name.replace(/^ansible\.(?:builtin|legacy)\./, '')))
    throw new UserErrors([
      new UserError(`${task.module} gave "${name}": an include or meta is not a module a template can name`, at),
    ])
  const scope = { file: at.file, dir: dirname(at.file), playDir: rc.playbook.dir, handlers: false }
  const { args: written, argsKeyword, moduleDefaults } = task.moduleTemplate!
  if (moduleDefaults) ctx.moduleDefaults = renderDefaults(moduleDefaults, vars)
  // arguments a template gives whole (`add_host: "{{ host_data }}"`) are that template's value
  const args = isWholeTemplate(written) ? renderValue(written, vars, { pos: at, what: 'arguments' }) : written
  const built = buildTask(ctx, { [name]: args, ...(argsKeyword === undefined ? {} : { args: argsKeyword }) }, scope, at)
  if (ctx.errors.length || !built) {
    const errors = ctx.errors.length ? ctx.errors : [new UserError(`unknown module "${name}"`, at)]
    const gave = task.module.includes('{{') ? `${task.module} gave "${name}": ` : ''
    throw new UserErrors(errors.map((e) => new UserError(`${gave}${e.message}`, e.pos, e.hint)))
  }
  return { ...task, module: built.module, args: built.args, moduleTemplate: undefined }
}
