/**
 * What `tsplay validate` (and the check `tsplay run` makes before contacting anything) catches, through the real
 * CLI (`node bin/tsplay.js`, built by `npm run build` first): misspelt arguments beside templated ones, variable
 * typos where they are written (errors when certain, warnings when not), inventory keys nothing reads, role
 * variables of the wrong type (role argument specs), `--tags`/`--limit` that select nothing, and the argument
 * rules modules declare. Inventories point at 127.0.0.1 port 1: nothing here reaches a host.
 */
import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const ROOT = join(import.meta.dirname, '../..')
const CLI = join(ROOT, 'bin/tsplay.js')
const work = mkdtempSync(join(tmpdir(), 'tsplay-validate-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

const INVENTORY =
  'all:\n  hosts:\n    t1: { ansible_host: 127.0.0.1, ansible_port: 1 }\n  children:\n    web: { hosts: { t1: {} } }\n'
const ROLE = {
  'roles/web/defaults/main.yml': 'web_port: 80\nweb_uri: "http://x:{{ web_port }}"\n',
  'roles/web/tasks/main.yml': '- debug: { msg: "{{ web_uri }}" }\n',
  'roles/web/meta/argument_specs.yml':
    'argument_specs:\n  main:\n    options:\n      web_port: { type: int, description: port }\n      ' +
    'web_uri: { type: str, description: url }\n      web_mode: { type: str, choices: [fast, safe], ' +
    'description: mode }\n',
}

let n = 0
/** Write `files` into a fresh folder (with a default inventory) and run the CLI there. */
function cli(files: Record<string, string>, args: string[]) {
  const dir = join(work, String(n++))
  for (const [p, text] of Object.entries({ 'inventory/hosts.yml': INVENTORY, ...files })) {
    mkdirSync(dirname(join(dir, p)), { recursive: true })
    writeFileSync(join(dir, p), text)
  }
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', HOME: dir },
  })
  return { code: r.status, out: r.stdout, err: r.stderr, shown: `exit ${r.status}\n${r.stderr}${r.stdout}` }
}
const validate = (files: Record<string, string>, ...more: string[]) =>
  cli(files, ['validate', 'site.yml', '-i', 'inventory', ...more])

describe('argument names are checked beside templated values', () => {
  it('a misspelt argument next to "{{ }}" is refused, with did-you-mean and file:line:col', () => {
    const r = validate({
      'site.yml': '- hosts: all\n  vars: { x: git }\n  tasks:\n    - apt: { name: "{{ x }}", stat: present }\n',
    })
    expect(r.code, r.shown).toBe(5)
    expect(r.err).toMatch(/site\.yml:4:31: unknown argument "stat" for module apt \(did you mean "state"\?\)/)
  })
})

describe('variable typos, reported where they are written', () => {
  it('in a role default read by a task: an error at the name, with a suggestion', () => {
    const r = validate({
      ...ROLE,
      'roles/web/defaults/main.yml': 'web_port: 80\nweb_uri: "http://x:{{ web_prot }}"\n',
      'site.yml': '- hosts: all\n  roles: [web]\n',
    })
    expect(r.code, r.shown).toBe(5)
    expect(r.err).toMatch(
      'roles/web/defaults/main.yml:2:23: undefined variable "web_prot" in variable "web_uri" (did you ' +
        'mean "web_port"?)',
    )
  })
  it('in group_vars: an error in the group_vars file', () => {
    const r = validate({
      ...ROLE,
      'inventory/group_vars/web.yml': 'web_uri: "https://{{ web_prot }}"\n',
      'site.yml': '- hosts: all\n  roles: [web]\n',
    })
    expect(r.code, r.shown).toBe(5)
    expect(r.err).toMatch(
      'inventory/group_vars/web.yml:1:22: undefined variable "web_prot" in variable "web_uri" of ' +
        'group "web" (did you mean "web_port"?)',
    )
  })
  it('in a task that may be skipped: a warning, and the playbook is valid', () => {
    const r = validate({
      'site.yml':
        '- hosts: all\n  tasks:\n    - debug: { msg: "{{ later }}" }\n      when: inventory_hostname == "t1"\n',
    })
    expect(r.code, r.shown).toBe(0)
    expect(r.err).toMatch(
      new RegExp(
        /\[WARNING\]: .*site\.yml:3:25: variable "later" in debug\.msg of debug is defined nowhere /.source +
          /\(the task may be skipped by its "when"\)/.source,
      ),
    )
  })
  it('defined by set_fact, register or -e: nothing to say', () => {
    const r = validate(
      {
        'site.yml':
          '- hosts: all\n  tasks:\n    - set_fact: { a: 1 }\n    - command: /bin/true\n      register: b\n  ' +
          '  - debug: { msg: "{{ a }} {{ b.rc }} {{ c }}" }\n',
      },
      '-e',
      'c=1',
    )
    expect(r.code, r.shown).toBe(0)
    expect(r.err).toBe('')
  })
})

describe('inventory keys nothing reads', () => {
  it('warn at the key with the role variable it was probably meant to be', () => {
    const r = validate({
      ...ROLE,
      'inventory/group_vars/web.yml': 'web_prot: 8080\n',
      'site.yml': '- hosts: all\n  roles: [web]\n',
    })
    expect(r.code, r.shown).toBe(0)
    expect(r.err).toMatch(
      new RegExp(
        /\[WARNING\]: .*inventory\/group_vars\/web\.yml:1:1: inventory variable "web_prot" of /.source +
          /group "web" is read by no play, role or template \(did you mean "web_port"\?\)/.source,
      ),
    )
  })
})

describe('role variables have types (meta/argument_specs.yml)', () => {
  const site = { ...ROLE, 'site.yml': '- hosts: all\n  gather_facts: false\n  roles: [web]\n' }
  it('a wrong value in group_vars is refused at the value', () => {
    const r = validate({ ...site, 'inventory/group_vars/web.yml': 'web_port: eighty\n' })
    expect(r.code, r.shown).toBe(5)
    expect(r.err).toMatch(
      'inventory/group_vars/web.yml:1:11: variable "web_port" (set by group "web") must be an int, ' +
        'found "eighty" (role web declares it int)',
    )
  })
  it('a wrong choice given with -e, with did-you-mean; digits for an int are fine', () => {
    const r = validate(site, '-e', 'web_mode=fats web_port=8080')
    expect(r.code, r.shown).toBe(5)
    expect(r.err).toMatch(
      /variable "web_mode" \(set by -e\) must be one of "fast", "safe", found "fats" \(did you mean "fast"\?\)/,
    )
    expect(r.err).not.toMatch(/web_port/)
  })
  it('a templated value is checked rendered, before any task of the role runs', () => {
    const r = cli({ ...site, 'inventory/group_vars/web.yml': 'word: eighty\nweb_port: "{{ word }}"\n' }, [
      'run',
      'site.yml',
      '-i',
      'inventory',
      '--output',
      'plain',
    ])
    expect(r.code, r.shown).toBe(2)
    expect(r.out).toMatch(/TASK \[web : Validating arguments against arg spec 'main'\]/)
    expect(r.out).toMatch(/web_port must be an int, found "eighty"/)
    expect(r.out).not.toMatch(/http:\/\/x/)
  })
  it('a mistake in the spec itself is refused', () => {
    const r = validate({
      ...site,
      'roles/web/meta/argument_specs.yml':
        'argument_specs:\n  main:\n    options:\n      web_port: { type: integer, descripton: port }\n',
    })
    expect(r.code, r.shown).toBe(5)
    expect(r.err).toMatch(/argument_specs\.yml:4:25: option "web_port": type must be one of str, int/)
    expect(r.err).toMatch(
      /argument_specs\.yml:4:34: unknown key "descripton" in option "web_port" \(did you mean "description"\?\)/,
    )
  })
  it('the Hydra playbook: hydra_port: eighty in the inventory is refused', () => {
    const dir = join(work, 'hydra')
    cpSync(join(ROOT, 'playbooks'), join(dir, 'playbooks'), { recursive: true })
    cpSync(join(ROOT, 'inventory'), join(dir, 'inventory'), { recursive: true })
    writeFileSync(join(dir, 'inventory/group_vars/hydra_server.yml'), 'hydra_port: eighty\n', { flag: 'a' })
    const r = spawnSync(process.execPath, [CLI, 'validate', 'playbooks/hydra-pi.yml', '-i', 'inventory'], {
      cwd: dir,
      encoding: 'utf8',
    })
    expect(r.status, r.stderr).toBe(5)
    expect(r.stderr).toMatch(
      new RegExp(
        /group_vars\/hydra_server\.yml:\d+:\d+: variable "hydra_port" \(set by group /.source +
          /"hydra_server"\) must be an int, found "eighty"/.source,
      ),
    )
  })
})

describe('--tags and --limit that select nothing', () => {
  const site = {
    'site.yml': '- hosts: web\n  gather_facts: false\n  tasks:\n    - debug: { msg: hi }\n      tags: [nginx]\n',
  }
  it('--tags with an unknown tag is refused before any contact', () => {
    const r = cli(site, ['run', 'site.yml', '-i', 'inventory', '--tags', 'ngnix'])
    expect(r.code, r.shown).toBe(5)
    expect(r.err).toMatch(/--tags "ngnix" matches no tag in the playbook \(did you mean "nginx"\?\)/)
  })
  it('--limit that leaves no host is refused; a part that matches nothing is a warning', () => {
    const r = cli(site, ['run', 'site.yml', '-i', 'inventory', '--limit', 'wbe'])
    expect(r.code, r.shown).toBe(5)
    expect(r.err).toMatch(/--limit "wbe" leaves no host for any play: nothing would run \(did you mean "web"\?\)/)
    const ok = cli(site, ['run', 'site.yml', '-i', 'inventory', '--limit', 't1,t9', '--list-hosts'])
    expect(ok.code, ok.shown).toBe(0)
    expect(ok.err).toMatch(/\[WARNING\]: .*--limit: "t9" matches no host or group/)
  })
})

describe('argument rules declared in module schemas', () => {
  it.each([
    [
      'file without path (not "a value or a value")',
      '    - file: { state: absent }\n',
      /site\.yml:3:7: missing required argument "path" for module file/,
    ],
    [
      'lineinfile: regexp and search_string',
      '    - lineinfile: { path: /x, line: a, regexp: b, search_string: c }\n',
      /site\.yml:3:51: arguments "regexp", "search_string" of module lineinfile are mutually exclusive/,
    ],
    [
      'lineinfile: line for state=present, given by alias',
      '    - lineinfile: { dest: /x, state: absent }\n',
      /needs one of the arguments "line", "regexp", "search_string" when "state" is "absent"/,
    ],
    [
      'lineinfile: path given twice',
      '    - lineinfile: { path: /x, name: /y, line: a }\n',
      /argument "name" of module lineinfile is an alias of "path", already given as "path" with another value/,
    ],
    [
      'wait_for: port and path',
      '    - wait_for: { port: 1, path: /x }\n',
      /arguments "port", "path" of module wait_for are mutually exclusive/,
    ],
    [
      'hydra_create_user: password and hash',
      '    - hydra_create_user: { name: a, password: x, password_hash: y }\n',
      /"password", "password_hash" of module hydra_create_user are mutually exclusive/,
    ],
    ['copy: content or src', '    - copy: { dest: /x }\n', /module copy needs one of the arguments "content", "src"/],
  ])('%s', (_what, task, want) => {
    const r = validate({ 'site.yml': `- hosts: all\n  tasks:\n${task}` })
    expect(r.code, r.shown).toBe(5)
    expect(r.err).toMatch(want)
  })
  it('aliases are accepted', () => {
    const r = validate({
      'site.yml':
        '- hosts: all\n  tasks:\n    - lineinfile: { dest: /x, value: a, regex: "^a" }\n    - file: { name: ' +
        '/y, state: directory }\n',
    })
    expect(r.code, r.shown).toBe(0)
  })
  it('tsplay doc shows aliases and rules', () => {
    const r = cli({}, ['doc', 'lineinfile'])
    expect(r.out).toMatch(/path +string; required; aliases: dest, destfile, name/)
    expect(r.out).toMatch(/RULES \(checked by tsplay validate\)\n {2}regexp, search_string: at most one of them/)
    expect(r.out).toMatch(/when state is "absent": one of line, regexp, search_string is required/)
  })
})

describe('the parse cache (in the home folder, as a user has it)', () => {
  it('a second run reads the files back and finds the same; a changed file is parsed and checked again', () => {
    const dir = join(work, 'cached')
    const files: Record<string, string> = {
      'inventory/hosts.yml': INVENTORY,
      'site.yml': '- hosts: web\n  roles: [web]\n  tasks:\n    - template: { src: motd.hbs, dest: /etc/motd }\n',
      'templates/motd.hbs': '{{#if web_port}}port {{ web_port }}{{/if}}\n',
      ...ROLE,
    }
    const write = (p: string, text: string) => {
      mkdirSync(dirname(join(dir, p)), { recursive: true })
      writeFileSync(join(dir, p), text)
    }
    for (const [p, text] of Object.entries(files)) write(p, text)
    const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', HOME: dir }
    delete env.TSPLAY_CACHE_DIR
    const run = () => {
      const r = spawnSync(process.execPath, [CLI, 'validate', 'site.yml', '-i', 'inventory'], {
        cwd: dir,
        encoding: 'utf8',
        env,
      })
      return { code: r.status, err: r.stderr, out: r.stdout, shown: `exit ${r.status}\n${r.stderr}${r.stdout}` }
    }
    const first = run()
    expect(first.code, first.shown).toBe(0)
    const entries = (k: string) => readdirSync(join(dir, '.cache/tsplay', k))
    expect(entries('yaml').length).toBeGreaterThanOrEqual(5)
    expect(entries('templates')).toHaveLength(1)
    expect(run()).toEqual(first)
    write('templates/motd.hbs', '{{#if web_port}}port {{ web_port }}\n')
    const tpl = run()
    expect(tpl.code, tpl.shown).toBe(5)
    expect(tpl.err).toMatch(/motd\.hbs:\d+:\d+: invalid template/)
    write('templates/motd.hbs', files['templates/motd.hbs'])
    write('roles/web/tasks/main.yml', '- debug: { msg: "{{ web_uri }}" }\n- debug: { msg: [ }\n')
    const yml = run()
    expect(yml.code, yml.shown).toBe(5)
    expect(yml.err).toMatch(/roles\/web\/tasks\/main\.yml:2:\d+: YAML syntax error/)
    write('roles/web/tasks/main.yml', ROLE['roles/web/tasks/main.yml'])
    expect(run()).toEqual(first)
  })
})
