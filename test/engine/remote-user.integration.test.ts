/**
 * `remote_user` on tasks and blocks, on a real loopback sshd: a task's keyword opens a connection of its own as
 * that user (here one the host refuses, so that task alone is unreachable) while the play's connection goes on; an
 * `ansible_user` variable (the inventory's) wins over the keyword, as in Ansible.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { canRunSshd, startSshd, type SshdFleet } from '../helpers/sshd.js'
import { tsplay, writeTree } from '../helpers/cli.js'

const can = canRunSshd()

describe.skipIf(!can.ok)('remote_user on tasks and blocks', () => {
  let fleet: SshdFleet
  let dir: string
  const run = (pb: string, inv: string) =>
    tsplay(['run', join(dir, pb), '-i', join(dir, inv), '--known-hosts', fleet.knownHostsFile, '--json'])

  beforeAll(async () => {
    fleet = await startSshd({ count: 1, sudo: 'nopasswd' })
    const h = fleet.hosts[0]
    const stranger = `tspt-nobody-${process.pid}`
    dir = writeTree({
      'inventory.yml': fleet.inventoryYaml(),
      // no ansible_user: the keywords decide who logs in
      'keywordonly.yml':
        `all:\n  hosts:\n    ${h.name}:\n      ansible_host: ${h.host}\n      ansible_port: ${h.port}\n` +
        `      ansible_ssh_private_key_file: ${JSON.stringify(fleet.keyFile)}\n`,
      'play.yml': `- hosts: all
  gather_facts: false
  remote_user: ${fleet.user}
  tasks:
    - command: whoami
      register: first
    - command: whoami
      remote_user: ${stranger}
      ignore_unreachable: true
    - block:
        - command: whoami
          ignore_unreachable: true
      remote_user: ${stranger}
    - command: whoami
      register: again
    - assert:
        that:
          - first.stdout == '${fleet.user}'
          - again.stdout == '${fleet.user}'
`,
    })
  })
  afterAll(async () => {
    await fleet?.stop()
  })

  it("a task's or block's remote_user logs in as that user; the play's connection goes on", async () => {
    const r = await run('play.yml', 'keywordonly.yml')
    const refused = r.stdout.match(new RegExp(`login as tspt-nobody-${process.pid}@[^"]* rejected`, 'g')) ?? []
    expect(refused.length).toBeGreaterThanOrEqual(2) // the task's and the block's
    expect(r.recap![fleet.hosts[0].name]).toMatchObject({ ok: 5, failed: 0 })
    expect(r.code).toBe(0)
  })

  it('an ansible_user variable wins over the keyword', async () => {
    const r = await run('play.yml', 'inventory.yml')
    // every task logs in as the inventory's user
    expect(r.stdout).not.toContain('rejected')
    expect(r.recap![fleet.hosts[0].name]).toMatchObject({ ok: 5, failed: 0, unreachable: 0 })
  })
})
