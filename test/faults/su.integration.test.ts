/**
 * `become_method: su` end to end through the CLI against a loopback sshd target whose login user has no sudo
 * rights: a task becomes a target user (random name and password, made for this test process) through su and
 * runs as that user; a wrong password fails that task with a clear message while the host goes on; the password
 * never shows in any output, also at -vvv.
 */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeTree } from '../helpers/cli.js'
import { canRunSshd, startSshd, type SshdFleet } from '../helpers/sshd.js'
import { ensureSuTarget, type TestUser } from '../helpers/test-users.js'
import { bounded, explain, resultsOf } from './util.js'

const can = canRunSshd()

const book = (user: string): string => `
- hosts: all
  gather_facts: false
  tasks:
    - name: as the target through su
      command: id -un
      become: true
      become_method: su
      become_user: ${user}
      ignore_errors: true
    - name: still works without become
      command: id -un
`

describe.skipIf(!can.ok)(`become_method su through the CLI${can.ok ? '' : ` (skipped: ${can.why})`}`, () => {
  let fleet: SshdFleet
  let target: TestUser
  let dir: string
  let run: (password: string, extra: string[]) => ReturnType<typeof bounded>

  beforeAll(async () => {
    fleet = await startSshd({ count: 1, sudo: 'none' })
    target = ensureSuTarget()
    dir = writeTree({ 'book.yml': book(target.user), 'inv.yml': fleet.inventoryYaml() })
    run = (password, extra) =>
      bounded(
        ['run', join(dir, 'book.yml'), '-i', join(dir, 'inv.yml'), '--known-hosts', fleet.knownHostsFile, ...extra],
        { env: { TSPLAY_BECOME_PASSWORD: password }, limitMs: 60_000 },
      )
  })

  afterAll(async () => {
    await fleet?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('runs the task as the target user; the password shows nowhere', async () => {
    const r = await run(target.password, ['--json'])
    expect(r.code, explain(r)).toBe(0)
    expect(resultsOf(r, 'as the target through su')[0]).toMatchObject({ status: 'changed' })
    expect(JSON.stringify(resultsOf(r, 'as the target through su')[0])).toContain(`"stdout":"${target.user}"`)
    expect(r.stdout + r.stderr).not.toContain(target.password)
    const v = await run(target.password, ['-vvv'])
    expect(v.code, explain(v)).toBe(0)
    expect(v.stdout + v.stderr).toContain(`(as ${target.user} via su)`)
    expect(v.stdout + v.stderr).not.toContain(target.password)
  }, 120_000)

  it('a wrong password fails the task cleanly; the host goes on', async () => {
    const wrong = `${target.password}-wrong`
    const r = await run(wrong, ['--json'])
    expect(r.code, explain(r)).toBe(0) // ignore_errors
    const failed = resultsOf(r, 'as the target through su')[0]
    expect(failed).toMatchObject({ status: 'failed', ignored: true })
    expect(failed.msg).toMatch(/cannot become tspt-.*-su: the become password is wrong/)
    expect(resultsOf(r, 'still works without become')[0]?.status).toBe('changed')
    expect(r.stdout + r.stderr).not.toContain(wrong)
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/)
  }, 120_000)
})
