/**
 * The variables that tell lookups where a task's files are, as Ansible 2.14 sets them: `ansible_search_path`
 * (the task's role folder, the folder of the file the task is written in, then the playbook's folder) and, for a
 * role's task, `role_path` and `role_name`. Lookups search each folder's `files/`/`templates/`/`vars/` and the
 * folder itself (engine/expr/lookup-paths.ts).
 *
 * @example
 * ```ts
 * searchVars(task, '/pb') // { ansible_search_path: ['/pb/roles/web', '/pb/roles/web/tasks', '/pb'], role_path: … }
 * ```
 */
import { dirname, resolve } from 'node:path'
import { roleVars } from '../source/rolespath.js'
import type { Task } from '../ast.js'
import type { Vars } from '../types.js'

/** `ansible_search_path` (and `role_path`, `role_name`, `ansible_role_name` in a role) for `task`. */
export function searchVars(task: Pick<Task, 'role' | 'roleDir' | 'pos'>, playbookDir: string): Vars {
  // the same for every host: worked out once per task (each call gets its own copy, the list included)
  let c = cache.get(task)
  if (c?.playbookDir !== playbookDir) cache.set(task, (c = { playbookDir, vars: compute(task, playbookDir) }))
  const { ansible_search_path: paths, ...rest } = c.vars
  return { ansible_search_path: [...(paths as string[])], ...rest }
}

const cache = new WeakMap<object, { playbookDir: string; vars: Vars }>()

function compute(task: Pick<Task, 'role' | 'roleDir' | 'pos'>, playbookDir: string): Vars {
  const base = resolve(playbookDir)
  const role = task.role ? task.roleDir : undefined
  const paths: string[] = role ? [resolve(role)] : []
  const own = task.pos?.file ? resolve(dirname(task.pos.file)) : undefined
  if (own && !paths.includes(own)) paths.push(own)
  if (!paths.includes(base)) paths.push(base)
  return { ansible_search_path: paths, ...roleVars(task.role, role) }
}
