/**
 * Inventory variables (group_vars, host_vars, inline) that nothing reads: a warning at the key, with the closest
 * name that IS read ("did you mean `hydra_port`?"). A key counts as read when a template, condition or template
 * file anywhere writes it (engine/load/mentions.ts), when a play or role declares it (vars, vars_files, role
 * defaults/vars, a role's argument spec), or when the engine itself reads it (`ansible_*`, `tsplay_*`).
 * Never an error: a vars file may be shared with other playbooks.
 *
 * @example
 * ```yaml
 * # inventory/group_vars/hydra_server.yml
 * hydra_prot: 8080   # warning: inventory variable "hydra_prot" is read by no play, role or template (did you mean
 * "hydra_port"?)
 * ```
 */
import type { Inventory, Playbook } from '../ast.js'
import { UserError } from '../errors.js'
import { closest } from '../source/suggest.js'
import { keyPos } from '../source/positions.js'

/** Prefixes of names the engine reads itself (connection settings, group priority, …). */
const ENGINE_PREFIXES = ['ansible_', 'tsplay_']

/** Warnings for inventory keys nothing reads. `declared` adds names declared elsewhere (role argument specs). */
export function unusedInventoryVars(
  pb: Playbook,
  inv: Inventory,
  mentioned: ReadonlySet<string>,
  declared: Iterable<string> = [],
): UserError[] {
  const known = new Set<string>([...mentioned, ...declared])
  for (const play of pb.plays) {
    for (const v of [play.vars, play.varsFiles, play.roleDefaults, play.roleVars])
      Object.keys(v).forEach((k) => known.add(k))
  }
  const read = (k: string) => known.has(k) || ENGINE_PREFIXES.some((p) => k.startsWith(p))
  // suggestions: names a role or play declares first (the usual target of a typo), then any read word
  const declaredNames = new Set<string>([...declared])
  for (const play of pb.plays)
    for (const v of [play.roleDefaults, play.roleVars, play.vars]) Object.keys(v).forEach((k) => declaredNames.add(k))
  const out: UserError[] = []
  const owners = [
    ...[...inv.groups.values()].map((g) => [`group "${g.name}"`, g.vars, g.pos] as const),
    ...[...inv.hosts.values()].map((h) => [`host "${h.name}"`, h.vars, h.pos] as const),
  ]
  for (const [who, vars, pos] of owners) {
    for (const k of Object.keys(vars)) {
      if (read(k)) continue
      const near = closest(k, declaredNames, 2)
      const alt = near.length
        ? near
        : closest(
            k,
            [...known].filter((w) => w.length > 3),
            2,
          )
      const hint = alt.length ? `(did you mean ${alt.map((a) => `"${a}"`).join(' or ')}?)` : undefined
      out.push(
        new UserError(
          `inventory variable "${k}" of ${who} is read by no play, role or template`,
          keyPos(vars, k) ?? pos ?? { file: inv.sources[0] ?? '(inventory)', line: 1, col: 1 },
          hint,
        ),
      )
    }
  }
  return out
}
