/**
 * `module_defaults` of a backend module: Ansible's `service` runs as the host's service manager module and applies
 * that module's defaults under its own arguments; tsplay's `service` runs as `systemd`, so `systemd`'s defaults
 * (those `service` takes) fill its arguments.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Task } from '../../engine/ast.js'
import type { UserError } from '../../engine/errors.js'
import { loadPlaybook } from '../../engine/load/playbook.js'
import { loadAllModules } from '../../modules/registry.js'
import { tree } from './helpers.js'

/** The first task's arguments and the load's warnings, for `module_defaults` and one task. */
async function loadTask(defaults: string, taskText: string) {
  const dir = tree({
    'playbook.yml': `- hosts: all\n  module_defaults:\n${defaults}\n  tasks:\n    - ${taskText}\n`,
  })
  const warnings: UserError[] = []
  const pb = await loadPlaybook(join(dir, 'playbook.yml'), { modules: await loadAllModules(), warnings })
  return { args: (pb.plays[0].tasks[0] as Task).args, warnings: warnings.map((w) => w.message) }
}

describe('module_defaults of the module service runs as', () => {
  it.each([
    [
      'systemd defaults give name and enabled to an empty service task',
      '    systemd: { name: app, enabled: true }',
      'service:',
      { name: 'app', enabled: true },
    ],
    [
      "any spelling of systemd; service's own defaults over systemd's",
      '    ansible.builtin.systemd: { name: app, enabled: true }\n    service: { name: own }',
      'service:',
      { name: 'own', enabled: true },
    ],
    [
      "the task's arguments over both",
      '    systemd: { name: app, state: started }\n    ansible.builtin.service: { state: stopped }',
      'service: { name: mine, enabled: false }',
      { name: 'mine', state: 'stopped', enabled: false },
    ],
  ])('%s', async (_n, defaults, taskText, want) => {
    const { args, warnings } = await loadTask(defaults, taskText)
    expect(args).toEqual(want)
    expect(warnings).toEqual([])
  })

  it("service takes every systemd default, as Ansible's service hands its arguments to systemd", async () => {
    const { args, warnings } = await loadTask('    systemd: { name: app, scope: user, enabled: true }', 'service:')
    expect(args).toEqual({ name: 'app', scope: 'user', enabled: true })
    expect(warnings).toEqual([])
  })

  it('other modules take no backend defaults; without them service needs a name to start a unit', async () => {
    expect((await loadTask('    systemd: { name: app }', 'systemd: { state: started }')).args).toEqual({
      name: 'app',
      state: 'started',
    })
    await expect(loadTask('    command: { chdir: /x }', 'service: { state: started }')).rejects.toThrow(
      /service.*"name"/,
    )
    // systemd's rules: a daemon-reload alone needs no unit
    expect((await loadTask('    command: { chdir: /x }', 'service: { daemon_reload: true }')).args).toEqual({
      daemon_reload: true,
    })
  })
})
