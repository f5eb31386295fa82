/** `--tags` that no tag matches: refused, unless an include whose file is known only at run time may carry it. */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Inventory } from '../../engine/ast.js'
import { checkSelection } from '../../engine/cli/selection.js'
import { loadPlaybook } from '../../engine/load/playbook.js'
import { fixtureModules } from '../load/fixtures.js'
import { tree } from '../load/helpers.js'

const inventory: Inventory = { sources: [], hosts: new Map(), groups: new Map() }

async function findings(tasks: string) {
  const dir = tree({
    'a.yml': '- debug: { msg: a }\n  tags: [in_a]\n',
    'playbook.yml': `- hosts: all\n  tasks:\n${tasks}`,
  })
  const modules = fixtureModules()
  const playbook = await loadPlaybook(join(dir, 'playbook.yml'), { modules })
  const r = checkSelection(
    { playbook, inventory, modules, warnings: [] },
    { tags: ['in_a', 'elsewhere'], skipTags: [] },
  )
  return { errors: r.errors.map((e) => e.message), warnings: r.warnings.map((e) => e.message) }
}

describe('--tags and templated includes', () => {
  it('tags of files a loop of literals names are known; an unknown tag is refused', async () => {
    expect(await findings('    - include_tasks: "{{ item }}.yml"\n      loop: [a]\n')).toEqual({
      errors: ['--tags "elsewhere" matches no tag in the playbook'],
      warnings: [],
    })
  })

  it('an include known only at run time may carry any tag: a warning', async () => {
    expect(await findings('    - include_tasks: "{{ x }}.yml"\n')).toEqual({
      errors: [],
      warnings: ['--tags "in_a" matches no tag in the playbook', '--tags "elsewhere" matches no tag in the playbook'],
    })
  })
})

describe('--start-at-task', () => {
  async function startAt(want: string, tasks: string) {
    const dir = tree({
      'roles/r/tasks/main.yml': '- name: in role\n  debug: { msg: r }\n',
      'playbook.yml': `- hosts: all\n  roles: [r]\n  tasks:\n${tasks}`,
    })
    const modules = fixtureModules()
    const playbook = await loadPlaybook(join(dir, 'playbook.yml'), { modules })
    const r = checkSelection(
      { playbook, inventory, modules, warnings: [] },
      { tags: [], skipTags: [], startAtTask: want },
    )
    return { errors: r.errors.map((e) => e.message), warnings: r.warnings.map((e) => e.message) }
  }
  const one = '    - name: install web\n      debug: { msg: x }\n'

  it.each(['install web', 'install*', 'r : in role', 'r : *', 'in role'])(
    '"%s" names a task: accepted',
    async (want) => {
      expect(await startAt(want, one)).toEqual({ errors: [], warnings: [] })
    },
  )

  it('a name no task has is refused before any contact, with the closest names', async () => {
    expect((await startAt('instal web', one)).errors).toEqual([
      '--start-at-task "instal web" matches no task in the playbook',
    ])
  })

  it('with an include known only at run time, a warning', async () => {
    expect(await startAt('elsewhere', `${one}    - include_tasks: "{{ x }}.yml"\n`)).toEqual({
      errors: [],
      warnings: ['--start-at-task "elsewhere" matches no task in the playbook'],
    })
  })
})
