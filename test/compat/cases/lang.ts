/**
 * Agreement cases for templated include names (`include_tasks`/`include_role` rendered per host and loop item at
 * run time, `import_tasks`/`import_role` at load time; Ansible's `include_import` target), a missing included file
 * as a per-host failure, the implicit localhost as a play's target, and `copy` with `remote_src`, `follow` and
 * `directory_mode` (Ansible's `copy` target), written here.
 */
import type { CompatCase } from '../harness.js'

/** Task files and a role the include cases name through templates. */
const INCLUDED: Record<string, string> = {
  'a.yml': '- copy: { dest: "{{ root }}/a-{{ item | default(\'none\') }}", content: "a\\n", mode: "0644" }\n',
  'b.yml': '- copy: { dest: "{{ root }}/b", content: "b {{ which }}\\n", mode: "0644" }\n- debug: { msg: in b }\n',
  'roles/web2/tasks/main.yml':
    '- copy: { dest: "{{ root }}/web2-{{ item | default(\'x\') }}", content: "w\\n", mode: "0644" }\n' +
    '  notify: web2 done\n',
  'roles/web2/tasks/other.yml': '- debug: { msg: "other of web2" }\n',
  'roles/web2/handlers/main.yml':
    '- name: web2 done\n  copy: { dest: "{{ root }}/web2-handled", content: "h\\n", mode: "0644" }\n',
}

export const LANG: CompatCase[] = [
  {
    name: 'unsafe',
    covers: 'yaml_parsing (!unsafe on strings, lists and maps; kept through vars and set_fact)',
    files: {
      'main.yml': `- hosts: unsafe
  gather_facts: false
  vars:
    nottemplate: FAIL
    s: !unsafe 'b{{nottemplate}}'
    t: "{{ s }}"
  tasks:
    - set_fact: { u: "{{ s }}" }
    - assert:
        that:
          - "'FAIL' not in s"
          - "'FAIL' not in t"
          - "'FAIL' not in u"
          - "'{' in ulist[0] and 'FAIL' not in ulist[0]"
          - "'{' in udict['a'] and 'FAIL' not in udict['a']"
          - udict.c == 'd'
      vars:
        ulist: !unsafe ['b{{nottemplate}}', 'c']
        udict: !unsafe
          a: b{{nottemplate}}
          c: d
    - copy: { content: "{{ s }}\\n", dest: "{{ root }}/unsafe.txt", mode: "0644" }
`,
    },
  },
  {
    // Ansible's ansible_eval_concat: rendered text that is a list, map or boolean literal becomes one
    name: 'text_literals',
    covers: 'templating: rendered text that is a Python/JSON literal becomes a value; | to_json and | string stay text',
    files: {
      'main.yml': `- hosts: text_literals
  gather_facts: false
  vars:
    port: 80
    textlist: "['x', 'y']"
    jsonlist: '["j", true, null]'
    viaexpr: "{{ '[1, 2]' }}"
  tasks:
    - copy: { dest: "{{ root }}/loop-{{ item }}", content: "{{ item }}\\n", mode: "0644" }
      loop: "{{ textlist }}"
    - set_fact:
        t: "{{ 'True' }}"
        l: "{{ jsonlist }}"
        s: "{{ [1, 2] | to_json }}"
        u: "{{ [1] | string }}"
        m: "{'a': {{ port }}}"
        notlit: "[main]"
        notlit2: "{{ '[x]' }}"
    - assert:
        that:
          - viaexpr | length == 2 and viaexpr[1] == 2
          - t is sameas true
          - l | length == 3 and l[1] is sameas true and l[2] is none
          - s is string and u is string
          - m.a == 80
          - notlit == '[main]' and notlit2 == '[x]'
    - lineinfile: { path: "{{ root }}/conf.ini", line: "[{{ port }}]", create: true, mode: "0644" }
    - copy: { dest: "{{ root }}/map.json", content: "{'a': {{ port }}, 'b': [true, null]}", mode: "0644" }
`,
    },
  },
  {
    name: 'templated_includes',
    covers: 'include_import: templated include_tasks/include_role names (loops, per host), templated imports',
    // round 1: Ansible 2.14 runs web2's handler once per copy of its handlers (imported once, included twice):
    // changed, then ok again; tsplay runs a notified handler once
    allow: { round: 1, counts: { ok: -1 }, reason: 'runs a notified handler once per flush' },
    files: {
      ...INCLUDED,
      'main.yml': `- hosts: templated_includes
  gather_facts: false
  vars: { which: b, rname: web2 }
  tasks:
    - include_tasks: "{{ item }}.yml"
      loop: [a, b]
    - include_tasks: "{{ which }}.yml"
    - set_fact: { dyn: "{{ 'a' if inventory_hostname.endswith('_a') else 'b' }}" }
    - include_tasks: "{{ dyn }}.yml"
    - ansible.builtin.include_tasks:
        file: "{{ dyn }}.yml"
      when: inventory_hostname.endswith('_b')
    - import_tasks: "{{ which }}.yml"
    - include_role: { name: "{{ rname }}" }
    - include_role: { name: "{{ item }}" }
      loop: [web2]
    - import_role: { name: "{{ rname }}", tasks_from: other }
`,
    },
  },
  {
    name: 'include_missing',
    covers: 'include_import: a dynamic include whose file is missing fails on that host only',
    files: {
      ...INCLUDED,
      'main.yml': `- hosts: include_missing
  gather_facts: false
  tasks:
    - set_fact: { f: "{{ 'a' if inventory_hostname.endswith('_a') else 'missing' }}" }
    - include_tasks: "{{ f }}.yml"
    - copy: { dest: "{{ root }}/after", content: "after\\n", mode: "0644" }
`,
    },
  },
  {
    name: 'python_plugins',
    covers: "a playbook's Python action and lookup plugins in tasks that do not run: skipped as in Ansible",
    files: {
      'main.yml': `- hosts: python_plugins
  gather_facts: false
  tasks:
    - myact: { a: 1 }
      when: false
    - debug: { msg: "{{ lookup('mylk') }}" }
      when: python_plugins_never is defined
    - copy: { dest: "{{ root }}/after", content: "after\\n", mode: "0644" }
`,
      'action_plugins/myact.py':
        'from ansible.plugins.action import ActionBase\n\n\nclass ActionModule(ActionBase):\n' +
        '    def run(self, tmp=None, task_vars=None):\n        return {"changed": False}\n',
      'lookup_plugins/mylk.py':
        'from ansible.plugins.lookup import LookupBase\n\n\nclass LookupModule(LookupBase):\n' +
        '    def run(self, terms, variables=None, **kwargs):\n        return ["x"]\n',
    },
  },
  {
    name: 'implicit_localhost',
    covers:
      'hosts: localhost, then 127.0.0.1 (the same one implicit localhost, named localhost), not in all; ' +
      'it reads host_vars/localhost beside the playbook',
    // alone: Ansible names its one implicit localhost after the first localhost name any case of the run uses
    alone: true,
    files: {
      'main.yml': `- hosts: localhost
  gather_facts: false
  tasks:
    - copy:
        dest: "{{ base }}/implicit_localhost/implicit_localhost_a/from-localhost"
        content: "{{ inventory_hostname }} {{ from_host_vars }}\\n"
        mode: "0644"
- hosts: 127.0.0.1
  gather_facts: false
  tasks:
    - copy:
        dest: "{{ base }}/implicit_localhost/implicit_localhost_b/from-localhost"
        content: "{{ inventory_hostname }}\\n"
        mode: "0644"
- hosts: "local*"
  gather_facts: false
  tasks:
    - fail: { msg: a glob does not match the implicit localhost }
- hosts: implicit_localhost
  gather_facts: false
  tasks:
    - stat: { path: "{{ root }}/from-localhost" }
      register: s
    - assert: { that: [s.stat.exists] }
`,
      // beside site.yml (the playbook tsplay runs) and beside this file (Ansible's loader is left in the folder of
      // the playbook it imported last)
      '../host_vars/localhost.yml': 'from_host_vars: read\n',
      'host_vars/localhost.yml': 'from_host_vars: read\n',
    },
  },
  {
    name: 'copy_remote',
    covers: 'copy: remote_src (a file, a folder with and without a trailing slash), follow, directory_mode',
    files: {
      'main.yml': `- hosts: copy_remote
  gather_facts: false
  tasks:
    - file: { path: "{{ root }}/src/sub/deep", state: directory, mode: "0755" }
    - file: { path: "{{ root }}/src/sub", state: directory, mode: "0700" }
    - copy: { dest: "{{ root }}/src/top.txt", content: "top\\n", mode: "0640" }
    - copy: { dest: "{{ root }}/src/sub/deep/x.sh", content: "#!/bin/sh\\n", mode: "0755" }
    - file: { src: top.txt, dest: "{{ root }}/src/link", state: link }
    - copy: { src: "{{ root }}/src/top.txt", dest: "{{ root }}/one.txt", remote_src: true }
      register: one
    - copy: { src: "{{ root }}/src/top.txt", dest: "{{ root }}/two.txt", remote_src: true, mode: "0600" }
      register: two
    - copy: { src: "{{ root }}/src/top.txt", dest: "{{ root }}/two.txt", remote_src: true, mode: "0600" }
      register: again
    - assert:
        that:
          - one.md5sum == 'facdca2fa68795a4937fd54f654c3f9d' and two.md5sum == one.md5sum
          - again is not changed and again.md5sum == one.md5sum and again.path is not defined
          - again.src == root ~ '/src/top.txt' and again.dest == root ~ '/two.txt'
    - copy: { src: "{{ root }}/src/", dest: "{{ root }}/contents", remote_src: true }
    - file: { path: "{{ root }}/itself", state: directory, mode: "0755" }
    - copy: { src: "{{ root }}/src", dest: "{{ root }}/itself", remote_src: true }
    - copy: { src: "{{ root }}/src/top.txt", dest: "{{ root }}/made/", remote_src: true, directory_mode: "0700" }
    - command: sh -c 'echo t1 > t1; ln -s t1 l1; echo t2 > t2; ln -s t2 l2'
      args: { chdir: "{{ root }}", creates: "{{ root }}/l1" }
    - copy: { dest: "{{ root }}/l1", content: "new\\n", follow: true }
    - copy: { dest: "{{ root }}/l2", content: "t2\\n" }
    - stat: { path: "{{ root }}/l1" }
      register: l1
    - stat: { path: "{{ root }}/l2" }
      register: l2
    - assert: { that: [l1.stat.islnk, not l2.stat.islnk] }
`,
    },
  },
  {
    name: 'shell_values',
    covers: 'shell with a whole script given by a variable (a loop of commands too) and values through | quote',
    clean: true,
    files: {
      'main.yml': `- hosts: shell_values
  gather_facts: false
  vars:
    word: "it's a $HOME * \\"b\\""
  tasks:
    - copy: { dest: "{{ root }}/f", content: "x\\nx\\ny\\n" }
    - set_fact: { count_x: "grep -c x {{ root }}/f | tr -d ' '" }
    - shell: "{{ count_x }}"
      register: n
    - shell: "{{ item }}"
      loop: ["echo one > {{ root }}/one", "test -s {{ root }}/one && echo ok"]
      register: looped
    - shell: printf '%s|' {{ word | quote }} > {{ root }}/w
      args: { creates: "{{ root }}/w" }
    - slurp: { src: "{{ root }}/w" }
      register: w
    - assert:
        that:
          - n.stdout == '2'
          - looped.results[1].stdout == 'ok'
          - (w.content | b64decode) == word ~ '|'
`,
    },
  },
  {
    name: 'set_fact_names',
    covers:
      'lookup_items/special_vars: set_fact names from templates, a loop over an undefined variable under a ' +
      'false when, ansible_verbosity, template_mtime, groupby',
    clean: true,
    files: {
      'templates/t.j2': 'mtime={{ template_mtime is defined }} run={{ template_run_date is defined }}\n',
      'main.yml': `- hosts: set_fact_names
  gather_facts: false
  tasks:
    - set_fact: "{{ item }}=moo"
      with_items: [foo, bar]
    - set_fact:
        "{{ 'ba' ~ 'z' }}": 3
    - template: { src: t.j2, dest: "{{ root }}/t" }
    - debug: { msg: "{{ item }}" }
      with_items: "{{ extra_items }}"
      when: extra_items is defined
    - debug: { msg: "{{ item }}" }
      loop: "{{ [undefined_thing] }}"
      when: false
    - set_fact:
        groups_of: "{{ [{'g': 'b', 'n': 1}, {'g': 'a', 'n': 2}, {'g': 'b', 'n': 3}] | groupby('g') }}"
    - assert:
        that:
          - foo == 'moo' and bar == 'moo' and baz == 3
          - ansible_verbosity == 0
          - groups_of | map('first') | list == ['a', 'b']
          - groups_of[1][1] | map(attribute='n') | list == [1, 3]
`,
    },
  },
  {
    name: 'templated_conditions',
    covers:
      "conditions with {{ }} or {% %} beside other text are rendered first, then evaluated (Ansible's warning aside)",
    clean: true,
    files: {
      'main.yml': `- hosts: templated_conditions
  gather_facts: false
  vars: { b: 1, c: true, name: web, xs: [1, 2] }
  tasks:
    - { copy: { dest: "{{ root }}/one", content: "1", mode: "0644" }, when: "{{ b }} == 1" }
    - { copy: { dest: "{{ root }}/two", content: "2", mode: "0644" }, when: "{% if c %}True{% endif %}" }
    - { copy: { dest: "{{ root }}/three", content: "3", mode: "0644" }, when: "'{{ name }}' == 'web'" }
    - { copy: { dest: "{{ root }}/four", content: "4", mode: "0644" }, when: "{{ b == 2 }}" }
    - { copy: { dest: "{{ root }}/five", content: "5", mode: "0644" }, when: "{{ xs }} | length == 2" }
    - { copy: { dest: "{{ root }}/six", content: "6", mode: "0644" }, when: "{% if not c %}True{% endif %}" }
    - { copy: { dest: "{{ root }}/seven", content: "7", mode: "0644" }, when: "{{ c }} and {{ b }} > 0" }
    - command: /bin/true
      changed_when: "{{ b }} > 5"
    - command: /bin/true
      register: r
      failed_when: "'{{ name }}' != 'web'"
      until: "{{ b }} == 1"
`,
    },
  },
  {
    name: 'null_arguments',
    covers: 'a module argument written with no value (`chdir:`, `mode: ~`) counts as not given',
    files: {
      'main.yml': `- hosts: null_arguments
  gather_facts: false
  tasks:
    - file: { path: "{{ root }}/d", state: directory, mode: ~, owner: ~ }
    - copy: { dest: "{{ root }}/d/c", content: "x\\n", mode: "0644", group: ~ }
    - command:
        cmd: touch {{ root }}/d/m
        creates: "{{ root }}/d/m"
        chdir:
    - lineinfile: { path: "{{ root }}/d/l", line: a, create: true, mode: "0644", regexp: ~, insertafter: ~ }
`,
    },
  },
]
