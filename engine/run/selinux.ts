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

/**
 * Why the task cannot run here, or undefined: at once when no context argument is given (no promise on every task),
 * else after asking the host (SELinux off: undefined).
 */
export function selinuxRefusal(args: Record<string, unknown>, io: HostIO): Promise<string | undefined> | undefined {
  const given = CONTEXT_ARGS.filter((k) => args[k] !== undefined && args[k] !== null)
  return given.length ? askHost(given, io) : undefined
}

async function askHost(given: readonly string[], io: HostIO): Promise<string | undefined> {
  const mode = (await io.run(PROBE)).stdout.trim()
  if (mode !== '0' && mode !== '1') return undefined
  const what = given.join(', ')
  const on = mode === '1' ? 'enforcing' : 'permissive'
  return (
    `this host enables SELinux (${on}), and tsplay does not set SELinux contexts yet (${what}); leave them ` +
    'out, or set the context with a command (chcon, semanage fcontext)'
  )
}
