/**
 * No inventory at all (no `-i`, no TSPLAY_INVENTORY, no ./inventory, none in Ansible's settings): as Ansible, the
 * run goes on with only the implicit localhost and says so; a named inventory that is missing is still refused
 * before anything runs.
 */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { tsplay, writeTree } from '../helpers/cli.js'

const dir = writeTree({
  'local.yml':
    '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - debug: { msg: "from {{ inventory_hostname }}" }\n',
  'all.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: { msg: never }\n',
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))
// no inventory from the machine's Ansible settings either (/etc/ansible/hosts, ~/.ansible.cfg)
const env = { TSPLAY_INVENTORY: '', ANSIBLE_INVENTORY: join(dir, 'absent.ini') }

describe('no inventory', () => {
  it('runs plays on the implicit localhost, with a warning', async () => {
    const r = await tsplay(['run', 'local.yml', '--json'], { cwd: dir, env })
    expect(r.code, r.stderr).toBe(0)
    expect(r.recap).toEqual({ localhost: expect.objectContaining({ ok: 1, failed: 0 }) })
    expect(`${r.stdout}${r.stderr}`).toMatch(/no inventory was given .* only the implicit localhost is available/)
  })

  it('a play for all matches no host and is skipped, as in Ansible', async () => {
    const r = await tsplay(['run', 'all.yml', '--output', 'plain'], { cwd: dir, env })
    expect(r.code, r.stderr).toBe(0)
    expect(`${r.stdout}${r.stderr}`).toMatch(/no hosts matched "all"/)
  })

  it('a missing inventory named with -i is refused before anything runs', async () => {
    const r = await tsplay(['run', 'local.yml', '-i', join(dir, 'nope.yml')], { cwd: dir, env })
    expect(r.code).toBe(5)
    expect(r.stderr).toMatch(/inventory not found: .*nope\.yml/)
  })
})
