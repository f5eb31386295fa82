/**
 * Ansible's SELinux context arguments of the file modules (`seuser`, `serole`, `setype`, `selevel`): taken, so roles
 * written for SELinux hosts load; ignored where the host has no SELinux, as Ansible ignores them; on a host that
 * enables SELinux the task fails before it runs (engine/run/selinux.ts), as tsplay sets no contexts yet.
 *
 * @example
 * ```yaml
 * - file: { path: /var/lib/mysql, state: directory, setype: mysqld_db_t }   # Debian: the folder, no context
 * ```
 */
import { Type } from '@sinclair/typebox'

const part = (what: string) =>
  Type.Optional(
    Type.String({
      description:
        `The SELinux ${what} of the file's context: ignored on hosts without SELinux, as in Ansible; on a host ` +
        'that enables SELinux the task fails (tsplay does not set contexts yet).',
    }),
  )

/** The four context arguments, for a module's schema. */
export const contextArgs = {
  seuser: part('user'),
  serole: part('role'),
  setype: part('type'),
  selevel: part('level'),
}
