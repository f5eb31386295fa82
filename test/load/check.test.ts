/** checkUndefinedVariables: names read but defined nowhere are reported with file:line, before any contact. */
import { describe, expect, it } from 'vitest'
import type { Inventory } from '../../engine/ast.js'
import { checkUndefinedVariables } from '../../engine/load/check.js'
import type { Vars } from '../../engine/types.js'
import { load } from './helpers.js'

function inventory(hostVars: Vars = {}, groupVars: Vars = {}): Inventory {
  return {
    sources: [],
    hosts: new Map([['pi1', { name: 'pi1', vars: hostVars, groups: ['web'] }]]),
    groups: new Map([['web', { name: 'web', hosts: ['pi1'], children: [], vars: groupVars }]]),
  }
}

async function undefinedIn(files: Record<string, string>, inv = inventory(), extra: Vars = {}): Promise<string[]> {
  const pb = await load(files)
  return checkUndefinedVariables(pb, inv, extra).map((e) => `${e.pos?.file.split('/').pop()}:${e.pos?.line}:${e.pos?.col} ${e.message}`)
}

const play = (tasks: string, head = '') => `- hosts: all\n${head}  tasks:\n${tasks}`

describe('checkUndefinedVariables', () => {
  it.each([
    ['template in module args', play('    - debug: { msg: "{{ nope }}" }\n'), ['playbook.yml:3:21 undefined variable "nope" in debug.msg of debug']],
    ['condition', play('    - debug: { msg: x }\n      when: nope == 1\n'), ['playbook.yml:4:13 undefined variable "nope" in when of debug']],
    ['failed_when list item', play('    - name: t\n      debug: { msg: x }\n      failed_when: [false, "zz > 1"]\n'), ['playbook.yml:5:28 undefined variable "zz" in failed_when of "t"']],
    ['loop', play('    - debug: { msg: x }\n      loop: "{{ items }}"\n'), ['playbook.yml:4:13 undefined variable "items" in loop of debug']],
    ['play var template', '- hosts: all\n  vars: { a: "{{ b }}" }\n  tasks: []\n', ['playbook.yml:2:14 undefined variable "b" in vars.a']],
    ['is defined does not count', play('    - debug: { msg: x }\n      when: nope is defined and nope2 is not defined\n'), []],
    ['default() does not count', play('    - debug: { msg: "{{ nope | default(1) }}" }\n'), []],
    ['magic vars', play('    - debug: { msg: "{{ inventory_hostname }} {{ groups }} {{ hostvars }} {{ ansible_check_mode }} {{ ansible_distribution }} {{ facts }}" }\n'), []],
    ['play vars', play('    - debug: { msg: "{{ a }}" }\n', '  vars: { a: 1 }\n'), []],
    ['task vars', play('    - debug: { msg: "{{ a }}" }\n      vars: { a: 1 }\n'), []],
    ['registered in an earlier play', '- hosts: all\n  tasks:\n    - debug: { msg: x }\n      register: r\n- hosts: all\n  tasks:\n    - debug: { msg: "{{ r.msg }}" }\n', []],
    ['set_fact keys', play('    - set_fact: { made: 1 }\n    - debug: { msg: "{{ made }}" }\n'), []],
    ['loop var only inside its task', play('    - debug: { msg: "{{ item }} {{ pkg }}" }\n      loop: [1]\n      loop_control: { loop_var: pkg }\n    - debug: { msg: "{{ pkg }}" }\n'), ['playbook.yml:6:21 undefined variable "pkg" in debug.msg of debug']],
  ])('%s', async (_name, yaml, expected) => {
    expect(await undefinedIn({ 'playbook.yml': yaml })).toEqual(expected)
  })

  it('counts inventory host and group vars and extra vars', async () => {
    const files = { 'playbook.yml': play('    - debug: { msg: "{{ hv }} {{ gv }} {{ ev }}" }\n') }
    expect(await undefinedIn(files)).toHaveLength(3)
    expect(await undefinedIn(files, inventory({ hv: 1 }, { gv: 2 }), { ev: 3 })).toEqual([])
  })

  it('counts vars_files and role defaults, and suggests near names', async () => {
    const files = {
      'playbook.yml': '- hosts: all\n  vars_files: [v.yml]\n  roles: [r]\n  tasks:\n    - debug: { msg: "{{ from_file }} {{ hydra_prot }}" }\n',
      'v.yml': 'from_file: 1\n',
      'roles/r/defaults/main.yml': 'hydra_port: 3000\n',
    }
    const pb = await load(files)
    const errs = checkUndefinedVariables(pb, inventory(), {})
    expect(errs.map((e) => [e.message, e.hint])).toEqual([['undefined variable "hydra_prot" in debug.msg of debug', '(did you mean "hydra_port"?)']])
  })

  it('points at the include line for an inherited condition', async () => {
    expect(await undefinedIn({
      'playbook.yml': play('    - import_tasks: inc.yml\n      when: missing_flag\n'),
      'inc.yml': '- debug: { msg: x }\n',
    })).toEqual(['playbook.yml:4:13 undefined variable "missing_flag" in when of debug'])
  })

  it('reads template files for their variables, reporting the line in the template', async () => {
    expect(await undefinedIn({
      'playbook.yml': play('    - template: { src: t.hbs, dest: /etc/t }\n      vars: { local: 1 }\n'),
      'templates/t.hbs': '# {{ local }}\nport = {{ hydra_port }}\n{{#each list}}{{ name }}{{/each}}\n',
    })).toEqual([
      't.hbs:2:11 undefined variable "hydra_port" in template t.hbs',
      't.hbs:3:9 undefined variable "list" in template t.hbs',
    ])
  })
})
