/**
 * Templated `import_playbook` names (from -e only, as Ansible) and templated `tasks_from`/`vars_from`/… of
 * `import_role` (rendered at load time) and `include_role` (rendered per host at run time through the dynamic
 * include; a value known before the run is loaded and checked then).
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Block, Task } from '../../engine/ast.js'
import { UserError } from '../../engine/errors.js'
import { loadPlaybook } from '../../engine/load/playbook.js'
import { fixtureModules } from './fixtures.js'
import { loadAllModules } from '../../modules/registry.js'
import { loadErrors, tree } from './helpers.js'

const FILES = {
  'sub.yml': '- hosts: all\n  tasks:\n    - debug: { msg: in sub }\n',
  'roles/web/tasks/main.yml': '- debug: { msg: web main }\n',
  'roles/web/tasks/other.yml': '- debug: { msg: "web other {{ v }}" }\n',
  'roles/web/vars/main.yml': 'v: main\n',
  'roles/web/vars/alt.yml': 'v: alt\n',
}

async function load(playbook: string, extraVars = {}) {
  const dir = tree({ ...FILES, 'playbook.yml': playbook })
  const warnings: UserError[] = []
  const pb = await loadPlaybook(join(dir, 'playbook.yml'), { modules: fixtureModules(), extraVars, warnings })
  return { pb, warnings: warnings.map((w) => w.message) }
}

describe('templated import_playbook names', () => {
  it('render from -e', async () => {
    const { pb } = await load('- import_playbook: "{{ which }}.yml"\n', { which: 'sub' })
    expect((pb.plays[0].tasks[0] as Task).args.msg).toBe('in sub')
  })
  it('are refused at their line when -e does not give the variable', async () => {
    const errs = await loadErrors({ ...FILES, 'playbook.yml': '- import_playbook: "{{ which }}.yml"\n' })
    expect(errs).toEqual([expect.stringMatching(/^playbook.yml:1:20 "import_playbook" name .*undefined variable/)])
  })
})

describe('import_playbook vars', () => {
  it("become each imported play's vars over its own, outer imports winning; they may name the file", async () => {
    const dir = tree({
      'inner.yml': '- hosts: all\n  vars: { a: play, b: play, c: play }\n  tasks: [{ debug: { msg: x } }]\n',
      'mid.yml': '- import_playbook: inner.yml\n  vars: { b: mid, c: mid }\n',
      'playbook.yml':
        '- import_playbook: "{{ f }}.yml"\n  vars: { f: mid, c: "{{ e }}-top" }\n- import_playbook: inner.yml\n',
    })
    const pb = await loadPlaybook(join(dir, 'playbook.yml'), { modules: fixtureModules(), extraVars: { e: 'x' } })
    expect(pb.plays.map((p) => p.vars)).toEqual([
      { a: 'play', b: 'mid', c: '{{ e }}-top', f: 'mid' },
      { a: 'play', b: 'play', c: 'play' },
    ])
  })
  it('must be a map', async () => {
    const errs = await loadErrors({ ...FILES, 'playbook.yml': '- import_playbook: sub.yml\n  vars: [1]\n' })
    expect(errs).toEqual([expect.stringMatching(/^playbook.yml:2:\d+ .*a map of names to values/)])
  })
  it("the import's tags and when reach every imported play; tags in its vars are dropped (as 2.14)", async () => {
    const dir = tree({
      'inner.yml': '- hosts: all\n  tags: [own]\n  tasks: [{ debug: { msg: x } }]\n',
      'mid.yml': '- import_playbook: inner.yml\n  when: b\n  tags: mid\n',
      'playbook.yml': '- import_playbook: mid.yml\n  when: [a]\n  tags: [top, more]\n  vars: { tags: t, v: 1 }\n',
    })
    const [play] = (await loadPlaybook(join(dir, 'playbook.yml'), { modules: fixtureModules() })).plays
    expect(play.tags).toEqual(['own', 'mid', 'top', 'more'])
    expect(play.when).toEqual(['a', 'b'])
    expect(play.vars).toEqual({ v: 1 })
  })
})

describe('templated tasks_from and vars_from', () => {
  it('import_role renders them from play vars when the playbook loads', async () => {
    const { pb } = await load(
      '- hosts: all\n  vars: { t: other, vf: alt }\n  tasks:\n' +
        '    - import_role: { name: web, tasks_from: "{{ t }}", vars_from: "{{ vf }}" }\n',
    )
    expect((pb.plays[0].tasks[0] as Task).args.msg).toBe('web other {{ v }}')
    expect(pb.plays[0].tasks.length).toBe(1)
  })
  it('include_role keeps them for run time, loading a value known before the run', async () => {
    const { pb, warnings } = await load(
      '- hosts: all\n  vars: { t: other }\n  tasks:\n    - include_role: { name: web, tasks_from: "{{ t }}" }\n',
    )
    const d = (pb.plays[0].tasks[0] as Block).include!.dynamic!
    expect([...d.loaded.keys()]).toEqual(['web\ntasks_from=other'])
    expect(warnings).toEqual([])
  })
  it('include_role with a value only the host knows is a warning, not a refusal', async () => {
    const { warnings } = await load(
      '- hosts: all\n  tasks:\n    - include_role: { name: web, tasks_from: "{{ host_only }}" }\n',
    )
    expect(warnings.join('\n')).toMatch(/include_role "web, tasks_from=\{\{ host_only \}\}": the name depends/)
  })
})

describe('lookups named in templates', () => {
  it('refuses a lookup tsplay does not have, at its line; accepts the ones it has, FQCN too', async () => {
    const errs = await loadErrors({
      'playbook.yml':
        "- hosts: all\n  tasks:\n    - debug: { msg: \"{{ lookup('nosuch', 'x') }}\" }\n" +
        "    - debug: { msg: hi }\n      when: query('community.general.nope') | length > 0\n" +
        "    - debug: { msg: \"{{ q('ansible.builtin.sequence', 'count=2') }} {{ lookup('first_found', ['a']) }}\" }\n",
    })
    expect(errs).toEqual([
      expect.stringMatching(/^playbook.yml:3:21 lookup plugin \(nosuch\) not found in "debug".msg/),
      expect.stringMatching(/^playbook.yml:5:13 lookup plugin \(community.general.nope\) not found in when/),
    ])
  })

  it('warns of an unknown lookup in a task that may not run: the task fails if it runs, as in Ansible', async () => {
    const { warnings } = await load(
      "- hosts: all\n  tasks:\n    - debug: { msg: \"{{ lookup('nosuch', 'x') }}\" }\n      when: false\n" +
        '  handlers:\n    - name: h\n      debug: { msg: "{{ q(\'other\') }}" }\n',
    )
    expect(warnings).toEqual([
      expect.stringMatching(/^lookup plugin \(nosuch\) not found .*its "when" may skip it/),
      expect.stringMatching(/^lookup plugin \(other\) not found .*handler/),
    ])
  })

  it("does so in assert's that and debug's var too (nginxinc's check of a collection's version)", async () => {
    const dir = tree({
      'playbook.yml':
        "- hosts: all\n  tasks:\n    - assert: { that: \"lookup('nosuch', 'x') != 'none'\" }\n      when: false\n" +
        '    - debug: { var: "q(\'other\') | nofilter" }\n      when: false\n',
    })
    const found: UserError[] = []
    await loadPlaybook(join(dir, 'playbook.yml'), { modules: await loadAllModules(), warnings: found })
    expect(found.map((w) => w.message)).toEqual([
      expect.stringMatching(/^lookup plugin \(nosuch\) not found in assert.that .*its "when" may skip it/),
      expect.stringMatching(/^lookup plugin \(other\) not found in debug.var .*its "when" may skip it/),
      expect.stringMatching(/^unknown filter "nofilter" in debug.var .*its "when" may skip it/),
    ])
  })
})
