/**
 * What the `cron` module writes is read and run by cron itself: on a real Debian node of the test fleet (systemd as
 * PID 1; cron installed by the playbook's own `apt` task through NAT to the Debian mirror) the real CLI writes a job
 * into a file under /etc/cron.d and one into the login user's crontab; `crontab -l -u` lists the latter, and the
 * node's cron daemon runs both jobs at the next minute (each writes a file, owned by the job's user; the cron.d job
 * writes the value of a variable set by an `env: true` line of the same file). After `state: absent` the file is
 * gone and the crontab holds no job.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canRunFleet, startFleet, type Fleet } from '../helpers/fleet.js'
import { explain, tsplay } from '../hydra/cli.js'

const can = canRunFleet()

const book = (state: 'present' | 'absent') => `
- hosts: all
  become: true
  gather_facts: false
  tasks:
    - apt: { name: cron, update_cache: true, cache_valid_time: 3600 }
    - service: { name: cron, state: started }
    - cron: { name: PROOF_VAR, env: true, job: from-cron-env, cron_file: tsplay-proof, user: root, state: ${state} }
    - cron:
        name: proof-file
        cron_file: tsplay-proof
        user: root
        job: 'echo "$PROOF_VAR" > /root/cron-file-ran'
        state: ${state}
    - cron: { name: proof-user, user: tsplay, job: "touch /home/tsplay/cron-user-ran", state: ${state} }
`

describe.skipIf(!can.ok)(`programs read what the modules wrote (${can.ok ? 'fleet' : can.why})`, () => {
  let fleet: Fleet
  let dir: string
  let node: string
  let inv: string
  const run = (state: 'present' | 'absent') => {
    writeFileSync(join(dir, 'site.yml'), book(state))
    return tsplay(['run', join(dir, 'site.yml'), '-i', inv, '--known-hosts', fleet.knownHostsFile, '--json'])
  }
  const onNode = (argv: string[]) => fleet.exec(node, argv)

  beforeAll(async () => {
    fleet = await startFleet(1, { prefix: 'cons' })
    node = fleet.nodes[0].name
    dir = mkdtempSync(join(tmpdir(), 'tsplay-cons-'))
    inv = join(dir, 'hosts.yml')
    writeFileSync(inv, fleet.inventoryYaml())
  }, 600_000)
  afterAll(async () => {
    if (fleet) await onNode(['rm', '-f', '/etc/cron.d/tsplay-proof']).catch(() => undefined)
    await fleet?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('cron runs the job of a cron_file and of a user crontab written by tsplay', async () => {
    expect((await onNode(['test', '-e', '/root/cron-file-ran'])).rc).not.toBe(0)
    const r = await run('present')
    expect(r.rc, explain(r)).toBe(0)
    const listed = await onNode(['crontab', '-l', '-u', 'tsplay'])
    expect(listed.rc, listed.stderr).toBe(0)
    expect(listed.stdout).toContain('#Ansible: proof-user\n* * * * * touch /home/tsplay/cron-user-ran\n')
    const file = await onNode(['cat', '/etc/cron.d/tsplay-proof'])
    expect(file.stdout).toContain('PROOF_VAR="from-cron-env"\n') // quoted, as Ansible writes it
    expect(file.stdout).toContain('* * * * * root echo "$PROOF_VAR" > /root/cron-file-ran')

    // cron reads changed tables at each minute and runs the minute's jobs: both files appear within ~60 s
    const deadline = Date.now() + 75_000
    const owners = async () =>
      (await onNode(['stat', '-c', '%U', '/root/cron-file-ran', '/home/tsplay/cron-user-ran'])).stdout.trim()
    while (Date.now() < deadline && (await owners()).split('\n').length < 2) {
      await new Promise((res) => setTimeout(res, 2_000))
    }
    const journal = await onNode(['journalctl', '-u', 'cron', '--no-pager', '-n', '30'])
    expect((await owners()).split('\n'), journal.stdout).toEqual(['root', 'tsplay'])
    // the job saw the variable the env line set
    expect((await onNode(['cat', '/root/cron-file-ran'])).stdout).toBe('from-cron-env\n')

    const gone = await run('absent')
    expect(gone.rc, explain(gone)).toBe(0)
    expect((await onNode(['test', '-e', '/etc/cron.d/tsplay-proof'])).rc).not.toBe(0)
    const after = await onNode(['crontab', '-l', '-u', 'tsplay'])
    expect(after.stdout).not.toContain('cron-user-ran')
  }, 300_000)
})
