/**
 * Filters and tests a playbook names that tsplay does not have: refused at their line where the task certainly
 * runs, a warning where it may not run or in a variable's value, and not judged at all when a Python plugin file of
 * that kind may give them.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { UserError } from '../../engine/errors.js'
import { exprCalls, noCalls } from '../../engine/expr/calls.js'
import { parseExpr } from '../../engine/expr.js'
import { loadPlaybook } from '../../engine/load/playbook.js'
import { templateCalls } from '../../engine/template.js'
import { fixtureModules } from './fixtures.js'
import { loadErrors, tree } from './helpers.js'

const play = (tasks: string, extra = '') => `- hosts: all\n${extra}  tasks:\n${tasks}`

async function warningsOf(files: Record<string, string>): Promise<string[]> {
  const warnings: UserError[] = []
  await loadPlaybook(join(tree(files), 'playbook.yml'), { modules: fixtureModules(), warnings })
  return warnings.map((w) => `${w.pos?.line}:${w.pos?.col} ${w.message}`)
}

describe('the filters and tests a template calls', () => {
  it.each<[string, string[], string[]]>([
    ["xs | map('upper') | select('match', 'a') | list", ['map', 'upper', 'select', 'list'], ['match']],
    [
      "xs | map(attribute='n') | selectattr('n', 'even') | rejectattr('m')",
      ['map', 'selectattr', 'rejectattr'],
      ['even'],
    ],
    ['(a | f1) if b is t1 else [c | f2, {d: e | f3}]', ['f1', 'f2', 'f3'], ['t1']],
    ["lookup('x', y | f4)[z | f5] is not t2(w | f6)", ['f4', 'f5', 'f6'], ['t2']],
  ])('%s', (src, filters, tests) => {
    const calls = exprCalls(parseExpr(src))
    expect([...calls.filters].sort()).toEqual(filters.sort())
    expect([...calls.tests].sort()).toEqual(tests.sort())
  })

  it('in Jinja statements and {% filter %} blocks, macros and loops', () => {
    const calls = templateCalls(
      '{% for x in xs | f1 if x is t1 %}{{ x | f2 }}{% else %}{{ y | f3 }}{% endfor %}' +
        '{% filter f4 | f5 %}a{% endfilter %}{% set z = w | f6 %}{% macro m(a=b | f7) %}{{ a | f8 }}{% endmacro %}' +
        '{% if q is t2 %}{% elif r is t3 %}{% endif %}',
    )
    expect([...calls.filters].sort()).toEqual(['f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7', 'f8'])
    expect([...calls.tests].sort()).toEqual(['t1', 't2', 't3'])
  })

  it('apart, those Jinja looks up only when their part runs: in an {% if %} or a conditional expression', () => {
    const soft = noCalls()
    const calls = templateCalls(
      '{{ a | f1 }}{% if b | f2 %}{{ c | f3 }}{% elif h is t2 %}{% else %}{{ d is t1 }}{% endif %}' +
        '{{ e | f4 if f else g | f5 }}',
      'auto',
      undefined,
      soft,
    )
    expect([...calls.filters].sort()).toEqual(['f1', 'f2'])
    expect([...soft.filters].sort()).toEqual(['f3', 'f4', 'f5'])
    expect([...soft.tests].sort()).toEqual(['t1', 't2'])
  })
})

describe('unknown filters and tests at load', () => {
  it('are refused where the task certainly runs, with a did-you-mean; a when names its test', async () => {
    const errs = await loadErrors({
      'playbook.yml': play(
        "    - debug: { msg: \"{{ 'a' | uper }} {{ [1] | map('nosuch') | list }}\" }\n" +
          '    - debug: { msg: hi }\n      when: x is evn\n' +
          '    - debug: { msg: "{{ xs | select(\'nosuchtest\') | list | default([]) }}" }\n',
      ),
    })
    expect(errs).toEqual([
      'playbook.yml:3:21 unknown filter "uper" in "debug".msg (did you mean "upper"?)',
      'playbook.yml:3:21 unknown filter "nosuch" in "debug".msg',
      'playbook.yml:5:13 unknown test "evn" in when (did you mean "even"?)',
      'playbook.yml:6:21 unknown test "nosuchtest" in "debug".msg',
    ])
  })

  it('accept every filter and test tsplay has, the undefined-friendly ones too', async () => {
    const errs = await loadErrors({
      'playbook.yml': play(
        '    - debug: { msg: "{{ x | default(1) | d(2) | mandatory }} {{ y is defined and z is undefined }}" }\n' +
          "    - debug: { msg: \"{{ (n is none) | bool }} {{ v is version('1', '>=') }} {{ v is match('a') }}\" }\n",
      ),
    })
    expect(errs).toEqual([])
  })

  it('are warnings in a task that may not run and in a variable', async () => {
    const warnings = await warningsOf({
      'playbook.yml': play(
        '    - debug: { msg: "{{ 1 | nosuch1 }}" }\n      when: false\n',
        '  vars: { v: "{{ 1 | nosuch2 }}" }\n',
      ),
    })
    expect(warnings).toEqual([
      '2:14 unknown filter "nosuch2" in "vars".v (it fails where it is read)',
      expect.stringMatching(/^4:21 unknown filter "nosuch1" in "debug".msg \(the task fails when it runs; its "when"/),
    ])
  })

  it('are not judged when a filter or test plugin file may give them (a role’s too), each kind apart', async () => {
    const files = {
      'roles/r/filter_plugins/mine.py': 'class FilterModule: pass\n',
      'roles/r/tasks/main.yml': '- debug: { msg: hi }\n',
      'playbook.yml': play(
        '    - debug: { msg: "{{ 1 | myfilter }}" }\n    - debug: { msg: "{{ 1 is zzcheck }}" }\n',
        '  roles: [r]\n',
      ),
    }
    expect(await loadErrors(files)).toEqual(['playbook.yml:5:21 unknown test "zzcheck" in "debug".msg'])
    expect(await loadErrors({ ...files, 'test_plugins/t.py': 'class TestModule: pass\n' })).toEqual([])
  })

  it("count the plugin folders beside a playbook that only imports another, as Ansible's", async () => {
    const files = {
      'playbook.yml': '- import_playbook: sub/play.yml\n',
      'sub/play.yml': play('    - debug: { msg: "{{ 1 | myfilter }} {{ lookup(\'mylook\') }}" }\n'),
    }
    expect(await loadErrors(files)).toEqual([
      expect.stringMatching(/^play.yml:3:21 lookup plugin \(mylook\) not found/),
      'play.yml:3:21 unknown filter "myfilter" in "debug".msg',
    ])
    const plugins = {
      'filter_plugins/f.py': 'class FilterModule: pass\n',
      'lookup_plugins/mylook.py': 'class LookupModule: pass\n',
    }
    expect(await loadErrors({ ...files, ...plugins })).toEqual([])
  })

  it('in a conditional part of a string are warnings: Jinja fails there only if that part runs', async () => {
    const files = {
      'playbook.yml': play('    - debug: { msg: "{{ 1 if x else (2 | nosuch3) }}" }\n', '  vars: { x: 1 }\n'),
    }
    expect(await loadErrors(files)).toEqual([])
    expect(await warningsOf(files)).toEqual([
      '4:21 unknown filter "nosuch3" in "debug".msg (it fails only if the part of the template that calls it runs)',
    ])
  })
})

describe("unknown filters and tests in a template task's file", () => {
  const file = '# conf\nport={{ port | to_nice_jsn }}\n{% if port is evn %}{{ port | nosuch }}{% endif %}\n'
  const task = (extra = '') => `    - template: { src: app.conf.j2, dest: /tmp/app.conf }\n${extra}`

  it('are refused at their place in the file where the task surely runs; in an {% if %} branch, warned', async () => {
    const files = { 'templates/app.conf.j2': file, 'playbook.yml': play(task(), '  vars: { port: 1 }\n') }
    expect(await loadErrors(files)).toEqual([
      'app.conf.j2:2:16 unknown filter "to_nice_jsn" in template app.conf.j2 (did you mean "to_nice_json"?)',
      'app.conf.j2:3:15 unknown test "evn" in template app.conf.j2 (did you mean "even"?)',
    ])
    const fixed = file.replace('to_nice_jsn', 'string').replace('evn', 'even')
    expect(await warningsOf({ ...files, 'templates/app.conf.j2': fixed })).toEqual([
      '3:32 unknown filter "nosuch" in template app.conf.j2 ' +
        '(it fails only if the part of the template that calls it runs)',
    ])
  })

  it('are warnings in a task that may not run (when, handler, rescue); a filter plugin drops filters', async () => {
    for (const tasks of [
      task('      when: port > 1\n'),
      '    - debug: { msg: hi }\n      notify: h\n      changed_when: true\n' +
        '  handlers:\n    - name: h\n      template: { src: app.conf.j2, dest: /tmp/b }\n',
      `    - block: [{ command: 'true' }]\n      rescue:\n  ${task().replace(/\n/g, '\n  ').trimEnd()}\n`,
    ]) {
      const files = { 'templates/app.conf.j2': file, 'playbook.yml': play(tasks, '  vars: { port: 1 }\n') }
      expect(await loadErrors(files), tasks).toEqual([])
      expect((await warningsOf(files)).filter((w) => w.includes('to_nice_jsn')).length, tasks).toBeGreaterThan(0)
    }
    const withPlugin = {
      'templates/app.conf.j2': file,
      'filter_plugins/f.py': 'class FilterModule: pass\n',
      'playbook.yml': play(task(), '  vars: { port: 1 }\n'),
    }
    expect(await loadErrors(withPlugin)).toEqual([
      'app.conf.j2:3:15 unknown test "evn" in template app.conf.j2 (did you mean "even"?)',
    ])
  })
})
