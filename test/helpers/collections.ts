/**
 * A small Ansible collection for tests, written beside a test's playbook (`tsplaytest.demo`): a module importing the
 * collection's module_utils, one reached by a runtime.yml redirect and one removed, a module its action plugin runs
 * (with an argument of the plugin's making), a filter, a test and a lookup. And a guard that leaves the machine's
 * own collections (Debian's `ansible` package) out of a test.
 *
 * @example
 * ```ts
 * withoutInstalledCollections()
 * const dir = tree({ ...demoCollection(), 'playbook.yml': '- hosts: all\n  tasks:\n    - tsplaytest.demo.hello: {}' })
 * ```
 */
import { afterEach, beforeEach } from 'vitest'

/** The collection's folder, relative to the playbook's. */
export const DEMO = 'collections/ansible_collections/tsplaytest/demo'

const py = (...lines: string[]) => [...lines, ''].join('\n')

/** The collection's files, by path relative to the playbook's folder. */
export function demoCollection(): Record<string, string> {
  return {
    [`${DEMO}/meta/runtime.yml`]:
      'plugin_routing:\n  modules:\n    old_hello: { redirect: tsplaytest.demo.hello }\n' +
      '    gone: { tombstone: { removal_version: 2.0.0, warning_text: Use tsplaytest.demo.hello instead. } }\n',
    [`${DEMO}/plugins/module_utils/greet.py`]: py('def greet(who):', '    return "hello " + who'),
    [`${DEMO}/plugins/modules/hello.py`]: py(
      'from ansible.module_utils.basic import AnsibleModule',
      'from ansible_collections.tsplaytest.demo.plugins.module_utils.greet import greet',
      'm = AnsibleModule(argument_spec=dict(who=dict(type="str", required=True)), supports_check_mode=True)',
      'm.exit_json(changed=not m.check_mode, msg=greet(m.params["who"]))',
    ),
    [`${DEMO}/plugins/modules/shout.py`]: py(
      'from ansible.module_utils.basic import AnsibleModule',
      'm = AnsibleModule(argument_spec=dict(who=dict(type="str")), supports_check_mode=True)',
      'm.exit_json(changed=False, msg=m.params["who"].upper())',
    ),
    [`${DEMO}/plugins/action/shout.py`]: py(
      'from ansible.plugins.action import ActionBase',
      'from ansible_collections.tsplaytest.demo.plugins.module_utils.greet import greet',
      'class ActionModule(ActionBase):',
      '    def run(self, tmp=None, task_vars=None):',
      '        r = self._execute_module(module_args=dict(who=greet(self._task.args["who"])), task_vars=task_vars)',
      '        r["plugin"] = self._task.action',
      '        return r',
    ),
    [`${DEMO}/plugins/filter/words.py`]: py(
      'class FilterModule(object):',
      '    def filters(self):',
      '        return {"shout": lambda s: s.upper() + "!"}',
    ),
    [`${DEMO}/plugins/test/sizes.py`]: py(
      'class TestModule(object):',
      '    def tests(self):',
      '        return {"long": lambda s, n=3: len(s) > n}',
    ),
    [`${DEMO}/plugins/lookup/twice.py`]: py(
      'from ansible.plugins.lookup import LookupBase',
      'class LookupModule(LookupBase):',
      '    def run(self, terms, variables=None, **kwargs):',
      '        return [t * 2 for t in terms]',
    ),
  }
}

/** Leave the machine's own collections out of each test of the file (or `describe`) this is called in. */
export function withoutInstalledCollections(): void {
  beforeEach(() => {
    process.env.ANSIBLE_COLLECTIONS_PATHS = '/nonexistent'
    process.env.ANSIBLE_COLLECTIONS_SCAN_SYS_PATH = 'false'
  })
  afterEach(() => {
    delete process.env.ANSIBLE_COLLECTIONS_PATHS
    delete process.env.ANSIBLE_COLLECTIONS_SCAN_SYS_PATH
  })
}

/**
 * Run each test of the file (or `describe`) this is called in as on a controller whose Python has no ansible-core:
 * neither collections nor ansible-core's own modules are found.
 */
export function withoutAnsibleOnController(): void {
  beforeEach(() => {
    process.env.TSPLAY_PYTHON = '/nonexistent/python3'
  })
  afterEach(() => {
    delete process.env.TSPLAY_PYTHON
  })
}

/** The environment of a CLI run that leaves the machine's own collections out. */
export const OWN_COLLECTIONS_ONLY = {
  ANSIBLE_COLLECTIONS_PATHS: '/nonexistent',
  ANSIBLE_COLLECTIONS_SCAN_SYS_PATH: 'false',
}
