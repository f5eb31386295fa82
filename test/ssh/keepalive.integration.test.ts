/**
 * Keepalives only on a quiet connection (engine/ssh/keepalive.ts): sshd's own debug log, on a real loopback sshd,
 * counts the client's keepalive requests. While a command's output keeps arriving none is sent; on a quiet
 * connection they are, and answered, and the connection stays usable.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HostConnection } from '../../engine/ssh/connection.js'
import { canRunSshd, startSshd, type SshdFleet } from '../helpers/sshd.js'
import { connectTo } from './util.js'

const can = canRunSshd()

/** sshd's debug line for a global request from the client (serverloop.c). */
const CLIENT_KEEPALIVE = /server_input_global_request: rtype keepalive@openssh\.com/g

describe.skipIf(!can.ok)('keepalives', () => {
  let fleet: SshdFleet
  let conn: HostConnection
  const requests = () =>
    readFileSync(join(fleet.dir, fleet.hosts[0].name, 'sshd.log'), 'utf8').match(CLIENT_KEEPALIVE)?.length ?? 0
  beforeAll(async () => {
    // sshd takes a keyword's first value: this comes before the helper's `LogLevel ERROR`
    fleet = await startSshd({ count: 1, sshdConfig: ['LogLevel DEBUG'] })
    conn = await connectTo(fleet, 0, {}, { keepaliveSec: 1 })
  })
  afterAll(async () => {
    await conn?.close()
    await fleet?.stop()
  })

  it('are not sent while answers arrive, and are sent on a quiet connection', async () => {
    const before = requests()
    // output every 0.2 s for 4 s: ssh2's own timer would send a request every second
    const r = await conn.run({
      argv: ['sh', '-c', 'i=0; while [ $i -lt 20 ]; do echo $i; sleep 0.2; i=$((i+1)); done'],
    })
    expect(r.rc).toBe(0)
    expect(requests() - before).toBe(0)
    await sleep(4500)
    expect(requests() - before).toBeGreaterThanOrEqual(1)
    expect((await conn.run({ argv: ['echo', 'still'] })).stdout).toBe('still\n')
  })
})
