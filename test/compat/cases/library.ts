/**
 * Agreement cases for library modules (Ansible's custom modules in `library/` folders): an old-style shell module
 * (its `key=value` arguments file sourced), a `WANT_JSON` Python module, a Python module using Ansible's
 * AnsibleModule (run with the host's Python and its ansible-core), a role's own module, facts a module returns,
 * and the answers Ansible reads as a failure (no JSON, a non-zero `rc`) or a skip; then AnsibleModule in check mode;
 * the host's Python found by interpreter discovery (returned once, then a host fact); a module with a role's own
 * module_utils sent as AnsiballZ to a host Python that cannot import ansible.
 */
import type { CompatCase } from '../harness.js'

const OLD_STYLE = `#!/bin/sh
. "$1"
if [ -e "$path" ]; then
  echo "{\\"changed\\": false, \\"msg\\": \\"$path is there\\"}"
else
  : > "$path"
  echo "{\\"changed\\": true, \\"msg\\": \\"made $path\\"}"
fi
`

const WANT_JSON = `#!/usr/bin/python
# WANT_JSON
import json, os, sys
with open(sys.argv[1]) as f:
    a = json.load(f)
p = a['path']
changed = not os.path.exists(p)
if changed:
    with open(p, 'w') as f:
        f.write(a.get('content', ''))
print('a line before the answer')
print(json.dumps({'changed': changed, 'ansible_facts': {'wj_seen': a.get('content', '')}, 'n': a.get('n')}))
`

const NEW_STYLE = `#!/usr/bin/python
from ansible.module_utils.basic import AnsibleModule


def main():
    m = AnsibleModule(
        argument_spec=dict(
            path=dict(type='path', required=True),
            content=dict(type='str', default=''),
            token=dict(type='str', no_log=True),
        ),
        supports_check_mode=True,
    )
    p, c = m.params['path'], m.params['content']
    try:
        with open(p) as f:
            old = f.read()
    except IOError:
        old = None
    changed = old != c
    if changed and not m.check_mode:
        with open(p, 'w') as f:
            f.write(c)
    m.exit_json(changed=changed, path=p, was=old, ansible_facts=dict(ns_path=p))


main()
`

const GREETER = `#!/usr/bin/python
import sys
from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.tsplay_greeting import greet


def main():
    m = AnsibleModule(argument_spec=dict(who=dict(type='str', required=True), path=dict(type='path')),
                      supports_check_mode=True)
    text = greet(m.params['who'])
    changed = False
    if m.params['path']:
        try:
            with open(m.params['path']) as f:
                changed = f.read() != text
        except IOError:
            changed = True
        if changed and not m.check_mode:
            with open(m.params['path'], 'w') as f:
                f.write(text)
    m.exit_json(changed=changed, said=text, no_site=sys.flags.no_site)


main()
`

export const LIBRARY: CompatCase[] = [
  {
    name: 'library_modules',
    covers: 'old_style_modules_posix, want_json_modules_posix, custom AnsibleModule modules, role library/',
    clean: true,
    files: {
      'library/touch_once.sh': OLD_STYLE,
      'library/wj.py': WANT_JSON,
      'library/ns.py': NEW_STYLE,
      'library/no_json.sh': '#!/bin/sh\necho this is not JSON\n',
      'library/rc_only.sh': '#!/bin/sh\necho \'{"rc": 3, "msg": "rc 3"}\'\n',
      'library/skipper.sh': '#!/bin/sh\necho \'{"skipped": true, "msg": "nothing to do"}\'\n',
      'roles/libr/library/role_mod.sh': OLD_STYLE,
      'roles/libr/tasks/main.yml': '- role_mod: { path: "{{ root }}/by-role" }\n  register: rr\n',
      'main.yml': `- hosts: library_modules
  gather_facts: false
  roles: [libr]
  tasks:
    - touch_once: { path: "{{ root }}/old" }
      register: old
    - touch_once:
      args: { path: "{{ root }}/old" }
      register: old2
    - wj: { path: "{{ root }}/wj", content: "hi there", n: 3 }
      register: wj
    - ns: { path: "{{ root }}/ns", content: "v1", token: "not-shown" }
      register: ns
    - ansible.legacy.ns: { path: "{{ root }}/ns", content: "v1" }
      register: ns2
    - role_mod: { path: "{{ root }}/by-role" }
      register: rr2
    - no_json:
      register: nj
      ignore_errors: true
    - rc_only:
      register: rc
      ignore_errors: true
    - skipper:
      register: sk
    - assert:
        that:
          - old.msg == 'made ' ~ root ~ '/old' or old.msg == root ~ '/old is there'
          - old2 is not changed and old2.msg == root ~ '/old is there'
          - wj.n == 3 and wj_seen == 'hi there'
          - ns.path == root ~ '/ns' and ns_path == root ~ '/ns'
          - ns2 is not changed and ns2.was == 'v1'
          - rr2 is not changed
          - nj is failed and nj.msg.startswith('MODULE FAILURE') and 'this is not JSON' in nj.module_stdout
          - rc is failed and rc.rc == 3
          - sk is skipped
`,
    },
  },
  {
    name: 'library_ansiballz',
    covers:
      "AnsiballZ: an AnsibleModule module with a role's own module_utils runs on a host Python that cannot " +
      'import ansible (started with -S)',
    clean: true,
    files: {
      'roles/greeting/library/greeter.py': GREETER,
      'roles/greeting/module_utils/tsplay_greeting.py': "def greet(who):\n    return 'hello ' + who + '\\n'\n",
      'roles/greeting/tasks/main.yml': `- greeter: { who: pi, path: "{{ root }}/greeting" }
  register: g
- assert: { that: [g.said == 'hello pi\\n', g.no_site == 1] }
`,
      'main.yml': `- hosts: library_ansiballz
  gather_facts: false
  vars: { ansible_python_interpreter: /usr/bin/python3 -S }
  roles: [greeting]
`,
    },
  },
  {
    name: 'library_check',
    covers: 'a custom AnsibleModule module in check mode (_ansible_check_mode)',
    clean: true,
    flags: ['--check'],
    files: {
      'library/ns.py': NEW_STYLE,
      'main.yml': `- hosts: library_check
  gather_facts: false
  tasks:
    - ns: { path: "{{ root }}/never", content: "x" }
      register: ns
    - stat: { path: "{{ root }}/never" }
      register: st
    - assert: { that: [ns is changed, not st.stat.exists] }
`,
    },
  },
  {
    name: 'library_discovery',
    covers: 'interpreter discovery: discovered_interpreter_python in the first module result and as a host fact',
    clean: true,
    files: {
      'library/wj.py': WANT_JSON,
      'main.yml': `- hosts: library_discovery
  gather_facts: false
  vars: { ansible_python_interpreter: auto }
  tasks:
    - wj: { path: "{{ root }}/wj", content: "x" }
      register: first
    - wj: { path: "{{ root }}/wj", content: "x" }
      register: second
    - assert:
        that:
          - first.ansible_facts.discovered_interpreter_python == '/usr/bin/python3'
          - first.ansible_facts.wj_seen == 'x'
          - second.ansible_facts.discovered_interpreter_python is not defined
          - ansible_facts.discovered_interpreter_python == '/usr/bin/python3'
          - discovered_interpreter_python == '/usr/bin/python3'
          - hostvars[inventory_hostname].ansible_facts.discovered_interpreter_python == '/usr/bin/python3'
`,
    },
  },
]
