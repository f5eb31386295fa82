/**
 * A templated `become`/`become_user` is rendered per host at run time, as ansible-playbook 2.14 does: on plays,
 * blocks and tasks; a template that gives no boolean fails that host's task with the reason. Hosts use the local
 * connection (sudo on the controller): nothing else is contacted.
 */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { tsplay, writeTree } from '../helpers/cli.js'

const dir = writeTree({
  'inventory.yml': `all:
  hosts:
    h1: { ansible_connection: local }
    h2: { ansible_connection: local }
`,
  'become.yml': `- hosts: h1,h2
  gather_facts: false
  become: "{{ inventory_hostname == 'h1' }}"
  become_user: "{{ who }}"
  tasks:
    - command: whoami
      register: w
      changed_when: false
    - assert: { that: ["w.stdout == (who if inventory_hostname == 'h1' else 'root')"] }
    - block:
        - command: whoami
          register: w2
          changed_when: false
        - assert: { that: ["w2.stdout == (who if inventory_hostname == 'h2' else 'root')"] }
      become: "{{ inventory_hostname == 'h2' }}"
    - command: whoami
      register: w3
      changed_when: false
      become: "{{ true }}"
      become_user: "{{ 'ro' ~ 'ot' }}"
    - assert: { that: [w3.stdout == "root"] }
`,
  'bad.yml': `- hosts: h1
  gather_facts: false
  tasks:
    - command: whoami
      become: "{{ who }}"
`,
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const run = (pb: string, extra: string[] = []) =>
  tsplay(['run', join(dir, pb), '-i', join(dir, 'inventory.yml'), '--json', ...extra])

describe('templated become at run time', () => {
  it("renders become and become_user with each host's variables (plays, blocks, tasks)", async () => {
    const r = await run('become.yml', ['-e', 'who=nobody'])
    expect(r.recap?.h1).toMatchObject({ ok: 6, failed: 0 })
    expect(r.recap?.h2).toMatchObject({ ok: 6, failed: 0 })
    expect(r.code).toBe(0)
  })

  it('a template that gives no boolean fails the task with the reason', async () => {
    const r = await run('bad.yml', ['-e', 'who=nobody'])
    expect(r.recap?.h1).toMatchObject({ ok: 0, failed: 1 })
    expect(JSON.stringify(r.events)).toContain('\\"become\\" must be true or false')
  })
})
