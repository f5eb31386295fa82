/**
 * Through the real CLI on the implicit localhost (the local connection: no sshd needed): templated include names
 * resolved per host at run time (counts, the files each name brought, a role's handler), a missing file as a clear
 * per-host failure at the include's line, the warning Ansible prints for an inventory without hosts, and `validate`
 * accepting what it used to refuse.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { tsplay } from '../helpers/cli.js'

const work = mkdtempSync(join(tmpdir(), 'tsplay-dynamic-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

const FILES: Record<string, string> = {
  'inventory.yml': 'all:\n  hosts: {}\n',
  'a.yml': '- copy: { dest: "{{ out }}/a-{{ item | default(\'none\') }}", content: "a\\n" }\n',
  'b.yml': '- copy: { dest: "{{ out }}/b", content: "b\\n" }\n',
  'roles/r1/tasks/main.yml': '- copy: { dest: "{{ out }}/r1", content: "r1\\n" }\n  notify: r1 done\n',
  'roles/r1/handlers/main.yml': '- name: r1 done\n  copy: { dest: "{{ out }}/r1-handled", content: "h\\n" }\n',
}

let n = 0
/** Write the files and `playbook` into a fresh folder; returns it. */
function project(playbook: string): string {
  const dir = join(work, String(n++))
  for (const [p, text] of Object.entries({ ...FILES, 'pb.yml': playbook })) {
    mkdirSync(dirname(join(dir, p)), { recursive: true })
    writeFileSync(join(dir, p), text)
  }
  mkdirSync(join(dir, 'out'))
  return dir
}

const play = (tasks: string) =>
  `- hosts: localhost\n  gather_facts: false\n  vars: { which: b, r: r1 }\n  tasks:\n${tasks}`

describe('templated include names at run time', () => {
  it('each name loads its file or role when it runs; a second run changes nothing', async () => {
    const dir = project(
      play(
        '    - include_tasks: "{{ item }}.yml"\n      loop: [a, b]\n' +
          '    - set_fact: { dyn: a }\n    - include_tasks: "{{ dyn }}.yml"\n' +
          '    - include_role: { name: "{{ r }}" }\n    - import_tasks: "{{ which }}.yml"\n',
      ),
    )
    const args = ['run', 'pb.yml', '-i', 'inventory.yml', '-e', `out=${join(dir, 'out')}`, '--json']
    const first = await tsplay(args, { cwd: dir })
    expect(first.code, first.stderr).toBe(0)
    expect(first.stderr).toContain('provided hosts list is empty, only localhost is available')
    expect(first.stderr).toMatch(/pb.yml:8:22: include_tasks "\{\{ dyn \}\}.yml": the name depends on variables/)
    // include (2 items) + a + b + set_fact + include + a + r1 + import's b + handler = 10 ok, 5 changed
    expect(first.recap?.localhost).toMatchObject({ ok: 10, changed: 5, failed: 0 })
    expect(readFileSync(join(dir, 'out', 'a-a'), 'utf8')).toBe('a\n')
    expect(readFileSync(join(dir, 'out', 'a-none'), 'utf8')).toBe('a\n')
    expect(readFileSync(join(dir, 'out', 'r1-handled'), 'utf8')).toBe('h\n')
    const second = await tsplay(args, { cwd: dir })
    expect(second.recap?.localhost).toMatchObject({ ok: 9, changed: 0, failed: 0 })
  })

  it('a name whose file is missing fails that host at the include, with the file named', async () => {
    const dir = project(play('    - set_fact: { f: nope }\n    - include_tasks: "{{ f }}.yml"\n    - debug: {}\n'))
    const r = await tsplay(['run', 'pb.yml', '-i', 'inventory.yml', '-e', 'out=/nonexistent', '--json'], { cwd: dir })
    expect(r.code).toBe(2)
    const failed = r.events.find((e) => e.status === 'failed')
    expect(failed?.msg).toMatch(/pb.yml:6:22: include_tasks: file not found: nope.yml/)
    expect(r.recap?.localhost).toMatchObject({ ok: 1, failed: 1 })
  })

  it('validate refuses an unresolvable templated import and a literal loop item naming a missing file', async () => {
    const dir = project(
      play('    - import_tasks: "{{ nope }}.yml"\n    - include_tasks: "{{ item }}.yml"\n      loop: [c]\n'),
    )
    const r = await tsplay(['validate', 'pb.yml', '-i', 'inventory.yml'], { cwd: dir })
    expect(r.code).toBe(5)
    expect(r.stderr).toMatch(/pb.yml:5:21: "import_tasks" name "\{\{ nope \}\}.yml" cannot be resolved/)
    expect(r.stderr).toMatch(/pb.yml:6:22: include_tasks: file not found: c.yml/)
    expect(r.stderr).toContain('2 errors; nothing was contacted')
  })
})
