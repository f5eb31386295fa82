/**
 * The sudo password on a real systemd host (a fleet node with logind): the askpass session folder holding it is in
 * the login user's runtime folder (`/run/user/UID`, in memory), not in /tmp; and when the controller is killed
 * mid-run (SIGKILL: no clean-up of its own), the folder is gone once the user's session ends (here when the command
 * it left running on the host ends) — no password file is left on the host.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canRunFleet, startFleet, type Fleet } from '../helpers/fleet.js'
import { tsplay, writeTree } from '../helpers/cli.js'

const can = canRunFleet()
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe.skipIf(!can.ok)('the sudo password on a systemd host', () => {
  let fleet: Fleet
  let dir: string
  let node: string
  let uid: string
  const folders = async () =>
    (await fleet.exec(node, ['sh', '-c', `ls -d /run/user/${uid}/tsplay.* /tmp/tsplay.* 2>/dev/null || true`])).stdout
      .split('\n')
      .filter(Boolean)

  beforeAll(async () => {
    fleet = await startFleet(1)
    node = fleet.nodes[0]!.name
    const pw = fleet.sudoPasswordUser
    uid = (await fleet.exec(node, ['id', '-u', pw.user])).stdout.trim()
    dir = writeTree({
      'inventory.yml': fleet.inventoryYaml({}, { ansible_user: pw.user }),
      'where.yml': `- hosts: all
  gather_facts: false
  become: true
  tasks:
    - shell: ls -d /run/user/${uid}/tsplay.* /tmp/tsplay.* 2>/dev/null || true
      register: where
    - debug: { msg: "where={{ where.stdout_lines | join(',') }}" }
`,
      'long.yml': `- hosts: all
  gather_facts: false
  become: true
  tasks:
    - command: sleep 15
`,
    })
  }, 600_000)
  afterAll(async () => {
    await fleet?.stop()
  })

  const args = (pb: string) => [
    'run',
    join(dir, pb),
    '-i',
    join(dir, 'inventory.yml'),
    '--known-hosts',
    fleet.knownHostsFile,
    '--json',
  ]
  const env = () => ({ TSPLAY_BECOME_PASSWORD: fleet.sudoPasswordUser.password })

  it('keeps the askpass folder in /run/user/UID, and removes it at the end of the run', async () => {
    const r = await tsplay(args('where.yml'), { env: env() })
    expect(r.code, r.stdout + r.stderr).toBe(0)
    const where = /where=([^"]*)/.exec(r.stdout)?.[1] ?? ''
    expect(where).toMatch(new RegExp(`^/run/user/${uid}/tsplay\\.[A-Za-z0-9]+$`))
    expect(r.stdout + r.stderr).not.toContain(fleet.sudoPasswordUser.password)
    expect(await folders()).toEqual([])
  }, 120_000)

  it('a controller killed mid-run leaves no password file once the session is gone', async () => {
    let child: import('node:child_process').ChildProcess | undefined
    const run = tsplay(args('long.yml'), { env: env(), onSpawn: (c) => (child = c) })
    for (let i = 0; i < 300 && (await folders()).length === 0; i++) await sleep(200)
    expect(await folders()).toHaveLength(1)
    child!.kill('SIGKILL')
    await run
    let left = await folders()
    // the running command ends (15 s), the session closes, logind removes the runtime folder (after 10 s)
    for (let i = 0; i < 120 && left.length; i++) {
      await sleep(1000)
      left = await folders()
    }
    expect(left).toEqual([])
  }, 240_000)
})
