/**
 * Agreement cases for keywords Ansible 2.14 runs that tsplay once refused: play `order`, `throttle`, `timeout`,
 * `collections`, `module_defaults`, `become_method`/`become_flags`; task `throttle`, `action`, `local_action`,
 * templated `ignore_errors`, play `timeout` (the tasks' default); `with_lines`, `with_inventory_hostnames`,
 * `with_env`; `now()` and the `pipe`, `lines`, `items` and `fileglob` lookups; `register: off`; the magic variable
 * `ansible_inventory_sources`. The order hosts run in shows in a file both hosts append to one at a time.
 */
import type { CompatCase } from '../harness.js'

export const KEYWORDS: CompatCase[] = [
  {
    name: 'kw_play',
    covers:
      'playbook keywords: order (ansible_play_hosts keep inventory order), throttle, module_defaults, become_method',
    files: {
      'main.yml': `- hosts: kw_play
  gather_facts: false
  order: reverse_sorted
  collections: [community.general]
  become_method: sudo
  become_flags: "-H -S -n"
  timeout: 10
  throttle: 1
  module_defaults:
    ansible.builtin.command: { chdir: "{{ root }}" }
    copy: { mode: "0600" }
  tasks:
    - command: pwd
      register: p
      changed_when: false
    - assert: { that: [p.stdout == root] }
    - copy: { content: "x\\n", dest: "{{ root }}/f" }
    - copy: { content: "x\\n", dest: "{{ root }}/g", mode: "0644" }
    - shell: echo {{ inventory_hostname }} >> {{ base }}/kw_play/kw_play_a/order
      changed_when: false
    - copy:
        content: >-
          {{ ansible_play_hosts_all | join(' ') }}/{{ ansible_play_hosts | join(' ') }}/{{
          ansible_play_batch | join(' ') }}
        dest: "{{ root }}/play_hosts"
        mode: "0644"
    - command: whoami
      become: true
      register: w
      changed_when: false
    - assert: { that: [w.stdout == "root"] }
- hosts: kw_play
  gather_facts: false
  order: sorted
  tasks:
    - command: pwd
      register: p
      changed_when: false
    - assert: { that: [p.stdout != root] }
    - shell: echo {{ inventory_hostname }} >> {{ base }}/kw_play/kw_play_a/order
      changed_when: false
      throttle: 1
`,
    },
  },
  {
    name: 'kw_task',
    covers: 'task keywords: action, local_action, templated ignore_errors, with_lines, with_inventory_hostnames',
    files: {
      'main.yml': `- hosts: kw_task
  gather_facts: false
  vars:
    lax: true
  tasks:
    - action: copy content="a\\n" dest={{ root }}/a mode=0644
    - action: { module: file, path: "{{ root }}/d", state: directory, mode: "0755" }
    - local_action: command echo hi
      register: l
      changed_when: false
    - assert: { that: [l.stdout == "hi"] }
    - command: "false"
      ignore_errors: "{{ lax }}"
    - command: "false"
      ignore_errors: "{{ not lax }}"
      when: false
    - copy: { content: "{{ item }}\\n", dest: "{{ root }}/line-{{ item }}", mode: "0644" }
      with_lines: printf 'x\\ny\\n'
    - copy: { content: "{{ item }}\\n", dest: "{{ root }}/host-{{ item }}", mode: "0644" }
      with_inventory_hostnames: kw_task
    - debug: { msg: "{{ item }}" }
      with_env: [HOME]
    - set_fact:
        t: "{{ now(utc=true, fmt='%Y') }}"
        piped: "{{ lookup('pipe', 'echo piped') }}"
        lines: "{{ query('lines', 'printf \\"1\\\\n2\\\\n\\"') }}"
        items: "{{ query('items', [1, [2, 3]]) }}"
    - assert:
        that:
          - t | int > 2000
          - piped == "piped"
          - lines == ["1", "2"]
          - items == [1, [2, 3]]
    - command: "true"
      throttle: 1
      changed_when: false
- hosts: kw_task
  gather_facts: false
  timeout: 1
  tasks:
    - command: sleep 4
      ignore_errors: true
      changed_when: false
    - command: sleep 4
      timeout: 6
      changed_when: false
`,
    },
  },
  {
    name: 'kw_defaults',
    covers:
      'module_defaults (lists of maps) on plays, blocks, includes and tasks, an inner entry replacing the outer one ' +
      'for its module; action: include_tasks',
    files: {
      'main.yml': `- hosts: kw_defaults
  gather_facts: false
  module_defaults:
    - copy: { mode: "0600" }
    - ansible.builtin.file: { mode: "0700" }
  tasks:
    - block:
        - copy: { content: "b\\n", dest: "{{ root }}/block" }
        - copy: { content: "t\\n", dest: "{{ root }}/task" }
          module_defaults: { ansible.builtin.copy: { mode: "0644" } }
        - import_tasks: more.yml
      module_defaults: { copy: { mode: "0640" } }
      collections: [community.general]
    - copy: { content: "p\\n", dest: "{{ root }}/play" }
    - block:
        - action: include_tasks more.yml
          vars: { suffix: again }
      module_defaults: { copy: { mode: "0604" } }
    - module_defaults: { debug: { msg: outer }, copy: { mode: "0600", force: false } }
      block:
        - debug:
          register: a
        - module_defaults: { debug: {}, copy: { mode: "0640" } }
          block:
            - debug:
              register: b
            - copy: { content: "r\\n", dest: "{{ root }}/replaced" }
            - copy: { content: "r2\\n", dest: "{{ root }}/replaced" }
        - assert: { that: ["a.msg == 'outer'", "b.msg == 'Hello world!'"] }
`,
      'more.yml': `- file: { path: "{{ root }}/dir-{{ suffix | default('once') }}", state: directory }
- copy: { content: "m\\n", dest: "{{ root }}/more-{{ suffix | default('once') }}" }
`,
    },
  },
  {
    name: 'kw_defaults_template',
    covers:
      'module_defaults whose value for a module is a template, rendered per host when the task runs (a play var, ' +
      "a host-dependent expression, a block over the play); the task's own arguments still win",
    files: {
      'main.yml': `- hosts: kw_defaults_template
  gather_facts: false
  vars:
    copy_defaults: { mode: "0600" }
    cmd_defaults: { chdir: "{{ root }}" }
  module_defaults:
    copy: "{{ copy_defaults }}"
    ansible.builtin.command: "{{ cmd_defaults }}"
  tasks:
    - copy: { content: "d\\n", dest: "{{ root }}/defaulted" }
    - copy: { content: "o\\n", dest: "{{ root }}/own", mode: "0644" }
    - command: pwd
      register: p
      changed_when: false
    - assert: { that: [p.stdout == root] }
    - module_defaults:
        copy: "{{ {'mode': '0640' if inventory_hostname.endswith('_a') else '0604'} }}"
        debug: "{{ {'msg': 'for ' ~ inventory_hostname} }}"
      block:
        - copy: { content: "h\\n", dest: "{{ root }}/per-host" }
        - debug:
          register: m
        - assert: { that: ["m.msg == 'for ' ~ inventory_hostname"] }
`,
    },
  },
  {
    name: 'kw_groups',
    covers:
      "module_defaults groups: ansible-core's testgroup (ping) under a module's own entry whatever the order, " +
      'an inner group entry over the outer one, the cloud groups reaching no task',
    files: {
      'main.yml': `- hosts: kw_groups
  gather_facts: false
  module_defaults:
    group/testgroup: { data: group }
    group/aws: { region: nowhere }
    group/ansible.builtin.docker: { docker_host: nowhere }
  tasks:
    - ping:
      register: a
    - ping:
      module_defaults: [{ ping: { data: own } }, { group/ansible.builtin.testgroup: { data: inner } }]
      register: b
    - block:
        - ping:
          register: c
        - copy: { content: "x\\n", dest: "{{ root }}/f" }
      module_defaults: { group/ansible.builtin.testgroup: { data: inner } }
    - assert: { that: ["a.ping == 'group'", "b.ping == 'own'", "c.ping == 'inner'"] }
`,
    },
  },
  {
    name: 'kw_imports',
    covers: 'import_tasks with become/notify/environment, include_tasks with register, include_role name=x',
    files: {
      'main.yml': `- hosts: kw_imports
  gather_facts: false
  tasks:
    - import_tasks: who.yml
      become: true
      environment: { GREETING: hi }
      notify: touched
    - include_tasks: who.yml
      register: inc
    - include_tasks: who.yml
      when: false
      register: skipped_inc
    - assert: { that: [skipped_inc is skipped] }
    - include_role: name=r tasks_from=other
  handlers:
    - name: touched
      copy: { content: "handled\\n", dest: "{{ root }}/handled", mode: "0644" }
`,
      'who.yml': `- command: whoami
  register: w
  changed_when: true
- command: sh -c 'echo "$GREETING"'
  register: g
  changed_when: false
- copy: { content: "{{ w.stdout }} {{ g.stdout }}\\n", dest: "{{ root }}/who-{{ w.stdout }}", mode: "0644" }
  become: false
`,
      'roles/r/tasks/other.yml': `- copy: { content: "other\\n", dest: "{{ root }}/other", mode: "0644" }
`,
    },
  },
  {
    name: 'kw_more',
    covers: 'play gather_subset/gather_timeout/ignore_unreachable, block delegate_to, a handler without a name',
    files: {
      'main.yml': `- hosts: kw_more
  gather_facts: true
  gather_subset: [min]
  gather_timeout: 10
  ignore_unreachable: true
  tasks:
    - assert: { that: [ansible_facts.distribution == 'Debian'] }
    - block:
        - shell: test -n "$SSH_CONNECTION" && echo ssh || echo local
          register: d
          changed_when: false
      delegate_to: localhost
    - shell: test -n "$SSH_CONNECTION" && echo ssh || echo local
      register: t
      changed_when: false
    - copy: { content: "{{ d.stdout }} {{ t.stdout }}\\n", dest: "{{ root }}/delegated", mode: "0644" }
  handlers:
    - debug: { msg: never notified }
`,
    },
  },
  {
    name: 'kw_play_hosts',
    covers: 'magic variables ansible_play_hosts, _batch, _hosts_all, play_hosts (serial; a host failed)',
    files: {
      'main.yml': `- hosts: kw_play_hosts
  gather_facts: false
  serial: 1
  vars_files: [lists.yml]
  tasks:
    - copy: { content: "{{ lists }}\\n", dest: "{{ root }}/serial", mode: "0644" }
- hosts: kw_play_hosts
  gather_facts: false
  vars_files: [lists.yml]
  tasks:
    - copy: { content: "{{ lists }}\\n", dest: "{{ root }}/start", mode: "0644" }
    - fail: { msg: the first host fails }
      when: inventory_hostname.endswith('_a')
    - copy: { content: "{{ lists }}\\n", dest: "{{ root }}/after", mode: "0644" }
- hosts: kw_play_hosts
  gather_facts: false
  vars_files: [lists.yml]
  tasks:
    - copy: { content: "{{ lists }}\\n", dest: "{{ root }}/next_play", mode: "0644" }
`,
      'lists.yml': `lists: >-
  {{ ansible_play_hosts | join(',') }} / {{ ansible_play_batch | join(',') }} /
  {{ ansible_play_hosts_all | join(',') }} / {{ play_hosts | join(',') }}
`,
    },
  },
  {
    name: 'kw_option_vars',
    covers: 'magic variables ansible_version, _forks, _run_tags, _skip_tags, _limit, inventory_dir, inventory_file',
    flags: ['--skip-tags', 'nothing_here', '--limit', 'kw_option_vars'],
    files: {
      'main.yml': `- hosts: kw_option_vars
  gather_facts: false
  tasks:
    - copy:
        content: >-
          {{ ansible_version.full }} {{ ansible_version.major }}.{{ ansible_version.minor }} {{ ansible_forks }}
          {{ ansible_run_tags | join(',') }} {{ ansible_skip_tags | join(',') }} {{ ansible_limit | default('none') }}
          {{ inventory_dir | basename }} {{ inventory_file | basename }} {{ hostvars[inventory_hostname].inventory_file
          | basename }}
        dest: "{{ root }}/options"
        mode: "0644"
`,
    },
  },
  {
    name: 'kw_vars_magic',
    covers: "magic variable vars (vars['pkg_' + item]; a templated variable read through it is its text)",
    files: {
      'main.yml': `- hosts: kw_vars_magic
  gather_facts: false
  vars: { x: 1, y: "{{ x + 1 }}", pkg_a: alpha, pkg_b: beta, broken: "{{ nosuch }}" }
  tasks:
    - copy:
        content: "{{ vars['x'] }} {{ 'yes' if 'x' in vars else 'no' }} {{ 'yes' if 'vars' in vars else 'no' }}\\n"
        dest: "{{ root }}/vars"
        mode: "0644"
    - copy: { content: "{{ vars['pkg_' + item] }}\\n", dest: "{{ root }}/{{ item }}", mode: "0644" }
      loop: [a, b]
    - copy: { content: "{{ vars['y'] | length }}\\n", dest: "{{ root }}/raw", mode: "0644" }
`,
    },
  },
  {
    name: 'kw_register_off',
    covers: 'register: off / no / false / 0 registers nothing',
    files: {
      'main.yml': `- hosts: kw_register_off
  gather_facts: false
  tasks:
    - debug: { msg: a }
      register: off
    - debug: { msg: b }
      register: no
    - debug: { msg: c }
      register: false
    - debug: { msg: d }
      register: 0
    - debug: { msg: e }
      register: kept
    - set_fact:
        seen: "{{ ['off', 'no', 'false', 'False', '0', 'kept'] | select('in', hostvars[inventory_hostname]) | list }}"
    - assert: { that: ["seen == ['kept']"] }
`,
    },
  },
  {
    name: 'kw_inventory_sources',
    covers: 'magic variable ansible_inventory_sources',
    files: {
      'main.yml': `- hosts: kw_inventory_sources
  gather_facts: false
  tasks:
    - assert:
        that:
          - ansible_inventory_sources | length == 1
          - ansible_inventory_sources[0].startswith('/')
          - ansible_inventory_sources[0].endswith('/inventory.yml')
          - hostvars[inventory_hostname].ansible_inventory_sources == ansible_inventory_sources
    - copy: { content: "{{ ansible_inventory_sources | to_json }}\\n", dest: "{{ root }}/sources", mode: "0644" }
`,
    },
  },
  {
    name: 'host_order',
    hosts: 3,
    clean: true,
    covers:
      "host order as Ansible's: all's own hosts first (add_host's), groups in the order hosts joined, unions in turn",
    files: {
      'main.yml': `- hosts: host_order
  gather_facts: false
  tasks:
    - group_by: { key: "ho_{{ inventory_hostname[-1] }}" }
    - add_host: { name: ho-loose }
    - add_host: { name: host_order_c, groups: ho_late }
    - add_host: { name: host_order_a, groups: ho_late }
    - copy:
        dest: "{{ root }}/groups.json"
        mode: "0644"
        content: >-
          {{ {'all': groups.all | select('match', '^(host_order|ho-)') | list,
              'ungrouped': groups.ungrouped | select('match', '^(host_order|ho-)') | list,
              'late': groups.ho_late, 'names': group_names, 'loose': hostvars['ho-loose'].group_names,
              'lookup': query('inventory_hostnames', 'ho_late:ho_b:!ho_c')} | to_nice_json }}
- hosts: "ho_c:ho_late:ho_b"
  gather_facts: false
  tasks:
    - copy: { dest: "{{ root }}/once", content: "{{ ansible_play_hosts | join(' ') }}", mode: "0644" }
      run_once: true
- hosts: "ho_late[0]"
  gather_facts: false
  tasks:
    - copy: { dest: "{{ root }}/first_late", content: "{{ inventory_hostname }}", mode: "0644" }
`,
    },
  },
  {
    name: 'limit_file',
    hosts: 3,
    clean: true,
    covers: '--limit @file: the file lines are host patterns (a retry file); ansible_limit is the limit as written',
    flags: ['--limit', '@{group}/limit_file/hosts.retry'],
    files: {
      'hosts.retry': 'limit_file_c\n\nlimit_file_a\n',
      'main.yml': `- hosts: limit_file
  gather_facts: false
  tasks:
    - copy:
        dest: "{{ root }}/limit"
        mode: "0644"
        content: "{{ ansible_play_hosts | join(' ') }} {{ ansible_limit | basename }}"
`,
    },
  },
  {
    name: 'templated_hosts',
    clean: true,
    covers: 'hosts, name, gather_facts and serial: templates rendered before the play (play vars, default, groups)',
    files: {
      'main.yml': `- name: "batch of {{ batch }}"
  hosts: "{{ grp }}"
  gather_facts: "{{ gf }}"
  serial: "{{ batch }}"
  vars: { grp: templated_hosts, gf: false, batch: 1 }
  tasks:
    - copy:
        dest: "{{ root }}/one"
        content: "{{ [ansible_play_hosts, ansible_play_batch, ansible_play_name, ansible_facts | length] }}"
        mode: "0644"
- hosts: "{{ groups['templated_hosts'][:1] }}"
  gather_facts: false
  tasks:
    - copy: { dest: "{{ root }}/two", content: "{{ ansible_play_hosts | join(' ') }}", mode: "0644" }
- hosts: "{{ nothing_here | default('templated_hosts_b') }}"
  gather_facts: false
  tasks:
    - copy: { dest: "{{ root }}/three", content: "{{ ansible_play_hosts | join(' ') }}", mode: "0644" }
`,
    },
  },
  {
    name: 'task_keyword_templates',
    clean: true,
    covers:
      'a task any_errors_fatal; throttle, timeout, check_mode, diff by templates (per host, blocks too); play ones',
    files: {
      'main.yml': `- hosts: task_keyword_templates
  gather_facts: false
  vars: { n: 1, t: 30, mfp: 50 }
  throttle: "{{ n + 1 }}"
  timeout: "{{ t }}"
  max_fail_percentage: "{{ mfp }}"
  tasks:
    - command: "touch {{ root }}/throttled"
      args: { creates: "{{ root }}/throttled" }
      throttle: "{{ n }}"
      timeout: "{{ t if inventory_hostname[-1] == 'a' else t * 2 }}"
    - copy: { dest: "{{ root }}/fatal", content: "on", mode: "0644" }
      any_errors_fatal: true
    - file: { path: "{{ root }}/checked", state: touch, mode: "0644" }
      check_mode: "{{ inventory_hostname[-1] == 'a' }}"
      diff: "{{ n == 1 }}"
    - block:
        - command: "true"
      timeout: "{{ t }}"
      throttle: "{{ n }}"
      ignore_unreachable: "{{ n == 1 }}"
    - set_fact: { delegated_fact: yes }
      delegate_to: "{{ inventory_hostname }}"
      delegate_facts: "{{ n == 1 }}"
    - copy: { dest: "{{ root }}/fact", content: "{{ delegated_fact | default('none') }}", mode: "0644" }
`,
    },
  },
  {
    name: 'start_at_task',
    clean: true,
    covers: '--start-at-task names a role task as "role : name": earlier tasks and plays pass, later plays run whole',
    flags: ['--start-at-task', 'sat : second'],
    files: {
      'roles/sat/tasks/main.yml': `- name: first
  copy: { dest: "{{ root }}/first", content: "1", mode: "0644" }
- name: second
  copy: { dest: "{{ root }}/second", content: "2", mode: "0644" }
`,
      'main.yml': `- hosts: start_at_task
  gather_facts: false
  tasks:
    - name: before
      copy: { dest: "{{ root }}/before", content: "0", mode: "0644" }
- hosts: start_at_task
  gather_facts: true
  roles: [sat]
  tasks:
    - name: after
      copy: { dest: "{{ root }}/after", content: "{{ ansible_facts | length > 0 }}", mode: "0644" }
- hosts: start_at_task
  gather_facts: false
  tasks:
    - name: before
      copy: { dest: "{{ root }}/later", content: "3", mode: "0644" }
`,
    },
  },
]
