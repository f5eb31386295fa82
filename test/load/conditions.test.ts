/**
 * Conditions (`when`, `failed_when`, `changed_when`, `until`) are expressions; one written with `{{ }}` or `{% %}`
 * still works, as in Ansible (rendered first, then evaluated), and gets Ansible's warning at its line.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { UserError } from '../../engine/errors.js'
import { evalCondition, isTemplatedCondition } from '../../engine/expr.js'
import { loadPlaybook } from '../../engine/load/playbook.js'
import { fixtureModules } from './fixtures.js'
import { tree } from './helpers.js'

async function warningsOf(tasks: string): Promise<string[]> {
  const warnings: UserError[] = []
  const dir = tree({ 'playbook.yml': `- hosts: all\n  tasks:\n${tasks}` })
  await loadPlaybook(join(dir, 'playbook.yml'), { modules: fixtureModules(), warnings })
  return warnings.map((w) => `${w.pos?.line}:${w.pos?.col} ${w.message}`)
}

const WARNING = 'conditional statements should not include jinja2 templating delimiters such as {{ }} or {% %}'

describe('templating delimiters in a condition', () => {
  it.each([
    ['when', '    - debug: { msg: x }\n      when: "{{ x }}"\n', [`4:13 ${WARNING}. Found: {{ x }}`]],
    [
      'a when list and failed_when',
      '    - debug: { msg: x }\n      when: [a, "{{ b }} == 1"]\n      failed_when: "{% if c %}true{% endif %}"\n',
      [`4:17 ${WARNING}. Found: {{ b }} == 1`, `5:20 ${WARNING}. Found: {% if c %}true{% endif %}`],
    ],
    ['plain expressions', '    - debug: { msg: x }\n      when: x and "{" in y\n      changed_when: false\n', []],
  ])('%s', async (_name, tasks, expected) => {
    expect(await warningsOf(tasks)).toEqual(expected)
  })
})

describe('a condition with templating beside other text', () => {
  const vars = { b: 1, c: true, name: 'web', xs: [1, 2] }
  it.each<[string, boolean]>([
    ['{{ b }} == 1', true],
    ['{% if c %}True{% endif %}', true],
    ['{% if not c %}True{% endif %}', false],
    ["'{{ name }}' == 'web'", true],
    ['{{ xs }} | length == 2', true],
    ['{{ c }} and {{ b }} > 0', true],
    ['{{ b == 2 }}', false],
  ])('%s is %s', (src, expected) => {
    expect(evalCondition(src, vars)).toBe(expected)
  })

  it('is told from one whole {{ expression }}', () => {
    expect([
      isTemplatedCondition('{{ x }}'),
      isTemplatedCondition(' {{ x }} '),
      isTemplatedCondition('{{ x }} == 1'),
    ]).toEqual([false, false, true])
  })
})
