/**
 * Ansible behaviours tsplay must share, on a real loopback sshd target (the agreement test in test/compat/ checks
 * the same against ansible-playbook itself): a skipped task's register, the rescue variables, include_tasks
 * counted one ok per host and item with its own when/loop, with_* loops and loop_control, include_vars.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { canRunSshd, startSshd, type SshdFleet } from '../helpers/sshd.js'
import { tsplay, writeTree } from '../helpers/cli.js'
import { scratchPath } from '../helpers/tempdir.js'

const can = canRunSshd()

describe.skipIf(!can.ok)('Ansible-compatible results', () => {
  let fleet: SshdFleet
  let dir: string
  /** Where a check-mode task would make a folder (it must not); the run's temp folder, for a test user. */
  const never = scratchPath('tsplay-compat-never-')
  const run = (pb: string) =>
    tsplay(['run', join(dir, pb), '-i', join(dir, 'inventory.yml'), '--known-hosts', fleet.knownHostsFile, '--json'])

  beforeAll(async () => {
    fleet = await startSshd({ count: 1, sudo: 'nopasswd' })
    dir = writeTree({
      'inventory.yml': fleet.inventoryYaml(),
      'skipped.yml': `- hosts: all
  gather_facts: false
  tasks:
    - command: echo hi
      when: false
      register: r
    - assert:
        that: [r is skipped, r is defined, r is not changed, "r.skip_reason == 'Conditional result was False'"]
    - command: echo "{{ item }}"
      loop: [1, 2]
      when: item == 2
      register: l
    - assert: { that: ["l.results[0] is skipped", "l.results[1].stdout == '2'", "l.results[1].item == 2"] }
`,
      'rescue.yml': `- hosts: all
  gather_facts: false
  tasks:
    - block:
        - name: the failing one
          command: /bin/false
      rescue:
        - assert:
            that:
              - ansible_failed_task.name == 'the failing one'
              - ansible_failed_task.action == 'command'
              - ansible_failed_result.rc == 1
              - ansible_failed_result is failed
`,
      'include.yml': `- hosts: all
  gather_facts: false
  tasks:
    - include_tasks: inc.yml
    - include_tasks: inc.yml
      when: false
    - ansible.builtin.include_tasks: inc.yml
      loop: [a, b]
    - include: inc.yml
`,
      'inc.yml': '- debug: { msg: "{{ item | default(\'none\') }}" }\n',
      'loops.yml': `- hosts: all
  gather_facts: false
  tasks:
    - set_fact: { seen: "{{ seen | default([]) + [item.key ~ '=' ~ item.value] }}" }
      with_dict: { a: 1, b: 2 }
    - set_fact: { seq: "{{ seq | default([]) + [item] }}" }
      with_sequence: start=2 end=6 stride=2 format=n%02d
    - set_fact: { nested: "{{ nested | default([]) + [item.0 ~ item.1] }}" }
      with_nested: [[x, y], [1, 2]]
    - set_fact: { idx: "{{ idx | default([]) + [i] }}" }
      loop: [a, b]
      loop_control: { index_var: i, pause: 0.1 }
    - assert:
        that:
          - "seen == ['a=1', 'b=2']"
          - "seq == ['n02', 'n04', 'n06']"
          - "nested == ['x1', 'x2', 'y1', 'y2']"
          - "idx == [0, 1]"
    - include_vars: { file: extra.yml, name: extra }
    - include_vars: extra.yml
    - assert: { that: ["extra.answer == 42", "answer == 42"] }
`,
      'vars/extra.yml': 'answer: 42\n',
      'keywords.yml': `- hosts: all
  gather_facts: false
  remote_user: nobody-here
  vars:
    - { a: 1 }
    - { b: "{{ a + 1 }}" }
  tasks:
    - block:
        - file: { path: "${never}-{{ b }}", state: directory, mode: "0755" }
          register: f
      check_mode: true
    - assert: { that: [f is changed, b == 2] }
    - stat: { path: "${never}-2" }
      register: s
      check_mode: "{{ omit }}"
    - assert: { that: [not s.stat.exists] }
`,
    })
  })
  afterAll(async () => {
    await fleet?.stop()
  })

  it('a skipped task registers skipped, changed and skip_reason (also per loop item)', async () => {
    const r = await run('skipped.yml')
    expect(r.stderr).toBe('')
    expect(r.recap!['t1']).toMatchObject({ ok: 3, changed: 1, skipped: 1, failed: 0 })
  })

  it('rescue sees ansible_failed_task and ansible_failed_result', async () => {
    const r = await run('rescue.yml')
    expect(r.recap!['t1']).toMatchObject({ ok: 1, failed: 0, rescued: 1 })
    expect(r.code).toBe(0)
  })

  it('include_tasks counts one ok per host and item; its when skips it once', async () => {
    const r = await run('include.yml')
    // includes: 1 + 2 (looped); included debug tasks: 1 + 2 + 1 (legacy include: static, like import_tasks); the
    // when:false include is skipped
    expect(r.recap!['t1']).toMatchObject({ ok: 7, skipped: 1, failed: 0 })
  })

  it('play vars as a list of maps, block check_mode, check_mode omitted, remote_user below the inventory', async () => {
    const r = await run('keywords.yml')
    expect(r.recap!['t1']).toMatchObject({ ok: 4, changed: 1, failed: 0 })
  })

  it('with_dict, with_sequence, with_nested, index_var, pause and include_vars', async () => {
    const r = await run('loops.yml')
    expect(r.recap!['t1']).toMatchObject({ ok: 8, failed: 0 })
    expect(r.code).toBe(0)
  })
})
