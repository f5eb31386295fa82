/**
 * Agreement cases for keywords whose value Ansible 2.14 reads at run time: templated `become`/`become_user` on
 * plays, blocks, tasks and role references (rendered per host), and a templated `any_errors_fatal` (which Ansible
 * reads unrendered: any template is true, so a failure ends the run even when it would render false), the task
 * `timeout` (a killed command: failed, not changed), `serial` as a percentage or a list, and `poll: 0` with
 * `async_status` (for command/shell and for modules such as file and lineinfile, in check mode too); `async` with
 * modules whose Ansible action plugin takes none; `async` and `poll` given by templates;
 * `poll: 0` with modules that only read.
 */
import type { CompatCase } from '../harness.js'

/** The file kw_serial's plays append to: the order the batches ran in. */
const ORDER = '{{ base }}/kw_serial/kw_serial_a/order'

/** The `i`th kw_serial play (from 0), `serial` as written: two tasks append `PLAY-HOST-TASK`, one host at a time. */
function serialPlay(serial: string, i: number): string {
  const task = (t: number) =>
    `    - shell: echo ${i + 1}-{{ inventory_hostname }}-${t} >> ${ORDER}\n      throttle: 1\n`
  return `- hosts: kw_serial\n  gather_facts: false\n  serial: ${serial}\n  tasks:\n${task(1)}${task(2)}`
}

export const KW_RUN: CompatCase[] = [
  {
    name: 'kw_become',
    covers: 'templated become and become_user on plays, blocks, tasks and role references',
    files: {
      'main.yml': `- hosts: kw_become
  gather_facts: false
  become: "{{ inventory_hostname.endswith('_a') }}"
  vars:
    target: root
  tasks:
    - command: whoami
      register: w
      changed_when: false
    - assert: { that: ["(w.stdout == 'root') == inventory_hostname.endswith('_a')"] }
    - block:
        - command: whoami
          register: w2
          changed_when: false
        - assert: { that: ["w2.stdout == 'root'"] }
      become: "{{ ansible_user != 'root' }}"
      become_user: "{{ target }}"
    - copy: { content: "x\\n", dest: "{{ root }}/as-{{ 'root' if w.stdout == 'root' else 'login' }}", mode: "0644" }
      become: "{{ false }}"
- hosts: kw_become
  gather_facts: false
  roles:
    - role: who
      become: "{{ inventory_hostname.endswith('_b') }}"
`,
      'roles/who/tasks/main.yml': `- command: whoami
  register: rw
  changed_when: false
- assert: { that: ["(rw.stdout == 'root') == inventory_hostname.endswith('_b')"] }
`,
    },
  },
  {
    name: 'kw_aef_template',
    covers: 'templated any_errors_fatal on a play and a block (Ansible 2.14 reads it unrendered: true)',
    alone: true,
    files: {
      'main.yml': `- hosts: kw_aef_template
  gather_facts: false
  vars:
    strict: false
  tasks:
    - block:
        - command: "false"
          when: inventory_hostname.endswith('_a')
      any_errors_fatal: "{{ strict }}"
    - copy: { content: "x\\n", dest: "{{ root }}/after", mode: "0644" }
- hosts: kw_aef_template
  gather_facts: false
  any_errors_fatal: "{{ strict }}"
  vars:
    strict: false
  tasks:
    - copy: { content: "x\\n", dest: "{{ root }}/second", mode: "0644" }
`,
    },
  },
  {
    name: 'kw_timeout',
    covers: 'task timeout: a killed command is failed and not changed, with the message Ansible 2.14 gives',
    files: {
      'main.yml': `- hosts: kw_timeout
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
    },
  },
  {
    name: 'kw_serial',
    covers: 'serial as a percentage, a list and 0 (the order the hosts run in shows in one file)',
    files: {
      'main.yml': [`"30%"`, `["100%"]`, `[1, "50%"]`, '0', `"50%"`].map(serialPlay).join(''),
    },
  },
  {
    name: 'kw_async',
    covers: 'async with poll: 0 (fire and forget), then async_status until finished, then cleanup; a polled job',
    files: {
      'main.yml': `- hosts: kw_async
  gather_facts: false
  tasks:
    - shell: sleep 1; echo done > {{ root }}/flag
      async: 30
      poll: 0
      register: j
    - assert: { that: [j is changed, j.started == 1, j.finished == 0, j.ansible_job_id is defined] }
    - async_status: { jid: "{{ j.ansible_job_id }}" }
      register: s
      until: s.finished
      retries: 30
      delay: 1
    - assert: { that: [s.rc == 0, s is changed, s.finished == 1] }
    - async_status: { jid: "{{ j.ansible_job_id }}", mode: cleanup }
    - async_status: { jid: "{{ j.ansible_job_id }}" }
      register: gone
      ignore_errors: true
    - assert: { that: [gone is failed] }
    - shell: echo polled
      async: 20
      poll: 1
      register: p
    - assert:
        that: [p.stdout == 'polled', p.finished == 1, p is finished, p.ansible_job_id is defined, p.started == 1]
`,
    },
  },
  {
    name: 'kw_async_mod',
    covers: 'poll: 0 with file and lineinfile, async_status until finished: changed, then ok in the second round',
    clean: true,
    files: {
      'main.yml': `- hosts: kw_async_mod
  gather_facts: false
  tasks:
    - stat: { path: "{{ root }}/conf" }
      register: before
    - file: { path: "{{ root }}/d", state: directory, mode: "0750" }
      async: 30
      poll: 0
      register: j1
    - lineinfile: { path: "{{ root }}/conf", line: b=2, create: true, mode: "0640" }
      async: 30
      poll: 0
      register: j2
    - assert:
        that: [j1 is changed, j1.started == 1, j1.finished == 0, j1.ansible_job_id is defined, j2 is changed]
    - async_status: { jid: "{{ item }}" }
      register: s
      until: s.finished
      retries: 30
      delay: 1
      loop: ["{{ j1.ansible_job_id }}", "{{ j2.ansible_job_id }}"]
    - assert:
        that:
          - "s.results | map(attribute='finished') | list == [1, 1]"
          - "s.results | map(attribute='changed') | list == [not before.stat.exists, not before.stat.exists]"
          - s.results[1] is not failed
    - stat: { path: "{{ root }}/d" }
      register: d
    - slurp: { src: "{{ root }}/conf" }
      register: conf
    - assert: { that: [d.stat.isdir, "d.stat.mode == '0750'", "conf.content | b64decode == 'b=2\\n'"] }
    - async_status: { jid: "{{ item }}", mode: cleanup }
      loop: ["{{ j1.ansible_job_id }}", "{{ j2.ansible_job_id }}"]
`,
    },
  },
  {
    name: 'kw_async_after',
    covers: 'poll: 0 with modules whose result is built after their commands (get_url, uri): async_status registers it',
    clean: true,
    files: {
      'main.yml': `- hosts: kw_async_after
  gather_facts: false
  tasks:
    - stat: { path: "{{ root }}/g" }
      register: before
    - get_url: { url: "{{ web }}/json", dest: "{{ root }}/g", mode: "0640" }
      async: 30
      poll: 0
      register: j1
    - uri: { url: "{{ web }}/lines", dest: "{{ root }}/u", headers: { X-Who: me } }
      async: 30
      poll: 0
      register: j2
    - get_url: { url: "{{ web }}/nothing-here", dest: "{{ root }}/n" }
      async: 30
      poll: 0
      register: j3
    - assert: { that: [j1 is changed, j1.finished == 0, j2 is changed, j3 is changed] }
    - async_status: { jid: "{{ item }}" }
      register: s
      until: s.finished
      retries: 30
      delay: 1
      loop: ["{{ j1.ansible_job_id }}", "{{ j2.ansible_job_id }}"]
    - async_status: { jid: "{{ j3.ansible_job_id }}" }
      register: s3
      until: s3.finished
      retries: 30
      delay: 1
      ignore_errors: true
    - assert:
        that:
          - "s.results | map(attribute='finished') | list == [1, 1]"
          - s.results[0].changed == (not before.stat.exists)
          - s.results[0].dest == root ~ '/g'
          - s.results[0].status_code == 200
          - s.results[1].status == 200
          - s.results[1] is changed
          - s3 is failed
          - s3.status_code == 404
          - s3.finished == 1
    - slurp: { src: "{{ root }}/u" }
      register: u
    - assert: { that: ["u.content | b64decode == 'one\\ntwo me\\n'"] }
    - async_status: { jid: "{{ item }}", mode: cleanup }
      loop: ["{{ j1.ansible_job_id }}", "{{ j2.ansible_job_id }}", "{{ j3.ansible_job_id }}"]
`,
    },
  },
  {
    name: 'kw_async_check',
    covers: 'async in check mode, with a module and with shell, polled or not: the task fails, nothing runs',
    flags: ['--check'],
    files: {
      'main.yml': `- hosts: kw_async_check
  gather_facts: false
  tasks:
    - file: { path: "{{ root }}/d", state: directory }
      async: 30
      poll: 0
      register: j
      ignore_errors: true
    - shell: touch {{ root }}/f
      async: 30
      poll: 0
      register: k
      ignore_errors: true
    - file: { path: "{{ root }}/polled", state: touch }
      async: 30
      poll: 1
      register: m
      ignore_errors: true
    - command: touch {{ root }}/g
      async: 30
      register: n
      ignore_errors: true
    - assert:
        that:
          - j is failed
          - k is failed
          - "j.msg == 'check mode and async cannot be used on same task.'"
          - "k.msg == j.msg"
          - "m.msg == j.msg"
          - "n.msg == j.msg"
`,
    },
  },
  {
    name: 'kw_async_refused',
    covers:
      'async with modules whose Ansible action takes none (copy, template, raw, debug, set_fact): the task fails ' +
      'whatever its poll, before check mode is looked at; async: 0 is no async',
    files: {
      'main.yml': `- hosts: kw_async_refused
  gather_facts: false
  tasks:
    - copy: { content: "x\\n", dest: "{{ root }}/copied" }
      async: 10
      poll: 2
      register: r1
      ignore_errors: true
    - template: { src: t.j2, dest: "{{ root }}/templated" }
      async: 10
      poll: 0
      register: r2
      ignore_errors: true
    - raw: touch {{ root }}/raw
      async: 10
      poll: 0
      register: r3
      ignore_errors: true
    - debug: { msg: hi }
      async: 5
      register: r4
      ignore_errors: true
    - set_fact: { was_set: true }
      async: 5
      ignore_errors: true
    - copy: { content: "x\\n", dest: "{{ root }}/checked" }
      async: 10
      poll: 0
      check_mode: true
      register: r5
      ignore_errors: true
    - copy: { content: "y\\n", dest: "{{ root }}/sync" }
      async: 0
      poll: 0
      register: r6
    - stat: { path: "{{ root }}/{{ item }}" }
      loop: [copied, templated, raw, checked]
      register: st
    - assert:
        that:
          - "r1.msg == 'async is not supported for this task.'"
          - r2.msg == r1.msg
          - r3.msg == r1.msg
          - r4.msg == r1.msg
          - r5.msg == r1.msg
          - was_set is undefined
          - r6 is succeeded
          - st.results | map(attribute='stat.exists') | select | list == []
`,
      't.j2': 'hello\n',
    },
  },
  {
    name: 'kw_async_template',
    covers: 'async and poll given by templates, rendered per host: a job left running, then a polled one',
    files: {
      'main.yml': `- hosts: kw_async_template
  gather_facts: false
  vars: { limit: 30, forget: 0, every: "1" }
  tasks:
    - shell: sleep 1; echo {{ inventory_hostname }} > {{ root }}/flag
      async: "{{ limit }}"
      poll: "{{ forget }}"
      register: j
    - assert: { that: [j is changed, j.started == 1, j.finished == 0] }
    - async_status: { jid: "{{ j.ansible_job_id }}" }
      register: s
      until: s.finished
      retries: 30
      delay: 1
    - command: cat {{ root }}/flag
      async: "{{ limit | int - 10 }}"
      poll: "{{ every }}"
      register: p
      changed_when: false
    - assert: { that: [p.stdout == inventory_hostname, p.finished == 1] }
`,
    },
  },
  {
    name: 'kw_async_reads',
    covers:
      'poll: 0 with modules that only read (stat, getent, slurp, find, ping, setup, package_facts): async_status ' +
      'gives their results, ok, and sets the facts they read',
    files: {
      'main.yml': `- hosts: kw_async_reads
  gather_facts: false
  tasks:
    - copy: { content: "hello\\n", dest: "{{ root }}/f.txt" }
    - stat: { path: "{{ root }}/f.txt" }
      async: 30
      poll: 0
      register: j1
    - getent: { database: passwd, key: root }
      async: 30
      poll: 0
      register: j2
    - slurp: { src: "{{ root }}/f.txt" }
      async: 30
      poll: 0
      register: j3
    - find: { paths: "{{ root }}", patterns: "f.*" }
      async: 30
      poll: 0
      register: j4
    - ping: { data: hi }
      async: 30
      poll: 0
      register: j5
    - setup: { filter: ansible_hostname }
      async: 30
      poll: 0
      register: j6
    - package_facts:
      async: 30
      poll: 0
      register: j7
    - assert: { that: [j1 is changed, j1.finished == 0, getent_passwd is undefined, packages is undefined] }
    - async_status: { jid: "{{ item.ansible_job_id }}" }
      loop: ["{{ j1 }}", "{{ j2 }}", "{{ j3 }}", "{{ j4 }}", "{{ j5 }}", "{{ j6 }}", "{{ j7 }}"]
      register: s
      until: s.finished
      retries: 20
      delay: 1
    - assert:
        that:
          - s.results[0].stat.exists and s.results[0].stat.size == 6
          - getent_passwd.root[4] == "/root"
          - (s.results[2].content | b64decode) == "hello\\n"
          - s.results[3].matched == 1
          - s.results[4].ping == "hi"
          - ansible_hostname is defined and s.results[5].ansible_facts.ansible_hostname == ansible_hostname
          - packages['bash'] is defined
          - s.results | select('changed') | list == []
`,
    },
  },
]
