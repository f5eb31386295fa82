/**
 * Collections' plugins in a real run (the local connection, the built CLI): a collection written beside the
 * playbook — a module importing the collection's module_utils, a module run through the collection's action
 * plugin (which runs it by its own name), a filter, a test and a lookup (a loop too) by their full names, a short
 * filter name ansible-core routes to a collection (`json_query`) — and, where Debian's `ansible` package is installed,
 * community.general's `ini_file` by its short name: changed, then ok on the second run, what `--check` predicts,
 * and the file it wrote read back by Python's configparser (the program that reads INI files).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { controllerPython, hasAnsible } from '../../engine/expr/pyplugins.js'
import { total, tsplay, writeTree } from '../helpers/cli.js'
import { demoCollection, OWN_COLLECTIONS_ONLY } from '../helpers/collections.js'

const dir = writeTree({
  'inventory.yml': 'all:\n  hosts:\n    h1: { ansible_connection: local }\n',
  ...demoCollection(),
  // a stand-in for community.general's json_query, which ansible-core routes the short name to
  'collections/ansible_collections/community/general/plugins/filter/json_query.py': [
    'class FilterModule(object):',
    '    def filters(self):',
    '        return {"json_query": lambda d, key: d[key]}',
    '',
  ].join('\n'),
  'p.yml': `- hosts: all
  gather_facts: false
  tasks:
    - assert:
        that:
          - "'hi' | tsplaytest.demo.shout == 'HI!'"
          - "'hello' is tsplaytest.demo.long"
          - "'hello' is not tsplaytest.demo.long(9)"
          - "{'k': 7} | json_query('k') == 7"
          - "query('tsplaytest.demo.twice', 2, 'a') == [4, 'aa']"
    - debug: { msg: "{{ item }}" }
      with_tsplaytest.demo.twice: [1, 2]
      register: loop
    - tsplaytest.demo.hello: { who: world }
      register: a
    - tsplaytest.demo.shout: { who: you }
      register: b
    - copy:
        content: "{{ a.msg }}/{{ b.msg }}/{{ b.plugin }}/{{ loop.results | map(attribute='item') | join(',') }}"
        dest: "{{ root }}/said"
`,
})
// apart: the stand-in community.general above would hide the installed one, as the first collection found wins
const iniDir = writeTree({
  'inventory.yml': 'all:\n  hosts:\n    h1: { ansible_connection: local }\n',
  'ini.yml': `- hosts: all
  gather_facts: false
  tasks:
    - ini_file: { path: "{{ root }}/app.ini", section: server, option: port, value: "8080", mode: "0640" }
    - community.general.ini_file: { path: "{{ root }}/app.ini", section: server, option: host, value: pi1 }
`,
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
  rmSync(iniDir, { recursive: true, force: true })
})
const withAnsible = hasAnsible(controllerPython())

describe.skipIf(!withAnsible)("collections' modules in a run", { timeout: 120_000 }, () => {
  it("run a collection's modules (one through its action plugin), filters, tests and lookups", async () => {
    const root = join(dir, 'out1')
    execFileSync('mkdir', ['-p', root])
    const args = ['run', 'p.yml', '-i', 'inventory.yml', '--json', '-e', `root=${root}`]
    const r = await tsplay(args, { cwd: dir, env: OWN_COLLECTIONS_ONLY })
    expect(r.code, r.stderr + r.stdout).toBe(0)
    expect(readFileSync(join(root, 'said'), 'utf8')).toBe('hello world/HELLO YOU/tsplaytest.demo.shout/2,4')
  })

  const installed = '/usr/lib/python3/dist-packages/ansible_collections/community/general/plugins/modules/ini_file.py'
  it.skipIf(!existsSync(installed))(
    "runs community.general's ini_file by its short name: predicted, changed, then ok; Python reads the file",
    async () => {
      const root = join(iniDir, 'out')
      const args = ['run', 'ini.yml', '-i', 'inventory.yml', '--json', '-e', `root=${root}`]
      execFileSync('mkdir', ['-p', root])
      const check = await tsplay([...args, '--check'], { cwd: iniDir })
      expect(check.code, check.stderr + check.stdout).toBe(0)
      expect(total(check.recap, 'changed')).toBe(2)
      expect(existsSync(join(root, 'app.ini'))).toBe(false)
      const first = await tsplay(args, { cwd: iniDir })
      expect(first.code, first.stderr + first.stdout).toBe(0)
      expect(total(first.recap, 'changed')).toBe(2)
      const second = await tsplay(args, { cwd: iniDir })
      expect(total(second.recap, 'changed')).toBe(0)
      const read =
        'import configparser,sys; c=configparser.ConfigParser(); c.read(sys.argv[1]); print(dict(c["server"]))'
      const said = execFileSync('python3', ['-c', read, join(root, 'app.ini')], { encoding: 'utf8' })
      expect(said.trim()).toBe("{'port': '8080', 'host': 'pi1'}")
    },
  )
})
