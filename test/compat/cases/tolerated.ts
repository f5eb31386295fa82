/**
 * Agreement cases for what Ansible loads or checks only when a task runs: an include that may be skipped (its
 * `when`, a handler never notified, a role include under a false `when`) whose file holds a module nobody has, and
 * tasks written to fail on their arguments whose failure is ignored or rescued, and a module named by a template
 * (chosen per host from facts). Ansible runs them all; so does tsplay (with warnings before the run).
 */
import type { CompatCase } from '../harness.js'

export const TOLERATED: CompatCase[] = [
  {
    name: 'include_skipped',
    clean: true,
    covers: 'include_import/handlers (what a skipped include or an unnotified handler include holds is not loaded)',
    files: {
      'main.yml': `- hosts: include_skipped
  gather_facts: false
  tasks:
    - include_tasks: broken.yml
      when: inventory_hostname.endswith('_never')
    - include_role: { name: broken }
      when: false
    - block:
        - include_tasks: broken.yml
      when: false
    - include_tasks: good.yml
      when: inventory_hostname.endswith('_a')
    - command: "true"
      changed_when: false
      notify: clean up
  handlers:
    - name: clean up
      include_tasks: broken.yml
`,
      'broken.yml': '- name: a module nobody has\n  tsplay_nosuch_module: { path: /nowhere }\n',
      'good.yml': '- file: { path: "{{ root }}/{{ inventory_hostname }}-good", state: touch, mode: "0644" }\n',
      'roles/broken/tasks/main.yml': '- tsplay_nosuch_module: {}\n',
    },
  },
  {
    name: 'written_to_fail',
    clean: true,
    covers: 'command_shell/apt_key/unarchive (tasks with wrong arguments whose failure is ignored or rescued)',
    files: {
      'main.yml': `- hosts: written_to_fail
  gather_facts: false
  tasks:
    - name: no command given
      command:
      args: { chdir: / }
      register: no_command
      ignore_errors: true
    - name: an argument the module does not take
      copy: { content: x, dest: "{{ root }}/never", nosuch: 1 }
      register: unknown_arg
      ignore_errors: yes
    - block:
        - name: a value the module does not take
          file: { path: "{{ root }}/x", state: nonsense }
      rescue:
        - file: { path: "{{ root }}/rescued", state: touch, mode: "0644" }
    - name: arguments that are not key=value (add_host runs once, on the first host)
      add_host: namenewdynamichost groupsnewdynamicgroup
      register: not_kv
      ignore_errors: true
    - assert: { that: [not_kv is failed] }
      when: inventory_hostname.endswith('_a')
    - name: a template that does not parse
      set_fact:
        x: "{{ lookup('env', 'HOME' ]) }}"
      register: bad_template
      ignore_errors: true
    - assert:
        that: [no_command is failed, not no_command.changed, unknown_arg is failed, bad_template is failed]
`,
    },
  },
  {
    name: 'templated_module',
    clean: true,
    covers: 'group/setup_rpm_repo/add_host/loops (a module, its arguments or a loop_var a template gives)',
    files: {
      'main.yml': `- hosts: templated_module
  gather_facts: true
  vars:
    touch_module: file
    dir_args: { path: "{{ root }}/from-map", state: directory, mode: "0750" }
    new_host: { name: "made-{{ inventory_hostname }}", groups: [made_here], color: blue }
  tasks:
    - file: "{{ dir_args }}"
    - add_host: "{{ new_host }}"
    - assert: { that: ["groups['made_here'] | length == 1", "hostvars[groups['made_here'][0]].color == 'blue'"] }
    - action: "{{ 'file' if ansible_facts.os_family == 'Debian' else 'nosuch' }} path={{ root }}/touched"
      args: { state: touch, mode: "0644" }
    - action: { module: "{{ touch_module }}", path: "{{ root }}/dir", state: directory, mode: "0755" }
    - action: "{{ ansible_facts.pkg_mgr }} name=nothing-at-all"
      when: false
    - action: "{{ 'tsplay_nosuch_' ~ 'module' }} a=1"
      register: unknown
      ignore_errors: true
    - action: "{{ touch_module }} path={{ root }}/x state=nonsense"
      register: wrong
      ignore_errors: true
    - assert: { that: [unknown is failed, wrong is failed] }
    - include_tasks: lv.yml
      loop: [value]
      loop_control: { loop_var: "{{ loop_var_name }}" }
      vars: { loop_var_name: templated_loop_var_name }
    - file: { path: "{{ root }}/{{ thing }}", state: touch, mode: "0644" }
      loop: [x, y]
      loop_control: { loop_var: "{{ 'th' ~ 'ing' }}" }
`,
      'lv.yml': "- assert: { that: [templated_loop_var_name == 'value'] }\n",
    },
  },
  {
    name: 'templated_module_runner',
    clean: true,
    covers:
      'set_fact, include_vars, group_by, add_host (once, as a named one) and set_stats named by a template; ' +
      'an include named by one fails',
    files: {
      'main.yml': `- hosts: templated_module_runner
  gather_facts: false
  vars:
    sf: set_fact
    iv: "{{ 'include_' ~ 'vars' }}"
    gb: group_by
    ah: add_host
    ss: set_stats
  tasks:
    - action: "{{ sf }} by_template={{ inventory_hostname }}"
    - action: "{{ sf }}"
      args: { once_by_template: "{{ inventory_hostname }}" }
      run_once: true
    - action: "{{ iv }} file=more.yml"
      register: included
    - action: "{{ gb }}"
      args: { key: "tpl_{{ inventory_hostname[-1] }}" }
    - action: "{{ ah }}"
      args: { name: "tpl-made-{{ inventory_hostname }}", groups: tpl_made, color: green }
      register: made
    - action: "{{ ss }}"
      args: { data: { n: 1 } }
      register: st
    - action: "{{ 'include_' ~ 'tasks' }} file=more_tasks.yml"
      register: not_an_include
      ignore_errors: true
    - file: { path: "{{ root }}/{{ by_template }}-{{ once_by_template }}-{{ from_file }}", state: touch, mode: "0644" }
    - assert:
        that:
          - by_template == inventory_hostname
          - once_by_template == ansible_play_hosts[0]
          - from_file == 'file value'
          - included.ansible_facts.from_file == 'file value'
          - ansible_facts.by_template is undefined
          - groups['tpl_' ~ inventory_hostname[-1]] == [inventory_hostname]
          - groups['tpl_made'] == ['tpl-made-' ~ ansible_play_hosts[0]]
          - hostvars['tpl-made-' ~ ansible_play_hosts[0]].color == 'green'
          - inventory_hostname != ansible_play_hosts[0] or made is changed
          - st.ansible_stats.data.n == 1
          - not_an_include is failed
- hosts: templated_module_runner
  gather_facts: false
  tasks:
    - assert: { that: [by_template == inventory_hostname, from_file == 'file value'] }
`,
      'more.yml': 'from_file: file value\n',
      'more_tasks.yml': '- debug: { msg: never included }\n',
    },
  },
]
