/**
 * checkUndefinedVariables: names read but defined nowhere are reported with file:line, before any contact —
 * as errors when certain, as warnings when something may define the name or the reading task may not run.
 */
import { describe, expect, it } from 'vitest'
import type { Inventory } from '../../engine/ast.js'
import { checkUndefinedVariables } from '../../engine/load/check.js'
import type { Vars } from '../../engine/types.js'
import { join } from 'node:path'
import { loadPlaybook } from '../../engine/load/playbook.js'
import { loadAllModules } from '../../modules/registry.js'
import { load, tree } from './helpers.js'

function inventory(hostVars: Vars = {}, groupVars: Vars = {}): Inventory {
  return {
    sources: [],
    hosts: new Map([['pi1', { name: 'pi1', vars: hostVars, groups: ['web'] }]]),
    groups: new Map([['web', { name: 'web', hosts: ['pi1'], children: [], vars: groupVars }]]),
  }
}

async function undefinedIn(files: Record<string, string>, inv = inventory(), extra: Vars = {}): Promise<string[]> {
  const pb = await load(files)
  return checkUndefinedVariables(pb, inv, extra).errors.map(
    (e) => `${e.pos?.file.split('/').pop()}:${e.pos?.line}:${e.pos?.col} ${e.message}`,
  )
}

const play = (tasks: string, head = '') => `- hosts: all\n${head}  tasks:\n${tasks}`

describe('checkUndefinedVariables', () => {
  it.each([
    [
      'template in module args',
      play('    - debug: { msg: "{{ nope }}" }\n'),
      ['playbook.yml:3:25 undefined variable "nope" in debug.msg of debug'],
    ],
    [
      'condition',
      play('    - debug: { msg: x }\n      when: nope == 1\n'),
      ['playbook.yml:4:13 undefined variable "nope" in when of debug'],
    ],
    [
      'a role default read by a task',
      '- hosts: all\n  roles: [r]\n  tasks:\n    - debug: { msg: "{{ uri }}" }\n',
      ['main.yml:1:19 undefined variable "prot" in variable "uri"'],
      { 'roles/r/defaults/main.yml': 'uri: "http://x:{{ prot }}"\n' },
    ],
    [
      'failed_when list item',
      play('    - name: t\n      debug: { msg: x }\n      failed_when: [false, "zz > 1"]\n'),
      ['playbook.yml:5:29 undefined variable "zz" in failed_when of "t"'],
    ],
    [
      'a when list: a name an earlier condition tests defined is not read undefined later (Ansible stops first)',
      play('    - debug: { msg: x }\n      when: [dbg is defined, dbg | bool, late | bool, late is defined]\n'),
      ['playbook.yml:4:42 undefined variable "late" in when of debug'],
    ],
    [
      'loop',
      play('    - debug: { msg: x }\n      loop: "{{ items }}"\n'),
      ['playbook.yml:4:17 undefined variable "items" in loop of debug'],
    ],
    [
      'play var template',
      '- hosts: all\n  vars: { a: "{{ b }}" }\n  tasks: [{ debug: { msg: "{{ a }}" } }]\n',
      ['playbook.yml:2:18 undefined variable "b" in vars.a'],
    ],
    [
      'is defined does not count',
      play('    - debug: { msg: x }\n      when: nope is defined and nope2 is not defined\n'),
      [],
    ],
    ['default() does not count', play('    - debug: { msg: "{{ nope | default(1) }}" }\n'), []],
    [
      'magic vars',
      play(
        '    - debug: { msg: "{{ inventory_hostname }} {{ groups }} {{ hostvars }} {{ ansible_check_mode }} ' +
          '{{ ansible_distribution }} {{ facts }}" }\n',
      ),
      [],
    ],
    ['play vars', play('    - debug: { msg: "{{ a }}" }\n', '  vars: { a: 1 }\n'), []],
    ['task vars', play('    - debug: { msg: "{{ a }}" }\n      vars: { a: 1 }\n'), []],
    [
      'registered in an earlier play',
      '- hosts: all\n  tasks:\n    - debug: { msg: x }\n      register: r\n- hosts: all\n  tasks:\n    - ' +
        'debug: { msg: "{{ r.msg }}" }\n',
      [],
    ],
    ['set_fact keys', play('    - set_fact: { made: 1 }\n    - debug: { msg: "{{ made }}" }\n'), []],
    [
      'loop var only inside its task',
      play(
        '    - debug: { msg: "{{ item }} {{ pkg }}" }\n      loop: [1]\n      loop_control: { loop_var: pkg ' +
          '}\n    - debug: { msg: "{{ pkg }}" }\n',
      ),
      ['playbook.yml:6:25 undefined variable "pkg" in debug.msg of debug'],
    ],
  ])('%s', async (_name, yaml, expected, more?: Record<string, string>) => {
    expect(await undefinedIn({ 'playbook.yml': yaml, ...more })).toEqual(expected)
  })

  it('counts a name an include_tasks or include_role registers (also in a handler)', async () => {
    const files = {
      'playbook.yml':
        play(
          '    - include_tasks: one.yml\n      register: inc\n    - include_role: { name: r }\n      register: role\n' +
            '    - debug: { msg: "{{ inc.include }} {{ role.include_args }} {{ h }}" }\n',
        ) + '  handlers:\n    - include_tasks: one.yml\n      register: h\n',
      'one.yml': '- debug: { msg: x }\n',
      'roles/r/tasks/main.yml': '- debug: { msg: r }\n',
    }
    expect(await undefinedIn(files)).toEqual([])
  })

  it("counts a private include_role's defaults (a defaults/main/ folder's too), for tasks and handlers", async () => {
    const files = {
      'playbook.yml': play('    - include_role: { name: r }\n    - include_role: { name: s }\n'),
      'roles/r/tasks/main.yml': '- debug: { msg: "{{ d1 }}" }\n  changed_when: true\n  notify: h\n',
      'roles/r/defaults/main.yml': 'd1: 1\n',
      'roles/r/handlers/main.yml': '- name: h\n  debug: { msg: "{{ d1 }}" }\n',
      'roles/s/tasks/main.yml': '- debug: { msg: "{{ d2 }} {{ d3 }} {{ v }}" }\n',
      'roles/s/defaults/main/a.yml': 'd2: 2\n',
      'roles/s/defaults/main/more/b': 'd3: 3\n',
      'roles/s/vars/main.json': '{"v": 4}',
    }
    expect(await undefinedIn(files)).toEqual([])
  })

  it('checks a templated hosts: an undefined name is refused; play vars and extra vars define it', async () => {
    const book = (head: string) => `- hosts: "{{ target }}"\n${head}  tasks:\n    - debug: { msg: x }\n`
    expect(await undefinedIn({ 'playbook.yml': book('') })).toEqual([
      'playbook.yml:1:14 undefined variable "target" in hosts',
    ])
    expect(await undefinedIn({ 'playbook.yml': book('  vars: { target: web }\n') })).toEqual([])
    expect(await undefinedIn({ 'playbook.yml': book('') }, inventory(), { target: 'web' })).toEqual([])
  })

  it('counts inventory host and group vars and extra vars', async () => {
    const files = { 'playbook.yml': play('    - debug: { msg: "{{ hv }} {{ gv }} {{ ev }}" }\n') }
    expect(await undefinedIn(files)).toHaveLength(3)
    expect(await undefinedIn(files, inventory({ hv: 1 }, { gv: 2 }), { ev: 3 })).toEqual([])
  })

  it('counts vars_files and role defaults, and suggests near names', async () => {
    const files = {
      'playbook.yml':
        '- hosts: all\n  vars_files: [v.yml]\n  roles: [r]\n  tasks:\n    - debug: { msg: "{{ from_file }} ' +
        '{{ hydra_prot }}" }\n',
      'v.yml': 'from_file: 1\n',
      'roles/r/defaults/main.yml': 'hydra_port: 3000\n',
    }
    const pb = await load(files)
    const errs = checkUndefinedVariables(pb, inventory(), {}).errors
    expect(errs.map((e) => [e.message, e.hint])).toEqual([
      ['undefined variable "hydra_prot" in debug.msg of debug', '(did you mean "hydra_port"?)'],
    ])
  })

  it('points at the include line for an inherited condition', async () => {
    expect(
      await undefinedIn({
        'playbook.yml': play('    - import_tasks: inc.yml\n      when: missing_flag\n'),
        'inc.yml': '- debug: { msg: x }\n',
      }),
    ).toEqual(['playbook.yml:4:13 undefined variable "missing_flag" in when of debug'])
  })

  it('reads template files for their variables, reporting the line in the template', async () => {
    expect(
      await undefinedIn({
        'playbook.yml': play('    - template: { src: t.hbs, dest: /etc/t }\n      vars: { local: 1 }\n'),
        'templates/t.hbs': '# {{ local }}\nport = {{ hydra_port }}\n{{#each list}}{{ name }}{{/each}}\n',
      }),
    ).toEqual([
      't.hbs:2:11 undefined variable "hydra_port" in template t.hbs',
      't.hbs:3:9 undefined variable "list" in template t.hbs',
    ])
  })

  it('knows the variables Ansible adds to a template file (template_path, template_destpath, …)', async () => {
    expect(
      await undefinedIn({
        'playbook.yml': play('    - template: { src: t.j2, dest: /etc/t }\n'),
        'templates/t.j2': '{{ template_path }} {{ template_destpath }} {{ template_host }} {{ template_uid }}\n',
      }),
    ).toEqual([])
  })
})

async function findings(files: Record<string, string>, inv = inventory()) {
  const f = checkUndefinedVariables(await load(files), inv, {})
  const show = (e: { pos?: { file: string; line: number; col: number }; message: string }) =>
    `${e.pos?.file.split('/').pop()}:${e.pos?.line}:${e.pos?.col} ${e.message}`
  return { errors: f.errors.map(show), warnings: f.warnings.map(show) }
}

describe('certain or not: errors and warnings', () => {
  it.each<[string, Record<string, string>, RegExp]>([
    [
      'a task under "when"',
      { 'playbook.yml': play('    - debug: { msg: "{{ nope }}" }\n      when: true\n') },
      /task may be skipped/,
    ],
    [
      'a task in a block under "when"',
      { 'playbook.yml': play('    - when: false\n      block:\n        - debug: { msg: "{{ nope }}" }\n') },
      /block may be skipped/,
    ],
    [
      'a file an include_tasks under "when" loads',
      {
        'playbook.yml': play('    - include_tasks: inc.yml\n      when: false\n'),
        'inc.yml': '- debug: { msg: "{{ nope }}" }\n',
      },
      /the include_tasks may be skipped by its "when"/,
    ],
    [
      'a rescue section',
      {
        'playbook.yml': play(
          '    - block: [{ command: /bin/true }]\n      rescue:\n        - debug: { msg: "{{ nope }}" }\n',
        ),
      },
      /rescue runs only after a failure/,
    ],
    [
      'a task whose failure is ignored',
      { 'playbook.yml': play('    - debug: { msg: "{{ nope }}" }\n      ignore_errors: true\n') },
      /its failure is ignored/,
    ],
    [
      'a task in a block under ignore_errors',
      {
        'playbook.yml': play(
          '    - ignore_errors: "{{ lax }}"\n      block:\n        - debug: { msg: "{{ nope }}" }\n',
          '  vars: { lax: true }\n',
        ),
      },
      /its failure is ignored/,
    ],
    [
      'a block with a rescue',
      {
        'playbook.yml': play(
          '    - block: [{ debug: { msg: "{{ nope }}" } }]\n      rescue:\n        - debug: { msg: rescued }\n',
        ),
      },
      /a rescue takes over/,
    ],
    [
      'a variable nothing reads',
      { 'playbook.yml': '- hosts: all\n  vars: { a: "{{ nope }}" }\n  tasks: []\n' },
      /"a" is read by nothing/,
    ],
    [
      "a variable read only where a \"when\" shows the name defined (a task's, a block's, an import's)",
      {
        'playbook.yml': play(
          '    - debug: { msg: "{{ dir }}" }\n      when: [x is defined, nope is defined]\n' +
            '    - when: nope is defined and x\n      block: [{ debug: { msg: "{{ dir }}" } }]\n' +
            '    - import_tasks: t.yml\n      when: nope is defined\n',
          '  vars: { dir: "{{ nope | dirname }}", x: 1 }\n',
        ),
        't.yml': '- debug: { var: dir }\n- debug: { msg: "{{ [dir] }}" }\n',
      },
      /"dir" is read only where a "when" shows "nope" defined/,
    ],
    [
      'a set_fact with a templated name',
      {
        'playbook.yml': play(
          '    - set_fact: { "{{ k }}": 1 }\n      vars: { k: x }\n    - debug: { msg: "{{ nope }}" }\n',
        ),
      },
      /templated set_fact may define it/,
    ],
  ])('%s', async (_what, files, why) => {
    const f = await findings(files)
    expect(f.errors).toEqual([])
    expect(f.warnings.join('\n')).toMatch(/variable "nope" in .* is defined nowhere/)
    expect(f.warnings.join('\n')).toMatch(why)
  })

  it.each([
    ['also by a task no "when" guards', '    - debug: { msg: "{{ _cert }}" }\n'],
    ['also in the "when" that tests it', '    - debug: { msg: hi }\n      when: _cert != "" and cert is defined\n'],
    ['also by another variable', '    - debug: { msg: "{{ up }}" }\n      when: cert is defined\n'],
    ['where a "when" shows another name defined', '    - debug: { msg: "{{ _cert }}" }\n      when: x is defined\n'],
  ])('a variable read %s stays a certain error, never suggesting itself', async (_what, tasks) => {
    const pb = await load({
      'playbook.yml': play(
        '    - debug: { msg: "{{ _cert }}" }\n      when: cert is defined\n' + tasks,
        '  vars: { _cert: "{{ cert | dirname }}", up: "{{ _cert }}/..", x: 1, certs: 1 }\n',
      ),
    })
    const f = checkUndefinedVariables(pb, inventory(), {})
    expect(f.errors.map((e) => `${e.message} ${e.hint}`)).toEqual([
      'undefined variable "cert" in vars._cert (did you mean "certs"?)',
    ])
  })

  it("counts what the files an include_vars may read define (a role's vars per system); others stay", async () => {
    const dir = tree({
      'playbook.yml': '- hosts: all\n  roles: [web]\n',
      'roles/web/tasks/main.yml':
        '- include_vars: "{{ ansible_os_family }}.yml"\n' +
        '- include_vars: { file: extra.yml, name: extra }\n' +
        '- debug: { msg: "{{ root_group }} {{ web_user }} {{ extra.port }} {{ nope }} {{ in_json }}" }\n',
      'roles/web/vars/Debian.yml': 'web_user: www-data\n',
      'roles/web/vars/RedHat.yml': 'web_user: nginx\nroot_group: wheel\n',
      'roles/web/vars/notes.txt': 'in_json: 1\n',
      'roles/web/vars/extra.yml': 'hidden: 1\n',
    })
    const pb = await loadPlaybook(join(dir, 'playbook.yml'), { modules: await loadAllModules() })
    const f = checkUndefinedVariables(pb, inventory(), {})
    expect(f.errors).toEqual([])
    expect(f.warnings.map((e) => `${e.pos?.file.split('/').pop()}:${e.pos?.line} ${e.message}`)).toEqual([
      expect.stringMatching(/^main\.yml:3 variable "nope" in debug\.msg .* is defined nowhere \(include_vars may/),
      expect.stringMatching(/^main\.yml:3 variable "in_json" in debug\.msg .* is defined nowhere/),
    ])
  })

  it('a vars_prompt name is defined in its play only; other names stay certain errors', async () => {
    const f = await findings({
      'playbook.yml':
        '- hosts: all\n  vars_prompt: [{ name: pw }]\n  tasks:\n    - debug: { msg: "{{ pw }} {{ nope }}" }\n' +
        '- hosts: all\n  tasks:\n    - debug: { msg: "{{ pw }}" }\n',
    })
    expect(f.errors).toEqual([
      'playbook.yml:4:34 undefined variable "nope" in debug.msg of debug',
      'playbook.yml:7:25 undefined variable "pw" in debug.msg of debug',
    ])
  })

  it('checks inventory values (at the value: this vars map is not read from a file)', async () => {
    const inv = inventory({}, {})
    const { parseYaml } = await import('../../engine/source/yaml.js')
    inv.groups.get('web')!.vars = parseYaml('base: "http://x:{{ prot }}"\nport: 1\n', 'group_vars/web.yml')
      .value as Vars
    const f = await findings({ 'playbook.yml': play('    - debug: { msg: "{{ base }}" }\n') }, inv)
    expect(f.errors).toEqual(['web.yml:1:7 undefined variable "prot" in variable "base" of group "web"'])
  })
})

describe('variables the facts modules and add_host set', () => {
  it.each([
    [
      'getent, package_facts, service_facts',
      play(
        '    - getent: { database: passwd }\n    - package_facts:\n    - service_facts:\n' +
          '    - debug: { msg: "{{ getent_passwd }} {{ packages }} {{ services }} {{ getent_group }}" }\n',
      ),
      ['playbook.yml:6:75 undefined variable "getent_group" in debug.msg of debug'],
    ],
    [
      "add_host's host variables",
      play('    - add_host: { name: n, groups: g, marker: 1 }\n    - debug: { msg: "{{ marker }} {{ nope }}" }\n'),
      ['playbook.yml:4:38 undefined variable "nope" in debug.msg of debug'],
    ],
  ])('%s', async (_name, yaml, expected) => {
    const pb = await loadPlaybook(join(tree({ 'playbook.yml': yaml }), 'playbook.yml'), {
      modules: await loadAllModules(),
    })
    const found = checkUndefinedVariables(pb, inventory(), {}).errors
    expect(found.map((e) => `${e.pos?.file.split('/').pop()}:${e.pos?.line}:${e.pos?.col} ${e.message}`)).toEqual(
      expected,
    )
  })
})
