/**
 * Ansible's settings (ansible.cfg, ANSIBLE_* variables) where tsplay's own options say nothing, through the real
 * CLI with the local connection: the inventory and forks (the project's ./inventory first), and the `gathering`
 * policy (implicit, explicit, smart) as ansible-playbook applies it; `hash_behaviour = merge`, not applied, is said.
 */
import { rmSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { tsplay, writeTree } from '../helpers/cli.js'

describe("Ansible's settings", () => {
  const play = '- hosts: web\n  gather_facts: false\n  tasks:\n    - debug: { msg: "forks {{ ansible_forks }}" }\n'
  const cfg = {
    'ansible.cfg': '[defaults]\ninventory = hosts.ini\nforks = 3\n',
    'hosts.ini': '[web]\nw1 ansible_connection=local\n',
  }
  const plain = { TSPLAY_INVENTORY: '', ANSIBLE_CONFIG: '' }

  it("ansible.cfg's inventory and forks are used when nothing of tsplay's names them", async () => {
    const d = writeTree({ 'p.yml': play, ...cfg })
    try {
      const r = await tsplay(['run', 'p.yml', '--json'], { cwd: d, env: plain })
      expect(r.code, r.stderr).toBe(0)
      expect(r.recap).toEqual({ w1: expect.objectContaining({ ok: 1 }) })
      expect(r.stdout).toContain('"msg":"forks 3"')
      const f = await tsplay(['run', 'p.yml', '--json', '-f', '7'], { cwd: d, env: plain })
      expect(f.stdout).toContain('"msg":"forks 7"')
    } finally {
      rmSync(d, { recursive: true, force: true })
    }
  })

  it("the project's ./inventory comes before ansible.cfg's", async () => {
    const own = { 'inventory/hosts.yml': 'web:\n  hosts:\n    i1: { ansible_connection: local }\n' }
    const d = writeTree({ 'p.yml': play, ...cfg, ...own })
    try {
      const r = await tsplay(['run', 'p.yml', '--json'], { cwd: d, env: plain })
      expect(r.code, r.stderr).toBe(0)
      expect(r.recap).toEqual({ i1: expect.objectContaining({ ok: 1 }) })
    } finally {
      rmSync(d, { recursive: true, force: true })
    }
  })
})

describe("Ansible's gathering setting", () => {
  const two = '- hosts: box\n  tasks:\n    - debug: { msg: "{{ ansible_facts | length > 0 }}" }\n'
  const book = (gather: string) => two.replace('  tasks:', `${gather}  tasks:`) + two
  const inv = 'box ansible_connection=local\n'

  it.each([
    ['implicit', '', [true, true], 2],
    ['explicit', '', [false, false], 0],
    ['explicit', '  gather_facts: true\n', [true, true], 1],
    ['smart', '', [true, true], 1],
    ['implicit', '  gather_facts: false\n', [false, true], 1],
  ])('%s, first play %j: facts %j, gathered %i times', async (policy, gather, facts, times) => {
    const d = writeTree({ 'p.yml': book(gather), 'hosts.ini': inv })
    try {
      const env = { ANSIBLE_GATHERING: policy, ANSIBLE_CONFIG: '' }
      const r = await tsplay(['run', 'p.yml', '-i', 'hosts.ini', '--json'], { cwd: d, env })
      expect(r.code, r.stderr).toBe(0)
      const lines = r.stdout.split('\n').filter((l) => l.startsWith('{"type":"task"'))
      const gathered = lines.filter((l) => l.includes('"task":"Gathering Facts"')).length
      const msgs = lines.filter((l) => l.includes('"task":"debug"')).map((l) => JSON.parse(l).result.msg)
      expect([msgs, gathered]).toEqual([facts, times])
    } finally {
      rmSync(d, { recursive: true, force: true })
    }
  })

  it('a value Ansible refuses is refused before anything runs', async () => {
    const d = writeTree({ 'p.yml': two, 'hosts.ini': inv })
    try {
      const r = await tsplay(['run', 'p.yml', '-i', 'hosts.ini'], { cwd: d, env: { ANSIBLE_GATHERING: 'sometimes' } })
      expect(r.code).toBe(5)
      expect(r.stderr).toMatch(/Invalid value "sometimes" for configuration option "DEFAULT_GATHERING"/)
      expect(r.stdout).not.toContain('PLAY')
    } finally {
      rmSync(d, { recursive: true, force: true })
    }
  })
})

describe('hash_behaviour = merge', () => {
  it('is not applied, and a warning naming the ansible.cfg says so', async () => {
    const play = `- hosts: box
  gather_facts: false
  vars: { d: { a: 1 } }
  tasks:
    - set_fact: { d: { b: 2 } }
    - debug: { msg: "{{ d }}" }
`
    const d = writeTree({
      'p.yml': play,
      'hosts.ini': 'box ansible_connection=local\n',
      'ansible.cfg': '[defaults]\nhash_behaviour = merge\n',
    })
    try {
      const r = await tsplay(['run', 'p.yml', '-i', 'hosts.ini', '--json'], { cwd: d, env: { ANSIBLE_CONFIG: '' } })
      expect(r.code, r.stderr).toBe(0)
      expect(r.stderr).toMatch(/ansible\.cfg:1:1: hash_behaviour = merge .* is not applied/)
      expect(r.events.find((e) => e.type === 'task' && e.task === 'debug')?.result).toMatchObject({ msg: { b: 2 } })
    } finally {
      rmSync(d, { recursive: true, force: true })
    }
  })
})
