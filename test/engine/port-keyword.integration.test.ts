/**
 * The `port` keyword on plays, blocks and tasks, on two real loopback sshd listeners: a task's or block's port opens
 * a connection of its own to that port (`$SSH_CONNECTION` names the port that answered) while the play's goes on;
 * an `ansible_port` variable (the inventory's) wins over the keyword, as in Ansible. Ports given by templates are
 * rendered with the host's variables when the connection opens (a `set_fact` may give a task's), and a templated
 * `gather_timeout` is rendered before the play: a value that is no whole number ends the run, as Ansible's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { canRunSshd, startSshd, type SshdFleet } from '../helpers/sshd.js'
import { tsplay, writeTree } from '../helpers/cli.js'

const can = canRunSshd()

describe.skipIf(!can.ok)('the port keyword on plays, blocks and tasks', () => {
  let fleet: SshdFleet
  let dir: string

  beforeAll(async () => {
    fleet = await startSshd({ count: 2 })
    const [a, b] = fleet.hosts
    const host = (extra: string) =>
      `all:\n  hosts:\n    pk:\n      ansible_host: ${a.host}\n      ansible_user: ${fleet.user}\n` +
      `      ansible_ssh_private_key_file: ${JSON.stringify(fleet.keyFile)}\n${extra}`
    dir = writeTree({
      // no ansible_port: the keywords decide where to connect
      'keywordonly.yml': host(''),
      'pinned.yml': host(`      ansible_port: ${a.port}\n`),
      'play.yml': `- hosts: all
  gather_facts: false
  port: ${a.port}
  tasks:
    - shell: echo "$SSH_CONNECTION"
      register: first
    - shell: echo "$SSH_CONNECTION"
      port: ${b.port}
      register: task
    - block:
        - shell: echo "$SSH_CONNECTION"
          register: inblock
      port: ${b.port}
    - shell: echo "$SSH_CONNECTION"
      register: again
    - copy:
        dest: "{{ out }}"
        content: >-
          {{ [first, task, inblock, again] | map(attribute='stdout') | map('split') | map('last') | join(' ') }}
      delegate_to: localhost
`,
      'templated.yml': `- hosts: all
  gather_facts: true
  gather_timeout: "{{ gt | default(10) }}"
  vars:
    play_port: ${a.port}
  port: "{{ play_port }}"
  tasks:
    - set_fact:
        other: ${b.port}
    - shell: echo "$SSH_CONNECTION"
      register: first
    - shell: echo "$SSH_CONNECTION"
      port: "{{ other }}"
      register: task
    - copy:
        dest: "{{ out }}"
        content: "{{ [first, task] | map(attribute='stdout') | map('split') | map('last') | join(' ') }}"
      delegate_to: localhost
`,
    })
  })
  afterAll(async () => {
    await fleet?.stop()
  })

  const run = (inv: string, play: string, out: string, ...extra: string[]) =>
    tsplay([
      'run',
      join(dir, play),
      '-i',
      join(dir, inv),
      '--known-hosts',
      fleet.knownHostsFile,
      '-e',
      `out=${out}`,
      ...extra,
    ])

  const ports = async (inv: string, play = 'play.yml'): Promise<string[]> => {
    const out = join(dir, `${inv}-${play}.out`)
    const r = await run(inv, play, out)
    expect(r.code, r.stdout + r.stderr).toBe(0)
    return readFileSync(out, 'utf8').trim().split(' ')
  }

  it("a task's or block's port connects there; the play's connection goes on", async () => {
    const [a, b] = fleet.hosts.map((h) => String(h.port))
    expect(await ports('keywordonly.yml')).toEqual([a, b, b, a])
  })

  it('an ansible_port variable wins over the keyword', async () => {
    const a = String(fleet.hosts[0].port)
    expect(await ports('pinned.yml')).toEqual([a, a, a, a])
  })

  it("ports given by templates are rendered with the host's variables", async () => {
    const [a, b] = fleet.hosts.map((h) => String(h.port))
    expect(await ports('keywordonly.yml', 'templated.yml')).toEqual([a, b])
  })

  it('a templated gather_timeout that gives no whole number ends the run before the play', async () => {
    const r = await run('keywordonly.yml', 'templated.yml', join(dir, 'never.out'), '-e', 'gt=soon')
    expect(r.code).toBe(2)
    expect(r.stdout + r.stderr).toMatch(/"gather_timeout" must be a whole number ≥ 1, found "soon"/)
  })
})
