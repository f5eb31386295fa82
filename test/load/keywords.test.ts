/**
 * Keywords Ansible 2.14 runs that tsplay loads: become_method/become_flags, play order/collections/module_defaults/
 * port/timeout/throttle, task throttle/ignore_unreachable/action/local_action, templated ignore_errors, and the
 * with_<lookup> loops added with them; what tsplay cannot do is refused at its position.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Block, Task } from '../../engine/ast.js'
import type { UserError } from '../../engine/errors.js'
import { loadPlaybook } from '../../engine/load/playbook.js'
import { orderHosts } from '../../engine/run/names.js'
import { loopItems } from '../../engine/run/loop.js'
import { fixtureModules } from './fixtures.js'
import { load, loadErrors, tree } from './helpers.js'

const T = (s: string) => s.replace(/^\n/, '')
const task = (n: unknown) => n as Task

describe('play keywords', () => {
  it('reads order, port, timeout, throttle, fact_path, collections, become_method sudo, become_flags -H', async () => {
    const pb = await load({
      'playbook.yml': T(`
- hosts: all
  order: reverse_sorted
  collections: [community.general]
  become_method: sudo
  become_flags: "-H -S -n"
  port: 2222
  timeout: 7
  throttle: 2
  fact_path: /srv/facts.d
  tasks:
    - debug: { msg: hi }
`),
    })
    const p = pb.plays[0]
    expect(p.factPath).toBe('/srv/facts.d')
    expect(p.order).toBe('reverse_sorted')
    expect(p.port).toBe(2222)
    expect(p.taskTimeout).toBe(7)
    expect(p.throttle).toBe(2)
  })

  it('refuses an unknown order, become_method pbrun, flags a method cannot take, module groups, in place', async () => {
    const errors = await loadErrors({
      'playbook.yml': T(`
- hosts: all
  order: random
  become_method: pbrun
  module_defaults:
    group/ansible.builtin.files: { mode: "0644" }
  tasks:
    - debug: { msg: hi }
      become_method: sudo
      become_flags: "-E -i -k -H"
    - debug: { msg: hi }
      become_method: su
      become_flags: "-l -c"
    - debug: { msg: hi }
      become_method: ansible.builtin.su
      become_flags: "- -s /bin/sh"
      become_exe: /bin/su
`),
    })
    expect(errors).toEqual([
      expect.stringMatching(/^playbook\.yml:2:10 "order" must be one of inventory, reverse_inventory, sorted/),
      expect.stringMatching(/^playbook\.yml:3:18 become_method "pbrun" is not supported by tsplay/),
      expect.stringMatching(/^playbook\.yml:5:5 could not resolve the module_defaults group ansible\.builtin\.files/),
      expect.stringMatching(/^playbook\.yml:9:21 become_flags "-k" not supported by tsplay/),
      expect.stringMatching(/^playbook\.yml:12:21 become_flags "-c" not supported by tsplay .*-c and --command/),
    ])
  })

  it('module_defaults fill the arguments a task does not write, under any spelling of the module', async () => {
    const pb = await load({
      'playbook.yml': T(`
- hosts: all
  module_defaults:
    ansible.builtin.command: { chdir: /tmp }
    debug: { msg: default }
  tasks:
    - command: pwd
    - command: pwd
      args: { chdir: /srv }
    - debug: {}
    - debug: { msg: own }
- hosts: all
  tasks:
    - command: pwd
`),
    })
    const [a, b, c, d] = pb.plays[0].tasks.map(task)
    expect(a.args).toMatchObject({ cmd: 'pwd', chdir: '/tmp' })
    expect(b.args).toMatchObject({ chdir: '/srv' })
    expect(c.args).toMatchObject({ msg: 'default' })
    expect(d.args).toMatchObject({ msg: 'own' })
    expect(task(pb.plays[1].tasks[0]).args).not.toHaveProperty('chdir') // one play's defaults only
  })

  it('module_defaults on blocks, includes and tasks: the innermost wins, and only inside', async () => {
    const pb = await load({
      'playbook.yml': T(`
- hosts: all
  module_defaults:
    - command: { chdir: /play }
    - debug: { msg: play }
  tasks:
    - block:
        - command: pwd
        - command: pwd
          module_defaults: { ansible.builtin.command: { chdir: /task } }
        - import_tasks: more.yml
      module_defaults: { command: { chdir: /block } }
      collections: [community.general]
    - command: pwd
    - action: include_tasks more.yml
`),
      'more.yml': '- debug: {}\n- command: pwd\n',
    })
    const [block, after, include] = pb.plays[0].tasks
    const inner = (block as Block).block.map(task)
    expect(inner.map((t) => t.args.chdir ?? t.args.msg)).toEqual(['/block', '/task', 'play', '/block'])
    expect(task(after).args).toMatchObject({ chdir: '/play' })
    expect(include.kind).toBe('block') // the dynamic include, spelled with action:
  })

  it("reads YAML 1.1's yes/no/on/off in conditions as Ansible's YAML does: booleans, not variable names", async () => {
    const pb = await load({
      'playbook.yml': T(`
- hosts: all
  tasks:
    - command: "true"
      changed_when: yes
      failed_when: [Off, "x == 1"]
      when: NO
`),
    })
    const t = task(pb.plays[0].tasks[0])
    expect([t.changedWhen, t.failedWhen, t.when]).toEqual([['True'], ['False', 'x == 1'], ['False']])
  })

  it('refuses a module_defaults entry that is not a map, at its position', async () => {
    const errors = await loadErrors({
      'playbook.yml': '- hosts: all\n  tasks:\n    - command: pwd\n      module_defaults: [ 3 ]\n',
    })
    expect(errors).toEqual([
      expect.stringMatching(/^playbook\.yml:4:26 module_defaults must be a map or a list of maps, found number 3/),
    ])
    const onInclude = await loadErrors({
      'playbook.yml': T(`
- hosts: all
  tasks:
    - include_tasks: x.yml
      module_defaults: { copy: { mode: "0600" } }
`),
      'x.yml': '- debug: {}\n',
    })
    expect(onInclude).toEqual([
      expect.stringMatching(/^playbook\.yml:4:7 unknown include_tasks keyword "module_defaults" \(Ansible refuses/),
    ])
  })

  it('warns (does not refuse) for module_defaults of a module tsplay does not know', async () => {
    const dir = tree({
      'playbook.yml': '- hosts: all\n  module_defaults: { community.foo.bar: { x: 1 } }\n  tasks: []\n',
    })
    const warnings: UserError[] = []
    await loadPlaybook(join(dir, 'playbook.yml'), { modules: fixtureModules(), warnings })
    expect(warnings.map((w) => `${w.pos?.line}:${w.pos?.col} ${w.message}`)).toEqual([
      '2:22 module_defaults names "community.foo.bar", which tsplay does not know',
    ])
  })
})

describe('task keywords', () => {
  it('reads throttle and ignore_unreachable, on tasks and passed down from blocks', async () => {
    const pb = await load({
      'playbook.yml': T(`
- hosts: all
  tasks:
    - debug: { msg: a }
      throttle: 1
      ignore_unreachable: yes
    - block:
        - debug: { msg: b }
        - debug: { msg: c }
          throttle: 3
      throttle: 2
      ignore_unreachable: true
`),
    })
    const [a, blk] = pb.plays[0].tasks
    expect(task(a)).toMatchObject({ throttle: 1, ignoreUnreachable: true })
    const [b, c] = (blk as Block).block.map(task)
    expect(b).toMatchObject({ throttle: 2, ignoreUnreachable: true })
    expect(c).toMatchObject({ throttle: 3, ignoreUnreachable: true })
  })

  it('reads action and local_action, free-form and map forms; local_action delegates to localhost', async () => {
    const pb = await load({
      'playbook.yml': T(`
- hosts: all
  tasks:
    - action: debug msg=hello
    - action: { module: debug, msg: there }
    - local_action: command echo hi
    - local_action: { module: ansible.builtin.copy, content: x, dest: /tmp/x }
`),
    })
    const [a, b, c, d] = pb.plays[0].tasks.map(task)
    expect([a.module, a.args.msg, a.delegateTo]).toEqual(['debug', 'hello', undefined])
    expect([b.module, b.args.msg]).toEqual(['debug', 'there'])
    expect([c.module, c.args.cmd, c.delegateTo]).toEqual(['command', 'echo hi', 'localhost'])
    expect([d.module, d.args.dest, d.delegateTo]).toEqual(['copy', '/tmp/x', 'localhost'])
  })

  it('refuses action without a module, local_action with delegate_to, and an unknown module named', async () => {
    const errors = await loadErrors({
      'playbook.yml': T(`
- hosts: all
  tasks:
    - action: { msg: x }
    - local_action: command echo hi
      delegate_to: other
    - action: nosuchmodule a=b
    - action: "{{ pkg_mgr }} install git"
`),
    })
    expect(errors).toEqual([
      expect.stringMatching(/^playbook\.yml:3:15 "action" must name a module/),
      expect.stringMatching(/^playbook\.yml:5:7 "local_action" and "delegate_to" cannot both be set/),
      expect.stringMatching(/^playbook\.yml:6:7 unknown task keyword or module "nosuchmodule"/),
      expect.stringMatching(
        /^playbook\.yml:7:15 a module named by a template \(\{\{ pkg_mgr \}\}\) takes no free-form text, as in Ansible/,
      ),
    ])
  })

  it('keeps a templated loop_var for the run; its own vars name it for the static checks', async () => {
    const pb = await load({
      'playbook.yml': T(`
- hosts: all
  tasks:
    - debug: { msg: "{{ thing }}" }
      loop: [1]
      loop_control: { loop_var: "{{ name_of_it }}" }
      vars: { name_of_it: thing }
`),
    })
    expect(task(pb.plays[0].tasks[0]).loopVar).toBe('{{ name_of_it }}')
    const errors = await loadErrors({
      'playbook.yml':
        '- hosts: all\n  tasks:\n    - debug: { msg: x }\n      loop: [1]\n' +
        '      loop_control: { loop_var: "not a name" }\n',
    })
    expect(errors).toEqual([expect.stringMatching(/loop_var must be a variable name, found "not a name"/)])
  })

  it('takes loop_control without a loop, as Ansible does, with a warning that it has no effect', async () => {
    const dir = tree({
      'playbook.yml': '- hosts: all\n  tasks:\n    - debug: { msg: x }\n      loop_control: { label: y }\n',
    })
    const warnings: UserError[] = []
    const pb = await loadPlaybook(join(dir, 'playbook.yml'), { modules: fixtureModules(), warnings })
    expect(task(pb.plays[0].tasks[0]).loop).toBeUndefined()
    expect(warnings.map((w) => `${w.pos?.line}:${w.pos?.col} ${w.message}`)).toEqual([
      '4:7 "loop_control" without a "loop" has no effect',
    ])
  })

  it('keeps arguments a template gives whole for the run (a map-only module), with a warning', async () => {
    const dir = tree({
      'playbook.yml': '- hosts: all\n  tasks:\n    - copy: "{{ copy_args }}"\n    - command: "{{ cmd }}"\n',
    })
    const warnings: UserError[] = []
    const pb = await loadPlaybook(join(dir, 'playbook.yml'), { modules: fixtureModules(), warnings })
    const [a, b] = pb.plays[0].tasks.map(task)
    expect(a).toMatchObject({ module: 'copy', moduleTemplate: { args: '{{ copy_args }}' } })
    expect(b.moduleTemplate).toBeUndefined() // free-form: the text is the command
    expect(warnings.map((w) => w.message)).toEqual([
      'the arguments of copy are given by a template ({{ copy_args }}): they are read and checked on each host ' +
        'when the task runs',
    ])
  })

  it('keeps a module named by a template for the run, with its arguments and args:, and a warning', async () => {
    const dir = tree({
      'playbook.yml': T(`
- hosts: all
  tasks:
    - action: "{{ pkg_mgr }} name=git"
      args: { state: present }
      register: r
    - local_action: { module: "{{ m | default('copy') }}", dest: /x }
`),
    })
    const warnings: UserError[] = []
    const pb = await loadPlaybook(join(dir, 'playbook.yml'), { modules: fixtureModules(), warnings })
    const [a, b] = pb.plays[0].tasks.map(task)
    expect(a).toMatchObject({ module: '{{ pkg_mgr }}', register: 'r' })
    expect(a.moduleTemplate).toEqual({ args: 'name=git', argsKeyword: { state: 'present' } })
    expect(b).toMatchObject({ module: "{{ m | default('copy') }}", delegateTo: 'localhost' })
    expect(b.moduleTemplate?.args).toEqual({ dest: '/x' })
    expect(warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/^the module of this task is named by a template \(\{\{ pkg_mgr \}\}\): it is chosen/),
      expect.stringMatching(/named by a template \(\{\{ m \| default\('copy'\) \}\}\)/),
    ])
  })

  it('keeps a templated ignore_errors for the run; a plain non-boolean is still refused', async () => {
    const pb = await load({
      'playbook.yml': "- hosts: all\n  tasks:\n    - debug: { msg: a }\n      ignore_errors: '{{ lax }}'\n",
    })
    expect(task(pb.plays[0].tasks[0]).ignoreErrors).toBe('{{ lax }}')
    const errors = await loadErrors({
      'playbook.yml': '- hosts: all\n  tasks:\n    - debug: { msg: a }\n      ignore_errors: maybe\n',
    })
    expect(errors).toEqual([expect.stringMatching(/^playbook\.yml:4:22 "ignore_errors" must be true or false/)])
  })

  it('accepts with_lines, with_inventory_hostnames, with_env and with_random_choice', async () => {
    const pb = await load({
      'playbook.yml': T(`
- hosts: all
  tasks:
    - debug: { msg: "{{ item }}" }
      with_lines: echo a
    - debug: { msg: "{{ item }}" }
      with_inventory_hostnames: all
    - debug: { msg: "{{ item }}" }
      with_env: [HOME]
    - debug: { msg: "{{ item }}" }
      with_random_choice: [a, b]
`),
    })
    expect(pb.plays[0].tasks.map((t) => task(t).loopWith)).toEqual([
      'lines',
      'inventory_hostnames',
      'env',
      'random_choice',
    ])
  })
})

describe('the run-time side of the new keywords', () => {
  it('orders hosts as Ansible does', () => {
    const hosts = ['b', 'c', 'a']
    expect(orderHosts(hosts, 'inventory')).toEqual(['b', 'c', 'a'])
    expect(orderHosts(hosts, 'reverse_inventory')).toEqual(['a', 'c', 'b'])
    expect(orderHosts(hosts, 'sorted')).toEqual(['a', 'b', 'c'])
    expect(orderHosts(hosts, 'reverse_sorted')).toEqual(['c', 'b', 'a'])
    expect(orderHosts(hosts, 'shuffle').sort()).toEqual(['a', 'b', 'c'])
  })

  it('computes the items of the new with_<lookup> loops', () => {
    expect(loopItems('lines', ['printf "a\\nb\\n"', 'echo c'])).toEqual(['a', 'b', 'c'])
    expect(() => loopItems('lines', 'exit 3')).toThrow(/exited with 3/)
    expect(
      loopItems('inventory_hostnames', ['web', 'all'], { hosts: (p) => (p === 'web' ? ['w1'] : ['w1', 'd1']) }),
    ).toEqual(['w1', 'd1'])
    expect(loopItems('env', ['HOME', 'TSPLAY_SURELY_UNSET'])).toEqual([process.env.HOME, ''])
    expect(['x', 'y']).toContain(loopItems('random_choice', ['x', 'y'])[0])
  })
})
