/**
 * A module Ansible has and tsplay does not (`yum`, `win_file`, a collection's `community.general.pacman`), in a
 * task that may never run on the hosts tsplay serves: its `when` (or an enclosing one) may skip it, it is a
 * handler, or its failure is tolerated. `validate` warns, and the task fails if it runs, as a task of a missing
 * module fails in Ansible. engine/load/foreign.ts decides when a name may be one.
 *
 * @example
 * ```yaml
 * - yum: { name: httpd }
 *   when: ansible_os_family == 'RedHat'   # a warning before the run; fails only on a host that runs it
 * ```
 */
import { defineModule, ModuleFailure, type ModuleDef } from '../engine/module.js'
import { AnyArgs } from './lib/anyargs.js'

/** Any arguments: there is nothing to check them against. */
const Args = AnyArgs

/** The message a task of the absent module `name` fails with. */
export const absentMessage = (name: string) =>
  `tsplay has no module "${name}" (Ansible's, for systems or collections tsplay does not serve)`

/**
 * The definition standing in for the absent module `name`: it fails every task of it that runs, with `message`
 * (default `absentMessage`; an Ansible action plugin's says so).
 */
export function absentModule(name: string, message = absentMessage(name)): ModuleDef {
  return defineModule({
    name,
    summary: message,
    schema: Args,
    // a string is taken as it is (`win_shell: Get-Service`): there is nothing to read it against
    freeForm: 'free_form',
    changedWhen: 'never: it fails',
    check: 'none',
    example: `${name}: {}`,
    absent: true,
    gather: () => Promise.reject(new ModuleFailure(message)),
    plan: () => ({ commands: [] }),
  })
}
