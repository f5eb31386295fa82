/**
 * Loading handlers and `meta:` with the real modules: blocks in handlers, `listen`-only handlers, role names, sections.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Task } from '../../engine/ast.js'
import { UserError, UserErrors } from '../../engine/errors.js'
import { loadPlaybook } from '../../engine/load/playbook.js'
import { loadAllModules } from '../../modules/registry.js'
import { tree } from './helpers.js'

const T = (s: string) => s.replace(/^\n/, '')

async function loadReal(files: Record<string, string>) {
  return loadPlaybook(join(tree(files), 'playbook.yml'), { modules: await loadAllModules() })
}

async function errorsOf(files: Record<string, string>): Promise<string[]> {
  try {
    await loadReal(files)
    return []
  } catch (e) {
    if (!(e instanceof UserErrors)) throw e
    return e.errors.map((x) => `${x.pos?.line}:${x.pos?.col} ${x.message}${x.hint ? ` ${x.hint}` : ''}`)
  }
}

describe('handlers and meta in the loader', () => {
  it(
    "a block in handlers gives handlers of its own, with the block's keywords; listen-only handlers; " + 'sections',
    async () => {
      const pb = await loadReal({
        'playbook.yml': T(`
- hosts: all
  force_handlers: yes
  pre_tasks:
    - command: "true"
      notify: in block
  tasks:
    - command: "true"
      notify: topic
    - meta: flush_handlers
  post_tasks:
    - meta: noop
  handlers:
    - block:
        - name: in block
          command: "true"
      when: x is defined
      become: true
    - listen: topic
      command: "true"
`),
      })
      const play = pb.plays[0]
      expect(play.forceHandlers).toBe(true)
      expect(play.sections).toEqual({ pre: 1, main: 2 })
      expect(play.handlers.map((h) => [h.name, h.listen, h.when, h.become])).toEqual([
        ['in block', ['in block'], ['x is defined'], true],
        [undefined, ['topic'], [], undefined],
      ])
      expect((play.tasks[2] as Task).args).toEqual({ action: 'flush_handlers' })
    },
  )

  it('refuses an unknown meta action and rescue in a block of handlers, with positions', async () => {
    const errors = await errorsOf({
      'playbook.yml': T(`
- hosts: all
  tasks:
    - meta: flush_handler
  handlers:
    - block:
        - name: h
          command: "true"
      rescue:
        - command: "true"
`),
    })
    expect(errors, errors.join('\n')).toHaveLength(2)
    expect(errors[0]).toMatch(/^3:\d+ .*meta/)
    expect(errors[1]).toMatch(/^8:7 "rescue" has no effect in a block of handlers \(Ansible ignores it there/)
  })

  it('a role\'s handler answers to "role : name"', async () => {
    const pb = await loadReal({
      'playbook.yml': T(`
- hosts: all
  roles: [app]
  tasks:
    - command: "true"
      notify: "app : restart"
`),
      'roles/app/handlers/main.yml': '- name: restart\n  command: "true"\n',
    })
    expect(pb.plays[0].handlers[0].role).toBe('app')
  })
  it("a role handler's include_tasks finds the file in the role's tasks/ folder, as Ansible looks for it", async () => {
    const files = {
      'playbook.yml': T(`
- hosts: all
  roles: [tmp]
`),
      'roles/tmp/tasks/main.yml': '- command: "true"\n  notify: dyn\n',
      'roles/tmp/tasks/cleanup.yml': '- command: "true"\n',
      'roles/tmp/handlers/main.yml': '- import_tasks: cleanup.yml\n- name: dyn\n  include_tasks: cleanup.yml\n',
    }
    const pb = await loadReal(files)
    expect(pb.plays[0].handlers.map((h) => h.module)).toEqual(['command', 'include_tasks'])
    // a name found nowhere names the handler folder's candidate: a warning (the handler may never be notified)
    const missing = { ...files, 'roles/tmp/handlers/main.yml': '- name: dyn\n  include_tasks: gone.yml\n' }
    const warnings: UserError[] = []
    await loadPlaybook(join(tree(missing), 'playbook.yml'), { modules: await loadAllModules(), warnings })
    expect(warnings.map((w) => `${w.pos?.line}:${w.pos?.col} ${w.message}`)).toEqual([
      expect.stringMatching(/^2:18 include_tasks: file not found: roles\/tmp\/handlers\/gone.yml .*only when notified/),
    ])
  })
})
