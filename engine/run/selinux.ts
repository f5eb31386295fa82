/**
 * Ansible's SELinux file arguments (`seuser`, `serole`, `setype`, `selevel`) on a task: Ansible ignores them on a
 * host without SELinux, as tsplay does (Debian's default); on a host that enables SELinux tsplay cannot set a
 * context yet, so the task fails saying so instead of leaving the file with another context than asked.
 *
 * @example
 * ```ts
 * await selinuxRefusal({ path: '/srv/db', setype: 'mysqld_db_t' }, io) // undefined where SELinux is off
 * ```
 */
import { sh } from '../commands.js'
import type { HostIO } from '../module.js'

const CONTEXT_ARGS = ['seuser', 'serole', 'setype', 'selevel'] as const

/** Read-only: the kernel's SELinux mode (`1` enforcing, `0` permissive), nothing when SELinux is off. */
const PROBE = sh('cat /sys/fs/selinux/enforce 2>/dev/null; exit 0', [], { describe: 'is SELinux on' })

/** The SELinux context arguments a task gives (none: nothing to ask the host). */
export const contextArgsGiven = (args: Record<string, unknown>): string[] =>
  CONTEXT_ARGS.filter((k) => args[k] !== undefined && args[k] !== null)

/** Why the task cannot run here, or undefined (no context argument given, or SELinux off on the host). */
export async function selinuxRefusal(args: Record<string, unknown>, io: HostIO): Promise<string | undefined> {
  const given = contextArgsGiven(args)
  if (!given.length) return undefined
  const mode = (await io.run(PROBE)).stdout.trim()
  if (mode !== '0' && mode !== '1') return undefined
  const what = given.join(', ')
  const on = mode === '1' ? 'enforcing' : 'permissive'
  return (
    `this host enables SELinux (${on}), and tsplay does not set SELinux contexts yet (${what}); leave them ` +
    'out, or set the context with a command (chcon, semanage fcontext)'
  )
}
