/** loadPlaybook: the AST it builds, and every kind of mistake reported with its position, all at once. */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Block, Task } from '../../engine/ast.js'
import { UserError } from '../../engine/errors.js'
import { loadPlaybook } from '../../engine/load/playbook.js'
import { fixtureModules } from './fixtures.js'
import { load, loadErrors, tree } from './helpers.js'

const T = (s: string) => s.replace(/^\n/, '')

describe('loadPlaybook builds the AST', () => {
  it('reads plays, tasks, free-form and key=value args, ansible.builtin names, blocks and handlers', async () => {
    const pb = await load({
      'playbook.yml': T(`
- name: setup
  hosts: [web, db]
  become: yes
  gather_facts: no
  vars: { pkg: git }
  tasks:
    - name: list
      command: ls -l chdir=/tmp
    - ansible.builtin.apt: name={{ pkg }} state=latest
      notify: again
    - block:
        - debug: { msg: hi }
      rescue:
        - debug: { var: pkg }
      when: pkg is defined
      tags: a,b
  handlers:
    - name: again
      command: /bin/true
`),
    })
    expect(pb.plays).toHaveLength(1)
    const play = pb.plays[0]
    expect(play).toMatchObject({
      hosts: 'web,db',
      become: true,
      gatherFacts: false,
      vars: { pkg: 'git' },
      strategy: 'linear',
    })
    const [cmd, apt, block] = play.tasks as [Task, Task, Block]
    expect(cmd).toMatchObject({
      kind: 'task',
      module: 'command',
      name: 'list',
      args: { cmd: 'ls -l', chdir: '/tmp' },
      loopVar: 'item',
    })
    expect(cmd.pos).toMatchObject({ line: 7, col: 7 })
    expect(cmd.argsPos).toMatchObject({ line: 8, col: 7 })
    expect(apt).toMatchObject({ module: 'apt', args: { name: '{{ pkg }}', state: 'latest' }, notify: ['again'] })
    expect(block).toMatchObject({ kind: 'block', when: ['pkg is defined'], tags: ['a', 'b'] })
    expect(block.block[0]).toMatchObject({ module: 'debug', args: { msg: 'hi' } })
    expect(block.rescue[0]).toMatchObject({ module: 'debug', args: { var: 'pkg' } })
    expect(play.handlers[0]).toMatchObject({ name: 'again', listen: ['again'], module: 'command' })
  })

  it('orders pre_tasks, roles, tasks, post_tasks and expands roles', async () => {
    const pb = await load({
      'playbook.yml': T(`
- hosts: all
  post_tasks: [{ debug: { msg: post } }]
  tasks: [{ debug: { msg: task } }]
  roles:
    - { role: web, tags: [w], when: enable_web, vars: { port: 8080 } }
  pre_tasks: [{ debug: { msg: pre } }]
  handlers: [{ name: h, debug: { msg: h } }]
`),
      'roles/web/tasks/main.yml': '- template: { src: site.conf, dest: /etc/site.conf }\n  notify: reload web\n',
      'roles/web/handlers/main.yml': '- name: reload web\n  debug: { msg: reload }\n',
      'roles/web/defaults/main.yml': 'port: 80\nroot: /srv\n',
      'roles/web/vars/main.yml': 'user: www\n',
      'roles/web/templates/site.conf': 'port {{ port }}\n',
    })
    const play = pb.plays[0]
    const msgs = play.tasks.map((t) => (t as Task).args.msg ?? (t as Task).module)
    expect(msgs).toEqual(['pre', 'template', 'task', 'post'])
    const role = play.tasks[1] as Task
    expect(role).toMatchObject({ role: 'web', when: ['enable_web'], tags: ['w'], vars: { port: 8080 } })
    const rd = join(pb.dir, 'roles/web')
    expect(role.searchPaths).toEqual([rd, join(rd, 'tasks'), pb.dir]) // Ansible's: role, task file's folder, play's
    expect(play.roleDefaults).toEqual({ port: 80, root: '/srv' })
    expect(play.roleVars).toEqual({ user: 'www' })
    expect(play.handlers.map((h) => h.name)).toEqual(['reload web', 'h'])
  })

  it("reads a role's parts as Ansible: main.yml, .yaml, .json, main; defaults/ and vars/ may be folders", async () => {
    const pb = await load({
      'playbook.yml': '- hosts: all\n  roles: [a, b]\n',
      'roles/a/tasks/main': '- debug: { msg: a }\n',
      'roles/a/defaults/main/10.yml': 'x: 1\ny: 1\n',
      'roles/a/defaults/main/20/more.yaml': 'y: 2\n',
      'roles/a/defaults/main/30.txt': 'ignored: 1\n',
      'roles/a/vars/main.json': '{"v": 1}',
      'roles/b/tasks/main.yml': '- debug: { msg: b }\n',
      'roles/b/defaults/main.yml': 'z: 1\n',
      'roles/b/defaults/main/hidden.yml': 'z: 2\nw: 2\n',
    })
    const play = pb.plays[0]
    expect(play.tasks.map((t) => (t as Task).args.msg)).toEqual(['a', 'b'])
    expect(play.roleDefaults).toEqual({ x: 1, y: 2, z: 1 })
    expect(play.roleVars).toEqual({ v: 1 })
  })

  it("renders a templated handler name with the play's vars; one it cannot render makes a miss a warning", async () => {
    const book = (vars: string) =>
      `- hosts: all\n${vars}  tasks:\n    - debug: { msg: x }\n      notify: restart web\n` +
      '  handlers:\n    - name: "restart {{ svc }}"\n      debug: { msg: r }\n'
    const pb = await load({ 'playbook.yml': book('  vars: { svc: web }\n') })
    expect(pb.plays[0].handlers[0]).toMatchObject({ name: 'restart {{ svc }}', notifyName: 'restart web' })
    const warnings: UserError[] = []
    const later = tree({ 'playbook.yml': book('') }) // svc only from the inventory, at run time
    await loadPlaybook(join(later, 'playbook.yml'), { modules: fixtureModules(), warnings })
    expect(warnings.map((w) => w.message)).toEqual(['notify "restart web" matches no handler (by name yet)'])
  })

  it('expands import_tasks relative to the including file, applying when/tags/vars', async () => {
    const pb = await load({
      'playbook.yml':
        '- hosts: all\n  tasks:\n    - import_tasks: parts/a.yml\n      when: x == 1\n      tags: [t]\n     ' +
        ' vars: { v: 1 }\n',
      'parts/a.yml': '- debug: { msg: a }\n  when: y\n- include_tasks: b.yml\n',
      'parts/b.yml': '- debug: { msg: b }\n',
    })
    const [a, inc] = pb.plays[0].tasks as [Task, Block]
    expect(a).toMatchObject({ args: { msg: 'a' }, when: ['x == 1', 'y'], tags: ['t'], vars: { v: 1 } })
    // include_tasks is dynamic: a block whose include task runs first; what the import gives applies to the block
    expect(inc).toMatchObject({
      kind: 'block',
      when: ['x == 1'],
      tags: ['t'],
      include: { module: 'include_tasks', args: { file: 'b.yml' } },
    })
    const b = inc.block[0] as Task
    expect(b).toMatchObject({ args: { msg: 'b' }, when: [], tags: [] })
    expect(b.pos.file).toBe(join(pb.dir, 'parts/b.yml'))
  })

  it('loads vars_files relative to the playbook, later files winning', async () => {
    const pb = await load({
      'playbook.yml': '- hosts: all\n  vars_files: [vars/a.yml, vars/b.yml]\n  tasks: []\n',
      'vars/a.yml': 'x: 1\ny: 1\n',
      'vars/b.yml': 'y: 2\n',
    })
    expect(pb.plays[0].varsFiles).toEqual({ x: 1, y: 2 })
  })

  it('skips type checks for templated values, but still checks the others', async () => {
    expect(
      await loadErrors({
        'playbook.yml':
          '- hosts: all\n  tasks:\n    - apt: { name: git, update_cache: "{{ refresh }}", cache_valid_time: ' +
          '"{{ t }}", state: "{{ s }}" }\n',
      }),
    ).toEqual([])
    expect(
      await loadErrors({
        'playbook.yml':
          '- hosts: all\n  tasks:\n    - apt: { name: git, update_cache: "{{ refresh }}", cache_valid_time: soon }\n',
      }),
    ).toEqual(['playbook.yml:3:74 argument "cache_valid_time" of apt must be a whole number, found string "soon"'])
  })

  it('coerces Ansible-style booleans and numbers in module args at validation', async () => {
    expect(
      await loadErrors({
        'playbook.yml': '- hosts: all\n  tasks:\n    - apt: name=git update_cache=yes cache_valid_time=3600\n',
      }),
    ).toEqual([])
  })
})

describe('loadPlaybook reports mistakes with positions', () => {
  it.each([
    ['empty playbook', '', /playbook.yml:1:1 the playbook is empty/],
    ['not a list', 'hosts: all\ntasks: []\n', /playbook.yml:1:1 a playbook must be a list of plays.*"- hosts/],
    ['play not a map', '- just a string\n', /1:3 a play must be a map/],
    ['play without hosts', '- name: x\n  tasks: []\n', /1:3 play "x" has no "hosts"/],
    [
      'unknown play keyword',
      '- hosts: all\n  taks: []\n',
      /2:3 unknown play keyword "taks" \(did you mean "tags" or "tasks"\?\)/,
    ],
    [
      'module at play level',
      '- hosts: all\n  apt: { name: git }\n',
      /2:3 unknown play keyword "apt" .*belongs to a task/,
    ],
    [
      'unknown module',
      '- hosts: all\n  tasks:\n    - atp: { name: git }\n',
      /3:7 unknown task keyword or module "atp" \(did you mean "apt"/,
    ],
    [
      'unknown task keyword',
      '- hosts: all\n  tasks:\n    - apt: { name: git }\n      notfy: x\n',
      /4:7 unknown task keyword or module "notfy" \(did you mean "notify"/,
    ],
    [
      'two modules',
      '- hosts: all\n  tasks:\n    - apt: { name: git }\n      command: ls\n',
      /4:7 a task must call exactly one module, found 2/,
    ],
    ['no module', '- hosts: all\n  tasks:\n    - name: nothing\n      when: x\n', /3:7 task "nothing" has no module/],
    [
      'unknown argument',
      '- hosts: all\n  tasks:\n    - apt:\n        nmae: git\n',
      /4:9 unknown argument "nmae" for module apt \(did you mean "name"\?\)/,
    ],
    [
      'missing required argument',
      '- hosts: all\n  tasks:\n    - copy: { content: x }\n',
      /3:7 missing required argument "dest" for module copy/,
    ],
    [
      'wrong enum',
      '- hosts: all\n  tasks:\n    - apt: { name: git, state: prsent }\n',
      new RegExp(
        /3:32 argument "state" of apt must be one of "present", "absent", "latest", /.source +
          /found string "prsent" \(did you mean "present"\?\)/.source,
      ),
    ],
    [
      'wrong type',
      '- hosts: all\n  tasks:\n    - apt: { name: git, update_cache: maybe }\n',
      /3:39 argument "update_cache" of apt must be true or false/,
    ],
    [
      'wrong union type',
      '- hosts: all\n  tasks:\n    - apt: { name: { a: 1 } }\n',
      /3:20 argument "name" of apt must be a string or a list of strings, found a map/,
    ],
    ['secret value hidden', '- hosts: all\n  tasks:\n    - copy: { dest: /x, password: [hunter2] }\n', /found a list/],
    [
      'bad key=value',
      '- hosts: all\n  tasks:\n    - apt: git please\n',
      /3:12 arguments of apt must be a map or key=value pairs/,
    ],
    [
      'unclosed block in key=value',
      '- hosts: all\n  tasks:\n    - apt: name={{ pkg state=present\n',
      /3:12 arguments of apt must be a map or key=value pairs: unclosed "\{\{" \(character 6 of the string\)/,
    ],
    [
      'unclosed quote in a free-form string',
      "- hosts: all\n  tasks:\n    - command: echo it's\n",
      /3:16 the arguments of command cannot be split into words: unterminated single quote \(character 8 of/,
    ],
    ['args a list', '- hosts: all\n  tasks:\n    - apt: [git]\n', /3:12 arguments of apt must be a map, found a list/],
    [
      'bad when',
      '- hosts: all\n  tasks:\n    - debug: { msg: x }\n      when: x ==\n',
      /4:13 invalid expression in when/,
    ],
    [
      'bad changed_when list item',
      '- hosts: all\n  tasks:\n    - debug: { msg: x }\n      changed_when: [ok, "a and"]\n',
      /4:26 invalid expression in changed_when/,
    ],
    [
      'tags wrong type',
      '- hosts: all\n  tasks:\n    - debug: { msg: x }\n      tags: { a: 1 }\n',
      /4:13 "tags" must be a string or a list of strings, found a map/,
    ],
    [
      'become not a boolean',
      '- hosts: all\n  become: maybe\n  tasks: []\n',
      /2:11 "become" must be true or false, found string "maybe"/,
    ],
    [
      'register not a name',
      '- hosts: all\n  tasks:\n    - debug: { msg: x }\n      register: my-result\n',
      /4:17 "register" must be a variable name/,
    ],
    [
      'loop not a list',
      '- hosts: all\n  tasks:\n    - debug: { msg: x }\n      loop: { a: 1 }\n',
      /4:13 "loop" must be a list or a template string/,
    ],
    [
      'loop_control unknown key',
      '- hosts: all\n  tasks:\n    - debug: { msg: x }\n      loop: [1]\n      loop_control: { loop_vra: y }\n',
      /5:23 unknown loop_control keyword "loop_vra" \(did you mean "loop_var"\?\)/,
    ],
    [
      'notify without handler',
      '- hosts: all\n  tasks:\n    - debug: { msg: x }\n      notify: restart ngnix\n  handlers:\n    - ' +
        'name: restart nginx\n      debug: { msg: r }\n',
      /4:15 notify "restart ngnix" matches no handler \(did you mean "restart nginx"\?\)/,
    ],
    [
      'listen in a task',
      '- hosts: all\n  tasks:\n    - debug: { msg: r }\n      listen: x\n',
      /4:7 "listen" is only valid in handlers/,
    ],
    ['rescue without block', '- hosts: all\n  tasks:\n    - rescue: []\n', /3:7 "rescue" needs a "block"/],
    [
      'block with module',
      '- hosts: all\n  tasks:\n    - block: []\n      apt: { name: git }\n',
      /4:7 unknown block keyword "apt"/,
    ],
    [
      'tasks not a list',
      '- hosts: all\n  tasks:\n    debug: { msg: x }\n',
      /3:5 "tasks" must be a list of tasks, found a map \(start each task with "- "\)/,
    ],
    ['strategy', '- hosts: all\n  strategy: fre\n', /2:13 "strategy" must be "linear" or "free".*did you mean "free"/],
    ['serial', '- hosts: all\n  serial: [1, many]\n', /2:15 "serial" must be a whole number, a percentage/],
    ['play when', '- hosts: all\n  when: x\n', /2:3 a play cannot have "when"/],
    ['bad template', '- hosts: all\n  tasks:\n    - debug: { msg: "{{ x " }\n', /3:21 invalid template in "debug".msg/],
    ['vars not a map', '- hosts: all\n  vars: [a, b]\n', /2:9 "vars" must be a map/],
    ['vars_files missing', '- hosts: all\n  vars_files: [nope.yml]\n', /2:16 vars file not found: nope.yml/],
    ['include missing', '- hosts: all\n  tasks:\n    - import_tasks: nope.yml\n', /3:21 import_tasks: file not found/],
    ['role missing', '- hosts: all\n  roles: [nope]\n', /2:11 role "nope" not found/],
  ])('%s', async (_name, yaml, re) => {
    const errors = await loadErrors({ 'playbook.yml': yaml })
    expect(errors.length).toBeGreaterThan(0)
    expect(errors.join('\n')).toMatch(re)
  })

  it('reports all errors of a playbook at once, in file order', async () => {
    const errors = await loadErrors({
      'playbook.yml': T(`
- hosts: all
  taks: []
  tasks:
    - apt: { nmae: git }
    - copy: { content: x }
    - debug: { msg: x }
      when: "a =="
- name: second
  tasks: []
`),
    })
    expect(errors.map((e) => e.split(' ')[0])).toEqual([
      'playbook.yml:2:3',
      'playbook.yml:4:7',
      'playbook.yml:4:14',
      'playbook.yml:5:7',
      'playbook.yml:7:13',
      'playbook.yml:8:3',
    ])
  })

  it('names the included file in errors inside it', async () => {
    const errors = await loadErrors({
      'playbook.yml': '- hosts: all\n  tasks:\n    - import_tasks: inc.yml\n',
      'inc.yml': '- debug: { msg: ok }\n- atp: { name: x }\n',
    })
    expect(errors).toEqual(['inc.yml:2:3 unknown task keyword or module "atp" (did you mean "apt"?)'])
  })

  it('refuses include cycles', async () => {
    const errors = await loadErrors({
      'playbook.yml': '- hosts: all\n  tasks:\n    - import_tasks: a.yml\n',
      'a.yml': '- import_tasks: b.yml\n',
      'b.yml': '- debug: { msg: x }\n- import_tasks: a.yml\n',
    })
    expect(errors).toEqual(['b.yml:2:17 include cycle: a.yml → b.yml → a.yml'])
  })

  it('suggests an existing role for a near miss', async () => {
    const errors = await loadErrors({
      'playbook.yml': '- hosts: all\n  roles: [ngix, empty]\n',
      'roles/nginx/tasks/main.yml': '- debug: { msg: x }\n',
      'roles/empty/README': 'nothing here\n',
    })
    expect(errors).toEqual([
      expect.stringMatching(
        /^playbook\.yml:2:11 role "ngix" not found \(looked in roles\/ngix, .*, ngix\) \(did you mean "nginx"\?\)$/,
      ),
    ])
  })

  it('warns about an empty role, which Ansible runs (it does nothing)', async () => {
    const dir = tree({ 'playbook.yml': '- hosts: all\n  roles: [empty]\n', 'roles/empty/README': 'nothing\n' })
    const warnings: UserError[] = []
    const pb = await loadPlaybook(join(dir, 'playbook.yml'), { modules: fixtureModules(), warnings })
    expect(pb.plays[0].tasks).toEqual([])
    expect(warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/role "empty" has none of .*: it does nothing/),
    ])
  })

  it("reports errors inside role files with the role file's position", async () => {
    const errors = await loadErrors({
      'playbook.yml': '- hosts: all\n  roles: [web]\n',
      'roles/web/tasks/main.yml': '- apt: { name: git, state: gone }\n',
      'roles/web/defaults/main.yml': '- not a map\n',
    })
    expect(errors).toEqual([
      'main.yml:1:1 roles/web/defaults/main.yml must be a map of variables, found a list',
      'main.yml:1:28 argument "state" of apt must be one of "present", "absent", "latest", found string "gone"',
    ])
  })

  it('reports YAML syntax errors of the playbook itself', async () => {
    expect(await loadErrors({ 'playbook.yml': '- hosts: all\n  tasks: [\n' })).toEqual([
      expect.stringMatching(/^playbook.yml:\d+:\d+ YAML syntax error/),
    ])
  })

  it('finds a copy or template src beside the task file that names it, as Ansible does', async () => {
    const errors = await loadErrors({
      'playbook.yml': '- hosts: all\n  tasks:\n    - import_tasks: inc/t.yml\n',
      'inc/t.yml': '- copy: { src: beside.txt, dest: /tmp/x }\n- template: { src: t.j2, dest: /tmp/y }\n',
      'inc/beside.txt': 'x\n',
      'inc/templates/t.j2': 'y\n',
    })
    expect(errors).toEqual([])
  })

  it('checks template and copy sources on the search path, and template file syntax', async () => {
    const errors = await loadErrors({
      'playbook.yml':
        '- hosts: all\n  roles: [web]\n  tasks:\n    - copy: { src: nope.txt, dest: /x }\n    - template: { ' +
        'src: ok.hbs, dest: /y }\n    - copy: { src: "{{ f }}", dest: /z }\n',
      'templates/ok.hbs': 'fine {{ x }}\n',
      'roles/web/tasks/main.yml':
        '- template: { src: site.conf, dest: /etc/site.conf }\n- template: { src: missing.conf, dest: /m }\n',
      'roles/web/templates/site.conf': 'line one\nport {{ a +* b }}\n',
    })
    expect(errors).toEqual([
      'site.conf:2:12 invalid template: expected a value, found "*"',
      'main.yml:2:20 template src "missing.conf" not found (looked in: roles/web/templates/missing.conf, ' +
        'roles/web/missing.conf, roles/web/tasks/templates/missing.conf, roles/web/tasks/missing.conf, ' +
        'templates/missing.conf, missing.conf)',
      'playbook.yml:4:20 copy src "nope.txt" not found (looked in: files/nope.txt, nope.txt)',
    ])
  })
})

describe('controller files that may appear at run time', () => {
  it('a missing copy src is a warning when a task may make it, the failure is ignored or it may not run', async () => {
    const dir = tree({
      'playbook.yml':
        '- hosts: all\n  tasks:\n    - copy: { src: made.txt, dest: /x }\n    - command: touch files/made.txt\n' +
        '      delegate_to: localhost\n',
      'other.yml': '- hosts: all\n  tasks:\n    - copy: { src: nope.txt, dest: /x }\n      ignore_errors: true\n',
      // openwisp2's theme: the files are copied only when a stat found them
      'when.yml':
        '- hosts: all\n  tasks:\n    - command: test -d {{ playbook_dir }}/files/theme\n      register: t\n' +
        '    - copy: { src: theme/, dest: /x }\n      when: t.rc == 0\n',
    })
    for (const [file, why] of [
      ['playbook.yml', /copy src "made.txt" not found now \(a task that runs on the controller may make it\)/],
      ['other.yml', /copy src "nope.txt" not found now \(its failure is ignored\)/],
      ['when.yml', /copy src "theme\/" not found now \(.*"when"/],
    ] as const) {
      const warnings: UserError[] = []
      await loadPlaybook(join(dir, file), { modules: fixtureModules(), warnings })
      expect(warnings.map((w) => w.message).join('\n')).toMatch(why)
    }
  })
})

describe('loadPlaybook reuse', () => {
  it('loads import_playbook plays, role dependencies first, imported handlers and with_items', async () => {
    const pb = await load({
      'playbook.yml':
        '- import_playbook: sub/other.yml\n- hosts: web\n  roles: [app]\n  tasks:\n    - debug: { msg: "{{ ' +
        'item }}" }\n      with_items: [a, b]\n  handlers:\n    - import_tasks: handlers.yml\n',
      'sub/other.yml': '- hosts: db\n  tasks: [{ debug: { msg: other } }]\n',
      'handlers.yml': '- name: h1\n  debug: { msg: h1 }\n  listen: [restart all]\n',
      'roles/app/meta/main.yml': 'dependencies: [{ role: base, tags: [base] }]\n',
      'roles/app/tasks/main.yml': '- debug: { msg: app }\n',
      'roles/base/tasks/main.yml': '- debug: { msg: base }\n',
    })
    expect(pb.plays.map((p) => p.hosts)).toEqual(['db', 'web'])
    const web = pb.plays[1]
    expect(web.tasks.map((t) => (t as Task).args.msg)).toEqual(['base', 'app', '{{ item }}'])
    expect((web.tasks[0] as Task).tags).toEqual(['base'])
    expect((web.tasks[2] as Task).loop).toEqual(['a', 'b'])
    expect(web.handlers[0]).toMatchObject({ name: 'h1', listen: ['h1', 'restart all'] })
  })
})

describe('import_tasks keywords', () => {
  it('passes delegate_to and delegate_facts to the imported tasks (a task of its own keeps its own)', async () => {
    const pb = await load({
      'playbook.yml':
        '- hosts: all\n  tasks:\n    - import_tasks: t.yml\n      delegate_to: localhost\n      delegate_facts: true\n',
      't.yml': '- debug: { msg: a }\n- debug: { msg: b }\n  delegate_to: other\n',
    })
    const block = pb.plays[0].tasks[0] as Block
    expect(block.block.map((t) => [(t as Task).delegateTo, (t as Task).delegateFacts])).toEqual([
      ['localhost', true],
      ['other', true],
    ])
  })
})

describe('retries without until', () => {
  it('loads with a warning at the key, as Ansible 2.14 runs the task once', async () => {
    const dir = tree({ 'playbook.yml': '- hosts: all\n  tasks:\n    - debug: { msg: x }\n      retries: 3\n' })
    const warnings: UserError[] = []
    const pb = await loadPlaybook(join(dir, 'playbook.yml'), { modules: fixtureModules(), warnings })
    expect(pb.plays[0].tasks.length).toBe(1)
    expect(warnings.map((w) => `${w.pos?.line}:${w.pos?.col} ${w.message}`)).toEqual([
      '4:7 "retries"/"delay" without an "until" condition: the task runs once',
    ])
  })
})

describe('a handler without a name', () => {
  it('loads with a warning, as Ansible loads it (nothing can notify it)', async () => {
    const dir = tree({ 'playbook.yml': '- hosts: all\n  handlers:\n    - debug: { msg: r }\n' })
    const warnings: UserError[] = []
    await loadPlaybook(join(dir, 'playbook.yml'), { modules: fixtureModules(), warnings })
    expect(warnings.map((w) => `${w.pos?.line}:${w.pos?.col} ${w.message}`)).toEqual([
      '3:7 a handler without a "name" (or "listen") can never be notified',
    ])
  })
})
