/**
 * A module's `umask` argument (git, pip): Ansible's module sets it for its whole process, so every command it
 * starts creates files with it. Here each command of the plan runs under it.
 *
 * @example
 * ```ts
 * withUmask({ commands: [{ argv: ['git', 'clone', …] }] }, '0027') // argv: sh -c 'umask "$1" && …' sh 0027 git clone …
 * ```
 */
import { Type } from '@sinclair/typebox'
import { sh } from '../../engine/commands.js'
import type { Plan } from '../../engine/module.js'

/** The `umask` argument: a quoted octal number, as Ansible requires it. */
export const umaskArg = (what: string) =>
  Type.Optional(
    Type.String({
      pattern: '^[0-7]{1,4}$',
      description: `The umask of ${what} (a quoted octal number such as "0022"), as Ansible's sets it for the module`,
    }),
  )

const UMASK = 'umask "$1" && shift && exec "$@"'

/** The plan's commands run with `umask` (none: as they are). */
export function withUmask(p: Plan, umask: string | undefined): Plan {
  if (umask === undefined) return p
  return { ...p, commands: p.commands.map((c) => ({ ...c, argv: sh(UMASK, [umask, ...c.argv]).argv })) }
}
