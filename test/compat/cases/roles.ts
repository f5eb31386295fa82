/**
 * Agreement cases written the way well-known public roles are: multi-OS `when` branches on gathered facts,
 * `include_vars` per distribution with `with_first_found`, `with_*` loops, and a template built from role
 * defaults (the style of geerlingguy's and debops' roles), written here for tsplay.
 */
import type { CompatCase } from '../harness.js'

export const ROLES: CompatCase[] = [
  {
    name: 'role_multios',
    covers: 'role style: OS branches, include_vars per distribution, with_* loops',
    files: {
      'main.yml': `- hosts: role_multios
  gather_facts: true
  roles:
    - role: web
      vars: { web_port: 8081 }
`,
      'roles/web/defaults/main.yml': 'web_port: 80\nweb_dirs: [conf, logs]\nweb_options: { a: 1, b: two }\n',
      'roles/web/vars/Debian.yml': 'web_flavour: debian\n',
      'roles/web/vars/default.yml': 'web_flavour: generic\n',
      'roles/web/tasks/main.yml': `- name: Load the distribution's variables
  include_vars: "{{ item }}"
  with_first_found:
    - "{{ ansible_distribution }}.yml"
    - "{{ ansible_os_family }}.yml"
    - default.yml
- include_tasks: setup-Debian.yml
  when: ansible_os_family == 'Debian'
- include_tasks: setup-RedHat.yml
  when: ansible_os_family == 'RedHat'
- name: Folders
  file: { path: "{{ root }}/{{ item }}", state: directory, mode: "0755" }
  with_items: "{{ web_dirs }}"
- name: Options
  copy: { dest: "{{ root }}/conf/{{ item.key }}", content: "{{ item.value }}\\n", mode: "0644" }
  with_dict: "{{ web_options }}"
- name: Numbered
  file: { path: "{{ root }}/logs/{{ item }}", state: touch, mode: "0644" }
  with_sequence: start=1 end=3 format=log%02d
- name: Config
  template: { src: web.conf.j2, dest: "{{ root }}/conf/web.conf", mode: "0644" }
`,
      'roles/web/tasks/setup-Debian.yml': '- file: { path: "{{ root }}/debian-branch", state: touch, mode: "0644" }\n',
      'roles/web/tasks/setup-RedHat.yml': '- file: { path: "{{ root }}/redhat-branch", state: touch, mode: "0644" }\n',
      'roles/web/templates/web.conf.j2':
        'listen {{ web_port }}\nflavour {{ web_flavour }}\nfamily {{ ansible_os_family }}\n',
    },
  },
  {
    name: 'result_fields',
    covers: 'failed, failed_when_result and changed_when_result in results; command of a program not there',
    clean: true,
    files: {
      'main.yml': `- hosts: result_fields
  gather_facts: false
  tasks:
    - command: "true"
      register: plain
    - command: "true"
      failed_when: false
      register: fw
    - command: echo foo
      changed_when: boomboomboom
      register: bad
      ignore_errors: true
    - command: tspt-no-such-program --flag
      register: missing
      changed_when: "'changed' in missing.stdout"
      failed_when: "missing.stdout != '' or missing.stderr != ''"
    - command: tspt-no-such-program
      register: missing2
      ignore_errors: true
    - assert:
        that:
          - "'failed' in plain and not plain.failed"
          - "'failed_when_result' in fw and not fw.failed_when_result"
          - "'failed_when_result' not in plain"
          - bad is failed
          - bad.stdout is defined
          - bad.changed_when_result is contains('boomboomboom')
          - missing is not failed
          - missing.rc == 2
          - missing2 is failed
          - "'No such file or directory' in missing2.msg"
`,
    },
  },
  {
    name: 'seq_errors',
    covers:
      "with_sequence's count and refusals, first_found's message, debug registering a list, debug var errors and " +
      'verbosity, with_items/with_list/with_indexed_items given a map, ansible_host',
    clean: true,
    files: {
      'main.yml': `- hosts: seq_errors
  gather_facts: false
  tasks:
    - debug: { msg: "{{ [1, 2] }}" }
      register: r
    - assert: { that: ["r.msg | type_debug == 'list'", "r.msg | length == 2"] }
    - debug: { msg: "{{ item }}" }
      with_sequence: start=1 end=0
      ignore_errors: true
      register: back
    - debug: { msg: "{{ item }}" }
      with_sequence: start=1 end=3 stride=-1
      ignore_errors: true
      register: fwd
    - debug: { msg: "{{ item }}" }
      with_sequence: start=1 count=3 stride=2
      register: odd
    - debug: { msg: "{{ item }}" }
      with_sequence: count=0
    - debug: { msg: "{{ item }}" }
      with_sequence: start=5 end=1 stride=-2
      register: down
    - debug: { msg: "{{ lookup('first_found', ['nope']) }}" }
      ignore_errors: true
      register: ff
    - debug: { var: "'http://a/' | urlsplit('bad')" }
      ignore_errors: true
      register: badsplit
    - debug: { var: nothing_here.at_all }
      register: notdef
    - debug: { msg: hidden, verbosity: 3 }
      register: quiet
    - debug: { msg: "{{ item }}" }
      with_items: { k1: 1, k2: 2 }
      register: keys
    - debug: { msg: "{{ item }}" }
      with_list: { k1: 1 }
      ignore_errors: true
    - debug: { msg: "{{ item }}" }
      with_indexed_items: { k1: 1 }
      ignore_errors: true
      register: indexed
    - assert:
        that:
          - "'to count backwards make stride negative' in back.msg"
          - "\\"to count forward don't make stride negative\\" in fwd.msg"
          - "odd.results | map(attribute='item') | list == ['1', '3', '5']"
          - "down.results | map(attribute='item') | list == ['5', '3', '1']"
          - "'No file was found when using first_found.' in ff.msg"
          - badsplit is failed
          - "'unknown URL component' in badsplit.msg"
          - "notdef['nothing_here.at_all'] == 'VARIABLE IS NOT DEFINED!'"
          - quiet is skipped
          - "keys.results | map(attribute='item') | list == ['k1', 'k2']"
          - "indexed.msg == 'with_indexed_items expects a list'"
          - "lookup('vars', 'ansible_host') == ansible_host"
`,
    },
  },
  {
    name: 'with_loops',
    covers: 'loops: with_* lookups and loop_control',
    files: {
      'main.yml': `- hosts: with_loops
  gather_facts: false
  vars:
    users: [{ name: ann, keys: [k1, k2] }, { name: bob, keys: [k3] }]
  tasks:
    - file: { path: "{{ root }}/{{ item.0 }}-{{ item.1 }}", state: directory, mode: "0755" }
      with_indexed_items: [a, b]
    - file: { path: "{{ root }}/{{ item.0 }}{{ item.1 }}", state: touch, mode: "0644" }
      with_together: [[x, y], [1, 2]]
    - file: { path: "{{ root }}/n-{{ item.0 }}-{{ item.1 }}", state: touch, mode: "0644" }
      with_nested: [[p, q], [1, 2]]
    - file: { path: "{{ root }}/{{ item.0.name }}.{{ item.1 }}", state: touch, mode: "0644" }
      with_subelements: [ "{{ users }}", keys ]
    - file: { path: "{{ root }}/flat-{{ item }}", state: touch, mode: "0644" }
      with_items: [[f1, f2], f3]
    - file: { path: "{{ root }}/seq-{{ item }}", state: touch, mode: "0644" }
      with_sequence: count=2
    - set_fact: { idx: "{{ idx | default([]) + [i] }}" }
      loop: [a, b, c]
      loop_control: { index_var: i }
    - assert: { that: ["idx == [0, 1, 2]"] }
    - assert:
        that:
          - ansible_loop.index == 2
          - ansible_loop.first == false
          - ansible_loop.length == 3
          - ansible_loop.previtem == 'a'
      loop: [a, b, c]
      loop_control: { extended: true }
      when: item == 'b'
    - copy: { dest: "{{ root }}/{{ item | basename }}", src: "{{ item }}", mode: "0644" }
      with_fileglob: ["conf/*.txt"]
`,
      'files/conf/one.txt': 'one\n',
      'files/conf/two.txt': 'two\n',
      'files/conf/skip.md': 'not matched\n',
    },
  },
  {
    name: 'role_params',
    clean: true,
    covers:
      "roles/role params (a role entry's and a dependency's other keys are variables above set_fact; dedup by them)",
    files: {
      'main.yml': `- hosts: role_params
  gather_facts: false
  pre_tasks:
    - set_fact: { level: fact }
  roles:
    - { role: db, db_name: one }
    - { role: db, db_name: two, level: param }
    - { role: db, db_name: two, level: param }
    - { role: db, vars: { db_name: kw } }
    - { role: web, web_port: 8080 }
`,
      'roles/db/tasks/main.yml':
        '- lineinfile: { path: "{{ root }}/db.log", line: "db {{ db_name }} {{ level }}", create: true, ' +
        'mode: "0644" }\n',
      'roles/common/tasks/main.yml':
        '- lineinfile: { path: "{{ root }}/common.log", line: "common {{ common_param | default(\'none\') }} ' +
        '{{ web_port | default(\'noport\') }}", create: true, mode: "0644" }\n',
      'roles/web/meta/main.yml': 'dependencies:\n  - { role: common, common_param: web }\n',
      'roles/web/tasks/main.yml': `- lineinfile:
    path: "{{ root }}/web.log"
    line: "web {{ web_port }}"
    create: true
    mode: "0644"
- lineinfile:
    path: "{{ root }}/web.log"
    line: "web sees {{ common_param | default('no common_param') }}"
    mode: "0644"
`,
    },
  },
  {
    name: 'handler_names',
    clean: true,
    covers: 'handlers (a notify by name runs the last loaded handler of that name; every listener runs)',
    files: {
      'main.yml': `- hosts: handler_names
  gather_facts: false
  roles:
    - { role: svc, which: one }
    - { role: svc, which: two }
  tasks:
    - command: "true"
      notify: [restart svc, svc changed]
    - meta: flush_handlers
    - command: "true"
      notify: "svc : restart svc"
  handlers:
    - name: restart svc
      file: { path: "{{ root }}/play-restart", state: touch, mode: "0644" }
    - name: hears svc
      listen: svc changed
      file: { path: "{{ root }}/play-listener", state: touch, mode: "0644" }
`,
      'roles/svc/tasks/main.yml': '- command: "true"\n  notify: restart svc\n',
      'roles/svc/handlers/main.yml': `- name: restart svc
  file: { path: "{{ root }}/svc-restart-{{ which }}", state: touch, mode: "0644" }
- name: reload svc
  listen: svc changed
  file: { path: "{{ root }}/svc-listener-{{ which }}", state: touch, mode: "0644" }
`,
    },
  },
  {
    name: 'handler_templated_names',
    covers:
      "a handler's templated name is rendered with the play's variables; a templated notify ({{ }} or {% %}) with " +
      "the host's",
    clean: true,
    files: {
      'main.yml': `- hosts: handler_templated_names
  gather_facts: false
  vars: { svc: web }
  tasks:
    - command: "true"
      notify: "restart {{ svc }}"
    - command: "true"
      notify: restart web
    - command: "true"
      notify: "reload {{ inventory_hostname[-1] }}"
    - command: "true"
      notify: "{% if inventory_hostname is match('.*_a$') %}mark a{% else %}mark other{% endif %}"
  handlers:
    - name: "restart {{ svc }}"
      file: { path: "{{ root }}/restarted", state: touch, mode: "0644" }
    - name: reload a
      file: { path: "{{ root }}/reloaded-a", state: touch, mode: "0644" }
    - name: reload b
      file: { path: "{{ root }}/reloaded-b", state: touch, mode: "0644" }
    - name: mark a
      file: { path: "{{ root }}/marked-a", state: touch, mode: "0644" }
    - name: mark other
      file: { path: "{{ root }}/marked-other", state: touch, mode: "0644" }
`,
    },
  },
]
