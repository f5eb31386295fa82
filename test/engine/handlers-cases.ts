/**
 * The playbooks of handlers-ansible.integration.test.ts. Each task that matters appends "HOST what" to `{{ out
 * }}/trace`
 * (`out` is a per-engine folder), so the test compares what ran on each host, in order, besides the counts.
 */

/** One agreement case. */
export interface Case {
  name: string
  playbook: string
  /** More files (roles) beside the playbook. */
  files?: Record<string, string>
  extraVars?: Record<string, string>
  /** Extra assertions on tsplay's trace (host → lines). */
  check?: (trace: Record<string, string[]>) => void
}

/** A task (or handler) that records `what` and reports changed. */
const mark = (what: string, extra = '') =>
  `shell: 'mkdir -p {{ out }} && echo {{ inventory_hostname }} ${what} >> {{ out }}/trace'${extra}`

export const CASES: Case[] = [
  {
    name: 'flush-points',
    playbook: `
- hosts: all
  gather_facts: false
  pre_tasks:
    - ${mark('pre')}
      notify: first
  tasks:
    - ${mark('task')}
      notify: [second, topic, in block]
    - meta: flush_handlers
    - ${mark('after flush')}
  post_tasks:
    - ${mark('post')}
      notify: first
  handlers:
    - name: first
      ${mark('first')}
    - name: second
      ${mark('second')}
      notify: chained
    - listen: topic
      ${mark('listener')}
    - block:
        - name: in block
          ${mark('in block')}
      when: inventory_hostname != 't3'
    - name: chained
      ${mark('chained')}
`,
  },
  {
    name: 'any-errors-fatal-ends-the-run',
    playbook: `
- hosts: all
  gather_facts: false
  any_errors_fatal: true
  tasks:
    - ${mark('notify')}
      notify: never runs
    - fail: { msg: boom }
      when: inventory_hostname == 't2'
    - ${mark('after')}
  handlers:
    - name: never runs
      ${mark('handler')}
- hosts: all
  gather_facts: false
  tasks:
    - ${mark('second play')}
`,
  },
  {
    name: 'force-handlers',
    playbook: `
- hosts: all
  gather_facts: false
  force_handlers: true
  tasks:
    - ${mark('notify')}
      notify: restart
    - fail: { msg: boom }
      when: inventory_hostname == 't2'
    - ${mark('after')}
  handlers:
    - name: restart
      ${mark('restart')}
- hosts: all
  gather_facts: false
  tasks:
    - ${mark('second play')}
`,
  },
  {
    name: 'failed-host-drops-its-handlers',
    playbook: `
- hosts: all
  gather_facts: false
  tasks:
    - ${mark('notify')}
      notify: restart
    - fail: { msg: boom }
      when: inventory_hostname == 't2'
  handlers:
    - name: restart
      ${mark('restart')}
`,
  },
  {
    name: 'end-host-and-end-play',
    playbook: `
- hosts: all
  gather_facts: false
  tasks:
    - ${mark('notify')}
      notify: restart
    - meta: end_host
      when: inventory_hostname == 't1'
    - ${mark('t1 gone')}
    - meta: end_play
      when: inventory_hostname == 't2'
    - ${mark('never')}
  handlers:
    - name: restart
      ${mark('restart')}
- hosts: all
  gather_facts: false
  tasks:
    - ${mark('second play')}
    - meta: noop
    - meta: reset_connection
    - meta: refresh_inventory
    - ${mark('after reset')}
`,
  },
  {
    name: 'clear-host-errors',
    playbook: `
- hosts: all
  gather_facts: false
  tasks:
    - fail: { msg: boom }
      when: inventory_hostname == 't1'
    - meta: clear_host_errors
    - ${mark('same play')}
- hosts: all
  gather_facts: false
  tasks:
    - ${mark('second play')}
`,
  },
  {
    name: 'whole-play-failed-ends-the-run',
    playbook: `
- hosts: t1
  gather_facts: false
  tasks:
    - fail: { msg: boom }
- hosts: all
  gather_facts: false
  tasks:
    - ${mark('second play')}
`,
  },
  {
    name: 'max-fail-percentage-ends-the-run',
    playbook: `
- hosts: all
  gather_facts: false
  max_fail_percentage: 30
  tasks:
    - fail: { msg: boom }
      when: inventory_hostname != 't3'
    - ${mark('next')}
- hosts: all
  gather_facts: false
  tasks:
    - ${mark('second play')}
`,
  },
  {
    name: 'end-batch-with-serial',
    playbook: `
- hosts: all
  gather_facts: false
  serial: 2
  tasks:
    - ${mark('one')}
      notify: restart
    - meta: end_batch
      when: inventory_hostname == 't1'
    - ${mark('two')}
  handlers:
    - name: restart
      ${mark('restart')}
`,
  },
  {
    name: 'role-handlers',
    playbook: `
- hosts: all
  gather_facts: false
  roles:
    - app
  tasks:
    - ${mark('play task')}
      notify: 'app : restart app'
`,
    files: {
      'roles/app/tasks/main.yml': `
- ${mark('role task')}
  notify: [restart app, app topic]
`,
      'roles/app/handlers/main.yml': `
- name: restart app
  ${mark('restart app')}
- name: on topic
  listen: app topic
  ${mark('topic')}
`,
    },
  },
]
