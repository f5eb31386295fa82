/**
 * Agreement cases for collections' modules: a collection written beside the playbook (a module importing the
 * collection's module_utils, one reached through its runtime.yml redirect, one its action plugin runs), and
 * community.general's `ini_file` from Debian's `ansible` package, by its full name and by the short name
 * ansible-core routes to it — changed on the first round, ok on the second, the same file left on the host.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { CompatCase } from '../harness.js'

const COLL = 'collections/ansible_collections/tsplaytest/demo'

const WRITER = `from ansible.module_utils.basic import AnsibleModule
from ansible_collections.tsplaytest.demo.plugins.module_utils.text import framed


def main():
    m = AnsibleModule(argument_spec=dict(path=dict(type='path', required=True), text=dict(type='str')),
                      supports_check_mode=True)
    want = framed(m.params['text'])
    try:
        with open(m.params['path']) as f:
            old = f.read()
    except IOError:
        old = None
    if old != want and not m.check_mode:
        with open(m.params['path'], 'w') as f:
            f.write(want)
    m.exit_json(changed=old != want, written=want)


main()
`

const PLUGIN = `from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    def run(self, tmp=None, task_vars=None):
        args = dict(self._task.args)
        args['text'] = args['text'].upper()
        r = self._execute_module(module_name='tsplaytest.demo.writer', module_args=args, task_vars=task_vars)
        r['through'] = 'plugin'
        return r
`

const COLLECTION: Record<string, string> = {
  'meta/runtime.yml': 'plugin_routing:\n  modules:\n    old_writer: { redirect: tsplaytest.demo.writer }\n',
  'plugins/module_utils/text.py': "def framed(text):\n    return '[' + text + ']\\n'\n",
  'plugins/modules/writer.py': WRITER,
  'plugins/modules/loud.py': WRITER,
  'plugins/action/loud.py': PLUGIN,
}

export const COLLECTIONS: CompatCase[] = [
  {
    name: 'collection_modules',
    covers: "collections' modules: beside the playbook, redirected, through an action plugin; community.general's",
    clean: true,
    // beside the playbook that is run (site.yml, which imports this one): Ansible 2.14 looks for collections only
    // beside that one, and so does tsplay
    setup: (caseDir) => {
      const coll = join(dirname(caseDir), COLL)
      for (const [p, text] of Object.entries(COLLECTION)) {
        mkdirSync(dirname(join(coll, p)), { recursive: true })
        writeFileSync(join(coll, p), text)
      }
    },
    files: {
      'main.yml': `- hosts: collection_modules
  gather_facts: false
  tasks:
    - tsplaytest.demo.writer: { path: "{{ root }}/a", text: one }
      register: a
    - tsplaytest.demo.old_writer: { path: "{{ root }}/b", text: two }
    - tsplaytest.demo.loud: { path: "{{ root }}/c", text: three }
      register: c
    - assert:
        that:
          - a.written == '[one]\\n'
          - c.through == 'plugin'
          - c.written == '[THREE]\\n'
    - community.general.ini_file: { path: "{{ root }}/app.ini", section: server, option: port, value: "8080" }
    - ini_file: { path: "{{ root }}/app.ini", section: server, option: host, value: pi1, mode: "0640" }
`,
    },
  },
]
