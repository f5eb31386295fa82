/**
 * Agreement cases for role reuse inside task lists: `include_role` and `import_role` (FQCN spellings too) with
 * tasks_from, vars_from, defaults_from, handlers_from, apply, public, loops and `when`; role defaults and vars
 * precedence; role handlers; a role listed twice (allow_duplicates); tags on an import versus an include (what
 * Ansible's `include_import` and `roles` targets pin down), written here.
 */
import type { CompatCase } from '../harness.js'

/** A role `web` with two entry points, its own vars/defaults per entry point and two handler files. */
const WEB: Record<string, string> = {
  'roles/web/defaults/main.yml': 'web_x: default\nweb_y: default\nweb_d: default\n',
  'roles/web/defaults/other.yml': 'web_d: other-default\n',
  'roles/web/vars/main.yml': 'web_y: rolevar\n',
  'roles/web/vars/other.yml': 'web_y: other-rolevar\n',
  'roles/web/tasks/main.yml': `- file:
    path: "{{ root }}/main-{{ web_x }}-{{ web_y }}-{{ web_d }}"
    state: touch
    mode: "0644"
  notify: web restart
`,
  'roles/web/tasks/other.yml': `- copy:
    dest: "{{ root }}/other-{{ tag | default('none') }}"
    content: "{{ web_x }} {{ web_y }} {{ web_d }}\\n"
    mode: "0644"
  notify: web restart
`,
  'roles/web/tasks/looped.yml': '- file: { path: "{{ root }}/looped-{{ item }}", state: directory, mode: "0755" }\n',
  'roles/web/handlers/main.yml':
    '- name: web restart\n  file: { path: "{{ root }}/restarted", state: touch, mode: "0644" }\n',
  'roles/web/handlers/alt.yml':
    '- name: web alt\n  file: { path: "{{ root }}/alt-{{ web_d }}", state: touch, mode: "0644" }\n',
  'roles/web/tasks/alt.yml': '- debug: { msg: alt }\n  changed_when: true\n  notify: web alt\n',
}

export const REUSE: CompatCase[] = [
  {
    name: 'role_include',
    covers: 'include_role/import_role: entry points, vars, loops, when, handlers',
    files: {
      ...WEB,
      'main.yml': `- hosts: role_include
  gather_facts: false
  tasks:
    - include_role: { name: web }
    - ansible.builtin.include_role:
        name: web
        tasks_from: other
        vars_from: other
        defaults_from: other
      vars: { web_x: param, tag: one }
    - include_role: { name: web, tasks_from: looped.yml }
      loop: [a, b]
    - include_role: { name: web }
      when: false
    - include_role: { name: web, tasks_from: alt, handlers_from: alt }
    - import_role: { name: web, tasks_from: other }
      vars: { tag: imported }
    - ansible.builtin.import_role: { name: web }
      when: false
    - assert: { that: ["web_x == 'default'", "web_y == 'rolevar'"] }
    - include_role: { name: web, tasks_from: looped, public: true }
      loop: [c]
    - include_role:
        name: web
        tasks_from: other
        apply: { vars: { tag: applied } }
`,
    },
  },
  {
    name: 'role_public_dynamic',
    covers: 'include_role public: true, templated name or not: its defaults and vars join the play after it runs',
    clean: true,
    files: {
      'roles/pub/defaults/main.yml': 'pub_d: default\npub_both: from-default\n',
      'roles/pub/vars/main.yml': 'pub_v: rolevar\n',
      'roles/pub/tasks/main.yml': '- debug: { msg: "{{ pub_d }} {{ pub_v }}" }\n',
      'roles/spub/defaults/main.yml': 'spub_d: sdefault\n',
      'roles/spub/tasks/main.yml': '- debug: { msg: "{{ spub_d }}" }\n',
      'roles/priv/defaults/main.yml': 'priv_d: default\n',
      'roles/priv/tasks/main.yml': '- debug: { msg: "{{ priv_d }}" }\n',
      'main.yml': `- hosts: role_public_dynamic
  gather_facts: false
  vars: { pub_both: from-play }
  tasks:
    - set_fact: { which: pub, other: priv }
    - copy:
        dest: "{{ root }}/before"
        content: "{{ pub_d | default('undefined') }} {{ pub_v | default('undefined') }}
          {{ spub_d | default('undefined') }}\\n"
        mode: "0644"
    - include_role: { name: spub, public: true }
      when: inventory_hostname.endswith('_b')
    - include_role: { name: "{{ which }}", public: true }
      when: inventory_hostname.endswith('_a')
    - include_role: { name: "{{ other }}" }
    - copy:
        dest: "{{ root }}/after"
        content: "{{ pub_d | default('undefined') }} {{ pub_v | default('undefined') }} {{ pub_both }}
          {{ priv_d | default('undefined') }} {{ spub_d }}\\n"
        mode: "0644"
`,
    },
  },
  {
    name: 'role_tags',
    covers: 'tags on import_role (every task) versus include_role (the include alone, unless apply)',
    flags: ['--tags', 'web'],
    files: {
      ...WEB,
      'main.yml': `- hosts: role_tags
  gather_facts: false
  tasks:
    - import_role: { name: web, tasks_from: looped }
      vars: { item: imported }
      tags: web
    - include_role: { name: web, tasks_from: looped }
      vars: { item: included }
      tags: web
    - include_role:
        name: web
        tasks_from: looped
        apply: { tags: [web] }
      vars: { item: applied }
      tags: web
    - include_role: { name: web, tasks_from: looped }
      vars: { item: untagged }
`,
    },
  },
  {
    name: 'role_twice',
    covers: 'roles listed twice: once, unless allow_duplicates; import_role/include_role run again',
    files: {
      'main.yml': `- hosts: role_twice
  gather_facts: false
  roles:
    - once
    - once
    - dup
    - dup
  tasks:
    - import_role: { name: once }
    - include_role: { name: once }
`,
      'roles/once/defaults/main.yml': 'n: 1\n',
      'roles/once/tasks/main.yml':
        '- shell: echo x >> {{ root }}/once-{{ n }}\n- command: echo counted\n  changed_when: true\n',
      'roles/dup/meta/main.yml': 'allow_duplicates: true\n',
      'roles/dup/tasks/main.yml': '- shell: echo x >> {{ root }}/dup\n',
    },
  },
  {
    name: 'include_loop_vars',
    covers: "include_tasks in a loop: loop_var, index_var and extended's ansible_loop in the included tasks",
    clean: true,
    files: {
      'main.yml': `- hosts: include_loop_vars
  gather_facts: false
  tasks:
    - include_tasks: idx.yml
      with_sequence: start=0 count=3
      loop_control:
        index_var: my_idx
    - include_tasks: ext.yml
      loop: [a, b]
      loop_control: { loop_var: outer, index_var: oi, extended: true, label: "{{ outer }}" }
`,
      'idx.yml': '- assert: { that: "my_idx == item|int" }\n',
      'ext.yml': `- copy:
    dest: "{{ root }}/{{ outer }}"
    content: >-
      {{ oi }} {{ ansible_loop.index }} {{ ansible_loop.last | ternary('L', '-') }}
      {{ ansible_index_var | default('none') }}
- assert: { that: ["ansible_loop_var is not defined"] }
`,
    },
  },
  {
    // registering an include loads (its name is defined for later tasks) and holds what Ansible's holds
    name: 'include_register',
    covers:
      'register on include_tasks and include_role: the file, include_args as written, per item in a loop, skipped',
    clean: true,
    files: {
      'main.yml': `- hosts: include_register
  gather_facts: false
  tasks:
    - include_tasks: one.yml
      register: r1
    - include_tasks: one.yml
      loop: [1, 2]
      loop_control: { label: "n{{ item }}" }
      register: r2
    - include_role: { name: tiny }
      register: r3
    - include_tasks: one.yml
      when: false
      register: r4
    - include_tasks: { file: one.yml, apply: { tags: [x] } }
      register: r5
    - include_role: { name: tiny, tasks_from: main, public: false }
      register: r6
    - assert:
        that:
          - r1 is not changed and r1.include == 'one.yml' and r1.include_args == {}
          - "'included' not in r1 and 'items' not in r1"
          - r2.results | map(attribute='item') | list == [1, 2] and r2.msg == 'All items completed'
          - r2.results[0].include == 'one.yml' and r2.results[0]._ansible_item_label is not defined
          - r3.include_args.name == 'tiny' and r3.include is not defined
          - r4 is skipped
          - "r5.include_args == {'apply': {'tags': ['x']}}"
          - "r6.include_args == {'name': 'tiny', 'tasks_from': 'main', 'public': false}"
`,
      'one.yml': '- debug: { msg: one }\n',
      'roles/tiny/tasks/main.yml': '- debug: { msg: tiny }\n',
    },
  },
  {
    name: 'role_names',
    covers: 'role_names, ansible_play/dependent_role_names, ansible_role_names, ansible_parent_role_names/paths',
    clean: true,
    files: {
      'main.yml': `- hosts: role_names
  gather_facts: false
  roles:
    - top
    - top
  tasks:
    - import_role: { name: imported }
    - include_role: { name: included }
    - copy:
        dest: "{{ root }}/play"
        content: |
          {{ role_names | join(',') }} {{ ansible_play_role_names | join(',') }}
          {{ ansible_dependent_role_names | sort | join(',') }} {{ ansible_role_names | sort | join(',') }}
          {{ ansible_role_name | default('none') }} {{ ansible_parent_role_names | default(['none']) | join(',') }}
`,
      'roles/top/meta/main.yml': 'dependencies: [dep]\n',
      'roles/top/tasks/main.yml': `- include_role: { name: inner }
- copy:
    dest: "{{ root }}/top"
    content: "{{ role_name }} {{ ansible_role_name }} {{ ansible_parent_role_names | default(['none']) | join(',') }}"
`,
      'roles/dep/tasks/main.yml': `- debug: { msg: "{{ role_names | join(',') }}" }\n`,
      'roles/inner/tasks/main.yml': `- copy:
    dest: "{{ root }}/inner-{{ ansible_parent_role_names[0] }}"
    content: "{{ ansible_parent_role_names | join(',') }} {{ ansible_parent_role_paths | map('basename') | join(',') }}"
- include_role: { name: deeper }
  when: ansible_parent_role_names[1] | default('') == "imported"
`,
      'roles/deeper/tasks/main.yml': `- copy:
    dest: "{{ root }}/deeper"
    content: "{{ ansible_parent_role_names | join(',') }} {{ role_names | join(',') }}"
`,
      'roles/imported/tasks/main.yml': '- import_role: { name: inner }\n',
      'roles/included/tasks/main.yml': `- copy:
    dest: "{{ root }}/included"
    content: "{{ ansible_parent_role_names | default(['none']) | join(',') }}"
`,
    },
  },
  {
    name: 'block_keys',
    covers: "blocks: notify and run_once inherited by the block's tasks; templated strategy",
    files: {
      'main.yml': `- hosts: block_keys
  gather_facts: false
  vars: { how: linear }
  strategy: "{{ how }}"
  tasks:
    - block:
        - file: { path: "{{ root }}/a", state: touch, mode: "0644" }
        - file: { path: "{{ root }}/b", state: touch, mode: "0644" }
          notify: own
      notify: from block
    - block:
        - shell: echo x >> {{ root }}/../once
        - set_fact: { picked: "{{ inventory_hostname }}" }
      run_once: true
    - assert: { that: ["picked.endswith('_a')"] }
  handlers:
    - name: from block
      shell: echo x >> {{ root }}/block-handler
    - name: own
      shell: echo x >> {{ root }}/own-handler
`,
    },
  },
  {
    name: 'block_fatal',
    covers: 'any_errors_fatal on a block',
    alone: true, // it ends the whole run, in both engines
    files: {
      'main.yml': `- hosts: block_fatal
  gather_facts: false
  tasks:
    - file: { path: "{{ root }}/before", state: directory, mode: "0755" }
    - block:
        - fail: { msg: one host fails }
          when: inventory_hostname.endswith('_a')
      any_errors_fatal: true
    - file: { path: "{{ root }}/not-reached", state: directory, mode: "0755" }
- hosts: block_fatal
  gather_facts: false
  tasks:
    - file: { path: "{{ root }}/second-play", state: directory, mode: "0755" }
`,
    },
  },
]
