/**
 * Role parameters: a `roles:` entry's or a dependency's keys that are no keyword become variables of the role's
 * tasks (`params`, also in `vars` for the static checks), the parent role's reaching its dependencies' tasks; a key
 * spelled like a keyword is taken with a warning; Ansible's keywords tsplay does not take on a role entry are refused.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Task } from '../../engine/ast.js'
import type { UserError } from '../../engine/errors.js'
import { loadPlaybook } from '../../engine/load/playbook.js'
import { fixtureModules } from './fixtures.js'
import { loadErrors, tree } from './helpers.js'

const ROLES = {
  'roles/db/tasks/main.yml': '- debug: { msg: "{{ db_name }}" }\n',
  'roles/common/tasks/main.yml': '- debug: { msg: "{{ common_param }}" }\n',
  'roles/web/meta/main.yml': 'dependencies:\n  - { role: common, common_param: web }\n',
  'roles/web/tasks/main.yml': '- debug: { msg: "{{ web_port }}" }\n',
}

async function loadWarned(playbook: string) {
  const dir = tree({ ...ROLES, 'playbook.yml': playbook })
  const warnings: UserError[] = []
  const pb = await loadPlaybook(join(dir, 'playbook.yml'), { modules: fixtureModules(), warnings })
  return { tasks: pb.plays[0].tasks as Task[], warnings: warnings.map((w) => w.message) }
}

describe('role parameters', () => {
  it("are the role's variables, over its vars keyword; the same role with other parameters runs again", async () => {
    const { tasks, warnings } = await loadWarned(
      '- hosts: all\n  roles:\n    - { role: db, db_name: one, vars: { db_name: kw, x: 1 } }\n' +
        '    - { role: db, db_name: two }\n    - { role: db, db_name: two }\n',
    )
    expect(tasks).toHaveLength(2)
    expect(tasks[0]).toMatchObject({ params: { db_name: 'one' }, vars: { db_name: 'one', x: 1 } })
    expect(tasks[1]).toMatchObject({ params: { db_name: 'two' } })
    expect(warnings).toEqual([])
  })

  it("reach the role's dependencies' tasks under their own", async () => {
    const { tasks } = await loadWarned('- hosts: all\n  roles:\n    - { role: web, web_port: 8080 }\n')
    expect(tasks.map((t) => t.params)).toEqual([{ web_port: 8080, common_param: 'web' }, { web_port: 8080 }])
  })

  it('warn for a key spelled like a keyword; refuse a keyword of Ansible tsplay does not take there', async () => {
    const { warnings } = await loadWarned('- hosts: all\n  roles:\n    - { role: db, db_name: a, tgas: [x] }\n')
    expect(warnings).toEqual(['"tgas" is read as a role parameter (a variable) (did you mean "tags"?)'])
    const errors = await loadErrors({
      ...ROLES,
      'playbook.yml': '- hosts: all\n  roles:\n    - { role: db, db_name: a, run_once: true }\n',
    })
    expect(errors).toEqual([expect.stringMatching(/:3:\d+ unknown role keyword "run_once" \(Ansible's keyword/)])
  })
})
