/**
 * What a dynamic include with a templated name brings, loaded at run time: once per include and rendered name
 * (hosts that render the same name share the same tasks, so they run them together), kept on the include
 * (`DynamicInclude.loaded`) for the walk. A role's handlers join the play's, and a `public: true` role's defaults
 * and vars the play's variables.
 *
 * @example
 * ```ts
 * await loadDynamic(rc, task.dynamic, 'debian.yml', task.argsPos) // task.dynamic.loaded.get('debian.yml')
 * ```
 */
import type { DynamicInclude, Included } from '../ast.js'
import { loadAtRunTime } from '../load/dynamic.js'
import { mergePositioned } from '../source/positions.js'
import type { SourcePos, Vars } from '../types.js'
import type { RunContext } from './context.js'

const pending = new WeakMap<DynamicInclude, Map<string, Promise<Included>>>()

/** Load `name` for `d` unless it is loaded already. Throws `UserErrors` when it cannot be. */
export async function loadDynamic(rc: RunContext, d: DynamicInclude, name: string, at: SourcePos): Promise<void> {
  if (d.loaded.has(name)) return
  let byName = pending.get(d)
  if (!byName) pending.set(d, (byName = new Map()))
  let p = byName.get(name)
  if (!p) {
    p = loadAtRunTime(rc.modules, rc.playbook.dir, d, name, at)
    byName.set(name, p)
    p.catch(() => byName!.delete(name)) // a failed load is tried again (and fails again) for the next host
  }
  const got = await p
  if (d.loaded.has(name)) return
  d.loaded.set(name, got)
  if (got.pythonPlugins)
    for (const msg of rc.run.addPlugins?.(got.pythonPlugins) ?? []) rc.bus.emit({ type: 'warning', msg })
  for (const h of got.handlers) if (!rc.play.handlers.includes(h)) rc.play.handlers.push(h)
  joinPlay(rc, got.roleDefaults, got.roleVars)
}

/** A public role's defaults and vars join the play's, for every host from here on (as Ansible's play roles). */
export function joinPlay(rc: RunContext, defaults: Vars | undefined, vars: Vars | undefined): void {
  if (defaults) rc.play.roleDefaults = mergePositioned(rc.play.roleDefaults, defaults)
  if (vars) rc.play.roleVars = mergePositioned(rc.play.roleVars, vars)
}
