/**
 * `ansible_config_file` names the ansible.cfg Ansible would read (`ANSIBLE_CONFIG`, then ./ansible.cfg, …), as
 * Ansible sets it for every task; a playbook may read it (it is known to `validate`).
 */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { tsplay, writeTree } from '../helpers/cli.js'

const dir = writeTree({
  'inventory.yml': 'all:\n  hosts:\n    h1: { ansible_connection: local }\n',
  'elsewhere.cfg': '[defaults]\n',
  'p.yml': `- hosts: all
  gather_facts: false
  tasks:
    - debug: { msg: "cfg={{ ansible_config_file }}" }
`,
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('ansible_config_file', () => {
  it('is the file ANSIBLE_CONFIG names', async () => {
    const cfg = join(dir, 'elsewhere.cfg')
    const r = await tsplay(['run', 'p.yml', '-i', 'inventory.yml', '--json'], {
      cwd: dir,
      env: { ANSIBLE_CONFIG: cfg },
    })
    expect(r.code, r.stderr + r.stdout).toBe(0)
    expect(r.events.find((e) => e.type === 'task')?.msg).toBe(`cfg=${cfg}`)
  })
})
