/**
 * Agreement cases for the flow of a run: includes and imports, tags, check mode, handlers, any_errors_fatal and
 * serial batches (what Ansible's `include_import`, `tags`, `check_mode`, `handlers` and `any_errors_fatal`
 * targets pin down).
 */
import type { CompatCase } from '../harness.js'

export const FLOW: CompatCase[] = [
  {
    name: 'include_import',
    covers: 'include_import',
    files: {
      'main.yml': `- hosts: include_import
  gather_facts: false
  vars: { outer: 1 }
  tasks:
    - import_tasks: tasks/imported.yml
      vars: { who: imported }
    - include_tasks: tasks/included.yml
    - include_tasks: tasks/included.yml
      when: false
    - include_tasks: tasks/looped.yml
      loop: [x, y]
    - ansible.builtin.include_tasks:
        file: tasks/looped.yml
      loop: [z]
      loop_control: { loop_var: letter }
      vars: { item: "{{ letter }}" }
    - include_tasks: { file: tasks/included.yml, apply: { tags: [inc] } }
    - include: tasks/included.yml
`,
      'tasks/imported.yml': '- debug: { msg: "{{ who }}" }\n- set_fact: { imported_ran: true }\n',
      'tasks/included.yml':
        '- assert: { that: [outer == 1] }\n- file: { path: "{{ root }}/included", state: touch, mode: "0644" }\n',
      'tasks/looped.yml': '- file: { path: "{{ root }}/looped-{{ item }}", state: directory, mode: "0755" }\n',
    },
  },
  {
    name: 'tags',
    covers: 'tags',
    flags: ['--tags', 'one,always'],
    files: {
      'main.yml': `- hosts: tags
  gather_facts: false
  tasks:
    - file: { path: "{{ root }}/one", state: directory, mode: "0755" }
      tags: one
    - file: { path: "{{ root }}/two", state: directory, mode: "0755" }
      tags: [two]
    - debug: { msg: always }
      tags: [always]
    - file: { path: "{{ root }}/never", state: directory, mode: "0755" }
      tags: [never]
    - block:
        - file: { path: "{{ root }}/block-one", state: directory, mode: "0755" }
      tags: one
    - import_tasks: imported.yml
      tags: one
`,
      'imported.yml': '- file: { path: "{{ root }}/imported", state: directory, mode: "0755" }\n',
    },
  },
  {
    name: 'skip_tags',
    covers: 'tags (--skip-tags)',
    flags: ['--skip-tags', 'slow'],
    files: {
      'main.yml': `- hosts: skip_tags
  gather_facts: false
  tasks:
    - file: { path: "{{ root }}/fast", state: directory, mode: "0755" }
    - file: { path: "{{ root }}/slow", state: directory, mode: "0755" }
      tags: slow
`,
    },
  },
  {
    name: 'check_mode',
    covers: 'check_mode',
    flags: ['--check'],
    allow: { counts: { changed: 1, ok: 1, skipped: -1 }, reason: 'predicts `command`/`shell` tasks as change' },
    files: {
      'main.yml': `- hosts: check_mode
  gather_facts: false
  tasks:
    - file: { path: "{{ root }}/would", state: directory, mode: "0755" }
    - copy: { dest: "{{ root }}/c", content: "x\\n", mode: "0644" }
    - file: { path: "{{ root }}/forced", state: directory, mode: "0755" }
      check_mode: false
    - command: "touch {{ root }}/cmd"
    - assert: { that: [ansible_check_mode] }
`,
    },
  },
  {
    name: 'handlers',
    covers: 'handlers',
    files: {
      'main.yml': `- hosts: handlers
  gather_facts: false
  tasks:
    - file: { path: "{{ root }}/conf", state: directory, mode: "0755" }
      notify: [restart, by topic]
    - file: { path: "{{ root }}/conf", state: directory, mode: "0755" }
      notify: never notified
  handlers:
    - name: restart
      file: { path: "{{ root }}/restarted", state: touch, mode: "0644" }
      notify: chained
    - name: listener
      file: { path: "{{ root }}/heard", state: touch, mode: "0644" }
      listen: by topic
    - name: chained
      debug: { msg: chained }
    - name: never notified
      debug: { msg: never }
`,
    },
  },
  {
    name: 'handlers_include',
    covers: 'handlers (include_tasks as a handler; a role handler finds its file in tasks/)',
    files: {
      'main.yml': `- hosts: handlers_include
  gather_facts: false
  roles: [tmp]
  tasks:
    - command: "true"
      notify: [dyn, by topic]
    - include_tasks: inc.yml
      args:
        apply: { tags: [applied] }
    - include_tasks: file=inc.yml
      loop: [1]
  handlers:
    - name: dyn
      include_tasks: handler-tasks.yml
    - name: heard
      include_tasks: { file: handler-tasks.yml }
      listen: by topic
      vars: { suffix: heard }
`,
      'inc.yml': '- file: { path: "{{ root }}/inc", state: touch, mode: "0644" }\n',
      'handler-tasks.yml':
        '- file: { path: "{{ root }}/h-{{ suffix | default(\'dyn\') }}", state: touch, mode: "0644" }\n' +
        '- debug: { msg: second }\n',
      'roles/tmp/tasks/main.yml': '- command: "true"\n  notify: clean up\n',
      'roles/tmp/tasks/cleanup.yml': '- file: { path: "{{ root }}/cleaned", state: directory, mode: "0755" }\n',
      'roles/tmp/handlers/main.yml': '- name: clean up\n  include_tasks: cleanup.yml\n',
    },
  },
  {
    name: 'undefined_tolerated',
    covers: 'failed_when/blocks (an undefined variable where its failure is ignored or rescued)',
    files: {
      'main.yml': `- hosts: undefined_tolerated
  gather_facts: false
  tasks:
    - debug: { msg: "{{ never_defined }}" }
      ignore_errors: true
      register: r
    - assert: { that: [r is failed] }
    - block:
        - file: { path: "{{ root }}/{{ never_defined }}", state: touch, mode: "0644" }
      rescue:
        - file: { path: "{{ root }}/rescued", state: touch, mode: "0644" }
`,
    },
  },
  {
    name: 'handlers_flush',
    covers: 'handlers (flushed after pre_tasks, tasks and post_tasks)',
    files: {
      'main.yml': `- hosts: handlers_flush
  gather_facts: false
  pre_tasks:
    - command: "true"
      notify: h
  tasks:
    - stat: { path: "{{ root }}/h" }
      register: s
    - assert: { that: [s.stat.exists] }
  handlers:
    - name: h
      file: { path: "{{ root }}/h", state: touch, mode: "0644" }
`,
    },
  },
  {
    name: 'errors_fatal',
    covers: 'any_errors_fatal',
    alone: true, // it ends the whole run, in both engines
    files: {
      'main.yml': `- hosts: errors_fatal
  gather_facts: false
  any_errors_fatal: true
  tasks:
    - fail: { msg: one host fails }
      when: inventory_hostname.endswith('_a')
    - file: { path: "{{ root }}/not-reached", state: directory, mode: "0755" }
- hosts: errors_fatal
  gather_facts: false
  tasks:
    - file: { path: "{{ root }}/second-play", state: directory, mode: "0755" }
`,
    },
  },
  {
    name: 'serial_facts',
    covers: 'serial: each batch gathers its own facts; a batch whose hosts all failed ends the run before the next',
    alone: true, // it ends the whole run, in both engines
    files: {
      'main.yml': `- hosts: serial_facts
  gather_facts: true
  serial: 1
  tasks:
    - fail: { msg: the first batch fails }
      when: inventory_hostname.endswith('_a')
    - file: { path: "{{ root }}/not-reached", state: directory, mode: "0755" }
`,
    },
  },
]
