/**
 * Arguments and conditions that are expressions are checked when the playbook is loaded, as `when` is: assert's
 * `that`, debug's `var`, and a condition written with `{{ }}` (its template must parse). A name assert's `that`
 * reads must be defined; debug's `var` may name an undefined one (Ansible prints that it is not defined).
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { UserErrors } from '../../engine/errors.js'
import { checkUndefinedVariables } from '../../engine/load/check.js'
import { loadPlaybook } from '../../engine/load/playbook.js'
import { loadAllModules } from '../../modules/registry.js'
import { tree } from './helpers.js'

const play = (tasks: string) => `- hosts: all\n  gather_facts: false\n  tasks:\n${tasks}`

async function loadErrors(yaml: string): Promise<string[]> {
  const dir = tree({ 'playbook.yml': yaml })
  try {
    await loadPlaybook(join(dir, 'playbook.yml'), { modules: await loadAllModules() })
    return []
  } catch (e) {
    if (!(e instanceof UserErrors)) throw e
    return e.errors.map((x) => `${x.pos?.line}:${x.pos?.col} ${x.message}`)
  }
}

describe('expressions in arguments and conditions', () => {
  it.each([
    ['assert that', '    - assert: { that: ["x is defined", "1 =="] }\n', /^4:40 invalid expression in assert\.that: /],
    [
      'assert that (one string)',
      '    - assert:\n        that: "a and"\n',
      /^5:15 invalid expression in assert\.that: /,
    ],
    ['debug var', '    - debug: { var: "[" }\n', /^4:21 invalid expression in debug\.var: /],
    [
      'when with an unclosed {{',
      '    - debug: { msg: x }\n      when: "{{ {}"\n',
      /^5:13 invalid expression in when: unclosed/,
    ],
  ])('refuses a syntax error in %s', async (_what, tasks, re) => {
    expect(await loadErrors(play(tasks))).toEqual([expect.stringMatching(re)])
  })

  it("takes good ones: YAML booleans or empty items in that, a tuple in {{ }} (Jinja's `{{ a, b }}`)", async () => {
    expect(
      await loadErrors(
        play(
          '    - assert: { that: [true, null, "1 == 1"] }\n    - debug: { var: "a.b[0]" }\n' +
            '    - name: "url,key = {{ a, b }}"\n      debug: { msg: "{{ a, b }}" }\n      vars: { a: 1, b: 2 }\n',
        ),
      ),
    ).toEqual([])
  })

  it("reports an undefined name in assert's that, not in debug's var", async () => {
    const dir = tree({ 'playbook.yml': play('    - assert: { that: ["nope == 1"] }\n    - debug: { var: nope2 }\n') })
    const pb = await loadPlaybook(join(dir, 'playbook.yml'), { modules: await loadAllModules() })
    const inv = { sources: [], hosts: new Map(), groups: new Map() }
    const found = checkUndefinedVariables(pb, inv, {})
    expect(found.errors.map((e) => `${e.pos?.line} ${e.message}`)).toEqual([
      expect.stringMatching(/^4 undefined variable "nope" in assert\.that of assert/),
    ])
    expect(found.warnings).toEqual([])
  })

  it('counts what a library module may return as facts: a name it may define is a warning', async () => {
    const dir = tree({
      'playbook.yml': play('    - mine: {}\n    - assert: { that: ["seen_by_mine"] }\n'),
      'library/mine.py':
        '#!/usr/bin/python\nimport json\nprint(json.dumps({"ansible_facts": {"seen_by_mine": True}}))\n',
    })
    const pb = await loadPlaybook(join(dir, 'playbook.yml'), { modules: await loadAllModules() })
    const found = checkUndefinedVariables(pb, { sources: [], hosts: new Map(), groups: new Map() }, {})
    expect(found.errors).toEqual([])
    expect(found.warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/"seen_by_mine" .* defined nowhere \(the facts the mine module of the playbook returns/),
    ])
  })
})
