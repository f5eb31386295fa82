/**
 * Library modules are found where Ansible looks for them: the playbook's `library/`, each loaded role's
 * `library/`, `ANSIBLE_LIBRARY`; tsplay's own modules win over a library file of the same name (a warning);
 * an Ansible action plugin comes before a library module of its name and runs with the controller's ansible-core;
 * without it, it is refused with a message that says what it is.
 */
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Task } from '../../engine/ast.js'
import type { UserError, UserErrors } from '../../engine/errors.js'
import { setModulePath } from '../../engine/load/library.js'
import { loadPlaybook } from '../../engine/load/playbook.js'
import { controllerPython, hasAnsible } from '../../engine/expr/pyplugins.js'
import packageModule from '../../modules/package.js'
import { fixtureModules } from './fixtures.js'
import { loadErrors, tree } from './helpers.js'
import { withoutAnsibleOnController, withoutInstalledCollections } from '../helpers/collections.js'

const MOD = '#!/bin/sh\necho "{}"\n'

async function load(files: Record<string, string>) {
  const dir = tree(files)
  const warnings: UserError[] = []
  const modules = fixtureModules()
  modules.set('package', packageModule)
  const pb = await loadPlaybook(join(dir, 'playbook.yml'), { modules, warnings })
  const tasks = pb.plays[0].tasks.flatMap((n) => (n.kind === 'block' ? n.block : [n])) as Task[]
  return { tasks, modules, warnings: warnings.map((w) => w.format()), dir }
}

afterEach(() => {
  delete process.env.ANSIBLE_LIBRARY
  setModulePath([])
})

describe('library modules', () => {
  it("are found in the playbook's library/, with or without an extension, also as ansible.legacy.NAME", async () => {
    const { tasks, modules, dir } = await load({
      'library/hello.sh': MOD,
      'library/plain': MOD,
      'playbook.yml': '- hosts: all\n  tasks:\n    - hello: { name: x }\n    - plain:\n    - ansible.legacy.hello:\n',
    })
    expect(tasks.map((t) => [t.module, t.args])).toEqual([
      ['hello', { name: 'x' }],
      ['plain', {}],
      ['hello', {}],
    ])
    expect(modules.get('hello')?.library).toBe(join(dir, 'library/hello.sh'))
  })

  it("are found in a role's library/, for the role's tasks and the tasks after it", async () => {
    const { tasks } = await load({
      'roles/r/library/rmod.py': MOD,
      'roles/r/tasks/main.yml': '- rmod: { a: 1 }\n',
      'playbook.yml': '- hosts: all\n  roles: [r]\n  tasks:\n    - rmod:\n',
    })
    expect(tasks.map((t) => t.module)).toEqual(['rmod', 'rmod'])
  })

  it('are found on ANSIBLE_LIBRARY', async () => {
    const lib = tree({ 'envmod.sh': MOD })
    process.env.ANSIBLE_LIBRARY = `/nonexistent:${lib}`
    const { tasks } = await load({ 'playbook.yml': '- hosts: all\n  tasks:\n    - envmod:\n' })
    expect(tasks.map((t) => t.module)).toEqual(['envmod'])
  })

  it('are found on -M/--module-path before ANSIBLE_LIBRARY, a later -M first', async () => {
    const [a, b, env] = [tree({ 'm.sh': MOD, 'onlya.sh': MOD }), tree({ 'm.py': MOD }), tree({ m: MOD })]
    process.env.ANSIBLE_LIBRARY = env
    setModulePath([`/nonexistent:${a}`, b])
    const { tasks, modules } = await load({ 'playbook.yml': '- hosts: all\n  tasks:\n    - m:\n    - onlya:\n' })
    expect(tasks.map((t) => t.module)).toEqual(['m', 'onlya'])
    expect(modules.get('m')?.library).toBe(join(b, 'm.py'))
    setModulePath([])
    const without = await loadErrors({ 'playbook.yml': '- hosts: all\n  tasks:\n    - onlya:\n' })
    expect(without).toEqual([expect.stringMatching(/unknown task keyword or module "onlya"/)])
  })

  it('are not what an unknown name, a documentation file or an ansible.builtin name finds', async () => {
    const errors = await loadErrors({
      'library/doc.yml': 'x: 1\n',
      'library/hello.sh': MOD,
      'playbook.yml': '- hosts: all\n  tasks:\n    - nosuch:\n    - doc:\n    - ansible.builtin.hello:\n',
    })
    expect(errors).toEqual([
      expect.stringMatching(/unknown task keyword or module "nosuch"/),
      expect.stringMatching(/unknown task keyword or module "doc"/),
      expect.stringMatching(/unknown task keyword or module "ansible.builtin.hello"/),
    ])
  })

  it('find a Windows module (NAME.ps1) as Ansible does, a POSIX file of the same name first', async () => {
    const { tasks, modules, dir } = await load({
      'library/win_only.ps1': '#!powershell\n',
      'library/both.ps1': '#!powershell\n',
      'library/both.py': MOD,
      'playbook.yml': '- hosts: all\n  tasks:\n    - win_only: { a: 1 }\n    - both:\n',
    })
    expect(tasks.map((t) => t.module)).toEqual(['win_only', 'both'])
    expect(modules.get('win_only')?.library).toBe(join(dir, 'library/win_only.ps1'))
    expect(modules.get('both')?.library).toBe(join(dir, 'library/both.py'))
  })

  it("lose to tsplay's own module of the same name, with a warning", async () => {
    const { tasks, warnings } = await load({
      'roles/r/library/debug.py': MOD,
      'roles/r/tasks/main.yml': '- debug: { msg: hi }\n',
      'playbook.yml': '- hosts: all\n  roles: [r]\n',
    })
    expect(tasks[0].module).toBe('debug')
    expect(warnings).toEqual([expect.stringMatching(/debug.py is named like tsplay's own module "debug"/)])
  })
})

describe('Ansible action plugins', () => {
  const withAnsible = hasAnsible(controllerPython())

  it.skipIf(!withAnsible)(
    "run with the controller's ansible-core: they come before a library module of their name",
    async () => {
      const { tasks, modules, warnings } = await load({
        'action_plugins/myact.py': 'class ActionModule: pass\n',
        'library/myact.py': MOD,
        'playbook.yml': '- hosts: all\n  tasks:\n    - myact: { a: 1 }\n    - ansible.legacy.myact: { a: 2 }\n',
      })
      expect(tasks.map((t) => [t.module, t.args])).toEqual([
        ['myact', { a: 1 }],
        ['myact', { a: 2 }],
      ])
      expect(modules.get('myact')!.summary).toMatch(/^Action plugin .*myact.py$/)
      expect(warnings).toEqual([])
    },
  )

  it("come after tsplay's own modules (a warning)", async () => {
    const { tasks, modules, warnings } = await load({
      'action_plugins/debug.py': 'class ActionModule: pass\n',
      'playbook.yml': '- hosts: all\n  tasks:\n    - debug: { msg: hi }\n',
    })
    expect(tasks[0].module).toBe('debug')
    expect(modules.get('debug')!.summary).not.toMatch(/Action plugin/)
    expect(warnings).toEqual([expect.stringMatching(/debug.py is named like tsplay's own module "debug"/)])
  })

  describe('without ansible-core on the controller', () => {
    beforeEach(() => {
      process.env.TSPLAY_PYTHON = '/nonexistent/python3'
    })
    afterEach(() => {
      delete process.env.TSPLAY_PYTHON
    })

    it('are refused as such where the task certainly runs', async () => {
      const errors = await loadErrors({
        'action_plugins/myact.py': 'class ActionModule: pass\n',
        'playbook.yml': '- hosts: all\n  tasks:\n    - myact: { a: 1 }\n',
      })
      expect(errors).toEqual([
        expect.stringMatching(
          new RegExp(
            '"myact" is an Ansible action plugin \\(.*myact.py\\): it runs with ansible-core, ' +
              'which /nonexistent/python3 on this controller cannot import',
          ),
        ),
      ])
    })

    it('are a warning in a task that may not run or may fail (the task fails if it runs)', async () => {
      const { tasks, modules, warnings } = await load({
        'action_plugins/myact.py': 'class ActionModule: pass\n',
        'playbook.yml':
          '- hosts: all\n  tasks:\n    - myact: { a: 1 }\n      when: false\n' +
          '    - myact: { a: 2 }\n      ignore_errors: true\n',
      })
      expect(tasks.map((t) => t.module)).toEqual(['myact', 'myact'])
      expect(warnings).toEqual([
        expect.stringMatching(
          /"myact" is an Ansible action plugin .*cannot import \(the task fails if it runs; its "when"/,
        ),
        expect.stringMatching(/"myact" is an Ansible action plugin .*ignore_errors/),
      ])
      await expect(modules.get('myact')!.gather({}, {} as never, {} as never)).rejects.toThrow(/action plugin/)
    })
  })
})

describe("modules of other systems (Ansible's, not tsplay's), without ansible-core on the controller", () => {
  const play = (tasks: string) => ({ 'playbook.yml': `- hosts: all\n  tasks:\n${tasks}` })
  // neither ansible-core's modules nor collections are there to run them (test/load/collections.test.ts: with them)
  withoutAnsibleOnController()

  it('are a warning in a task that may not run, and the task fails when it runs', async () => {
    const { tasks, modules, warnings } = await load(
      play(
        '    - yum: { name: httpd }\n      when: ansible_os_family == "RedHat"\n' +
          '    - block:\n        - community.general.pacman: { name: x }\n      when: false\n' +
          '    - win_file: { path: x }\n      ignore_errors: true\n',
      ),
    )
    expect(tasks.map((t) => t.module)).toEqual(['yum', 'community.general.pacman', 'win_file'])
    expect(warnings).toEqual([
      expect.stringMatching(/tsplay has no module "yum" \(the task fails if it runs; its "when" may skip it\)/),
      expect.stringMatching(/no module "community.general.pacman" .*block's "when" may skip it/),
      expect.stringMatching(/no module "win_file" .*ignore_errors/),
    ])
    const run = modules.get('yum')!.gather({}, {} as never, {} as never)
    await expect(run).rejects.toThrow(/tsplay has no module "yum"/)
  })

  it('stay an error in a task that certainly runs, also after the same name was let pass under a when', async () => {
    const errors = await loadErrors(
      play(
        '    - yum: { name: a }\n      when: x is defined\n' +
          '    - yum: { name: b }\n    - pacmn: { name: c }\n      when: no\n',
      ),
    )
    expect(errors).toEqual([
      expect.stringMatching(/unknown task keyword or module "yum"/),
      expect.stringMatching(/unknown task keyword or module "pacmn"/),
    ])
  })
})

describe("package's arguments for another system's package manager", () => {
  const play = (tasks: string) => ({ 'playbook.yml': `- hosts: all\n  tasks:\n${tasks}` })
  const dnf = '      module_defaults: { dnf: { name: apt } }\n'

  it("lets arguments another system's defaults may give be a warning where the task may not run", async () => {
    const { tasks, warnings } = await load(
      play(
        `    - package: { enablerepo: epel }\n${dnf}      when: no\n` +
          `    - package: { use: dnf }\n${dnf}      when: no\n    - package:\n`,
      ),
    )
    expect(tasks.map((t) => t.module)).toEqual(['package', 'package', 'package'])
    // a bare `package:` is apt's arguments, all optional (Ansible hands them to apt on a Debian host)
    expect(warnings).toEqual([
      expect.stringMatching(/unknown argument "enablerepo" .*module_defaults for dnf may take them .*"when"/),
      expect.stringMatching(/"use" of package must be one of .*module_defaults for dnf/),
    ])
  })

  it('keeps them an error where the task certainly runs; without such defaults they are a warning too', async () => {
    const { warnings } = await load(play('    - package: { name: git, enablerepo: epel }\n      when: no\n'))
    expect(warnings).toEqual([
      expect.stringMatching(/unknown argument "enablerepo" .*another system's package manager may take them.*"when"/),
    ])
    const errors = await load(
      play(`    - package: { enablerepo: epel }\n${dnf}    - package: { name: a, enablrepo: x }\n`),
    ).then(
      () => [],
      (e: UserErrors) => e.errors.map((x) => x.message),
    )
    expect(errors).toEqual([
      expect.stringMatching(/unknown argument "enablerepo" for module package/),
      expect.stringMatching(/unknown argument "enablrepo" for module package/),
    ])
  })

  it("takes apt's module_defaults, as Ansible does on a Debian host", async () => {
    const { tasks } = await load(
      play(
        '    - package:\n      module_defaults: { apt: { name: git, state: latest }, package: { state: present } }\n',
      ),
    )
    expect(tasks[0].args).toMatchObject({ name: 'git', state: 'present' })
  })
})

describe('Python lookup plugins (run by Python, engine/expr/pyplugins.ts)', () => {
  // no collection is installed for these (the machine's own, Debian's ansible package, are not looked at)
  withoutInstalledCollections()

  it("are lookups the run has: lookup(), query() and with_NAME, a role's too; other names stay refused", async () => {
    const { tasks, warnings } = await load({
      'roles/r/lookup_plugins/mylook.py': 'class LookupModule: pass\n',
      'roles/r/tasks/main.yml': "- debug: { msg: \"{{ lookup('mylook', 'x') }}\" }\n",
      'lookup_plugins/top.py': 'class LookupModule: pass\n',
      'playbook.yml':
        '- hosts: all\n  roles: [r]\n  tasks:\n    - debug: { msg: "{{ q(\'top\') }}" }\n' +
        '    - debug: { msg: "{{ item }}" }\n      with_mylook: [a, b]\n',
    })
    expect(warnings).toEqual([])
    expect(tasks.map((t) => t.loopWith)).toEqual([undefined, undefined, 'mylook'])
    const errors = await loadErrors({
      'lookup_plugins/top.py': 'class LookupModule: pass\n',
      'playbook.yml':
        '- hosts: all\n  tasks:\n    - debug: { msg: "{{ lookup(\'other\') }}" }\n' +
        '    - debug: { msg: "{{ item }}" }\n      with_nothere: [a]\n',
    })
    expect(errors).toEqual([
      expect.stringMatching(/lookup plugin \(other\) not found/),
      expect.stringMatching(/unknown task keyword or module "with_nothere"/),
    ])
  })

  it("with a collection's lookup: refused where the task runs (its own when too), a warning otherwise", async () => {
    const loop = '    - debug: { msg: "{{ item }}" }\n      with_community.general.flattened: [[a], [b]]\n'
    const errors = await loadErrors({
      'playbook.yml': `- hosts: all\n  tasks:\n${loop}      when: false\n`,
    })
    expect(errors).toEqual([
      expect.stringMatching(/^playbook\.yml:4:7 "with_community\.general\.flattened" loops with the lookup /),
    ])
    expect(errors[0]).toMatch(/lookup community\.general\.flattened, which no installed collection has/)
    const { tasks, warnings } = await load({
      'playbook.yml': `- hosts: all\n  tasks:\n${loop}      ignore_errors: true\n`,
    })
    expect(warnings).toEqual([expect.stringMatching(/the task fails when it runs; its failure is ignored/)])
    expect(tasks.map((t) => t.loopWith)).toEqual(['community.general.flattened'])
  })
})
