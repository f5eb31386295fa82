/**
 * Where roles are found, as Ansible finds them: the play's roles/ folder first, then $ANSIBLE_ROLES_PATH (else
 * ansible.cfg's roles_path, relative to the file; else Ansible's default folders), then the play's own folder.
 */
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Task } from '../../engine/ast.js'
import { iniValue, rolesPath } from '../../engine/source/rolespath.js'
import { loadPlaybook } from '../../engine/load/playbook.js'
import { fixtureModules } from './fixtures.js'
import { tree } from './helpers.js'

const saved = { roles: process.env.ANSIBLE_ROLES_PATH, config: process.env.ANSIBLE_CONFIG }
afterEach(() => {
  for (const [k, v] of [
    ['ANSIBLE_ROLES_PATH', saved.roles],
    ['ANSIBLE_CONFIG', saved.config],
  ] as const) {
    if (v === undefined) delete process.env[k]
    else process.env[k] = v
  }
})

/** The debug message of the first task of the loaded playbook `dir/play/playbook.yml`. */
async function firstMessage(dir: string): Promise<unknown> {
  const pb = await loadPlaybook(join(dir, 'play', 'playbook.yml'), { modules: fixtureModules() })
  return (pb.plays[0].tasks[0] as Task).args.msg
}

const role = (msg: string) => `- debug: { msg: ${msg} }\n`

describe('role search', () => {
  it('roles/ beside the play wins over the roles path, which wins over the play folder itself', async () => {
    const dir = tree({
      'play/playbook.yml': '- hosts: all\n  roles: [web]\n',
      'play/roles/web/tasks/main.yml': role('beside'),
      'shared/web/tasks/main.yml': role('shared'),
      'play/web/tasks/main.yml': role('playdir'),
    })
    process.env.ANSIBLE_ROLES_PATH = `/nonexistent:${join(dir, 'shared')}`
    expect(await firstMessage(dir)).toBe('beside')
  })

  it('a role only on $ANSIBLE_ROLES_PATH, then only in the play folder', async () => {
    const dir = tree({
      'play/playbook.yml': '- hosts: all\n  roles: [web]\n',
      'shared/web/tasks/main.yml': role('shared'),
      'play/web/tasks/main.yml': role('playdir'),
    })
    process.env.ANSIBLE_ROLES_PATH = join(dir, 'shared')
    expect(await firstMessage(dir)).toBe('shared')
    process.env.ANSIBLE_ROLES_PATH = join(dir, 'elsewhere')
    expect(await firstMessage(dir)).toBe('playdir')
  })

  it("ansible.cfg's roles_path, relative to the file, when $ANSIBLE_ROLES_PATH is not set", async () => {
    const dir = tree({
      'play/playbook.yml': '- hosts: all\n  roles: [web]\n',
      'cfg/ansible.cfg':
        '[ssh_connection]\nroles_path = wrong\n[defaults]\n# a comment\nroles_path = ../shared:~/x ; note\n',
      'shared/web/tasks/main.yml': role('from-cfg'),
    })
    delete process.env.ANSIBLE_ROLES_PATH
    process.env.ANSIBLE_CONFIG = join(dir, 'cfg', 'ansible.cfg')
    expect(rolesPath()[0]).toBe(join(dir, 'shared'))
    expect(await firstMessage(dir)).toBe('from-cfg')
  })

  it('reads INI values as Ansible does: per section, comments, the last one winning', () => {
    const ini = '[defaults]\nforks = 5\nroles_path=a:b\n[other]\nroles_path = c\n[defaults]\nroles_path: d # x\n'
    expect(iniValue(ini, 'defaults', 'roles_path')).toBe('d')
    expect(iniValue(ini, 'defaults', 'forks')).toBe('5')
    expect(iniValue(ini, 'defaults', 'nope')).toBeUndefined()
  })
})
