/**
 * Filters and tests a playbook names that tsplay does not have: refused at their line where the task certainly
 * runs, a warning where it may not run or in a variable's value, and not judged at all when a Python plugin file of
 * that kind may give them.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { UserError } from '../../engine/errors.js'
import { exprCalls } from '../../engine/expr/calls.js'
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
})
