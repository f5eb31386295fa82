import json, os, shutil
ROOT = '/work/main/test/corpus/cases'
cases = {}
def case(name, playbook=None, message='', file='playbook.yml', line=1, args=None, files=None, generate=None):
    assert name not in cases, name
    cases[name] = dict(playbook=playbook, message=message, file=file, line=line, args=args, files=files or {}, generate=generate)

P = lambda tasks, head='': f"- hosts: all\n{head}  tasks:\n{tasks}"

# --- YAML syntax and hostile YAML
case('yaml-unclosed-flow-list', "- hosts: all\n  tasks: [\n", 'YAML syntax error', line=3)
case('yaml-unclosed-quote', "- hosts: all\n  name: \"oops\n  tasks: []\n", 'YAML syntax error', line=4)
case('yaml-bad-indent', "- hosts: all\n  tasks:\n    - debug: { msg: a }\n   - debug: { msg: b }\n", 'YAML syntax error', line=4)
case('yaml-tab-indent', "- hosts: all\n\ttasks: []\n", 'YAML syntax error', line=2)
case('yaml-duplicate-key-play', "- hosts: all\n  name: a\n  hosts: web\n  tasks: []\n", 'unique', line=3)
case('yaml-duplicate-key-args', P("    - apt:\n        name: git\n        name: make\n"), 'unique', line=5)
case('yaml-multiple-documents', "- hosts: all\n  tasks: []\n---\n- hosts: web\n", 'multiple documents', line=3)
case('yaml-vault-tag', P("    - debug: { msg: !vault abc }\n"), 'unsupported YAML tag', line=3)
case('yaml-undefined-alias', P("    - debug: { msg: *nothing }\n"), 'refers to no anchor', line=3)
case('yaml-map-as-key', "- hosts: all\n  ? [a, b]\n  : 1\n", 'plain value', line=2)
case('yaml-proto-key', "- hosts: all\n  __proto__: { x: 1 }\n", '__proto__', line=2)
case('yaml-alias-bomb', None, 'alias bomb', generate='alias-bomb')
case('yaml-deep-flow', None, 'nested too deeply', line=1, generate='deep-flow')
case('yaml-deep-block', None, 'nested too deeply', generate='deep-block')
case('yaml-huge-file', None, 'file too large', line=1, generate='huge')
case('yaml-non-utf8', None, 'invalid UTF-8 byte 0xff', line=3, generate='non-utf8')
case('yaml-truncated-utf8', None, 'truncated UTF-8', line=2, generate='truncated-utf8')
case('yaml-latin1', None, 'invalid UTF-8 byte 0xe9', line=2, generate='latin1')

# --- playbook shape
case('empty-playbook', "", 'the playbook is empty', line=1)
case('comment-only-playbook', "# nothing here\n", 'the playbook is empty', line=1)
case('empty-list-playbook', "[]\n", 'the playbook is empty', line=1)
case('playbook-is-map', "hosts: all\ntasks: []\n", 'a playbook must be a list of plays', line=1)
case('playbook-is-scalar', "hello\n", 'a playbook must be a list of plays', line=1)
case('play-is-string', "- all\n", 'a play must be a map', line=1)
case('play-without-hosts', "- name: setup\n  tasks: []\n", 'has no "hosts"', line=1)
case('play-hosts-empty', "- hosts: ''\n  tasks: []\n", '"hosts" must name hosts or groups', line=1)
case('play-hosts-map', "- hosts: { a: 1 }\n  tasks: []\n", '"hosts" must be a string or a list of strings', line=1)
case('unknown-play-keyword', "- hosts: all\n  tsks: []\n", 'unknown play keyword "tsks" (did you mean "tasks"?)', line=2)
case('module-at-play-level', "- hosts: all\n  apt: { name: git }\n", 'belongs to a task', line=2)
case('play-when', "- hosts: all\n  when: x\n  tasks: []\n", 'a play cannot have "when"', line=2)
case('play-become-not-bool', "- hosts: all\n  become: perhaps\n  tasks: []\n", '"become" must be true or false', line=2)
case('play-gather-facts-bad', "- hosts: all\n  gather_facts: [yes]\n  tasks: []\n", '"gather_facts" must be true or false', line=2)
case('play-strategy-bad', "- hosts: all\n  strategy: fre\n  tasks: []\n", 'did you mean "free"', line=2)
case('play-serial-zero', "- hosts: all\n  serial: 0\n  tasks: []\n", '"serial" must be a whole number', line=2)
case('play-vars-list', "- hosts: all\n  vars: [a, b]\n  tasks: []\n", '"vars" must be a map', line=2)
case('play-environment-list', "- hosts: all\n  environment: [A=1]\n  tasks: []\n", '"environment" must be a map', line=2)

# --- tasks
case('tasks-not-list', "- hosts: all\n  tasks:\n    debug: { msg: x }\n", '"tasks" must be a list of tasks', line=3)
case('task-is-string', P("    - debug msg=x\n"), 'a task must be a map', line=3)
case('unknown-module', P("    - atp: { name: git }\n"), 'unknown task keyword or module "atp" (did you mean "apt"?)', line=3)
case('unknown-module-fqcn', P("    - name: x\n      ansible.builtin.aptt: { name: git }\n"), 'did you mean "ansible.builtin.apt"?', line=4)
case('unknown-task-keyword', P("    - apt: { name: git }\n      notfy: x\n"), 'did you mean "notify"?', line=4)
case('two-modules', P("    - apt: { name: git }\n      copy: { dest: /x, content: y }\n"), 'a task must call exactly one module, found 2', line=4)
case('no-module', P("    - name: does nothing\n      when: true\n"), 'has no module', line=3)
case('rescue-without-block', P("    - rescue:\n        - debug: { msg: x }\n"), '"rescue" needs a "block"', line=3)
case('block-with-module', P("    - block:\n        - debug: { msg: x }\n      command: ls\n"), 'unknown block keyword "command"', line=5)
case('block-not-list', P("    - block: { debug: { msg: x } }\n"), '"block" must be a list of tasks', line=3)
case('handler-without-name', "- hosts: all\n  tasks: []\n  handlers:\n    - debug: { msg: x }\n", 'a handler needs a "name"', line=4)
case('listen-in-task', P("    - debug: { msg: x }\n      listen: y\n"), '"listen" is only valid in handlers', line=4)
case('notify-missing-handler', "- hosts: all\n  tasks:\n    - command: /bin/true\n      notify: restart ngnix\n  handlers:\n    - name: restart nginx\n      command: /bin/true\n",
     'notify "restart ngnix" matches no handler (did you mean "restart nginx"?)', line=4)
case('notify-no-handlers', P("    - command: /bin/true\n      notify: [reload]\n"), 'this play has no handlers', line=4)
case('register-bad-name', P("    - command: /bin/true\n      register: my-result\n"), '"register" must be a variable name', line=4)
case('loop-not-list', P("    - debug: { msg: x }\n      loop: { a: 1 }\n"), '"loop" must be a list or a template string', line=4)
case('loop-control-unknown', P("    - debug: { msg: x }\n      loop: [1, 2]\n      loop_control:\n        loop_vr: n\n"), 'did you mean "loop_var"?', line=6)
case('loop-control-without-loop', P("    - debug: { msg: x }\n      loop_control: { loop_var: n }\n"), '"loop_control" without a "loop"', line=4)
case('loop-and-with-items', P("    - debug: { msg: x }\n      loop: [1]\n      with_items: [2]\n"), 'not several', line=5)
case('retries-without-until', P("    - command: /bin/true\n      retries: 3\n"), 'need an "until"', line=4)
case('async-template', P("    - command: /bin/true\n      async: \"{{ t }}\"\n"), 'not a template', line=4)
case('timeout-zero', P("    - command: /bin/true\n      timeout: 0\n"), '"timeout" must be a whole number', line=4)
case('when-map', P("    - debug: { msg: x }\n      when: { a: 1 }\n"), '"when" must be a condition', line=4)
case('tags-map', P("    - debug: { msg: x }\n      tags: { a: 1 }\n"), '"tags" must be a string or a list of strings', line=4)
case('become-user-list', P("    - command: id\n      become_user: [a]\n"), '"become_user" must be a string', line=4)

# --- includes, imports, vars files, roles
case('include-missing', P("    - import_tasks: tasks/nothere.yml\n"), 'file not found: tasks/nothere.yml', line=3)
case('include-cycle', P("    - import_tasks: a.yml\n"), 'include cycle', file='b.yml', line=2,
     files={'a.yml': "- import_tasks: b.yml\n", 'b.yml': "- debug: { msg: b }\n- include_tasks: a.yml\n"})
case('include-self', P("    - import_tasks: playbook.yml\n"), 'include cycle', line=3)
case('include-templated', P("    - include_tasks: \"{{ which }}.yml\"\n"), 'cannot be templated', line=3)
case('include-error-inside', P("    - import_tasks: inc.yml\n"), 'unknown task keyword or module "cmd"', file='inc.yml', line=2,
     files={'inc.yml': "- debug: { msg: ok }\n- cmd: ls\n"})
case('import-playbook-missing', "- import_playbook: other.yml\n", 'import_playbook: file not found', line=1)
case('import-playbook-cycle', "- import_playbook: other.yml\n", 'import_playbook cycle', file='other.yml', line=1,
     files={'other.yml': "- import_playbook: playbook.yml\n"})
case('vars-files-missing', "- hosts: all\n  vars_files:\n    - vars/nope.yml\n  tasks: []\n", 'vars file not found: vars/nope.yml', line=3)
case('vars-files-not-map', "- hosts: all\n  vars_files: [vars.yml]\n  tasks: []\n", 'a vars file must be a map of variables', file='vars.yml', line=1,
     files={'vars.yml': "- a\n- b\n"})
case('vars-files-syntax', "- hosts: all\n  vars_files: [vars.yml]\n  tasks: []\n", 'YAML syntax error', file='vars.yml', line=3,
     files={'vars.yml': "a: 1\nb: [2\n"})
case('vars-files-duplicate', "- hosts: all\n  vars_files: [vars.yml]\n  tasks: []\n", 'unique', file='vars.yml', line=3,
     files={'vars.yml': "a: 1\nb: 2\na: 3\n"})
case('vars-files-templated', "- hosts: all\n  vars_files: [\"vars/{{ env }}.yml\"]\n  tasks: []\n", 'cannot be templated', line=2)
case('vars-files-non-utf8', "- hosts: all\n  vars_files: [vars.yml]\n  tasks: []\n", 'invalid UTF-8', file='vars.yml', line=2, generate='vars-non-utf8')
case('role-missing', "- hosts: all\n  roles: [ngnix]\n", 'role "ngnix" not found', line=2,
     files={'roles/nginx/tasks/main.yml': "- debug: { msg: x }\n"})
case('role-near-miss', "- hosts: all\n  roles:\n    - role: ngnix\n", 'did you mean "nginx"?', line=3,
     files={'roles/nginx/tasks/main.yml': "- debug: { msg: x }\n"})
case('role-empty', "- hosts: all\n  roles: [empty]\n", 'has none of tasks/main.yml', line=2, files={'roles/empty/README.md': "nothing\n"})
case('role-bad-entry', "- hosts: all\n  roles: [42]\n", 'a role must be a name or a map', line=2)
case('role-entry-list', "- hosts: all\n  roles:\n    - [a, b]\n", 'a role must be a name or a map', line=3)
case('role-unknown-key', "- hosts: all\n  roles:\n    - role: web\n      tgas: [x]\n", 'unknown role keyword "tgas"', line=4,
     files={'roles/web/tasks/main.yml': "- debug: { msg: x }\n"})
case('role-defaults-not-map', "- hosts: all\n  roles: [web]\n", 'must be a map of variables', file='roles/web/defaults/main.yml', line=1,
     files={'roles/web/defaults/main.yml': "- port\n", 'roles/web/tasks/main.yml': "- debug: { msg: x }\n"})
case('role-task-error', "- hosts: all\n  roles: [web]\n", 'unknown argument "nmae" for module apt', file='roles/web/tasks/main.yml', line=2,
     files={'roles/web/tasks/main.yml': "- apt:\n    nmae: git\n"})
case('role-dependency-cycle', "- hosts: all\n  roles: [a]\n", 'role dependency cycle', file='roles/b/meta/main.yml', line=1,
     files={'roles/a/meta/main.yml': "dependencies: [b]\n", 'roles/a/tasks/main.yml': "- debug: { msg: a }\n",
            'roles/b/meta/main.yml': "dependencies: [a]\n", 'roles/b/tasks/main.yml': "- debug: { msg: b }\n"})
case('role-handler-notify-missing', "- hosts: all\n  roles: [web]\n", 'matches no handler', file='roles/web/tasks/main.yml', line=2,
     files={'roles/web/tasks/main.yml': "- command: /bin/true\n  notify: reload web\n", 'roles/web/handlers/main.yml': "- name: restart web\n  command: /bin/true\n"})

# --- module arguments
case('arg-unknown', P("    - apt:\n        nmae: git\n"), 'unknown argument "nmae" for module apt (did you mean "name"?)', line=4)
case('arg-missing-required', P("    - copy:\n        content: hello\n"), 'missing required argument "dest" for module copy', line=3)
case('arg-enum', P("    - apt: { name: git, state: prsent }\n"), 'did you mean "present"?', line=3)
case('arg-bool', P("    - apt:\n        name: git\n        update_cache: perhaps\n"), 'argument "update_cache" of apt must be true or false', line=5)
case('arg-int', P("    - apt:\n        name: git\n        cache_valid_time: an hour\n"), 'argument "cache_valid_time" of apt', line=5)
case('arg-wrong-shape', P("    - apt:\n        name: { git: 1 }\n"), 'argument "name" of apt must be', line=4)
case('args-a-list', P("    - apt: [git]\n"), 'arguments of apt must be a map, found a list', line=3)
case('args-bad-key-value', P("    - apt: git please\n"), 'must be a map or key=value pairs', line=3)
case('args-keyword-not-map', P("    - command: ls\n      args: [chdir=/tmp]\n"), '"args" must be a map', line=4)
case('debug-unknown-arg', P("    - debug: { mgs: hi }\n"), 'did you mean "msg"?', line=3)
case('file-bad-state', P("    - file: { path: /tmp/x, state: dir }\n"), 'argument "state" of file must be one of', line=3)
case('many-errors-at-once', P("    - apt: { nmae: git }\n    - copy: { content: x }\n    - atp: { name: x }\n", "  tsks: []\n"),
     'unknown argument "nmae"', line=4)

# --- expressions and templates
case('when-syntax', P("    - debug: { msg: x }\n      when: x ==\n"), 'invalid expression in when', line=4)
case('when-unclosed-paren', P("    - debug: { msg: x }\n      when: (a and b\n"), 'invalid expression in when', line=4)
case('when-list-item-bad', P("    - debug: { msg: x }\n      when:\n        - true\n        - a = b\n"), 'invalid expression in when', line=6)
case('changed-when-bad', P("    - command: /bin/true\n      register: r\n      changed_when: r.rc ==== 0\n"), 'invalid expression in changed_when', line=5)
case('failed-when-bad', P("    - command: /bin/true\n      register: r\n      failed_when: \"'x' in\"\n"), 'invalid expression in failed_when', line=5)
case('until-bad', P("    - command: /bin/true\n      register: r\n      until: r.rc is\n      retries: 2\n"), 'invalid expression in until', line=5)
case('template-unclosed', P("    - debug:\n        msg: \"{{ x \"\n"), 'invalid template', line=4)
case('template-in-name', P("    - name: \"{{ }}\"\n      debug: { msg: x }\n"), 'invalid template', line=3)
case('template-in-play-vars', "- hosts: all\n  vars:\n    a: \"{{ b +* c }}\"\n  tasks: []\n", 'invalid template', line=3)
case('template-in-loop', P("    - debug: { msg: x }\n      loop: \"{{ items | }}\"\n"), 'invalid template', line=4)

# --- undefined variables
case('undefined-var-args', P("    - debug: { msg: \"{{ nothing_here }}\" }\n"), 'undefined variable "nothing_here"', line=3)
case('undefined-var-when', P("    - debug: { msg: x }\n      when: mystery_flag == 'on'\n"), 'undefined variable "mystery_flag"', line=4)
case('undefined-var-loop', P("    - debug: { msg: \"{{ item }}\" }\n      loop: \"{{ pkgs }}\"\n"), 'undefined variable "pkgs"', line=4)
case('undefined-var-near-miss', P("    - debug: { msg: \"{{ hydra_prot }}\" }\n", "  vars: { hydra_port: 3000 }\n"), 'did you mean "hydra_port"?', line=4)
case('undefined-var-play-vars', "- hosts: all\n  vars:\n    url: \"http://{{ server_name }}/\"\n  tasks: []\n", 'undefined variable "server_name"', line=3)
case('undefined-var-in-include', P("    - import_tasks: inc.yml\n"), 'undefined variable "ghost"', file='inc.yml', line=1,
     files={'inc.yml': "- command: echo {{ ghost }}\n"})

# --- inventory
INV = lambda text: {'inventory/hosts.yml': text}
INI = lambda text: {'inventory/hosts.ini': text}
OK = "- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: { msg: hi }\n"
case('inv-range-reversed', OK, 'range', file='inventory/hosts.ini', line=2, files=INI("[pis]\npi[10:01] ansible_host=127.0.0.1 ansible_port=__PORT__\n"))
case('inv-range-open', OK, 'range', file='inventory/hosts.ini', line=2, files=INI("[pis]\npi[a:] ansible_host=127.0.0.1 ansible_port=__PORT__\n"))
case('inv-range-yaml', OK, 'range', file='inventory/hosts.yml', line=4, files=INV("all:\n  children:\n    pis:\n      hosts:\n        pi[9:x]: { ansible_host: 127.0.0.1, ansible_port: __PORT__ }\n".replace("      hosts:\n        pi", "      hosts:\n        pi")))
case('inv-circular-children', OK, 'circular', file='inventory/hosts.yml', line=1, files=INV(
    "all:\n  hosts:\n    t1: { ansible_host: 127.0.0.1, ansible_port: __PORT__ }\n  children:\n    a:\n      children:\n        b:\n          children:\n            a: {}\n"))
case('inv-circular-children-ini', OK, 'circular', file='inventory/hosts.ini', line=1, files=INI(
    "t1 ansible_host=127.0.0.1 ansible_port=__PORT__\n[a:children]\nb\n[b:children]\na\n"))
case('inv-not-map', OK, 'map', file='inventory/hosts.yml', line=1, files=INV("- t1\n- t2\n"))
case('inv-hosts-list', OK, 'hosts', file='inventory/hosts.yml', line=3, files=INV("all:\n  hosts:\n    - t1\n"))
case('inv-vars-list', OK, 'vars', file='inventory/hosts.yml', line=5, files=INV(
    "all:\n  hosts:\n    t1: { ansible_host: 127.0.0.1, ansible_port: __PORT__ }\n  vars:\n    - a\n"))
case('inv-yaml-syntax', OK, 'YAML', file='inventory/hosts.yml', line=3, files=INV(
    "all:\n  hosts:\n    t1: { ansible_host: 127.0.0.1, ansible_port: __PORT__\n"))
case('inv-duplicate-key', OK, 'unique', file='inventory/hosts.yml', line=4, files=INV(
    "all:\n  hosts:\n    t1: { ansible_host: 127.0.0.1, ansible_port: __PORT__ }\n    t1: {}\n"))
case('inv-group-vars-not-map', OK, 'map', file='inventory/group_vars/all.yml', line=1, files={
    'inventory/hosts.yml': "all:\n  hosts:\n    t1: { ansible_host: 127.0.0.1, ansible_port: __PORT__ }\n", 'inventory/group_vars/all.yml': "- a\n- b\n"})
case('inv-ini-unclosed-section', OK, 'hosts.ini', file='inventory/hosts.ini', line=2, files=INI(
    "t1 ansible_host=127.0.0.1 ansible_port=__PORT__\n[pis\npi1\n"))
case('inv-ini-bad-var', OK, 'hosts.ini', file='inventory/hosts.ini', line=1, files=INI(
    "t1 ansible_host=127.0.0.1 ansible_port=__PORT__ =broken\n"))
case('inv-non-utf8', OK, 'invalid UTF-8', file='inventory/hosts.yml', line=2, generate='inv-non-utf8')

# --- command line
case('cli-unknown-option', OK, 'unknown option', file=None, line=None, args=['run', 'playbook.yml', '-i', 'inventory', '--frobnicate'])
case('cli-missing-playbook-arg', OK, 'missing required argument', file=None, line=None, args=['run', '-i', 'inventory'])
case('cli-forks-zero', OK, '--forks', file=None, line=None, args=['run', 'playbook.yml', '-i', 'inventory', '--forks', '0'])
case('cli-playbook-not-found', OK, 'playbook not found', file='nothere.yml', line=1, args=['run', 'nothere.yml', '-i', 'inventory'])
case('cli-inventory-not-found', OK, 'inventory not found', file='noinv', line=1, args=['run', 'playbook.yml', '-i', 'noinv'])
case('cli-extra-vars-bad', OK, '-e expects key=value', file=None, line=None, args=['run', 'playbook.yml', '-i', 'inventory', '-e', 'novalue'])
case('cli-extra-vars-file-missing', OK, 'extra vars file not found', file=None, line=None, args=['run', 'playbook.yml', '-i', 'inventory', '-e', '@nothere.yml'])
case('cli-extra-vars-bad-json', OK, 'not valid JSON', file=None, line=None, args=['run', 'playbook.yml', '-i', 'inventory', '-e', '{"a": '])
case('cli-unknown-command', OK, 'unknown command', file=None, line=None, args=['runn', 'playbook.yml'])
case('cli-validate-bad-playbook', "- hosts: all\n  tasks:\n    - atp: { name: git }\n", 'did you mean "apt"?', line=3, args=['validate', 'playbook.yml', '-i', 'inventory'])

if os.path.exists(ROOT): shutil.rmtree(ROOT)
for name, c in cases.items():
    d = os.path.join(ROOT, name)
    os.makedirs(d)
    if c['playbook'] is not None:
        open(os.path.join(d, 'playbook.yml'), 'w').write(c['playbook'])
    for p, t in c['files'].items():
        os.makedirs(os.path.dirname(os.path.join(d, p)), exist_ok=True)
        open(os.path.join(d, p), 'w').write(t)
    meta = {}
    if c['args']: meta['args'] = c['args']
    meta['message'] = c['message']
    meta['file'] = c['file']
    meta['line'] = c['line']
    if c['generate']: meta['generate'] = c['generate']
    open(os.path.join(d, 'case.json'), 'w').write(json.dumps(meta) + '\n')
print(len(cases))
