/**
 * Agreement cases for lookups as roles use them (Ansible's `lookup_*` targets and the Galaxy-role pattern of a
 * vars file per distribution): `first_found` with `include_vars`, `file`/`template`/`fileglob` searching a role's
 * `files/`/`templates/`/`vars/`, `vars`, the data lookups and their `with_<name>` loops, FQCN names and the
 * `errors`/`wantlist`/`default` keywords, and Jinja macros, `call`, `include` and `import` in a role's templates,
 * written here.
 */
import type { CompatCase } from '../harness.js'

/** A role laid out as Galaxy roles are: files/, templates/, vars/<distribution>.yml, defaults/. */
const ROLE: Record<string, string> = {
  'roles/lk/defaults/main.yml':
    "greeting: hello\nos_family: \"{{ 'Debian' if inventory_hostname.endswith('_a') else 'Alpine' }}\"\n",
  'roles/lk/vars/Debian.yml': 'pkg_name: apt-thing\n',
  'roles/lk/vars/default.yml': 'pkg_name: generic-thing\n',
  'roles/lk/files/motd': 'role motd\n\n',
  'roles/lk/files/conf.d/a.conf': 'a\n',
  'roles/lk/files/conf.d/b.conf': 'b\n',
  'roles/lk/templates/site.j2': '{{ greeting }} {{ who }} ({{ pkg_name }})\n{% for x in [1, 2] %}{{ x }}{% endfor %}\n',
  'roles/lk/templates/macros.j2':
    "{% macro line(k, v='x', sep=' = ') %}{{ k }}{{ sep }}{{ v }}{% endmacro %}\n{% set version = 3 %}\n" +
    '{% macro wrap(tag) %}<{{ tag }}>{{ caller() }}</{{ tag }}>{% endmacro %}\n',
  'roles/lk/templates/part.j2': 'part {{ greeting }}\n',
  'roles/lk/templates/page.j2':
    "{% import 'macros.j2' as m %}\n{% from 'macros.j2' import line, wrap as w %}\n" +
    "{{ m.line('port', 80) }} v{{ m.version }}\n{{ line('a') }}\n{% call w('b') %}c {{ pkg_name }}{% endcall %}\n" +
    "{% macro item(x, n=1) %}- {{ x }}*{{ n }}{% endmacro %}\n{% for x in ['p', 'q'] %}{{ item(x, n=loop.index) }}\n" +
    "{% endfor %}\n{% include 'part.j2' %}\n{% include 'nope.j2' ignore missing %}\nend\n",
  'roles/lk/tasks/main.yml': `- include_vars: "{{ lookup('first_found', params) }}"
  vars:
    params:
      files: ["{{ os_family }}.yml", default.yml]
      paths: ["{{ role_path }}/vars"]
- copy: { dest: "{{ root }}/pkg-first", content: "{{ pkg_name }}\\n", mode: "0644" }
- include_vars: "{{ item }}"
  with_first_found:
    - "{{ not_defined_anywhere }}.yml"
    - "{{ os_family }}.yml"
    - default.yml
- copy: { dest: "{{ root }}/pkg-with", content: "{{ pkg_name }}\\n", mode: "0644" }
- copy: { dest: "{{ root }}/motd", content: "{{ lookup('file', 'motd') }}|", mode: "0644" }
- copy:
    dest: "{{ root }}/site"
    content: "{{ lookup('ansible.builtin.template', 'site.j2', template_vars={'who': 'ops'}) }}"
    mode: "0644"
- copy: { dest: "{{ root }}/conf-{{ item | basename }}", src: "{{ item }}", mode: "0644" }
  loop: "{{ query('fileglob', 'conf.d/*.conf') }}"
- include_tasks: more.yml
- template: { src: page.j2, dest: "{{ root }}/page", mode: "0644" }
`,
  'roles/lk/tasks/more.yml': `- copy:
    dest: "{{ root }}/more-motd"
    content: "{{ lookup('file', 'motd', rstrip=false) }}"
    mode: "0644"
`,
}

export const LOOKUPS: CompatCase[] = [
  {
    name: 'lookups_role',
    covers:
      'lookup_first_found, lookup_file, lookup_template, lookup_fileglob: a role picks files per distribution; ' +
      'template_jinja: macros, call, include and import in role templates',
    files: {
      ...ROLE,
      'main.yml': `- hosts: lookups_role
  gather_facts: false
  roles: [lk]
`,
    },
  },
  {
    name: 'lookups_data',
    covers:
      'lookup_vars, lookup_dict, lookup_indexed_items, lookup_together, lookup_nested, lookup_subelements, ' +
      'lookup_sequence, errors/wantlist/default',
    files: {
      'files/note.txt': 'note\n',
      'main.yml': `- hosts: lookups_data
  gather_facts: false
  vars:
    port: 8080
    url: "http://x:{{ port }}"
    users:
      - { name: u1, keys: [k1, k2] }
      - { name: u2 }
  tasks:
    - copy:
        dest: "{{ root }}/vars"
        content: "{{ lookup('vars', 'url') }} {{ lookup('vars', 'nope', default='d') }}\\n"
        mode: "0644"
    - copy: { dest: "{{ root }}/note", content: "{{ lookup('file', 'note.txt') }}\\n", mode: "0644" }
    - copy: { dest: "{{ root }}/d-{{ item.key }}", content: "{{ item.value }}\\n", mode: "0644" }
      with_dict: { a: 1, b: 2 }
    - copy: { dest: "{{ root }}/i-{{ item.0 }}", content: "{{ item.1 }}\\n", mode: "0644" }
      with_indexed_items: [x, y]
    - copy: { dest: "{{ root }}/t-{{ item.0 }}", content: "{{ item.1 }}\\n", mode: "0644" }
      with_together: [[p, q], [1]]
    - copy: { dest: "{{ root }}/n-{{ item.0 }}{{ item.1 }}", content: "n\\n", mode: "0644" }
      with_nested: [[a, b], [1, 2]]
    - copy: { dest: "{{ root }}/s-{{ item.0.name }}-{{ item.1 }}", content: "s\\n", mode: "0644" }
      with_subelements: [ "{{ users }}", keys, { skip_missing: true } ]
    - copy: { dest: "{{ root }}/q-{{ item }}", content: "q\\n", mode: "0644" }
      with_sequence: start=1 end=3 format=n%02d
    - assert:
        that:
          - "lookup('items', ['a', 'b']) == 'a,b'"
          - "lookup('items', ['a'], wantlist=true) == ['a']"
          - "query('dict', {'k': 1}) == [{'key': 'k', 'value': 1}]"
          - "query('ansible.builtin.indexed_items', ['a']) | length == 1"
          - "query('together', [1, 2], ['a']) == [[1, 'a'], [2, none]]"
          - "query('nested', [1], ['a', 'b']) == [[1, 'a'], [1, 'b']]"
          - "query('sequence', 'count=3') == ['1', '2', '3']"
          - "lookup('file', 'nope', errors='ignore') is none"
          - "query('file', 'nope', errors='warn') == []"
          - "lookup('vars', 'po' ~ 'rt') == 8080"
          - "query('first_found', ['nope.yml'], skip=true) == []"
`,
    },
  },
  {
    name: 'vars_files_templated',
    covers: 'vars_files per distribution: templated names, lists of candidates, names found in vars/',
    files: {
      'vars/common.yml': 'common: yes-common\n',
      'vars/Debian.yml': 'family_file: debian\n',
      'vars/default.yml': 'family_file: default\nhost_file: default\n',
      'vars/a.yml': 'host_file: host-a\n',
      'vars/blue.yml': 'colour: blue\n',
      'main.yml': `- hosts: vars_files_templated
  gather_facts: true
  vars: { flavour: blue }
  vars_files:
    - common.yml
    - "vars/{{ flavour }}.yml"
    - ["vars/{{ inventory_hostname[-1] }}.yml", vars/default.yml]
    - ["vars/{{ ansible_os_family }}.yml", vars/default.yml]
  tasks:
    - copy:
        dest: "{{ root }}/vars"
        content: "{{ common }} {{ colour }} {{ host_file }} {{ family_file }}\\n"
        mode: "0644"
`,
    },
  },
  {
    name: 'templated_from',
    // hosts are given the same tasks_from: Ansible 2.14 merges the includes of hosts whose include_role differs
    // only in a templated tasks_from (each host then ran both files), which tsplay does not copy
    covers: 'include_role/import_role with templated tasks_from and vars_from, import_playbook named by -e',
    flags: ['-e', 'tf_playbook=sub'],
    files: {
      'roles/tf/tasks/main.yml': '- copy: { dest: "{{ root }}/tf-main", content: "{{ v }}\\n", mode: "0644" }\n',
      'roles/tf/tasks/debian.yml': '- copy: { dest: "{{ root }}/tf-debian", content: "{{ v }}\\n", mode: "0644" }\n',
      'roles/tf/tasks/other.yml': '- copy: { dest: "{{ root }}/tf-other", content: "{{ v }}\\n", mode: "0644" }\n',
      'roles/tf/vars/main.yml': 'v: main\n',
      'roles/tf/vars/alt.yml': 'v: alt\n',
      'sub.yml': `- hosts: templated_from
  gather_facts: false
  tasks:
    - copy: { dest: "{{ root }}/sub", content: "sub\\n", mode: "0644" }
`,
      'main.yml': `- hosts: templated_from
  gather_facts: false
  vars: { vf: alt }
  tasks:
    - set_fact: { tfile: other }
    - include_role: { name: tf, tasks_from: "{{ tfile }}" }
    - include_role: { name: tf, tasks_from: "{{ item }}" }
      loop: [debian]
    - import_role: { name: tf, vars_from: "{{ vf }}" }
- import_playbook: "{{ tf_playbook }}.yml"
`,
    },
  },
]
