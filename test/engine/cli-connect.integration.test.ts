/**
 * ansible-playbook's connection and privilege options on `tsplay run`, on a real loopback sshd with an inventory
 * that names no login user and no key: `-u` and `--private-key` log in, `-b` becomes root (a play's `become: false`
 * and a host's `ansible_become` win over it), `--become-user` becomes that user, ANSIBLE_REMOTE_USER and
 * ANSIBLE_BECOME give the same defaults as the options, and `--syntax-check` checks and stops, contacting nothing.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canRunSshd, startSshd, type SshdFleet } from '../helpers/sshd.js'
import { tsplay, writeTree } from '../helpers/cli.js'

const can = canRunSshd()

describe.skipIf(!can.ok)('connection and become options', () => {
  let fleet: SshdFleet
  let dir: string
  const run = (args: string[], env?: Record<string, string>) =>
    tsplay(
      [
        'run',
        join(dir, 'play.yml'),
        '-i',
        join(dir, 'bare.yml'),
        '--known-hosts',
        fleet.knownHostsFile,
        '--json',
        ...args,
      ],
      { env },
    )

  beforeAll(async () => {
    fleet = await startSshd({ count: 1, sudo: 'nopasswd' })
    const h = fleet.hosts[0]
    dir = writeTree({
      // no ansible_user, no key: the options decide
      'bare.yml': `all:\n  hosts:\n    ${h.name}:\n      ansible_host: ${h.host}\n      ansible_port: ${h.port}\n`,
      'play.yml': `- hosts: all
  gather_facts: false
  tasks:
    - command: id -un
      register: who
      changed_when: false
    - debug: { msg: "who={{ who.stdout }}" }
- hosts: all
  gather_facts: false
  become: false
  tasks:
    - command: id -un
      register: plain
      changed_when: false
    - debug: { msg: "plain={{ plain.stdout }}" }
`,
    })
  })
  afterAll(async () => {
    await fleet?.stop()
  })

  const said = (stdout: string, key: string) => new RegExp(`${key}=([\\w-]+)`).exec(stdout)?.[1]

  it('-u and --private-key log in; without -b the login user runs the tasks', async () => {
    const r = await run(['-u', fleet.user, '--private-key', fleet.keyFile])
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(said(r.stdout, 'who')).toBe(fleet.user)
  })

  it('-b becomes root where the play does not say become: false; --become-user becomes that user', async () => {
    const r = await run(['-u', fleet.user, '--key-file', fleet.keyFile, '-b'])
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(said(r.stdout, 'who')).toBe('root')
    expect(said(r.stdout, 'plain')).toBe(fleet.user)
    const nobody = await run(['-u', fleet.user, '--private-key', fleet.keyFile, '-b', '--become-user', 'nobody'])
    expect(said(nobody.stdout, 'who')).toBe('nobody')
  })

  it('ANSIBLE_REMOTE_USER, ANSIBLE_PRIVATE_KEY_FILE and ANSIBLE_BECOME give the same defaults', async () => {
    const env = { ANSIBLE_REMOTE_USER: fleet.user, ANSIBLE_PRIVATE_KEY_FILE: fleet.keyFile, ANSIBLE_BECOME: 'true' }
    const r = await run([], env)
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(said(r.stdout, 'who')).toBe('root')
  })

  it('a host variable wins over -b (ansible_become: false)', async () => {
    const r = await run(['-u', fleet.user, '--private-key', fleet.keyFile, '-b', '-e', 'ansible_become=false'])
    expect(said(r.stdout, 'who')).toBe(fleet.user)
  })

  it('--syntax-check checks the playbook and stops without contacting a host', async () => {
    const r = await tsplay(['run', join(dir, 'play.yml'), '-i', join(dir, 'bare.yml'), '--syntax-check'])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(`\nplaybook: ${join(dir, 'play.yml')}\n`)
  })
})
