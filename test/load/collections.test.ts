/**
 * Modules of installed Ansible collections: found as Ansible finds them (beside the playbook, on
 * ANSIBLE_COLLECTIONS_PATHS; a collection's redirects and removals, a play's `collections:`), refused with the reason
 * when tsplay cannot run them (an action plugin of the collection), and run as library modules sent as AnsiballZ
 * with the collection's own module_utils. The collection here is written by the test; the machine's own
 * collections (Debian's ansible package) are not looked at.
 */
import { chmodSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Task } from '../../engine/ast.js'
import type { UserError } from '../../engine/errors.js'
import { controllerPython, hasAnsible } from '../../engine/expr/pyplugins.js'
import { loadPlaybook } from '../../engine/load/playbook.js'
import { localIO, runWith, testCtx } from '../helpers/module-ctx.js'
import { fixtureModules } from './fixtures.js'
import { loadAllModules } from '../../modules/registry.js'
import { loadErrors, tree } from './helpers.js'
import { DEMO, demoCollection, withoutInstalledCollections } from '../helpers/collections.js'

const FILES = demoCollection()
const withAnsible = hasAnsible(controllerPython())
withoutInstalledCollections()

async function load(playbook: string) {
  const dir = tree({ ...FILES, 'playbook.yml': playbook })
  const warnings: UserError[] = []
  const modules = fixtureModules()
  const pb = await loadPlaybook(join(dir, 'playbook.yml'), { modules, warnings })
  return { tasks: pb.plays[0].tasks as Task[], modules, dir }
}

describe.skipIf(!withAnsible)("an installed collection's modules", { timeout: 60_000 }, () => {
  it('are found by full name, through a redirect, and by short name in a play with collections:', async () => {
    const { tasks, modules } = await load(
      '- hosts: all\n  collections: [tsplaytest.demo]\n  tasks:\n' +
        '    - tsplaytest.demo.hello: { who: a }\n    - tsplaytest.demo.old_hello: { who: b }\n' +
        '    - hello: { who: c }\n',
    )
    expect(tasks.map((t) => t.module)).toEqual(['tsplaytest.demo.hello', 'tsplaytest.demo.old_hello', 'hello'])
    for (const t of tasks) expect(modules.get(t.module)?.library).toMatch(/demo\/plugins\/modules\/hello\.py$/)
  })

  it("are found by a short name ansible-core moved to a collection (ini_file), ansible.builtin's too", async () => {
    const dir = tree({
      'collections/ansible_collections/community/general/plugins/modules/ini_file.py':
        FILES[`${DEMO}/plugins/modules/hello.py`]!,
      'playbook.yml': '- hosts: all\n  tasks:\n    - ini_file: { path: /x }\n    - ansible.builtin.ini_file: {}\n',
    })
    const modules = fixtureModules()
    const pb = await loadPlaybook(join(dir, 'playbook.yml'), { modules })
    const names = (pb.plays[0].tasks as Task[]).map((t) => t.module)
    expect(names).toEqual(['ini_file', 'ansible.builtin.ini_file'])
    for (const n of names)
      expect(modules.get(n)?.library).toMatch(/community\/general\/plugins\/modules\/ini_file\.py$/)
  })

  it('give filters and tests by full name, and a short name ansible-core routes; others stay unknown', async () => {
    const errs = await loadErrors({
      ...FILES,
      'collections/ansible_collections/community/general/plugins/filter/json_query.py':
        FILES[`${DEMO}/plugins/filter/words.py`]!,
      'playbook.yml':
        '- hosts: all\n  tasks:\n    - debug: { msg: "{{ x | tsplaytest.demo.shout }} {{ x | json_query(1) }}" }\n' +
        '    - debug: { msg: "{{ x | tsplaytest.demo.nosuch }} {{ x is tsplaytest.demo.shout }}" }\n',
    })
    expect(errs).toEqual([
      expect.stringMatching(/:4:21 unknown filter "tsplaytest.demo.nosuch"/),
      expect.stringMatching(/:4:21 unknown test "tsplaytest.demo.shout"/),
    ])
  })

  it("run instead of tsplay's module of the same Ansible name when the task gives arguments it lacks", async () => {
    const pg = 'collections/ansible_collections/community/postgresql/plugins/modules/postgresql_user.py'
    const playbook =
      '- hosts: all\n  tasks:\n    - postgresql_user: { name: a, encrypted: true, login_host: h }\n' +
      '    - postgresql_user: { name: b }\n    - postgres_user: { name: c, encrypted: true }\n'
    const documented =
      "DOCUMENTATION = r'''\noptions:\n  name: {}\n  encrypted: { aliases: [crypted] }\n" +
      "extends_documentation_fragment:\n- community.postgresql.postgres\n'''\n"
    // the arguments every module of the collection takes, documented once in a fragment
    const fragment = "class ModuleDocFragment(object):\n    DOCUMENTATION = r'''\noptions:\n  login_host: {}\n    '''\n"
    const frag = 'collections/ansible_collections/community/postgresql/plugins/doc_fragments/postgres.py'
    const dir = tree({ [pg]: documented, [frag]: fragment, 'playbook.yml': playbook })
    const run = loadPlaybook(join(dir, 'playbook.yml'), { modules: await loadAllModules() })
    // tsplay's own name is tsplay's module: its wrong argument stays an error
    await expect(run).rejects.toThrow(/:5:33: unknown argument "encrypted" for module postgres_user/)
    const ok = tree({ [pg]: documented, [frag]: fragment, 'playbook.yml': playbook.split('    - postgres_user')[0]! })
    const warnings: UserError[] = []
    const pb = await loadPlaybook(join(ok, 'playbook.yml'), { modules: await loadAllModules(), warnings })
    expect((pb.plays[0]!.tasks as Task[]).map((t) => t.module)).toEqual([
      'community.postgresql.postgresql_user',
      'postgres_user',
    ])
    // what one load adds stays in its own module map: the registry (and the next load, the docs) never sees it
    expect((await loadAllModules()).has('community.postgresql.postgresql_user')).toBe(false)
    expect(warnings.map((w) => w.message)).toEqual([
      'postgresql_user: tsplay\'s postgres_user takes no "encrypted", "login_host"; the task runs ' +
        'community.postgresql.postgresql_user, as Ansible does',
    ])
  })

  it("leave tsplay's error for an argument Ansible's module does not document either", async () => {
    const pg = 'collections/ansible_collections/community/postgresql/plugins/modules/postgresql_user.py'
    const dir = tree({
      [pg]: "DOCUMENTATION = '''\noptions:\n  encrypted: {}\n'''\n",
      'playbook.yml': '- hosts: all\n  tasks:\n    - postgresql_user: { name: a, encryptd: true }\n',
    })
    const run = loadPlaybook(join(dir, 'playbook.yml'), { modules: await loadAllModules() })
    await expect(run).rejects.toThrow(/:3:\d+: unknown argument "encryptd" for module postgres_user/)
  })

  it('give lookups, also as loops; a lookup no collection has stays refused', async () => {
    const errs = await loadErrors({
      ...FILES,
      'playbook.yml':
        '- hosts: all\n  tasks:\n    - debug: { msg: "{{ lookup(\'tsplaytest.demo.twice\', 1) }}" }\n' +
        '    - debug: { msg: "{{ item }}" }\n      with_tsplaytest.demo.twice: [1]\n' +
        '    - debug: { msg: "{{ lookup(\'tsplaytest.demo.nope\', 1) }}" }\n',
    })
    expect(errs).toEqual([expect.stringMatching(/:6:21 lookup plugin \(tsplaytest.demo.nope\) not found/)])
  })

  it('are refused with the reason when removed; unknown ones stay unknown', async () => {
    const errs = await loadErrors({
      ...FILES,
      'playbook.yml':
        '- hosts: all\n  tasks:\n    - tsplaytest.demo.gone: {}\n    - tsplaytest.demo.nosuch: {}\n' +
        '    - hello: { who: x }\n',
    })
    expect(errs).toEqual([
      expect.stringMatching(/:3:7 module "tsplaytest.demo.gone": .*removed .*Use tsplaytest.demo.hello instead/),
      expect.stringMatching(/:4:7 unknown task keyword or module "tsplaytest.demo.nosuch"/),
      expect.stringMatching(/:5:7 unknown task keyword or module "hello"/),
    ])
  })

  it("run through their collection's action plugin, which runs the module by its own name", async () => {
    const { tasks, modules } = await load('- hosts: all\n  tasks:\n    - tsplaytest.demo.shout: { who: x }\n')
    const def = modules.get(tasks[0]!.module)!
    const asked: unknown[] = []
    const callModule = async (m: unknown, args: Record<string, unknown>) => {
      asked.push([typeof m === 'string' ? m : (m as { library?: string }).library, args])
      return { changed: true, msg: 'ran' }
    }
    const run = await runWith(def, { who: 'you' }, testCtx({ callModule }), localIO())
    expect(run.failed, run.msg).toBeUndefined()
    expect(asked).toEqual([[expect.stringMatching(/demo\/plugins\/modules\/shout\.py$/), { who: 'hello you' }]])
    expect(run).toMatchObject({ changed: true, msg: 'ran', data: { plugin: 'tsplaytest.demo.shout' } })
  })

  it("run with the collection's module_utils, in check mode too", async () => {
    const { tasks, modules } = await load('- hosts: all\n  tasks:\n    - tsplaytest.demo.hello: { who: world }\n')
    const def = modules.get(tasks[0]!.module)!
    const run = await runWith(def, { who: 'world' }, testCtx(), localIO())
    expect(run.failed, run.msg).toBeUndefined()
    expect(run).toMatchObject({ changed: true, msg: 'hello world' })
    const checked = await runWith(def, { who: 'you' }, testCtx({ checkMode: true }), localIO())
    expect(checked).toMatchObject({ changed: false, msg: 'hello you' })
  })

  it("end with ansible-core's own modules: dnf, yum by its action plugin, arguments tsplay's user lacks", async () => {
    const warnings: UserError[] = []
    const dir = tree({
      'playbook.yml':
        '- hosts: all\n  tasks:\n    - dnf: { name: x }\n    - yum: { name: x }\n' +
        '    - user: { name: a, seuser: staff_u }\n    - user: { name: b }\n',
    })
    const modules = await loadAllModules()
    const pb = await loadPlaybook(join(dir, 'playbook.yml'), { modules, warnings })
    const tasks = pb.plays[0]!.tasks as Task[]
    expect(tasks.map((t) => t.module)).toEqual(['dnf', 'yum', 'ansible.builtin.user', 'user'])
    expect(modules.get('dnf')?.library).toMatch(/ansible\/modules\/dnf\.py$/)
    expect(modules.get('yum')?.summary).toMatch(/^Action plugin /)
    expect(warnings.map((w) => w.message)).toEqual([
      'user: tsplay\'s user takes no "seuser"; the task runs ansible.builtin.user, as Ansible does',
    ])
  })

  it('are not looked for when a task of set_fact or add_host names its own keys (no Python at load)', async () => {
    // the controller's Python, through a wrapper that logs each start: looking for Ansible's module starts it
    const dir = tree({
      'py.sh': `#!/bin/sh\necho "$*" >> "$(dirname "$0")/calls"\nexec ${controllerPython()} "$@"\n`,
      'own.yml':
        '- hosts: all\n  tasks:\n    - set_fact: { answer: 42, cacheable: true }\n' +
        '    - add_host: { name: web1, groups: web, http_port: 8080 }\n',
      'other.yml': '- hosts: all\n  tasks:\n    - user: { name: a, seuser: staff_u }\n',
    })
    chmodSync(join(dir, 'py.sh'), 0o755)
    process.env.TSPLAY_PYTHON = join(dir, 'py.sh')
    try {
      const modules = await loadAllModules()
      await loadPlaybook(join(dir, 'own.yml'), { modules })
      expect(existsSync(join(dir, 'calls'))).toBe(false)
      // the same check for an argument tsplay's user lacks does start it
      await loadPlaybook(join(dir, 'other.yml'), { modules: await loadAllModules(), warnings: [] })
      expect(existsSync(join(dir, 'calls'))).toBe(true)
    } finally {
      delete process.env.TSPLAY_PYTHON
    }
  })

  it("give roles by full name (a play's roles:, include_role), with the collection's module", async () => {
    const dir = tree({
      ...FILES,
      [`${DEMO}/roles/web/tasks/main.yml`]: '- tsplaytest.demo.hello: { who: role }\n',
      'playbook.yml':
        '- hosts: all\n  roles: [tsplaytest.demo.web]\n  tasks:\n' +
        '    - include_role: { name: tsplaytest.demo.web }\n',
    })
    const pb = await loadPlaybook(join(dir, 'playbook.yml'), { modules: fixtureModules() })
    const all = JSON.stringify(pb.plays[0]!.tasks, (k, v: unknown) => (k === 'pos' || k === 'raw' ? undefined : v))
    expect(all.match(/"module":"tsplaytest\.demo\.hello"/g)).toHaveLength(2)
    const missing = loadErrors({ ...FILES, 'playbook.yml': '- hosts: all\n  roles: [tsplaytest.demo.nope]\n' })
    expect(await missing).toEqual([expect.stringMatching(/role "tsplaytest.demo.nope" not found/)])
  })
})
