/**
 * Pending handlers recorded on the host (engine/run/pending.ts), over real loopback sshd: a notification whose
 * handler a failed, killed or `--check` run never ran is carried into the next run, which runs the handler after
 * the tasks that notify it; once it ran, the record is gone and the next run changes nothing.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canRunSshd, startSshd, type SshdFleet } from '../helpers/sshd.js'
import { runArgs, tsplay, writeTree } from '../helpers/cli.js'
import { scratchPath } from '../helpers/tempdir.js'

const can = canRunSshd()

describe.skipIf(!can.ok)(`pending handlers${can.ok ? '' : ` (${can.why})`}`, () => {
  let fleet: SshdFleet
  let dir: string
  const root = scratchPath('tsplay-ph-')
  const state = join(root, 'state', 'pending-handlers')
  const args = (extra: string[] = []) => runArgs(dir, 'site.yml', fleet, ['--json', ...extra])
  const records = () => (existsSync(state) ? readdirSync(state).filter((f) => !f.startsWith('.')) : [])
  const restarts = (h: string) =>
    existsSync(join(root, h, 'restarts'))
      ? readFileSync(join(root, h, 'restarts'), 'utf8')
          .split('\n')
          .filter(Boolean)
      : []
  const handlerLines = (r: Awaited<ReturnType<typeof tsplay>>) => r.events.filter((e) => e.type === 'task' && e.handler)

  beforeAll(async () => {
    fleet = await startSshd({ count: 2, sudo: 'nopasswd' })
    dir = writeTree({
      'inventory.yml': fleet.inventoryYaml({ tsplay_state_dir: join(root, 'state'), root }),
      'site.yml': `
- name: app
  hosts: all
  gather_facts: false
  become: true
  vars:
    port: 8080
    fail_after: false
    sleep_after: 0
  tasks:
    - name: config
      copy: { dest: "{{ root }}/{{ inventory_hostname }}/app.conf", content: "port={{ port }}\\n" }
      notify: restart app
    - name: something later fails
      fail: { msg: "failing on purpose" }
      when: fail_after | bool
    - name: something later takes long
      command: "sleep {{ sleep_after }}"
      when: sleep_after | int > 0
  handlers:
    - name: restart app
      shell: "cat {{ root }}/{{ inventory_hostname }}/app.conf >> {{ root }}/{{ inventory_hostname }}/restarts"
`,
    })
    for (const h of fleet.hosts) mkdirSync(join(root, h.name), { recursive: true })
  }, 60_000)
  afterAll(async () => {
    await fleet?.stop()
    rmSync(dir, { recursive: true, force: true })
    rmSync(root, { recursive: true, force: true })
  })

  it('first run: the handler runs and leaves no record', async () => {
    const r = await tsplay(args())
    expect(r.code, r.stderr).toBe(0)
    expect(restarts('t1')).toEqual(['port=8080'])
    expect(records()).toEqual([])
  }, 60_000)

  it('a run that fails after the change leaves the handler pending; the next run runs it, once', async () => {
    const failed = await tsplay(args(['-e', 'port=9090', '-e', 'fail_after=true']))
    expect(failed.code).toBe(2)
    expect(handlerLines(failed)).toEqual([])
    expect(records()).toHaveLength(2) // one per host
    expect(JSON.parse(readFileSync(join(state, records()[0]), 'utf8'))).toMatchObject({
      handler: 'restart app',
      play: 'app',
      notified_by: 'config',
    })

    // --check predicts the pending restart as a change, without running it; the record stays.
    const check = await tsplay(args(['-e', 'port=9090', '--check']))
    expect(check.code, check.stderr).toBe(0)
    expect(
      handlerLines(check)
        .map((e) => `${e.host} ${e.status}`)
        .sort(),
    ).toEqual(['t1 changed', 't2 changed'])
    expect(check.recap?.t1.changed).toBe(1)
    expect(check.stdout + check.stderr).toMatch(/restart app.{1,3} notified by an earlier run that did not run it/)
    expect(restarts('t1')).toEqual(['port=8080'])
    expect(records()).toHaveLength(2)

    // A plain rerun: the config is already right (ok), the carried handler runs, the records go.
    const again = await tsplay(args(['-e', 'port=9090']))
    expect(again.code, again.stderr).toBe(0)
    expect(again.events.find((e) => e.type === 'task' && e.task === 'config' && e.host === 't1')?.status).toBe('ok')
    expect(restarts('t1')).toEqual(['port=8080', 'port=9090'])
    expect(restarts('t2')).toEqual(['port=8080', 'port=9090'])
    expect(records()).toEqual([])

    const third = await tsplay(args(['-e', 'port=9090']))
    expect(third.recap?.t1.changed).toBe(0)
    expect(restarts('t1')).toHaveLength(2)
  }, 120_000)

  it('a run killed between the change and the handler: the next run restarts', async () => {
    let killed = false
    const r = await tsplay(args(['-e', 'port=7070', '-e', 'sleep_after=60']), {
      onSpawn: (child) => {
        const poll = setInterval(() => {
          if (records().length === 2) {
            clearInterval(poll)
            killed = child.kill('SIGKILL')
          }
        }, 100)
        child.on('close', () => clearInterval(poll))
      },
    })
    expect(killed, r.stdout + r.stderr).toBe(true)
    expect(restarts('t1')).toHaveLength(2)
    const again = await tsplay(args(['-e', 'port=7070']))
    expect(again.code, again.stderr).toBe(0)
    expect(restarts('t1').at(-1)).toBe('port=7070')
    expect(records()).toEqual([])
  }, 120_000)

  it('--force-handlers runs the handler on the host that failed', async () => {
    const r = await tsplay(args(['-e', 'port=6060', '-e', 'fail_after=true', '--force-handlers']))
    expect(r.code).toBe(2)
    expect(
      handlerLines(r)
        .map((e) => `${e.host} ${e.status}`)
        .sort(),
    ).toEqual(['t1 changed', 't2 changed'])
    expect(restarts('t2').at(-1)).toBe('port=6060')
    expect(records()).toEqual([])
  }, 60_000)
})
