/**
 * The file a module's result names gets its owner, mode, type and size in the result (Ansible's add_path_info) when
 * the task registers its result — also per loop item, and before `changed_when` reads it — and only then: a task
 * whose result nobody can read costs no extra round trip for it (its `--json` line has no `mode`).
 * The host uses the local connection; tsplay agrees with ansible-playbook on the fields in test/compat (`path_info`).
 */
import { lstatSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { tsplay, writeTree } from '../helpers/cli.js'

const dir = writeTree({
  'inventory.yml': 'all:\n  hosts:\n    h1: { ansible_connection: local }\n',
  'p.yml': `- hosts: all
  gather_facts: false
  tasks:
    - file: { path: "{{ root }}/quiet", state: directory, mode: "0700" }
    - file: { path: "{{ root }}/kept", state: directory, mode: "0750" }
      register: kept
    - copy: { content: "x\\n", dest: "{{ root }}/{{ item }}", mode: "0604" }
      loop: [a, b]
      register: files
    - file: { path: "{{ root }}/kept", mode: "0751" }
      register: again
      changed_when: again.mode != '0751'
`,
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('path information in results', () => {
  it('is added where the result is used, and nowhere else', async () => {
    const root = join(dir, 'out')
    const r = await tsplay(['run', 'p.yml', '-i', 'inventory.yml', '--json', '-e', `root=${root}`], { cwd: dir })
    expect(r.code, r.stderr + r.stdout).toBe(0)
    const results = r.events.filter((e) => e.type === 'task').map((e) => e.result ?? {})
    expect(results[0]).not.toHaveProperty('mode')
    const st = lstatSync(join(root, 'kept'))
    expect(results[1]).toMatchObject({ state: 'directory', mode: '0750', uid: st.uid, gid: st.gid, size: st.size })
    const items = results[2].results as Record<string, unknown>[]
    expect(items.map((x) => [x.mode, x.state, x.size])).toEqual([
      ['0604', 'file', 2],
      ['0604', 'file', 2],
    ])
    expect(r.events.filter((e) => e.type === 'task').map((e) => e.status)).toEqual([
      'changed',
      'changed',
      'changed',
      'ok',
    ])
  })
})
