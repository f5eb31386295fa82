/**
 * `sysvinit` (and `service` on the SysV path) side by side with ansible-playbook's `sysvinit`, in a private
 * namespace with /etc overlaid (test/helpers/etcns.ts): a throw-away init script (test/fixtures/sysv/tsplay-fake)
 * that only records what it is asked, `service` and `update-rc.d` for real. Twice each: the recap counts, the
 * script's log of calls (status, start, stop, reload, in order), its state and the rc?.d links must agree. (Where
 * `update-rc.d` fails, Ansible ignores it and tsplay fails the task: a difference the README lists, not run here.)
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ROOT } from '../hydra/cli.js'
import { etcNamespaces } from '../helpers/etcns.js'

const ns = etcNamespaces()
afterAll(() => ns.ok && ns.done())
// on a host that runs systemd, `service NAME status` asks systemd, which does not know a script made here
const why = !ns.ok ? ns.why : existsSync('/run/systemd/system') ? 'this machine runs systemd' : undefined

const SETUP = `install -m 0755 ${join(ROOT, 'test', 'fixtures', 'sysv', 'tsplay-fake')} /etc/init.d/tsplay-fake`

const CASES: { title: string; tasks: string }[] = [
  {
    title: 'start and enable, then as they are',
    tasks: `
    - sysvinit: { name: tsplay-fake, state: started, enabled: true }
    - sysvinit: { name: tsplay-fake, state: started }`,
  },
  {
    title: "service's SysV path: restart (no sleep), reload, stop and disable",
    tasks: `
    - service: { name: tsplay-fake, state: started, use: sysvinit }
    - service: { name: tsplay-fake, state: restarted, use: sysvinit, sleep: 0 }
    - service: { name: tsplay-fake, state: reloaded, use: sysvinit }
    - service: { name: tsplay-fake, state: stopped, enabled: false, use: sysvinit }`,
  },
  {
    title: 'runlevels, a stopped service reloaded, a missing service',
    tasks: `
    - sysvinit: { name: tsplay-fake, enabled: true }
    - sysvinit: { name: tsplay-fake, enabled: false, runlevels: ["3"] }
    - sysvinit: { name: tsplay-fake, enabled: true, runlevels: ["3", "5"] }
    - sysvinit: { name: tsplay-fake, state: reloaded }
    - sysvinit: { name: tsplay-no-such-service, state: started }
      ignore_errors: true`,
  },
]

describe.skipIf(why !== undefined)(`sysvinit agrees with ansible-playbook (${why ?? 'root, no systemd'})`, () => {
  it.each(CASES)('$title', ({ tasks }) => {
    if (!ns.ok) return
    const book = `- hosts: all\n  gather_facts: false\n  tasks:${tasks}\n`
    const ansible = ns.run('ansible', book, SETUP)
    const tsplay = ns.run('tsplay', book, SETUP)
    expect(ansible.recaps).toHaveLength(2)
    expect(ansible.files['tsplay-fake.log']).toMatch(/status/)
    expect(tsplay.recaps).toEqual(ansible.recaps)
    expect(tsplay.files).toEqual(ansible.files)
  })
})
