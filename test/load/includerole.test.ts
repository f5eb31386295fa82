/** include_role / import_role at load time: what each builds, and mistakes reported with file:line:col. */
import { describe, expect, it } from 'vitest'
import type { Block, Task } from '../../engine/ast.js'
import { load, loadErrors } from './helpers.js'

const ROLE = {
  'roles/web/tasks/main.yml': '- debug: { msg: main }\n  notify: h\n',
  'roles/web/tasks/other.yml': '- debug: { msg: other }\n',
  'roles/web/handlers/main.yml': '- name: h\n  debug: { msg: h }\n',
  'roles/web/defaults/main.yml': 'd: 1\n',
  'roles/web/vars/main.yml': 'v: 1\n',
}

describe('include_role and import_role', () => {
  it('import_role is static: when, tags and vars reach every task; defaults and vars join the play', async () => {
    const pb = await load({
      ...ROLE,
      'playbook.yml':
        '- hosts: all\n  tasks:\n    - ansible.builtin.import_role: { name: web, tasks_from: other }\n' +
        '      when: x\n      tags: [t]\n      vars: { p: 2 }\n',
    })
    const play = pb.plays[0]
    expect(play.tasks).toHaveLength(1)
    expect(play.tasks[0]).toMatchObject({ kind: 'task', role: 'web', when: ['x'], tags: ['t'], vars: { p: 2 } })
    expect(play.roleDefaults).toEqual({ d: 1 })
    expect(play.roleVars).toEqual({ v: 1 })
    expect(play.handlers.map((h) => h.name)).toEqual(['h'])
  })

  it('include_role is its own task; its role keeps defaults and vars to itself unless public', async () => {
    const pb = await load({
      ...ROLE,
      'playbook.yml':
        '- hosts: all\n  tasks:\n    - include_role: { name: web, apply: { tags: [a] } }\n' +
        '      when: x\n      tags: [t]\n      loop: [1, 2]\n    - include_role: { name: web }\n',
    })
    const play = pb.plays[0]
    const b = play.tasks[0] as Block
    expect(b.include).toMatchObject({ module: 'include_tasks', when: ['x'], tags: ['t'], loop: [1, 2] })
    expect(b.when).toEqual([])
    const inner = b.block[0] as Block
    expect(inner).toMatchObject({ kind: 'block', vars: { v: 1 }, defaults: { d: 1 }, tags: ['a'] })
    expect((inner.block[0] as Task).args.msg).toBe('main')
    expect(play.roleDefaults).toEqual({})
    // one role instance, one copy of its handlers
    expect(play.handlers.map((h) => h.name)).toEqual(['h'])
  })

  it('connection on import_role and in include_role apply reaches the role tasks, as become does', async () => {
    const pb = await load({
      ...ROLE,
      'playbook.yml':
        '- hosts: all\n  tasks:\n    - import_role: { name: web }\n      connection: local\n      become: true\n' +
        '    - include_role: { name: web, apply: { connection: local, become: true } }\n',
    })
    const [imported, included] = pb.plays[0].tasks as [Task, Block]
    expect(imported).toMatchObject({ kind: 'task', connection: 'local', become: true })
    // apply's keywords sit on the role's block; the run passes a block's become and connection to its tasks
    expect(included.block[0]).toMatchObject({ kind: 'block', connection: 'local', become: true })
  })

  it('a role listed again with the same parameters runs once, unless its meta allows duplicates', async () => {
    const roles = '  roles: [web, web, { role: web, vars: { p: 2 } }, once, once]\n'
    const pb = await load({
      ...ROLE,
      'roles/once/tasks/main.yml': '- debug: { msg: once }\n',
      'roles/web/meta/main.yml': 'allow_duplicates: false\n',
      'playbook.yml': `- hosts: all\n${roles}  tasks: []\n`,
    })
    expect(pb.plays[0].tasks.map((t) => (t as Task).args.msg)).toEqual(['main', 'main', 'once'])
    const again = await load({
      ...ROLE,
      'roles/web/meta/main.yml': 'allow_duplicates: true\n',
      'playbook.yml': '- hosts: all\n  roles: [web, web]\n  tasks: []\n',
    })
    expect(again.plays[0].tasks.map((t) => (t as Task).args.msg)).toEqual(['main', 'main'])
  })

  it('reports a missing role, a missing entry file, an unknown argument and an unresolvable import name', async () => {
    const errs = await loadErrors({
      ...ROLE,
      'playbook.yml':
        '- hosts: all\n  tasks:\n    - import_role: { name: wbe }\n' +
        '    - include_role: { name: web, tasks_from: nope }\n' +
        '    - include_role: { name: web, task_from: other }\n' +
        '    - import_role: { name: "{{ r }}" }\n',
    })
    expect(errs).toEqual([
      expect.stringMatching(/^playbook.yml:3:28 role "wbe" not found .*did you mean "web"/),
      expect.stringMatching(/^playbook.yml:4:21 role "web" has no tasks file "nope"/),
      expect.stringMatching(/^playbook.yml:5:34 unknown include_role keyword "task_from".*tasks_from/),
      expect.stringMatching(/^playbook.yml:6:28 "import_role" name "\{\{ r \}\}" cannot be resolved .*undefined/),
    ])
  })
})
