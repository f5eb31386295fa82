/**
 * Where an include's file name leads, in Ansible 2.14's order (checked side by side with ansible-playbook): beside the
 * including file, the role's folders, then the play's folder — so `tasks/a.yml` importing `tasks/b.yml` finds the
 * play's `tasks/b.yml`, as geerlingguy's internet-pi writes it.
 */
import { describe, expect, it } from 'vitest'
import { taskFileCandidates } from '../../engine/load/taskpath.js'
import { loadErrors } from './helpers.js'

describe('include file names', () => {
  it.each([
    ['a play file', { dir: '/pb/tasks', playDir: '/pb' }, 'tasks/b.yml', ['/pb/tasks/tasks/b.yml', '/pb/tasks/b.yml']],
    ['a file beside the play', { dir: '/pb', playDir: '/pb' }, 'b.yml', ['/pb/b.yml']],
    ['an absolute name', { dir: '/pb/tasks', playDir: '/pb' }, '/x/b.yml', ['/x/b.yml']],
    [
      "a role's task",
      { dir: '/pb/roles/r/tasks', roleDir: '/pb/roles/r', playDir: '/pb' },
      'c.yml',
      ['/pb/roles/r/tasks/c.yml', '/pb/roles/r/c.yml', '/pb/tasks/c.yml', '/pb/c.yml'],
    ],
    [
      "a role's handler",
      { dir: '/pb/roles/r/handlers', roleDir: '/pb/roles/r', handlers: true, playDir: '/pb' },
      'c.yml',
      ['/pb/roles/r/handlers/c.yml', '/pb/roles/r/tasks/c.yml', '/pb/roles/r/c.yml', '/pb/handlers/c.yml', '/pb/c.yml'],
    ],
  ])('%s: the candidates in order', (_what, base, name, want) => {
    expect(taskFileCandidates(base, name)).toEqual(want)
  })

  it("loads a play's tasks file importing another by its path from the play's folder", async () => {
    const errs = await loadErrors({
      'playbook.yml': '- hosts: all\n  tasks:\n    - import_tasks: tasks/a.yml\n    - include_tasks: tasks/a.yml\n',
      'tasks/a.yml': '- import_tasks: tasks/b.yml\n- include_tasks: tasks/b.yml\n',
      'tasks/b.yml': '- debgu: { msg: found }\n',
    })
    expect(errs).toEqual([expect.stringMatching(/^b.yml:1:3 unknown task keyword or module "debgu"/)])
  })
})
