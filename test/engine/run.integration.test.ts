/**
 * Engine integration tests: real playbooks, run by the real CLI, against real sshd targets on loopback
 * (test/helpers/sshd.ts). All targets share this machine's filesystem, so every path includes the host name.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canRunSshd, startSshd, type SshdFleet } from '../helpers/sshd.js'
import { runArgs, total, tsplay, writeTree } from '../helpers/cli.js'
import { scratchPath } from '../helpers/tempdir.js'

const can = canRunSshd()
const d = can.ok ? describe : describe.skip
if (!can.ok) console.warn(`skipping engine integration tests: ${can.why}`)

d('tsplay run against loopback sshd targets', () => {
  let fleet: SshdFleet
  let dir: string
  let base: string
  const run = (pb: string, extra: string[] = []) => tsplay(runArgs(dir, pb, fleet, ['--json', ...extra]))

  beforeAll(async () => {
    fleet = await startSshd({ count: 3, sudo: 'nopasswd' })
    base = scratchPath('tsplay-it-')
    dir = writeTree({
      'inventory.yml': fleet.inventoryYaml({ base }),
      'templates/motd.j2': 'Welcome to {{ inventory_hostname }} ({{ role_name }})\n',
      'site.yml': `
- name: idempotent basics
  hosts: all
  gather_facts: false
  vars:
    role_name: builder
    dest: "{{ base }}/{{ inventory_hostname }}"
  tasks:
    - name: make the folder
      file: { path: "{{ dest }}", state: directory, mode: "0755" }
    - name: write a file
      copy: { content: "hello {{ inventory_hostname }}\\n", dest: "{{ dest }}/hello.txt" }
      notify: note change
    - name: a line in a config
      lineinfile: { path: "{{ dest }}/app.conf", line: "port=3000", regexp: "^port=", create: true }
    - name: render a template
      template: { src: templates/motd.j2, dest: "{{ dest }}/motd" }
      notify: note change
    - name: run once, guarded by creates
      command: touch {{ dest }}/stamp
      args: { creates: "{{ dest }}/stamp" }
    - name: read it back
      command: cat {{ dest }}/hello.txt
      register: hello
      changed_when: false
      when: not ansible_check_mode
    - name: only when the content matches
      debug: { msg: "content is {{ hello.stdout }}" }
      when: not ansible_check_mode and hello.stdout == "hello " + inventory_hostname
    - name: loop over items
      file: { path: "{{ dest }}/{{ item }}", state: directory }
      loop: [a, b]
  handlers:
    - name: note change
      copy: { content: "handled\\n", dest: "{{ dest }}/handled" }
`,
      'blocks.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - block:
        - name: this fails
          command: "false"
        - name: never reached
          debug: { msg: unreachable }
      rescue:
        - name: rescued
          debug: { msg: "rescued {{ inventory_hostname }}" }
      always:
        - name: always runs
          debug: { msg: always }
    - name: ignored failure
      command: "false"
      ignore_errors: true
    - name: fails on one host only
      fail: { msg: "boom on {{ inventory_hostname }}" }
      when: inventory_hostname == "t2"
    - name: the others go on
      debug: { msg: "still here" }
`,
      'become.yml': `
- hosts: t1
  gather_facts: true
  tasks:
    - name: who am I with become
      command: id -un
      become: true
      register: who
      changed_when: false
    - assert: { that: ['who.stdout == "root"', 'ansible_user_id != "root"', 'facts.architecture is defined'] }
`,
    })
  }, 120_000)

  afterAll(async () => {
    await fleet?.stop()
    if (base) rmSync(base, { recursive: true, force: true })
  })

  it('check mode on fresh hosts changes nothing and predicts the first run', async () => {
    const check = await run('site.yml', ['--check'])
    expect(check.stderr).toBe('')
    expect(check.code).toBe(0)
    expect(existsSync(`${base}/t1`)).toBe(false)
    const first = await run('site.yml')
    expect(first.code, first.stderr + first.stdout).toBe(0)
    const changedOf = (r: typeof first) =>
      r.events
        .filter((e) => e.type === 'task' && e.status === 'changed')
        .map((e) => `${e.host}:${e.task}`)
        .sort()
    // The handler is predicted too; directory-dependent tasks are predicted from the plan alone.
    expect(changedOf(check)).toEqual(changedOf(first))
    expect(total(first.recap, 'changed')).toBeGreaterThan(15)
    expect(readFileSync(`${base}/t2/hello.txt`, 'utf8')).toBe('hello t2\n')
    expect(readFileSync(`${base}/t3/motd`, 'utf8')).toBe('Welcome to t3 (builder)\n')
    expect(existsSync(`${base}/t1/handled`)).toBe(true)
    expect(first.events.filter((e) => e.handler).length).toBe(3)
  })

  it('a second run reports 0 changed and runs no handler', async () => {
    const second = await run('site.yml')
    expect(second.code).toBe(0)
    expect(total(second.recap, 'changed')).toBe(0)
    expect(second.events.some((e) => e.handler)).toBe(false)
    expect(Object.keys(second.recap!)).toEqual(['t1', 't2', 't3'])
  })

  it('--json prints one object per task result and a last recap line', async () => {
    const r = await run('site.yml')
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(lines.at(-1).type).toBe('recap')
    for (const l of lines.slice(0, -1).filter((x) => x.type === 'task')) {
      expect(Object.keys(l)).toEqual(expect.arrayContaining(['type', 'play', 'task', 'host', 'status']))
      expect(['ok', 'changed', 'failed', 'skipped', 'unreachable']).toContain(l.status)
    }
    expect(lines.at(-1).hosts.t1).toEqual({
      ok: 8,
      changed: 0,
      unreachable: 0,
      failed: 0,
      skipped: 0,
      rescued: 0,
      ignored: 0,
    })
  })

  it('--diff shows a unified diff of a changed file', async () => {
    writeFileSync(`${base}/t1/hello.txt`, 'tampered\n')
    const r = await tsplay(runArgs(dir, 'site.yml', fleet, ['--diff', '-l', 't1']))
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('-tampered')
    expect(r.stdout).toContain('+hello t1')
    expect(r.stdout).toMatch(/PLAY RECAP \*+\nt1\s+: ok=\d+\s+changed=1 /)
  })

  it("a task's diff: true shows its diff without --diff; diff: false hides it under --diff", async () => {
    writeFileSync(
      join(dir, 'taskdiff.yml'),
      `- hosts: t1
  gather_facts: false
  tasks:
    - file: { path: "${base}/t1", state: directory }
    - copy: { content: "shown {{ 1000000 | random }}\\n", dest: "${base}/t1/shown.txt" }
      diff: true
    - copy: { content: "hidden {{ 1000000 | random }}\\n", dest: "${base}/t1/hidden.txt" }
      diff: false
`,
    )
    const args = ['run', join(dir, 'taskdiff.yml'), '-i', join(dir, 'inventory.yml')]
    const plain = await tsplay([...args, '--known-hosts', fleet.knownHostsFile])
    expect(plain.code, plain.stdout).toBe(0)
    expect(plain.stdout).toMatch(/\+shown \d+/)
    expect(plain.stdout).not.toMatch(/\+hidden/)
    const withDiff = await tsplay([...args, '--known-hosts', fleet.knownHostsFile, '--diff'])
    expect(withDiff.stdout).toMatch(/-shown \d+/)
    expect(withDiff.stdout).not.toMatch(/[-+]hidden/)
  })

  it('block/rescue/always, ignore_errors and a failing host that does not stop the others', async () => {
    const r = await run('blocks.yml')
    expect(r.code).toBe(2)
    expect(r.recap!.t1).toMatchObject({ failed: 0, rescued: 1, ignored: 1 })
    expect(r.recap!.t2).toMatchObject({ failed: 1, rescued: 1 })
    const still = r.events.filter((e) => e.task === 'the others go on').map((e) => e.host)
    expect(still).toEqual(['t1', 't3'])
    expect(r.events.some((e) => e.task === 'never reached')).toBe(false)
    expect(r.events.filter((e) => e.task === 'always runs').length).toBe(3)
  })

  it('become runs as root while the login user is not root; facts are gathered', async () => {
    const r = await run('become.yml')
    expect(r.code, r.stdout).toBe(0)
    expect(r.recap!.t1.failed).toBe(0)
  })

  it('an unknown host key is refused by default (exit 4) and accepted with --trust-new-host-keys', async () => {
    const kh = join(dir, 'empty_known_hosts')
    writeFileSync(kh, '')
    const args = ['run', join(dir, 'become.yml'), '-i', join(dir, 'inventory.yml'), '--known-hosts', kh, '--json']
    const refused = await tsplay(args)
    expect(refused.code).toBe(4)
    expect(refused.events.find((e) => e.status === 'unreachable')?.msg).toMatch(/host key/i)
    const trusted = await tsplay([...args, '--trust-new-host-keys'])
    expect(trusted.code, trusted.stdout).toBe(0)
    expect(readFileSync(kh, 'utf8')).toMatch(/ssh-ed25519/)
  })

  it('an unreachable host is reported with its reason, the others finish, exit 4', async () => {
    const inv = join(dir, 'inv-down.yml')
    writeFileSync(inv, fleet.inventoryYaml({ base }).replace(`ansible_port: ${fleet.hosts[2].port}`, 'ansible_port: 1'))
    const r = await tsplay(['run', join(dir, 'site.yml'), '-i', inv, '--known-hosts', fleet.knownHostsFile, '--json'])
    expect(r.code).toBe(4)
    expect(r.recap!.t3.unreachable).toBe(1)
    expect(r.recap!.t1.failed + r.recap!.t2.failed).toBe(0)
    expect(r.events.find((e) => e.host === 't3' && e.status === 'unreachable')?.msg).toMatch(/refused|ECONNREFUSED/i)
  })
})
