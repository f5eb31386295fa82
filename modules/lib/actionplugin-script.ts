/**
 * The Python side of an Ansible action plugin run (modules/lib/actionplugin.ts): it imports the plugin file and
 * runs its `ActionModule` with ansible-core's own `ActionBase` (so it needs ansible-core importable on the
 * controller), the task's arguments and variables, a `Templar` and a `DataLoader` of Ansible's. What the plugin
 * does on the host goes back to tsplay: `_execute_module` asks tsplay to run that module (tsplay's own or a library
 * module), `_low_level_execute_command` to run a shell command, the connection's `put_file`/`fetch_file` to copy a
 * file. Ansible's own helpers (`_make_tmp_path`, `_transfer_data`, `_execute_remote_stat`, …) work through those.
 *
 * Talk: the job is the first JSON line on stdin; requests go out on fd 3, one JSON line each, and each is answered
 * by one line on stdin (`{"ok": …}` or `{"error": "…"}`); the last request is `done` with the result, which is not
 * answered. Whatever the plugin prints goes to stderr. A tuple crosses as `{"\u0000tuple": [...]}`, both ways.
 *
 * @example
 * ```text
 * ← {"file":"/srv/site/action_plugins/hello.py","name":"hello","args":{"who":"x"},"vars":{…},"check":false,…}
 * → {"op":"module","name":"ansible.legacy.command","args":{"_raw_params":"echo x"}}
 * ← {"ok":{"rc":0,"stdout":"x","changed":true}}
 * → {"op":"done","result":{"changed":true,"said":"x"}}
 * ```
 */
import { PY_VALUES } from '../../engine/expr/pyplugins-script.js'

export const ACTION_PLUGIN_PY = String.raw`
import base64, importlib, importlib.util, json, os, signal, sys, traceback
from collections.abc import Mapping
requests = os.fdopen(3, 'w', encoding='utf-8')
os.dup2(2, 1)
sys.stdout = sys.stderr
${PY_VALUES}
def send(op, **kw):
    kw['op'] = op
    requests.write(json.dumps(tag(kw), default=lambda o: tag(data(o))) + '\n')
    requests.flush()

job = json.loads(sys.stdin.readline(), object_hook=untag)

from ansible.errors import AnsibleError, AnsibleActionFail, AnsibleActionSkip
from ansible.module_utils.common.text.converters import to_bytes, to_text
from ansible.parsing.dataloader import DataLoader
from ansible.playbook.play_context import PlayContext
from ansible.plugins import loader as plugin_loader
from ansible.plugins.action import ActionBase
from ansible.template import Templar

def ask(op, **kw):
    send(op, **kw)
    line = sys.stdin.readline()
    if not line:
        raise SystemExit(1)
    answer = json.loads(line, object_hook=untag)
    if 'error' in answer:
        raise AnsibleError(answer['error'])
    return answer['ok']

def encoded(b):
    return None if b is None else base64.b64encode(to_bytes(b)).decode('ascii')

def execute_module(self, module_name=None, module_args=None, tmp=None, task_vars=None, persist_files=False,
                   delete_remote_tmp=None, wrap_async=False):
    args = self._task.args if module_args is None else module_args
    return ask('module', name=module_name or self._task.action, args=dict(args))

def low_level_execute_command(self, cmd, sudoable=True, in_data=None, executable=None,
                              encoding_errors='surrogate_then_replace', chdir=None):
    r = ask('command', cmd=to_text(cmd), stdin=encoded(in_data), executable=executable, chdir=chdir)
    out, err = r['stdout'], r['stderr']
    return dict(rc=r['rc'], stdout=out, stdout_lines=out.splitlines(), stderr=err, stderr_lines=err.splitlines())

ActionBase._execute_module = execute_module
ActionBase._low_level_execute_command = low_level_execute_command

class Connection(object):
    transport = 'ssh'
    become = None
    has_pipelining = False
    always_pipeline_modules = False
    allow_executable = True
    module_implementation_preferences = ('',)
    cwd = None

    def __init__(self, play_context):
        self._play_context = play_context
        self._shell = plugin_loader.shell_loader.get('sh')

    def get_option(self, name, hostvars=None):
        return {'remote_user': job.get('remote_user'), 'remote_addr': job['host']}.get(name)

    def put_file(self, in_path, out_path):
        with open(in_path, 'rb') as f:
            ask('put', path=out_path, data=encoded(f.read()))

    def fetch_file(self, in_path, out_path):
        with open(out_path, 'wb') as f:
            f.write(base64.b64decode(ask('fetch', path=in_path)))

    def exec_command(self, cmd, in_data=None, sudoable=True):
        r = ask('command', cmd=to_text(cmd), stdin=encoded(in_data), executable=None, chdir=None)
        return r['rc'], to_bytes(r['stdout']), to_bytes(r['stderr'])

    def close(self):
        pass

class Task(object):
    def __init__(self):
        self.action = job['name']
        self.args = dict(job['args'])
        self.async_val = 0
        self.poll = 15
        self.check_mode = job['check']
        self.diff = job['diff']
        self.delegate_to = None
        self.delegate_facts = None
        self.environment = []
        self.no_log = False
        self.collections = []
        self._role = None

    def get_search_path(self):
        return list(job['search'])

def run():
    if job.get('module'):
        from ansible.utils.collection_loader import AnsibleCollectionConfig
        AnsibleCollectionConfig.playbook_paths = job.get('playbook_dirs') or []
        mod = importlib.import_module(job['module'])
    else:
        spec = importlib.util.spec_from_file_location('tsplay_action_%s' % job['name'], job['file'])
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
    loader = DataLoader()
    loader.set_basedir(job['basedir'])
    pc = PlayContext()
    pc.check_mode = job['check']
    pc.diff = job['diff']
    pc.remote_addr = job['host']
    pc.remote_user = job.get('remote_user')
    templar = Templar(loader=loader, variables=job['vars'])
    plugin = mod.ActionModule(Task(), Connection(pc), pc, loader, templar, plugin_loader)
    try:
        return plugin.run(task_vars=job['vars'])
    except (AnsibleActionFail, AnsibleActionSkip) as e:
        return e.result
    finally:
        plugin.cleanup()

try:
    result = run()
except KeyboardInterrupt:
    result = dict(failed=True, msg='interrupted (Ctrl-C)')
except AnsibleError as e:
    result = dict(failed=True, msg=to_text(e, nonstring='simplerepr'))
except Exception as e:
    result = dict(failed=True, msg='Unexpected failure during module execution: %s' % e,
                  exception=traceback.format_exc(), stdout='')
if not isinstance(result, Mapping):
    result = dict(failed=True, msg='the action plugin returned %s, not a dictionary' % type(result).__name__)
send('done', result=dict(result))
`
