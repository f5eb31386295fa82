/**
 * Agreement cases for Ansible's Python filter and test plugins (jinja_plugins, plugin_namespace, a role's
 * role_filter): a playbook's `filter_plugins/` and a role's `filter_plugins/` and `test_plugins/`, used in task
 * arguments, `when`, `loop`, `select`/`map` and a `.j2` template; keyword arguments; a plugin that replaces a built-in
 * filter; one that returns a tuple or is given one; one that imports `ansible` and raises its AnsibleFilterError; one
 * that prints; a role's filter loaded only by a templated include_role (its name set by set_fact); and a file that
 * cannot be imported (skipped with a warning by both); a role's lookup plugin through lookup(), query() and
 * with_NAME, reading a templated variable, failing, and failing with errors='ignore'.
 */
import type { CompatCase } from '../harness.js'

const NET = `from ansible.errors import AnsibleFilterError


def cidr(ip, prefix=24, sep='/'):
    if not isinstance(prefix, int):
        raise AnsibleFilterError('prefix must be a number, got %r' % (prefix,))
    return '%s%s%d' % (ip, sep, prefix)


def loud(x):
    print('a line the plugin prints')
    return x.upper() + '!'


class FilterModule(object):
    def filters(self):
        return {
            'cidr': cidr,
            'loud': loud,
            'title': lambda s: 'Title: ' + s,
            'pair': lambda a, b: (a, b),
        }
`

const WORDS = `class FilterModule(object):
    def filters(self):
        return {'wordcount': lambda s: len(s.split()), 'initials': lambda names: [n[0] for n in names]}
`

const NUMS = `class TestModule(object):
    def tests(self):
        return {'even': lambda n: int(n) % 2 == 0, 'longer_than': lambda s, n=3: len(s) > n}
`

const GREET = `from ansible.errors import AnsibleError
from ansible.plugins.lookup import LookupBase


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        if kwargs.get('fail'):
            raise AnsibleError('asked to fail')
        who = self._templar.template(variables['who'])
        word = kwargs.get('greeting', 'hello')
        return ['%s %s from %s on %s' % (word, t, who, variables['inventory_hostname']) for t in terms]
`

const DYN = `class FilterModule(object):
    def filters(self):
        return {'dyn_twice': lambda s: s * 2}
`

export const PLUGINS: CompatCase[] = [
  {
    name: 'jinja_plugins',
    covers:
      'jinja_plugins, plugin_namespace, template role_filter, lookup plugins: filter_plugins/, test_plugins/ and ' +
      'lookup_plugins/ in Python',
    // alone: a playbook's plugins are the whole run's (a filter replacing a built-in would reach other cases), and
    // Ansible tries the file it cannot import again at every template, which slows every task near it
    alone: true,
    files: {
      'filter_plugins/net.py': NET,
      'filter_plugins/broken.py': 'import a_module_nobody_has\n',
      'roles/plug/filter_plugins/words.py': WORDS,
      'roles/plug/test_plugins/nums.py': NUMS,
      'roles/plug/lookup_plugins/greet.py': GREET,
      'roles/dyn/filter_plugins/dyn.py': DYN,
      'roles/dyn/tasks/main.yml': `- copy: { content: "{{ 'ab' | dyn_twice }}\\n", dest: "{{ root }}/dyn", mode: "644" }
`,
      'roles/plug/tasks/main.yml': `- copy:
    content: "{{ 'one two three' | wordcount }} {{ ['ann', 'bob'] | initials | join('') }}\\n"
    dest: "{{ root }}/role"
    mode: "0644"
`,
      'roles/plug/templates/site.j2': `{% for n in nums if n is even %}
{{ n }} {{ ('10.0.' ~ n ~ '.1') | cidr(prefix=16) }}
{% endfor %}
{{ 'host' | loud }} {{ 'x' | title }} {{ 'a' | pair('b') | to_json }}
{{ 'a' | pair('b') }} {{ 'a' | pair('b') | pair('c') }} {{ ({'k': 1} | dictsort | first) | pair(2) }}
`,
      'roles/plug/tasks/site.yml': `- template: { src: site.j2, dest: "{{ root }}/site", mode: "0644" }
`,
      'main.yml': `- hosts: jinja_plugins
  gather_facts: false
  vars:
    nums: [1, 2, 3, 4]
    place: world
    who: "the {{ place }}"
  roles: [plug]
  tasks:
    - include_role: { name: plug, tasks_from: site }
    - set_fact: { dyn_role: dyn }
    - include_role: { name: "{{ dyn_role }}" }
    - copy:
        content: "{{ nums | select('even') | map('cidr') | join(',') }}\\n"
        dest: "{{ root }}/selected"
        mode: "0644"
    - copy: { content: "{{ item }}\\n", dest: "{{ root }}/n{{ item }}", mode: "0644" }
      loop: "{{ nums }}"
      when: item is even
    - copy:
        content: >-
          {{ '192.168.1.1' | cidr(8, sep=' len ') }} {{ ('abcd' is longer_than) | lower }}
          {{ ('ab' is longer_than(1)) | lower }}
        dest: "{{ root }}/args"
        mode: "0644"
    - copy:
        content: "{{ lookup('greet', 'a', 'b', greeting='hi') }} {{ query('greet', 'c') | length }}\\n"
        dest: "{{ root }}/greet"
        mode: "0644"
    - copy: { content: "{{ item }}\\n", dest: "{{ root }}/{{ item | wordcount }}-{{ item[:7] }}", mode: "0644" }
      with_greet: [x, yz]
    - debug: { msg: "{{ lookup('greet', 'x', fail=true) }}" }
      ignore_errors: true
    - debug: { msg: "{{ lookup('greet', 'x', fail=true, errors='ignore') }}" }
    - debug: { msg: "{{ '10.1.1.1' | cidr('x') }}" }
      register: bad
      ignore_errors: true
    - assert:
        that:
          - bad is failed
          - "'prefix must be a number' in bad.msg"
          - ('a b' | wordcount) == 2
          - "'Title: t' == ('t' | title)"
`,
    },
  },
]
