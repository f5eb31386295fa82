/**
 * Templated `become`/`become_user` on plays, blocks, tasks and role references are kept for the run (rendered per
 * host there, `becomeUserOf`); a templated `any_errors_fatal` counts as true with a warning, as Ansible 2.14 reads
 * it unrendered; a plain value that is no boolean is still refused at its position. The `debugger` keyword is
 * accepted (tsplay has no interactive debugger: one warning), a value Ansible refuses is refused.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Block, Task } from '../../engine/ast.js'
import type { UserError } from '../../engine/errors.js'
import { loadPlaybook } from '../../engine/load/playbook.js'
import { becomeMethodOf, methodName } from '../../engine/load/become.js'
import { becomeUserOf } from '../../engine/run/keyword.js'
import { fixtureModules } from './fixtures.js'
import { load, loadErrors, tree } from './helpers.js'

const T = (s: string) => s.replace(/^\n/, '')

describe('templated become', () => {
  it('keeps the templates of plays, blocks, tasks and role references for the run', async () => {
    const pb = await load({
      'playbook.yml': T(`
- hosts: all
  become: "{{ use_sudo }}"
  become_user: "{{ app_user }}"
  roles:
    - role: r
      become: "{{ ansible_user != 'root' }}"
  tasks:
    - block:
        - debug: { msg: a }
      become: "{{ inner }}"
    - debug: { msg: b }
      become: '{{ on }}'
      become_user: "{{ who }}"
`),
      'roles/r/tasks/main.yml': '- debug: { msg: r }\n',
    })
    const p = pb.plays[0]
    expect([p.become, p.becomeUser]).toEqual(['{{ use_sudo }}', '{{ app_user }}'])
    const [fromRole, block, t] = p.tasks as [Task, Block, Task]
    expect(fromRole.become).toBe("{{ ansible_user != 'root' }}")
    expect(block.become).toBe('{{ inner }}')
    expect([t.become, t.becomeUser]).toEqual(['{{ on }}', '{{ who }}'])
  })

  it('still refuses a plain value that is no boolean, at its position', async () => {
    const errors = await loadErrors({ 'playbook.yml': '- hosts: all\n  become: maybe\n  tasks: []\n' })
    expect(errors).toEqual([expect.stringMatching(/^playbook\.yml:2:11 "become" must be true or false/)])
  })

  it('renders become and become_user with the given variables', () => {
    const vars = { ansible_user: 'pi', app: 'hydra', off: 'no' }
    expect(becomeUserOf("{{ ansible_user != 'root' }}", '{{ app }}', vars)).toBe('hydra')
    expect(becomeUserOf('{{ off }}', '{{ app }}', vars)).toBeUndefined()
    expect(becomeUserOf(true, undefined, vars)).toBe('root')
    expect(becomeUserOf(undefined, 'x', vars)).toBeUndefined()
    expect(() => becomeUserOf('{{ app }}', undefined, vars)).toThrow(/"become" must be true or false/)
    expect(() => becomeUserOf(true, '{{ nothing | default("") }}', vars)).toThrow(/"become_user" must name a user/)
  })
})

describe('templated any_errors_fatal', () => {
  it('counts as true on plays and blocks, with a warning at its position', async () => {
    const dir = tree({
      'playbook.yml': T(`
- hosts: all
  any_errors_fatal: "{{ strict }}"
  tasks:
    - block:
        - debug: { msg: a }
      any_errors_fatal: "{{ strict }}"
`),
    })
    const warnings: UserError[] = []
    const pb = await loadPlaybook(join(dir, 'playbook.yml'), { modules: fixtureModules(), warnings })
    expect(pb.plays[0].anyErrorsFatal).toBe(true)
    expect(((pb.plays[0].tasks[0] as Block).block[0] as Task).anyErrorsFatal).toBe(true)
    expect(warnings.map((w) => `${w.pos?.line}:${w.pos?.col} ${w.message}`).sort()).toEqual([
      '2:21 any_errors_fatal "{{ strict }}" counts as true',
      '6:25 any_errors_fatal "{{ strict }}" counts as true',
    ])
  })
})

describe('debugger keyword', () => {
  const playbook = T(`
- hosts: all
  debugger: never
  roles:
    - role: r
      debugger: on_skipped
  tasks:
    - block:
        - debug: { msg: a }
          debugger: on_failed
      debugger: always
    - debug: { msg: b }
      debugger: on_unreachable
`)

  it('accepts the five values on plays, blocks, tasks and role references, warning once', async () => {
    const dir = tree({ 'playbook.yml': playbook, 'roles/r/tasks/main.yml': '- debug: { msg: r }\n' })
    const warnings: UserError[] = []
    const pb = await loadPlaybook(join(dir, 'playbook.yml'), { modules: fixtureModules(), warnings })
    expect(pb.plays[0].tasks).toHaveLength(3)
    expect(warnings.map((w) => `${w.pos?.line}:${w.pos?.col} ${w.message}`)).toEqual([
      '5:17 debugger: on_skipped is ignored: tsplay has no interactive debugger, tasks run as with "debugger: never"',
    ])
  })

  it('accepts never without a word', async () => {
    const dir = tree({ 'playbook.yml': '- hosts: all\n  tasks:\n    - debug: {}\n      debugger: never\n' })
    const warnings: UserError[] = []
    await loadPlaybook(join(dir, 'playbook.yml'), { modules: fixtureModules(), warnings })
    expect(warnings).toEqual([])
  })

  it('refuses a value Ansible refuses, at its position', async () => {
    const errors = await loadErrors({
      'playbook.yml': '- hosts: all\n  tasks:\n    - debug: {}\n      debugger: sometimes\n',
    })
    expect(errors).toEqual([expect.stringMatching(/^playbook\.yml:4:17 "sometimes" is not a valid value for debugger/)])
  })
})

describe('become_method su', () => {
  it('keeps become_method, become_flags and become_exe of plays, blocks, tasks and role references', async () => {
    const pb = await load({
      'playbook.yml': T(`
- hosts: all
  become_method: su
  become_flags: -l
  roles:
    - role: r
      become_method: sudo
  tasks:
    - block:
        - debug: { msg: a }
      become_exe: /bin/su
    - debug: { msg: b }
      become_method: ansible.builtin.su
      become_flags: "-s /bin/sh"
`),
      'roles/r/tasks/main.yml': '- debug: { msg: r }\n',
    })
    const p = pb.plays[0]
    expect([p.becomeMethod, p.becomeFlags]).toEqual(['su', '-l'])
    const [fromRole, block, t] = p.tasks as [Task, Block, Task]
    expect(fromRole.becomeMethod).toBe('sudo')
    expect(block.becomeExe).toBe('/bin/su')
    expect([t.becomeMethod, t.becomeFlags]).toEqual(['su', '-s /bin/sh'])
  })

  it('gives the connection su with its program and flags, or sudo; refuses what a method cannot take', () => {
    expect(becomeMethodOf(undefined, undefined, undefined)).toEqual({ method: 'sudo' })
    expect(becomeMethodOf('sudo', '-H -S', 'sudo')).toEqual({ method: 'sudo' })
    expect(becomeMethodOf('sudo', '-H -E --preserve-env=PATH,LANG -P', undefined)).toEqual({
      method: 'sudo',
      flags: ['-E', '--preserve-env=PATH,LANG', '-P'],
    })
    expect(becomeMethodOf('sudo', '-i', undefined)).toEqual({ method: 'sudo', flags: ['-i'] })
    expect(becomeMethodOf('sudo', '-H --shell', undefined)).toEqual({ method: 'sudo', flags: ['--shell'] })
    expect(() => becomeMethodOf('sudo', '-k', undefined)).toThrow(/become_flags "-k" cannot be used with .* sudo/)
    expect(() => becomeMethodOf('sudo', '--preserve-env=$(id)', undefined)).toThrow(/become_flags/)
    expect(becomeMethodOf('su', undefined, undefined)).toEqual({ method: 'su' })
    expect(becomeMethodOf('su', '- -s /bin/bash', '/bin/su')).toEqual({
      method: 'su',
      exe: '/bin/su',
      flags: ['-', '-s', '/bin/bash'],
    })
    // flags written for su on the play, method sudo on the task (or the other way round): the task fails
    expect(() => becomeMethodOf('sudo', '-l', undefined)).toThrow(/become_flags "-l" cannot be used with .* sudo/)
    expect(() => becomeMethodOf('su', '--command=id', undefined)).toThrow(/-c and --command cannot be set/)
    expect(() => becomeMethodOf(undefined, undefined, '/usr/bin/doas')).toThrow(/become_exe "\/usr\/bin\/doas"/)
  })

  it('gives the connection doas with its program; -n is what tsplay runs anyway, other flags are refused', () => {
    expect(becomeMethodOf('doas', undefined, undefined)).toEqual({ method: 'doas' })
    expect(becomeMethodOf('doas', '-n', '/usr/bin/doas')).toEqual({ method: 'doas', exe: '/usr/bin/doas' })
    expect(() => becomeMethodOf('doas', '-s', undefined)).toThrow(/become_flags "-s" cannot be used with .* doas/)
    expect(() => becomeMethodOf('doas', '-u root', undefined)).toThrow(/become_flags "-u"/)
  })

  it.each([
    ['sudo', 'sudo'],
    ['ansible.builtin.su', 'su'],
    ['ansible.legacy.sudo', 'sudo'],
    [' doas ', 'doas'],
    ['community.general.doas', 'doas'],
    ['community.general.su', undefined],
    ['ansible.builtin.doas', undefined],
    ['pbrun', undefined],
  ])('names become_method %j as %s', (value, want) => {
    expect(methodName(value)).toBe(want)
  })
})
