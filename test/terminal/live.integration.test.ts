/**
 * The live view on a real terminal (tmux pane), against loopback sshd targets: every task row completes whatever
 * hosts a task has results for (run_once, delegate_to, skipped, failed earlier, unreachable, serial batches,
 * strategy free, handlers), the recap is printed, and Ctrl-C ends the run with a recap and exit 130 (twice: at
 * once) — as plain output does. Read from the screen, as a user reads it.
 */
import { randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeTree } from '../helpers/cli.js'
import { canRunSshd, freePort, startSshd, type SshdFleet } from '../helpers/sshd.js'
import { canRunTmux, openScreen, spinningRows, type Screen } from './tmux.js'

const can = canRunSshd().ok ? canRunTmux() : canRunSshd()

describe.skipIf(!can.ok)(`live view on a terminal${can.ok ? '' : ` (skipped: ${!can.ok && can.why})`}`, () => {
  let fleet: SshdFleet
  let dir: string
  const screens: Screen[] = []
  const open = async (book: string, extra: string[] = []) => {
    const s = await openScreen([
      'run',
      join(dir, book),
      '-i',
      join(dir, 'inventory.yml'),
      '--known-hosts',
      fleet.knownHostsFile,
      ...extra,
    ])
    screens.push(s)
    return s
  }
  /** The row lines under every header of `task` (up to the next header). */
  const rows = (t: string, task: string) =>
    t
      .split(/\n(?=(?:TASK|RUNNING HANDLER|PLAY|PLAY RECAP) \[|PLAY RECAP)/)
      .filter((p) => p.includes(`[${task}]`))
      .flatMap((p) => p.split('\n').slice(1))
  /** The lines of the recap block at the end of a screen. */
  const recap = (t: string) =>
    t
      .slice(t.lastIndexOf('PLAY RECAP'))
      .split('\n')
      .filter((l) => / : ok=/.test(l))

  beforeAll(async () => {
    fleet = await startSshd({ count: 2, sudo: 'nopasswd' })
    const closed = await freePort() // nothing listens there: the host "down" is unreachable
    const tag = randomBytes(4).toString('hex')
    dir = writeTree({
      'inventory.yml':
        `${fleet.inventoryYaml()}    down: { ansible_host: 127.0.0.1, ansible_port: ` +
        `${closed}, ansible_user: ${fleet.user}, ansible_ssh_private_key_file: ${fleet.keyFile} }\n  ` +
        `children:\n    two: { hosts: { t1: {}, t2: {} } }\n`,
      'once.yml': `
- hosts: two
  gather_facts: false
  tasks:
    - name: only once
      command: { argv: ['true'] }
      run_once: true
    - name: on both
      command: { argv: ['true'] }
`,
      'sets.yml': `
- hosts: two
  gather_facts: false
  serial: 1
  tasks:
    - name: serial once
      command: { argv: ['true'] }
      run_once: true
    - name: serial both
      command: { argv: ['true'] }
- hosts: two
  gather_facts: false
  strategy: free
  tasks:
    - name: free once
      command: { argv: ['true'] }
      run_once: true
    - name: free both
      command: { argv: [sh, -c, 'sleep 0.{{ 3 if inventory_hostname == "t1" else 1 }}'] }
- hosts: all
  gather_facts: false
  tasks:
    - name: once ${tag}
      command: { argv: ['true'] }
      run_once: true
    - name: delegated
      command: { argv: ['true'] }
      delegate_to: t1
    - name: skipped on t2
      command: { argv: ['true'] }
      when: inventory_hostname != 't2'
    - name: fails on t2
      command: { argv: ['false'] }
      when: inventory_hostname == 't2'
    - name: after the failure
      command: { argv: ['true'] }
      notify: a handler
  handlers:
    - name: a handler
      command: { argv: ['true'] }
`,
      'wide.yml': `
- hosts: two
  gather_facts: false
  tasks:
    - name: a long command line with tabs
      command: { argv: [sh, -c, "sleep 2; echo '${'x\\t'.repeat(40)}${'y'.repeat(300)}'"] }
    - name: after it
      command: { argv: ['true'] }
`,
      'slow.yml': `
- hosts: two
  gather_facts: false
  tasks:
    - name: slow
      command: { argv: [sleep, "{{ secs }}"] }
    - name: next
      command: { argv: ['true'] }
`,
    })
  })

  afterAll(async () => {
    for (const s of screens) await s.close()
    await fleet?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('run_once: both tasks complete on screen, the recap is printed, exit 0', async () => {
    const s = await open('once.yml')
    const code = await s.exitCode(30_000)
    const t = await s.text()
    expect(code, `the run did not end (frozen view):\n${t}`).toBe(0)
    expect(spinningRows(t), t).toEqual([])
    const second = t.slice(t.indexOf('TASK [on both]'))
    expect(second, t).toMatch(/✔ t1: (ok|changed)/)
    expect(second, t).toMatch(/✔ t2: (ok|changed)/)
    expect(recap(t), t).toHaveLength(2)
  }, 60_000)

  it('every host set of a result: no row is left spinning, the recap covers every host', async () => {
    const s = await open('sets.yml')
    const code = await s.exitCode(60_000)
    const t = await s.text()
    expect(code, `the run did not end (frozen view):\n${t}`).toBe(4) // "down" is unreachable
    expect(spinningRows(t), t).toEqual([])
    for (const task of ['delegated', 'after the failure', 'a handler']) expect(t).toContain(`[${task}]`)
    // serial: one header per batch; free: one per host and task; each with its host's finished row
    for (const task of ['serial both', 'free both']) {
      for (const h of ['t1', 't2'])
        expect(
          rows(t, task).filter((l) => l.includes(`✔ ${h}: changed`)),
          t,
        ).toHaveLength(1)
    }
    expect(t).toMatch(/down.*UNREACHABLE|down: unreachable/)
    const lines = recap(t)
    expect(lines.map((l) => l.split(/\s/)[0]).sort(), t).toEqual(['down', 't1', 't2'])
  }, 90_000)

  it('a command line wider than the screen, with tabs, leaves no stale spinner rows', async () => {
    const s = await open('wide.yml', ['-v'])
    const code = await s.exitCode(30_000)
    const t = await s.text()
    expect(code, t).toBe(0)
    expect(spinningRows(t), t).toEqual([])
    expect(
      rows(t, 'a long command line with tabs').filter((l) => /^[✔✖↓]/.test(l)),
      t,
    ).toHaveLength(2)
  }, 60_000)

  it('Ctrl-C once: the running task finishes, no new one starts, the recap is printed, exit 130', async () => {
    const s = await open('slow.yml', ['-e', 'secs=10'])
    await s.waitFor((t) => t.includes('TASK [slow]'), 30_000, 'the slow task')
    await new Promise((r) => setTimeout(r, 500))
    await s.keys('C-c')
    // said at once, under the running rows, not only once the task is over
    await s.waitFor((t) => /› Interrupted: finishing/.test(t), 6_000, 'the notice under the running rows')
    expect(await s.status()).toBeUndefined()
    const code = await s.exitCode(30_000)
    const t = await s.text()
    expect(code, t).toBe(130)
    expect(t).toContain('Interrupted')
    expect(t).not.toContain('TASK [next]')
    expect(recap(t), t).toHaveLength(2)
    expect(spinningRows(t), t).toEqual([])
  }, 60_000)

  it('Ctrl-C twice: stops at once, prints the recap, exit 130', async () => {
    const s = await open('slow.yml', ['-e', 'secs=600'])
    await s.waitFor((t) => t.includes('TASK [slow]'), 30_000, 'the slow task')
    await new Promise((r) => setTimeout(r, 1000))
    await s.keys('C-c')
    await new Promise((r) => setTimeout(r, 300))
    await s.keys('C-c')
    const code = await s.exitCode(20_000)
    const t = await s.text()
    expect(code, t).toBe(130)
    expect(t).toContain('Stopping now')
    expect(t).not.toContain('TASK [next]')
    expect(recap(t), t).toHaveLength(2)
    expect(spinningRows(t), t).toEqual([])
  }, 60_000)
})
