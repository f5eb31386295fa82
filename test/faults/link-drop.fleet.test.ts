/**
 * Wi-Fi drops on real Debian hosts (the test fleet: systemd-nspawn nodes on a bridge), end to end through the CLI
 *. The node's link is taken down mid-task (its TCP connections stall: no FIN, no RST), kept down until
 * tsplay's keepalives notice, then brought back: a normal task is retried once the host is back (`--retries`), and
 * a long-running `async` job goes on on the node while tsplay reconnects and then reports its result. Bounded runs.
 */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeTree } from '../helpers/cli.js'
import { canRunFleet, startFleet, type Fleet } from '../helpers/fleet.js'
import { background, explain, waitFor } from './util.js'

const can = canRunFleet()

describe.skipIf(!can.ok)(`link drops on the fleet${can.ok ? '' : ` (skipped: ${can.why})`}`, () => {
  let fleet: Fleet
  let dir: string
  let node: string
  const lines = async (f: string) => {
    const r = await fleet.exec(node, ['sh', '-c', 'cat "$1" 2>/dev/null || :', 'sh', f])
    return r.stdout.split('\n').filter(Boolean).length
  }
  const args = (book: string, extra: string[] = []) => [
    'run',
    join(dir, book),
    '-i',
    join(dir, 'hosts.yml'),
    '--known-hosts',
    fleet.knownHostsFile,
    '--output',
    'plain',
    '-v',
    ...extra,
  ]
  /** Link down until tsplay says it lost the connection (keepalives: ~15 s), then up again. */
  const dropUntilNoticed = async (out: () => string, mark: string) => {
    await fleet.linkDown(node)
    try {
      await waitFor(() => out().includes(mark), `tsplay to notice the drop ("${mark}")`, 60_000)
    } finally {
      await fleet.linkUp(node)
    }
  }

  beforeAll(async () => {
    fleet = await startFleet(1)
    node = fleet.nodes[0].name
    dir = writeTree({
      'hosts.yml': fleet.inventoryYaml(),
      'task.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - name: normal
      command: { argv: [sh, -c, 'echo x >> /tmp/normal-attempts; sleep 3'] }
    - name: after
      command: "true"
`,
      'job.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - name: build
      command:
        argv:
          - sh
          - -c
          - 'echo started >> /tmp/job-started; echo building; sleep 40; echo done >> /tmp/job-done; echo built'
      async: 600
      poll: 2
      register: b
    - debug: { msg: "build said {{ b.stdout | replace('\\n', ' ') }}" }
`,
    })
  }, 300_000)

  afterAll(async () => {
    await fleet?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('a normal task whose link dropped is retried once the host is back (--retries 1)', async () => {
    let out = ''
    const bg = background(args('task.yml', ['--retries', '1', '--reconnect-timeout', '120']), {
      limitMs: 200_000,
      onSpawn: (c) => c.stdout?.on('data', (d) => (out += d)),
    })
    await waitFor(async () => (await lines('/tmp/normal-attempts')) === 1, 'the task to start', 60_000)
    await dropUntilNoticed(() => out, 'connection dropped')
    const r = await bg.done
    expect(r.killed, explain(r)).toBe(false)
    expect(r.code, explain(r)).toBe(0)
    expect(await lines('/tmp/normal-attempts')).toBe(2)
    expect(r.stdout).toMatch(/TASK \[after\][\s\S]*changed: \[/)
  }, 240_000)

  it(
    'an async job goes on while the link is down; tsplay reconnects and reports its result, the job ran ' + 'once',
    async () => {
      let out = ''
      const bg = background(args('job.yml'), {
        limitMs: 200_000,
        onSpawn: (c) => c.stdout?.on('data', (d) => (out += d)),
      })
      await waitFor(async () => (await lines('/tmp/job-started')) === 1, 'the job to start', 60_000)
      await dropUntilNoticed(() => out, 'connection lost')
      const r = await bg.done
      expect(r.killed, explain(r)).toBe(false)
      expect(r.code, explain(r)).toBe(0)
      expect(r.stdout).toContain('build said building built')
      expect(await lines('/tmp/job-started')).toBe(1)
      expect(await lines('/tmp/job-done')).toBe(1)
    },
    240_000,
  )
})
