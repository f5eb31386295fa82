/**
 * The built CLI pads its SSH packets from the pooled random buffer (engine/ssh/ssh2crypto.ts, wired into the bundle
 * by scripts/bundle.mjs), not with a `crypto.randomFillSync` call per packet as ssh2 alone does. A preloaded script
 * counts the process's `randomFillSync` calls while a 40-task play runs on a real loopback sshd: a few (the key
 * exchange's cookie, one refill of the pool per 4 KB of padding), where a call per packet would be a hundred or more.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canRunSshd, startSshd, type SshdFleet } from '../helpers/sshd.js'
import { tsplay, writeTree } from '../helpers/cli.js'

const can = canRunSshd()

/** Preloaded with `--require`: counts randomFillSync calls and prints the count at exit (stderr). */
const COUNTER = `const c = require('node:crypto'); const real = c.randomFillSync; let n = 0
c.randomFillSync = function (...a) { n++; return real.apply(this, a) }
process.on('exit', () => process.stderr.write('randomFillSync calls: ' + n + '\\n'))
`

describe.skipIf(!can.ok)('SSH packet padding', () => {
  let fleet: SshdFleet
  let dir: string
  beforeAll(async () => {
    fleet = await startSshd({ count: 1 })
    const tasks = Array.from({ length: 40 }, (_, i) => `    - command: echo ${i}\n      changed_when: false\n`)
    dir = writeTree({
      'inventory.yml': fleet.inventoryYaml(),
      'play.yml': `- hosts: all\n  gather_facts: false\n  tasks:\n${tasks.join('')}`,
    })
    writeFileSync(join(dir, 'count.cjs'), COUNTER)
  })
  afterAll(() => fleet?.stop())

  it('comes from the pool: a few randomFillSync calls for a whole play, not one per packet', async () => {
    const r = await tsplay(
      ['run', 'play.yml', '-i', 'inventory.yml', '--known-hosts', fleet.knownHostsFile, '--json'],
      {
        cwd: dir,
        env: { NODE_OPTIONS: `--require ${join(dir, 'count.cjs')}` },
      },
    )
    expect(r.code, r.stderr).toBe(0)
    expect(Object.values(r.recap ?? {})[0]).toMatchObject({ ok: 40, failed: 0 })
    const calls = Number(/randomFillSync calls: (\d+)/.exec(r.stderr)?.[1])
    // 40 commands are at least 80 packets each way; the key exchange and a refill or two are a handful
    expect(calls).toBeGreaterThan(0)
    expect(calls).toBeLessThan(10)
  })
})
