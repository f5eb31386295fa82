/**
 * Where an `include_tasks`/`import_tasks` file name leads, as Ansible 2.14 looks for it: beside the file that
 * includes it first; in a role, then in the role's `handlers/` (for a handler) or `tasks/`, its `tasks/`, and the
 * role's own folder; last in the play's folder (an imported playbook's own), as Ansible's loader falls back to it
 * (`tasks/a.yml` importing `tasks/b.yml` finds the play's `tasks/b.yml`; in a role, the play's `tasks/` first).
 * The first that exists wins; when none does, the first is named in the error.
 *
 * @example
 * ```ts
 * // roles/tmp/handlers/main.yml: `include_tasks: cleanup.yml` finds roles/tmp/tasks/cleanup.yml
 * taskFilePath({ dir: 'roles/tmp/handlers', roleDir: 'roles/tmp', handlers: true }, 'cleanup.yml')
 * ```
 */
import { existsSync } from 'node:fs'
import { isAbsolute, join, resolve } from 'node:path'

/** The including file's folder and, in a role, the role's folder and whether handlers are being loaded. */
export interface TaskFileBase {
  dir: string
  roleDir?: string
  handlers?: boolean
  /** The play's folder. */
  playDir?: string
}

/** The candidates for `name`, in Ansible's order. */
export function taskFileCandidates(base: TaskFileBase, name: string): string[] {
  const own = resolve(base.dir, name)
  if (isAbsolute(name)) return [own]
  const play = base.playDir === undefined ? [] : [resolve(base.playDir, name)]
  if (!base.roleDir) return [...new Set([own, ...play])]
  const role = resolve(base.roleDir)
  const sub = base.handlers ? 'handlers' : 'tasks'
  const list = [
    own,
    join(role, sub, name),
    join(role, 'tasks', name),
    join(role, name),
    ...(base.playDir === undefined ? [] : [resolve(base.playDir, sub, name)]),
    ...play,
  ]
  return [...new Set(list)]
}

/** The first candidate that exists, else the first candidate. */
export function taskFilePath(base: TaskFileBase, name: string): string {
  const all = taskFileCandidates(base, name)
  return all.find((p) => existsSync(p)) ?? all[0]!
}
