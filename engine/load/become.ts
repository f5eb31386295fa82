/**
 * `become_method` and `become_flags` on plays, blocks, tasks and role references. tsplay becomes other users with
 * sudo, always as `sudo -H -n` (or `-A` when a become password is given): `become_method: sudo` and flags among
 * `-H`, `-S`, `-n`, `-E`… that change nothing there are accepted; anything else is refused before any host is
 * contacted, since running it differently from what was asked would be worse.
 *
 * @example
 * ```yaml
 * - hosts: all
 *   become: true
 *   become_method: sudo   # accepted
 *   become_flags: -H -S   # accepted (tsplay's sudo already runs so)
 * ```
 */
import type { SourcePos } from '../types.js'
import { report, type LoadContext } from './context.js'
import { at, readString } from './keywords.js'

/** Flags of Ansible's default sudo line (`-H -S -n`): tsplay's sudo behaves the same with or without them. */
const SAME_AS_TSPLAY = new Set(['-H', '-S', '-n', '--set-home', '--stdin', '--non-interactive'])

/** Check `become_method`/`become_flags` of `raw` (reported at their position when tsplay cannot honour them). */
export function checkBecomeExtras(ctx: LoadContext, raw: Record<string, unknown>, pos: SourcePos): void {
  const method = readString(ctx, raw, 'become_method', pos)
  if (method !== undefined && method.trim() !== 'sudo' && !/^ansible\.builtin\.sudo$/.test(method.trim())) {
    report(
      ctx,
      `become_method "${method}" is not supported by tsplay`,
      at(raw, 'become_method', pos),
      '(tsplay becomes other users through sudo only; write "become_method: sudo" or leave it out)',
    )
  }
  const flags = readString(ctx, raw, 'become_flags', pos)
  if (flags === undefined) return
  const other = flags.split(/\s+/).filter((f) => f && !SAME_AS_TSPLAY.has(f))
  if (other.length)
    report(
      ctx,
      `become_flags ${other.map((f) => `"${f}"`).join(', ')} not supported by tsplay`,
      at(raw, 'become_flags', pos),
      '(tsplay runs sudo as "sudo -H -n -u USER"; -H, -S and -n are accepted, since they change nothing there)',
    )
}
