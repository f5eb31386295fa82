/**
 * Dynamic includes that may never run: a mistake in what they load (an unknown module, a missing file) is a
 * warning when the include may be skipped (its `when`, a block's `when`, a `rescue`, a handler, a role under a
 * `when`), and the include is loaded again when it runs (and fails there); an include that certainly runs keeps it
 * an error, and so does a static import.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Block, Task, TaskNode } from '../../engine/ast.js'
import { UserError, UserErrors } from '../../engine/errors.js'
import { loadAtRunTime } from '../../engine/load/dynamic.js'
import { loadPlaybook } from '../../engine/load/playbook.js'
import { fixtureModules } from './fixtures.js'
import { loadErrors, tree } from './helpers.js'

const FILES = {
  'bad.yml': '- name: not here\n  nosuch_mod: { path: /x }\n',
  'good.yml': '- debug: { msg: fine }\n',
  'roles/broken/tasks/main.yml': '- nosuch_mod: {}\n  notify: gone\n',
  'roles/broken/handlers/main.yml': '- name: gone\n  debug: { msg: gone }\n',
}

/** Load a playbook with `body` under the play (YAML lines); the plays, the warnings and the folder. */
async function loadBody(body: string, files: Record<string, string> = {}) {
  const dir = tree({ ...FILES, ...files, 'playbook.yml': `- hosts: all\n${body}` })
  const warnings: UserError[] = []
  const pb = await loadPlaybook(join(dir, 'playbook.yml'), { modules: fixtureModules(), warnings })
  return { play: pb.plays[0], warnings: warnings.map((w) => w.format()), dir }
}

const firstBlock = (nodes: TaskNode[]) => nodes.find((n): n is Block => n.kind === 'block')!

describe('a mistake behind an include that may be skipped', () => {
  it("is a warning under the include's own when; the include loads (and fails) only when it runs", async () => {
    const { play, warnings, dir } = await loadBody(
      '  tasks:\n    - include_tasks: bad.yml\n      when: os == "Windows"\n    - debug: { msg: after }\n',
    )
    expect(warnings).toEqual([
      expect.stringMatching(
        new RegExp(
          'bad.yml:2:3: unknown task keyword or module "nosuch_mod" \\(loaded only if the include_tasks at ' +
            'playbook.yml:3:22 runs, and its "when" may skip it; it fails there if it does\\)',
        ),
      ),
    ])
    const block = firstBlock(play.tasks)
    expect(block.block).toEqual([])
    const d = block.include!.dynamic!
    expect(d).toMatchObject({ name: 'bad.yml', known: false })
    expect(d.loaded.size).toBe(0)
    const failed = await loadAtRunTime(fixtureModules(), dir, d, 'bad.yml', block.include!.argsPos).catch((e) => e)
    expect(failed).toBeInstanceOf(UserErrors)
    expect((failed as UserErrors).errors.map((e) => e.message)).toEqual(['unknown task keyword or module "nosuch_mod"'])
  })

  it('stays an error when the include runs wherever it is reached', async () => {
    const errs = await loadErrors({
      ...FILES,
      'playbook.yml': '- hosts: all\n  tasks:\n    - include_tasks: bad.yml\n',
    })
    expect(errs).toEqual([expect.stringMatching(/^bad.yml:2:3 unknown task keyword or module "nosuch_mod"/)])
  })

  it('stays an error in a static import, even under a when (Ansible reads it before the run too)', async () => {
    const errs = await loadErrors({
      ...FILES,
      'playbook.yml': '- hosts: all\n  tasks:\n    - import_tasks: bad.yml\n      when: false\n',
    })
    expect(errs).toEqual([expect.stringMatching(/^bad.yml:2:3 unknown task keyword or module/)])
  })

  it("is a warning inside a block's when and inside a rescue, not inside an always of a plain block", async () => {
    const inWhen = await loadBody('  tasks:\n    - block:\n        - include_tasks: bad.yml\n      when: x\n')
    expect(inWhen.warnings).toEqual([expect.stringMatching(/nosuch_mod.*its block's "when" may skip it/)])
    const inRescue = await loadBody(
      '  tasks:\n    - block:\n        - debug: { msg: a }\n      rescue:\n        - include_tasks: bad.yml\n',
    )
    expect(inRescue.warnings).toEqual([expect.stringMatching(/nosuch_mod.*a rescue runs only when its block fails/)])
    const errs = await loadErrors({
      ...FILES,
      'playbook.yml':
        '- hosts: all\n  tasks:\n    - block:\n        - debug: { msg: a }\n      always:\n' +
        '        - include_tasks: bad.yml\n',
    })
    expect(errs).toEqual([expect.stringMatching(/^bad.yml:2:3 unknown task keyword/)])
  })

  it("is a warning in a handler's include (loaded only when notified), also when the file is missing", async () => {
    const { play, warnings } = await loadBody(
      '  tasks:\n    - debug: { msg: a }\n  handlers:\n    - name: clean\n      include_tasks: bad.yml\n' +
        '    - name: other\n      include_tasks: missing.yml\n',
    )
    expect(warnings).toEqual([
      expect.stringMatching(/nosuch_mod.*it is a handler, run only when notified/),
      expect.stringMatching(/include_tasks: file not found: missing.yml.*it is a handler/),
    ])
    expect(play.handlers.map((h) => [h.name, h.handlerBlock?.include?.dynamic?.known])).toEqual([
      ['clean', false],
      ['other', false],
    ])
  })

  it('reaches includes nested in what a skippable include loads', async () => {
    const { warnings } = await loadBody('  tasks:\n    - include_tasks: outer.yml\n      when: x\n', {
      'outer.yml': '- debug: { msg: o }\n- include_tasks: bad.yml\n',
    })
    expect(warnings).toEqual([expect.stringMatching(/bad.yml:2:3: .*nosuch_mod.*include_tasks at outer.yml:2:18/)])
  })

  it('covers include_role under a when: the role loads as it runs, its handlers join the play then', async () => {
    const { play, warnings } = await loadBody('  tasks:\n    - include_role: { name: broken }\n      when: x\n')
    expect(warnings).toEqual([expect.stringMatching(/main.yml:1:3: .*nosuch_mod.*include_role at playbook.yml/)])
    expect(play.handlers).toEqual([])
    expect(firstBlock(play.tasks).include!.dynamic).toMatchObject({ kind: 'role', name: 'broken', known: false })
  })

  it("covers a role under a when in roles: (its include loads at run time), not the role's own tasks", async () => {
    const { warnings } = await loadBody('  roles:\n    - { role: r, when: x }\n', {
      'roles/r/tasks/main.yml': '- include_tasks: bad.yml\n',
      'roles/r/tasks/bad.yml': '- nosuch_mod: {}\n',
    })
    expect(warnings).toEqual([expect.stringMatching(/nosuch_mod.*its role's "when" may skip it/)])
    const errs = await loadErrors({
      ...FILES,
      'playbook.yml': '- hosts: all\n  roles:\n    - { role: broken, when: x }\n',
    })
    expect(errs).toEqual([expect.stringMatching(/^main.yml:1:3 unknown task keyword/)])
  })

  it('keeps no half-loaded file for a templated name that may be skipped: it loads again when it runs', async () => {
    const { play, warnings } = await loadBody(
      '  tasks:\n    - include_tasks: "{{ item }}.yml"\n      loop: [good, bad]\n      when: x\n',
    )
    expect(warnings).toEqual([expect.stringMatching(/nosuch_mod/)])
    const d = firstBlock(play.tasks).include!.dynamic!
    expect([...d.loaded.keys()]).toEqual(['good'].map((n) => `${n}.yml`))
    expect(d.known).toBe(false)
    expect((d.loaded.get('good.yml')!.nodes[0] as Task).args.msg).toBe('fine')
  })
})

describe('a task written to fail on its arguments', () => {
  it('is a warning when its failure is ignored or rescued, and keeps its arguments for the run to refuse', async () => {
    const { play, warnings } = await loadBody(
      '  tasks:\n    - copy: { dest: /x, other: 2 }\n      ignore_errors: true\n' +
        '    - block:\n        - copy: { dest: /x, content: y, nosuch: 1 }\n' +
        '      rescue:\n        - debug: { msg: r }\n',
    )
    expect(warnings).toEqual([
      expect.stringMatching(
        /3:25: unknown argument "other" for module copy \(the task fails when it runs; its failure is ignored/,
      ),
      expect.stringMatching(
        /6:41: unknown argument "nosuch" for module copy \(the task fails when it runs; its block has a rescue/,
      ),
    ])
    expect((firstBlock(play.tasks).block[0] as Task).args).toMatchObject({ nosuch: 1 })
  })

  it('covers a template that does not parse there too (Ansible fails the task when it renders it)', async () => {
    const { warnings } = await loadBody(
      "  tasks:\n    - debug: { msg: \"{{ lookup('env', 'A' b) }}\" }\n      ignore_errors: true\n",
    )
    expect(warnings).toEqual([
      expect.stringMatching(/invalid template .*\(the task fails when it runs; its failure is/),
    ])
    const errs = await loadErrors({ 'playbook.yml': '- hosts: all\n  tasks:\n    - debug: { msg: "{{ f(1 2) }}" }\n' })
    expect(errs).toEqual([expect.stringMatching(/^playbook.yml:3:21 invalid template/)])
  })

  it('stays an error otherwise, also in the rescue or always part of a block', async () => {
    const errs = await loadErrors({
      'playbook.yml':
        '- hosts: all\n  tasks:\n    - block:\n        - debug: { msg: a }\n      rescue:\n' +
        '        - copy: { dest: /x, content: y, nosuch: 1 }\n      always:\n        - copy: { dest: /x, other: 2 }\n',
    })
    expect(errs).toEqual([
      expect.stringMatching(/^playbook.yml:6:41 unknown argument "nosuch"/),
      expect.stringMatching(/^playbook.yml:8:29 unknown argument "other"/),
    ])
  })

  it('stays an error for a module nobody has, even where failure is ignored (Ansible refuses it too)', async () => {
    const errs = await loadErrors({
      'playbook.yml': '- hosts: all\n  tasks:\n    - nosuch_mod: {}\n      ignore_errors: true\n',
    })
    expect(errs).toEqual([expect.stringMatching(/^playbook.yml:3:7 unknown task keyword or module "nosuch_mod"/)])
  })
})
