/**
 * Templated include names: static imports resolve at load time from play vars, vars_files and -e (else an error at
 * the name); dynamic includes keep the template, load the names known before the run (loop of literals, -e) and
 * refuse a missing one, and only warn when the name is known at run time alone.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Block, Task, TaskNode } from '../../engine/ast.js'
import { UserError, UserErrors } from '../../engine/errors.js'
import { loadAtRunTime } from '../../engine/load/dynamic.js'
import { mentionedWords } from '../../engine/load/mentions.js'
import { loadPlaybook } from '../../engine/load/playbook.js'
import { fixtureModules } from './fixtures.js'
import { loadErrors, tree } from './helpers.js'

const FILES = {
  'a.yml': '- debug: { msg: in a }\n',
  'b.yml': '- debug: { msg: in b }\n  tags: [bee]\n',
  'vars.yml': 'flavour: b\n',
  'roles/web/tasks/main.yml': '- debug: { msg: web }\n  notify: reload\n',
  'roles/web/handlers/main.yml': '- name: reload\n  debug: { msg: reloaded }\n',
}

/** Load a playbook whose tasks are `tasks` (YAML lines); returns the tasks, the warnings and the folder. */
async function loadTasks(tasks: string, extraVars = {}, playVars = 'which: a') {
  const dir = tree({ ...FILES, 'playbook.yml': `- hosts: all\n  vars: { ${playVars} }\n  tasks:\n${tasks}` })
  const warnings: UserError[] = []
  const pb = await loadPlaybook(join(dir, 'playbook.yml'), { modules: fixtureModules(), extraVars, warnings })
  return { tasks: pb.plays[0].tasks, play: pb.plays[0], warnings: warnings.map((w) => w.format()), dir }
}

const msgs = (nodes: TaskNode[]) => nodes.map((n) => (n as Task).args.msg)

describe('static imports with templated names', () => {
  it('resolve from play vars, vars_files and -e (-e wins)', async () => {
    expect(msgs((await loadTasks('    - import_tasks: "{{ which }}.yml"\n')).tasks)).toEqual(['in a'])
    const withE = await loadTasks('    - import_tasks: "{{ which }}.yml"\n', { which: 'b' })
    expect(msgs(withE.tasks)).toEqual(['in b'])
    const dir = tree({
      ...FILES,
      'playbook.yml': '- hosts: all\n  vars_files: [vars.yml]\n  tasks:\n    - import_tasks: "{{ flavour }}.yml"\n',
    })
    const pb = await loadPlaybook(join(dir, 'playbook.yml'), { modules: fixtureModules() })
    expect(msgs(pb.plays[0].tasks)).toEqual(['in b'])
  })

  it('import_role renders its name the same way', async () => {
    const { tasks, play } = await loadTasks('    - import_role: { name: "{{ r }}" }\n', {}, 'r: web')
    expect(msgs(tasks)).toEqual(['web'])
    expect(play.handlers.map((h) => h.name)).toEqual(['reload'])
  })

  it('refuse a name that needs variables known only at run time, at the name, saying what may be used', async () => {
    const errs = await loadErrors({
      ...FILES,
      'playbook.yml': '- hosts: all\n  tasks:\n    - import_tasks: "{{ x }}.yml"\n',
    })
    expect(errs).toHaveLength(1)
    expect(errs[0]).toMatch(
      /^playbook.yml:3:21 "import_tasks" name "\{\{ x \}\}.yml" cannot be resolved .*undefined variable "x"/,
    )
    expect(errs[0]).toMatch(/may use only play vars, vars_files and -e variables; use include_tasks/)
  })

  it('refuse a resolved name whose file is missing', async () => {
    const errs = await loadErrors({
      ...FILES,
      'playbook.yml': '- hosts: all\n  vars: { x: c }\n  tasks:\n    - import_tasks: "{{ x }}.yml"\n',
    })
    expect(errs).toEqual([expect.stringMatching(/^playbook.yml:4:21 import_tasks: file not found: c.yml/)])
  })
})

describe('dynamic includes with templated names', () => {
  it('keep the template and load each literal loop item before the run', async () => {
    const { tasks, warnings } = await loadTasks('    - include_tasks: "{{ item }}.yml"\n      loop: [a, b]\n')
    const inc = (tasks[0] as Block).include!
    expect(inc.args).toEqual({ file: '{{ item }}.yml' })
    expect((tasks[0] as Block).block).toEqual([])
    expect([...inc.dynamic!.loaded.keys()]).toEqual(['a.yml', 'b.yml'])
    expect(msgs(inc.dynamic!.loaded.get('b.yml')!.nodes)).toEqual(['in b'])
    expect(warnings).toEqual([])
  })

  it('refuse a literal loop item or -e value that names a missing file, at the include', async () => {
    const errs = await loadErrors({
      ...FILES,
      'playbook.yml': '- hosts: all\n  tasks:\n    - include_tasks: "{{ item }}.yml"\n      loop: [a, nope]\n',
    })
    expect(errs).toEqual([expect.stringMatching(/^playbook.yml:3:22 include_tasks: file not found: nope.yml/)])
  })

  it('only warn about a missing file a loop item names when the include has a when of its own', async () => {
    const { warnings } = await loadTasks(
      '    - include_tasks: "{{ item }}.yml"\n      loop: [a, nope]\n      when: item != "nope"\n',
    )
    expect(warnings).toEqual([expect.stringMatching(/:4:22: include_tasks: file not found: nope.yml \(unless/)])
  })

  it('the legacy include is dynamic when its name is a template or it loops, else static', async () => {
    const { tasks } = await loadTasks(
      '    - include: "{{ which }}.yml"\n    - include: a.yml\n      loop: [x]\n    - include: b.yml\n',
    )
    expect((tasks[0] as Block).include?.dynamic?.name).toBe('{{ which }}.yml')
    expect((tasks[1] as Block).include?.args).toEqual({ file: 'a.yml' })
    expect((tasks[2] as Task).args.msg).toBe('in b')
  })

  it('refuse a mistake inside a file a loop item names', async () => {
    const errs = await loadErrors({
      ...FILES,
      'bad.yml': '- debgu: { msg: x }\n',
      'playbook.yml': '- hosts: all\n  tasks:\n    - include_tasks: "{{ item }}.yml"\n      loop: [bad]\n',
    })
    expect(errs).toEqual([expect.stringMatching(/^bad.yml:1:3 .*debgu/)])
  })

  it('only warn when the name comes from play vars that run time may change, and the file is missing', async () => {
    const { warnings } = await loadTasks('    - include_tasks: "{{ which }}.yml"\n', {}, 'which: c')
    expect(warnings).toEqual([
      expect.stringMatching(
        /playbook.yml:4:22: include_tasks: file not found: c.yml \(unless a variable changes before\)/,
      ),
    ])
  })

  it('only warn when a default a variable may replace names the file, and that file has a mistake', async () => {
    const playbook = '- hosts: all\n  tasks:\n    - include_tasks: "{{ which | default(\'bad\') }}.yml"\n'
    const dir = tree({ ...FILES, 'bad.yml': '- debgu: { msg: x }\n', 'playbook.yml': playbook })
    const warnings: UserError[] = []
    await loadPlaybook(join(dir, 'playbook.yml'), { modules: fixtureModules(), warnings })
    const said = warnings.map((w) => w.format())
    expect(said).toEqual([expect.stringMatching(/bad.yml:1:3.*debgu.*\(unless a variable changes before\)/)])
    // given with -e, the name is certain: the mistake is refused
    const withE = loadPlaybook(join(dir, 'playbook.yml'), { modules: fixtureModules(), extraVars: { which: 'bad' } })
    await expect(withE).rejects.toThrow(/debgu/)
  })

  it('render role_path, role_name and playbook_dir in a name before the run, and check what they name', async () => {
    const errs = await loadErrors({
      ...FILES,
      'playbook.yml': '- hosts: all\n  roles: [web]\n  tasks:\n    - include_tasks: "{{ playbook_dir }}/bad.yml"\n',
      'bad.yml': '- debgu: { msg: x }\n',
      'roles/web/tasks/main.yml': '- include_tasks: "{{ role_path }}/tasks/{{ role_name }}-setup.yml"\n',
      'roles/web/tasks/web-setup.yml': '- debgu: { msg: y }\n',
    })
    expect(errs).toEqual([
      expect.stringMatching(/^web-setup.yml:1:3 .*debgu/),
      expect.stringMatching(/^bad.yml:1:3 .*debgu/),
    ])
  })

  it('only warn when a role named by play vars is missing: run time may change the name', async () => {
    const { tasks, warnings } = await loadTasks('    - include_role: { name: "{{ r }}" }\n', {}, 'r: nope')
    expect(tasks).toHaveLength(1)
    expect(warnings).toEqual([expect.stringMatching(/role "nope" not found.*\(unless a variable changes before\)/)])
  })

  it('warn, not refuse, when the name is known only at run time', async () => {
    const { tasks, warnings } = await loadTasks(
      '    - include_tasks: "{{ os }}.yml"\n    - include_role: { name: "{{ r }}" }\n' +
        '    - include_tasks: "{{ item }}.yml"\n      loop: "{{ files }}"\n',
    )
    expect(tasks).toHaveLength(3)
    expect(warnings).toEqual([
      expect.stringMatching(/:4:22: include_tasks "\{\{ os \}\}.yml": the name depends on variables known only at run/),
      expect.stringMatching(/:5:21: include_role "\{\{ r \}\}": the name depends/),
      expect.stringMatching(/:6:22: include_tasks "\{\{ item \}\}.yml": the name depends/),
    ])
  })

  it('load at run time: the file, or a clear error with the include position', async () => {
    const { tasks, dir } = await loadTasks(
      '    - include_tasks: "{{ os }}.yml"\n    - include_role: { name: "{{ r }}" }\n',
    )
    const [files, role] = tasks.map((t) => (t as Block).include!.dynamic!)
    const at = (tasks[0] as Block).include!.argsPos
    const got = await loadAtRunTime(fixtureModules(), dir, files, 'b.yml', at)
    expect(msgs(got.nodes)).toEqual(['in b'])
    const web = await loadAtRunTime(fixtureModules(), dir, role, 'web', at)
    expect(web.handlers.map((h) => h.name)).toEqual(['reload'])
    const missing = loadAtRunTime(fixtureModules(), dir, files, 'nope.yml', at)
    await expect(missing).rejects.toThrow(UserErrors)
    await expect(missing).rejects.toThrow(/playbook.yml:4:22: include_tasks: file not found: nope.yml/)
  })

  it('count as reading the variables of their name and of the files they were found to bring', async () => {
    const files = { ...FILES, 'a.yml': '- debug: { msg: "{{ from_a }}" }\n' }
    const dir = tree({
      ...files,
      'playbook.yml': '- hosts: all\n  tasks:\n    - include_tasks: "{{ item }}{{ suffix }}"\n      loop: [a]\n',
    })
    const pb = await loadPlaybook(join(dir, 'playbook.yml'), {
      modules: fixtureModules(),
      extraVars: { suffix: '.yml' },
    })
    const words = mentionedWords(pb, { sources: [], hosts: new Map(), groups: new Map() })
    expect(words.has('suffix')).toBe(true)
    expect(words.has('from_a')).toBe(true)
  })
})
