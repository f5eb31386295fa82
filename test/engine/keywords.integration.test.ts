/**
 * The run-time side of keywords Ansible runs: `ignore_unreachable` (ok + ignored, the host stays; counts as
 * ansible-playbook 2.14 gives them for the same playbook), `throttle` (at most N hosts in the task at once, under both
 * strategies), play `order`, and a templated `ignore_errors`. Hosts use the local connection (or a refused port):
 * nothing but the controller is contacted.
 */
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { tsplay, writeTree } from '../helpers/cli.js'

const dir = writeTree({
  'inventory.yml': `all:
  hosts:
    h3: { ansible_connection: local }
    h1: { ansible_connection: local }
    h2: { ansible_connection: local }
  children:
    dead:
      hosts:
        gone: { ansible_host: 127.0.0.1, ansible_port: 1, ansible_user: nobody }
`,
  // a task that fails when two hosts are inside it at once (mkdir is atomic)
  'throttle1.yml': `- hosts: h1,h2,h3
  gather_facts: false
  strategy: "{{ strat }}"
  tasks:
    - shell: mkdir {{ lock }} && sleep 0.3 && rmdir {{ lock }}
      throttle: 1
- hosts: h1,h2,h3
  gather_facts: false
  throttle: 1
  tasks:
    - shell: mkdir {{ lock }} && sleep 0.3 && rmdir {{ lock }}
`,
  'free.yml': `- hosts: h1,h2,h3
  gather_facts: false
  tasks:
    - shell: mkdir {{ lock }} && sleep 0.3 && rmdir {{ lock }}
`,
  'order.yml': `- hosts: h1,h2,h3
  gather_facts: false
  order: "{{ o }}"
  throttle: 1
  tasks:
    - shell: echo {{ inventory_hostname }} >> {{ out }}
`,
  'order2.yml': `- hosts: all:!dead
  gather_facts: false
  order: reverse_sorted
  throttle: 1
  tasks:
    - shell: echo {{ inventory_hostname }} >> {{ out }}
- hosts: all:!dead
  gather_facts: false
  order: reverse_inventory
  tasks:
    - shell: echo {{ inventory_hostname }} >> {{ out }}
      throttle: 1
`,
  'unreachable.yml': `- hosts: dead
  gather_facts: false
  tasks:
    - command: "true"
      ignore_unreachable: true
    - block:
        - command: "true"
      ignore_unreachable: true
    - command: "true"
    - command: "true"
`,
  'ignore.yml': `- hosts: h1
  gather_facts: false
  tasks:
    - command: "false"
      ignore_errors: "{{ lax }}"
`,
  'defaults.yml': `- hosts: h1
  gather_facts: false
  module_defaults:
    ansible.builtin.command: { chdir: "{{ place }}" }
  tasks:
    - set_fact: { which: pwd }
    - include_tasks: "{{ which }}.yml"
    - assert: { that: [here.stdout == place] }
`,
  'pwd.yml': `- command: pwd
  register: here
  changed_when: false
`,
  'once.yml': `- hosts: h1,h2,h3
  gather_facts: false
  tasks:
    - command: "true"
      run_once: "{{ once }}"
`,
  'timeout.yml': `- hosts: h1
  gather_facts: false
  timeout: 1
  tasks:
    - command: sleep 5
`,
  'killed.yml': `- hosts: h1
  gather_facts: false
  tasks:
    - shell: sleep 5
      timeout: 1
      register: r
      ignore_errors: true
    - assert:
        that:
          - r is failed
          - r is not changed
          - r.msg == 'The shell action failed to execute in the expected time frame (1) and was terminated'
          - r.rc is not defined
    - shell: exit 124
      timeout: 3
      register: s
      ignore_errors: true
    - assert: { that: [s is failed, s is changed, s.rc == 124] }
`,
  // a variable nothing reads is never rendered (as in Ansible): its template may be broken
  'lazy.yml': `- hosts: h1
  gather_facts: false
  vars:
    broken: "{{ nope }}"
    word: hello
  tasks:
    - command: echo {{ word }}
      register: r
    - command: echo again
      register: r2
      changed_when: r2.stdout == 'again' and word == 'hello' and r.stdout == 'hello'
    - command: echo same
      register: r3
      changed_when: r3.stdout != 'same'
`,
  'nolog.yml': `- hosts: h1
  gather_facts: false
  tasks:
    - command: echo sekrit-{{ 6 * 7 }}
      no_log: "{{ hide }}"
`,
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const run = (pb: string, extra: string[] = []) =>
  tsplay(['run', join(dir, pb), '-i', join(dir, 'inventory.yml'), '--json', ...extra])

describe('keywords at run time', () => {
  it('ignore_unreachable: ok and ignored, the host goes on until a task without it (as Ansible 2.14)', async () => {
    const r = await run('unreachable.yml')
    expect(r.recap?.gone).toMatchObject({ ok: 2, ignored: 2, unreachable: 1, failed: 0 })
    expect(r.code).toBe(4)
  })

  it.each(['linear', 'free'])('throttle: 1 lets one host at a time into the task (%s)', async (strat) => {
    const lock = join(dir, `lock-${strat}`)
    const r = await run('throttle1.yml', ['-e', `strat=${strat}`, '-e', `lock=${lock}`])
    expect(r.recap?.h1).toMatchObject({ changed: 2, failed: 0 })
    expect(r.code).toBe(0)
  })

  it('without throttle the same task collides (so the throttled runs prove something)', async () => {
    const r = await run('free.yml', ['-e', `lock=${join(dir, 'lock-none')}`, '-f', '5'])
    expect(Object.values(r.recap ?? {}).reduce((n, c) => n + c.failed, 0)).toBeGreaterThan(0)
  })

  it('a variable no task reads is not rendered; changed_when sees the variables and the result', async () => {
    const r = await run('lazy.yml')
    const tasks = r.events.filter((e) => e.type === 'task')
    expect(tasks.map((t) => t.status)).toEqual(['changed', 'changed', 'ok'])
    expect(r.recap?.h1).toMatchObject({ ok: 3, changed: 2, failed: 0 })
    expect(r.stderr).toContain('"broken" is read by nothing')
  })

  it('order: the hosts run in the order asked (throttle 1 keeps them one by one)', async () => {
    const out = join(dir, 'order.out')
    const r = await run('order2.yml', ['-e', `out=${out}`])
    expect(r.code).toBe(0)
    expect(readFileSync(out, 'utf8').split('\n').filter(Boolean)).toEqual(['h3', 'h2', 'h1', 'h2', 'h1', 'h3'])
  })

  it('order may be a template (play vars and -e), as in Ansible', async () => {
    const out = join(dir, 'order3.out')
    const r = await run('order.yml', ['-e', `out=${out}`, '-e', 'o=reverse_sorted'])
    expect(r.code).toBe(0)
    expect(readFileSync(out, 'utf8').split('\n').filter(Boolean)).toEqual(['h3', 'h2', 'h1'])
  })

  it.each([
    ['true', { ok: 1, ignored: 1, failed: 0 }],
    ['false', { ok: 0, ignored: 0, failed: 1 }],
  ])('a templated ignore_errors is rendered per host (lax=%s)', async (lax, want) => {
    const r = await run('ignore.yml', ['-e', `lax=${lax}`])
    expect(r.recap?.h1).toMatchObject(want)
  })
  it.each([
    ['true', false],
    ['false', true],
  ])('a templated no_log is rendered per host (hide=%s)', async (hide, shown) => {
    const r = await run('nolog.yml', ['-e', `hide=${hide}`])
    expect(r.code).toBe(0)
    expect(r.stdout.includes('sekrit-42')).toBe(shown)
  })
  it('module_defaults reach tasks an include loads at run time (a name only the run knows)', async () => {
    const r = await run('defaults.yml', ['-e', `place=${dir}`])
    expect(r.recap?.h1).toMatchObject({ ok: 4, failed: 0 })
  })
  it.each([
    ['true', 1],
    ['false', 3],
  ])("a templated run_once is rendered with the first host's variables (once=%s)", async (once, ran) => {
    const r = await run('once.yml', ['-e', `once=${once}`, '--json'])
    expect(r.events.filter((e) => e.type === 'task' && e.task === 'command').length).toBe(ran)
  })
  it("a play's timeout is the default of its tasks' (as Ansible 2.14 inherits it)", async () => {
    const t0 = Date.now()
    const r = await run('timeout.yml')
    expect(r.recap?.h1).toMatchObject({ failed: 1 })
    expect(Date.now() - t0).toBeLessThan(4500)
  })
  it('a command the timeout kills fails, not changed (as Ansible); one exiting 124 itself keeps its rc', async () => {
    const r = await run('killed.yml')
    expect(r.recap?.h1).toMatchObject({ ok: 4, changed: 1, failed: 0, ignored: 2 }) // as ansible-playbook 2.14
    expect(r.code).toBe(0)
  })
})
