/**
 * Agreement cases for Ansible action plugins (`action_plugins/*.py`, beside the playbook and in a role), run on the
 * controller with ansible-core's ActionBase by both engines: a plugin that runs a module of its own name (the
 * library module beside it), `command` and `stat` through Ansible's helpers, and templates with the task's
 * variables; one that sends data to a temp folder on the host and runs `copy` on it (Ansible's classic pattern);
 * one that only computes on the controller; failures and skips raised by a plugin; then all of it in check mode.
 */
import type { CompatCase } from '../harness.js'

const GREET = `from ansible.errors import AnsibleActionFail, AnsibleActionSkip
from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    _VALID_ARGS = frozenset(('who', 'dest'))

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        who = self._task.args.get('who', 'world')
        if who == 'nobody':
            raise AnsibleActionFail('nobody to greet')
        if who == 'later':
            raise AnsibleActionSkip('greeting later')
        dest = self._task.args['dest']
        before = self._execute_remote_stat(dest, all_vars=task_vars, follow=False)
        me = self._execute_module(module_name='ansible.legacy.command', module_args={'_raw_params': 'id -un'},
                                  task_vars=task_vars)
        text = self._templar.template('hello {{ who }} from {{ inventory_hostname }}')
        result.update(self._execute_module(module_name='greet', module_args={'dest': dest, 'text': text},
                                           task_vars=task_vars))
        result['existed'] = before['exists']
        result['me'] = me.get('stdout', '')
        return result
`

const GREET_MODULE = `#!/usr/bin/python
from ansible.module_utils.basic import AnsibleModule


def main():
    m = AnsibleModule(argument_spec=dict(dest=dict(type='path', required=True), text=dict(type='str')),
                      supports_check_mode=True)
    p = m.params['dest']
    try:
        with open(p) as f:
            old = f.read()
    except IOError:
        old = None
    changed = old != m.params['text']
    if changed and not m.check_mode:
        with open(p, 'w') as f:
            f.write(m.params['text'])
    m.exit_json(changed=changed, dest=p, text=m.params['text'])


main()
`

const PUT_TEXT = `from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    TRANSFERS_FILES = True

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        src = self._connection._shell.join_path(self._connection._shell.tmpdir, 'source')
        self._transfer_data(src, self._task.args['content'])
        self._fixup_perms2((self._connection._shell.tmpdir, src))
        args = dict(src=src, dest=self._task.args['dest'], mode='0640', _original_basename='content')
        result.update(self._execute_module(module_name='ansible.legacy.copy', module_args=args, task_vars=task_vars))
        return result
`

const TALLY = `from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        items = self._task.args.get('items', [])
        result.update(changed=False, total=sum(items), count=len(items), role_var=task_vars.get('tally_base'),
                      ansible_facts=dict(tally_total=sum(items)))
        return result
`

const PLAY = `- hosts: NAME
  gather_facts: false
  vars:
    who: tsplay
    # a variable no plugin reads and that cannot be rendered: the plugins get it as its text, as in Ansible
    unused_broken: "{{ nowhere_defined }}"
  roles: [counter]
  tasks:
    - greet: { who: "{{ who }}", dest: "{{ root }}/greeting" }
      register: g
    - greet: { who: "{{ who }}", dest: "{{ root }}/greeting" }
      register: g2
    - put_text: { content: "some text\\n", dest: "{{ root }}/put" }
      register: p
    - greet: { who: nobody, dest: "{{ root }}/x" }
      register: f
      ignore_errors: true
    - greet: { who: later, dest: "{{ root }}/x" }
      register: s
    - assert:
        that:
          - g.me == ansible_user or ansible_check_mode
          - g.dest == root ~ '/greeting' and g.text == 'hello tsplay from ' ~ inventory_hostname
          - g.invocation is not defined
          - g2 is not changed or ansible_check_mode
          - g2.existed or ansible_check_mode
          - p.dest == root ~ '/put'
          - f is failed and f.msg == 'nobody to greet'
          - s is skipped and s.msg == 'greeting later'
          - t.total == 6 and t.count == 3 and t.role_var == 10 and tally_total == 6
`

const files = (name: string): Record<string, string> => ({
  'action_plugins/greet.py': GREET,
  'action_plugins/put_text.py': PUT_TEXT,
  'library/greet.py': GREET_MODULE,
  'roles/counter/action_plugins/tally.py': TALLY,
  'roles/counter/defaults/main.yml': 'tally_base: 10\n',
  'roles/counter/tasks/main.yml': '- tally: { items: [1, 2, 3] }\n  register: t\n',
  'main.yml': PLAY.replace('NAME', name),
})

export const ACTIONS: CompatCase[] = [
  {
    name: 'action_plugins',
    covers: 'action plugins: _execute_module (own library module, command, stat, copy), _transfer_data, Templar',
    files: files('action_plugins'),
  },
  {
    name: 'action_plugins_check',
    covers: 'action plugins in check mode: the plugin runs, its modules only predict',
    flags: ['--check'],
    files: files('action_plugins_check'),
  },
]
