/**
 * Ansible's settings (ansible.cfg, ANSIBLE_* variables) where tsplay's own options say nothing, through the real
 * CLI with the local connection: the inventory and forks (the project's ./inventory first), and the `gathering`
 * policy (implicit, explicit, smart) as ansible-playbook applies it; `hash_behaviour = merge` and `log_path`, not
 * applied, are said.
 */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
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

describe('settings tsplay does not apply', () => {
  it('hash_behaviour = merge and log_path: a warning naming where each was set says so', async () => {
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
      const env = { ANSIBLE_CONFIG: '', ANSIBLE_LOG_PATH: join(d, 'run.log') }
      const r = await tsplay(['run', 'p.yml', '-i', 'hosts.ini', '--json'], { cwd: d, env })
      expect(r.code, r.stderr).toBe(0)
      expect(r.stderr).toMatch(/ansible\.cfg:1:1: hash_behaviour = merge .* is not applied/)
      expect(r.stderr).toMatch(/\(environment: ANSIBLE_LOG_PATH\):1:1: log_path .* is not written/)
      expect(r.events.find((e) => e.type === 'task' && e.task === 'debug')?.result).toMatchObject({ msg: { b: 2 } })
    } finally {
      rmSync(d, { recursive: true, force: true })
    }
  })
})

describe('any_errors_fatal, force_handlers and verbosity', () => {
  const play = `- hosts: all
  gather_facts: false
  tasks:
    - { command: /bin/true, notify: h }
    - { fail: { msg: boom }, when: "inventory_hostname == 'a'" }
    - debug: { msg: after }
  handlers:
    - { name: h, debug: { msg: handler ran } }
`
  const inv = 'a ansible_connection=local\nb ansible_connection=local\n'
  const run = async (env: Record<string, string>, extra: string[] = ['--json']) => {
    const d = writeTree({ 'p.yml': play, 'hosts.ini': inv })
    try {
      return await tsplay(['run', 'p.yml', '-i', 'hosts.ini', ...extra], {
        cwd: d,
        env: { ANSIBLE_CONFIG: '', ...env },
      })
    } finally {
      rmSync(d, { recursive: true, force: true })
    }
  }
  const handled = (r: Awaited<ReturnType<typeof run>>) =>
    r.events.filter((e) => e.type === 'task' && e.task === 'h').map((e) => e.host)

  it('unset: b goes on and runs its handler, a failed', async () => {
    const r = await run({})
    expect([r.recap?.b?.ok, handled(r)]).toEqual([3, ['b']])
  })

  it('ANSIBLE_ANY_ERRORS_FATAL: the run ends after the failure (as ansible-playbook: a 1, b 1 ok)', async () => {
    const r = await run({ ANSIBLE_ANY_ERRORS_FATAL: 'True' })
    expect([r.recap?.a?.failed, r.recap?.b?.ok, handled(r)]).toEqual([1, 1, []])
  })

  it('ANSIBLE_FORCE_HANDLERS: the failed host runs its handler too', async () => {
    expect(handled(await run({ ANSIBLE_FORCE_HANDLERS: 'True' })).sort()).toEqual(['a', 'b'])
  })

  it('ANSIBLE_VERBOSITY: the commands are shown, as with -v', async () => {
    const quiet = await run({}, ['--output', 'plain'])
    const loud = await run({ ANSIBLE_VERBOSITY: '1' }, ['--output', 'plain'])
    expect(quiet.stdout).not.toContain('/bin/true')
    expect(loud.stdout).toContain('/bin/true')
  })
})
