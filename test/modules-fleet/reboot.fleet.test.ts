/**
 * The reboot module on a real fleet node (systemd as PID 1; the fleet boots a node again when it asks to
 * reboot), through the real CLI over SSH: --check predicts the reboot without doing it; a run reboots the node,
 * waits for it, and the next task runs on the new boot.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canRunFleet, startFleet, type Fleet } from '../helpers/fleet.js'
import { explain, tsplay } from '../hydra/cli.js'

const can = canRunFleet()

describe.skipIf(!can.ok)(`reboot on the fleet (${can.ok ? 'fleet' : can.why})`, () => {
  let fleet: Fleet
  let dir: string
  let node: string
  const bootId = async () => (await fleet.exec(node, ['cat', '/proc/sys/kernel/random/boot_id'])).stdout.trim()
  const run = (book: string, ...extra: string[]) =>
    tsplay([
      'run',
      join(dir, book),
      '-i',
      join(dir, 'hosts.yml'),
      '--known-hosts',
      fleet.knownHostsFile,
      '--json',
      ...extra,
    ])

  beforeAll(async () => {
    fleet = await startFleet(1, { prefix: 'mr' })
    node = fleet.nodes[0].name
    dir = mkdtempSync(join(tmpdir(), 'tsplay-mr-'))
    writeFileSync(join(dir, 'hosts.yml'), fleet.inventoryYaml())
    writeFileSync(
      join(dir, 'only.yml'),
      '- hosts: all\n  become: true\n  gather_facts: false\n  tasks:\n    - name: reboot\n      reboot: {}\n',
    )
    writeFileSync(
      join(dir, 'reboot.yml'),
      `- hosts: all
  become: true
  gather_facts: false
  tasks:
    - name: reboot
      reboot:
        reboot_timeout: 180
        msg: tsplay test reboot
        connect_timeout: 20
        reboot_command: systemctl reboot
        search_paths: [/usr/bin]
        boot_time_command: cat /proc/sys/kernel/random/boot_id
    - name: after
      command: cat /proc/sys/kernel/random/boot_id
      register: after
    - name: marker
      copy: { dest: /run/tsplay-after-reboot, content: "{{ after.stdout }}" }
`,
    )
  }, 600_000)
  afterAll(async () => {
    await fleet?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('--check predicts the reboot and does not reboot', async () => {
    const before = await bootId()
    const r = await run('only.yml', '--check')
    expect(r.rc, explain(r)).toBe(0)
    expect(r.tasks.find((t) => t.task === 'reboot')?.status).toBe('changed')
    expect(await bootId()).toBe(before)
  }, 120_000)

  it('reboots, waits, and the play goes on on the new boot', async () => {
    const before = await bootId()
    const r = await run('reboot.yml')
    expect(r.rc, explain(r)).toBe(0)
    expect(r.tasks.find((t) => t.task === 'reboot')?.status).toBe('changed')
    const now = await bootId()
    expect(now).not.toBe(before)
    expect((await fleet.exec(node, ['cat', '/run/tsplay-after-reboot'])).stdout.trim()).toBe(now)
  }, 300_000)

  it("with async, reboots as without it (Ansible's reboot ignores async); a poll then fails the task", async () => {
    const before = await bootId()
    const boots = async () =>
      (await fleet.exec(node, ['journalctl', '--list-boots', '-q', '--no-pager'])).stdout.trim().split('\n').length
    const bootsBefore = await boots()
    writeFileSync(
      join(dir, 'async.yml'),
      `- hosts: all
  become: true
  gather_facts: false
  tasks:
    - name: forgotten
      reboot: { reboot_timeout: 180, boot_time_command: cat /proc/sys/kernel/random/boot_id }
      async: 60
      poll: 0
      register: first
    - name: polled
      reboot: { reboot_timeout: 180, boot_time_command: cat /proc/sys/kernel/random/boot_id }
      async: 60
      register: second
      ignore_errors: true
    - assert:
        that:
          - first is changed and first.rebooted
          - second is failed
          - second.msg == "No job id was returned by the async task"
`,
    )
    const r = await run('async.yml')
    expect(r.rc, explain(r)).toBe(0)
    expect(r.tasks.filter((t) => t.task !== 'assert').map((t) => t.status)).toEqual(['changed', 'failed'])
    expect(await boots()).toBe(bootsBefore + 2) // both tasks rebooted the node
    expect(await bootId()).not.toBe(before)
  }, 600_000)
})
