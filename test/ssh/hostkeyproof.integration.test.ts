/**
 * After login, sshd announces its host keys (`hostkeys-00@openssh.com`); plain ssh2 then asks it to prove each one
 * (`hostkeys-prove-00@openssh.com`: a round trip and a signature per key on the host). tsplay accepts the
 * announcement without asking (engine/ssh/hostkeyproof.ts). sshd's own debug log, on a real loopback sshd, shows
 * the announcement sent and no proof asked for, while a command still runs and keepalives are still answered.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HostConnection } from '../../engine/ssh/connection.js'
import { canRunSshd, startSshd, type SshdFleet } from '../helpers/sshd.js'
import { connectTo, eventually } from './util.js'

const can = canRunSshd()

describe.skipIf(!can.ok)('host key announcement after login', () => {
  let fleet: SshdFleet
  let conn: HostConnection
  const log = () => readFileSync(join(fleet.dir, fleet.hosts[0].name, 'sshd.log'), 'utf8')
  beforeAll(async () => {
    // sshd takes a keyword's first value: these come before the helper's `LogLevel ERROR`; the server's keepalive
    // (a global request the client must answer) every second
    fleet = await startSshd({ count: 1, sshdConfig: ['LogLevel DEBUG3', 'ClientAliveInterval 1'] })
    conn = await connectTo(fleet)
  })
  afterAll(async () => {
    await conn?.close()
    await fleet?.stop()
  })

  it('is accepted without asking the host to prove its keys', async () => {
    expect((await conn.run({ argv: ['echo', 'hello'] })).stdout).toBe('hello\n')
    expect(await eventually(() => /notify_hostkeys: sent \d+ hostkeys/.test(log()))).toBe(true)
    // the server's keepalives (other global requests) still get an answer: the session stays
    expect(await eventually(() => /keepalive@openssh\.com/.test(log()), 5000)).toBe(true)
    expect((await conn.run({ argv: ['echo', 'still'] })).stdout).toBe('still\n')
    expect(log()).not.toMatch(/hostkeys-prove-00@openssh\.com/)
  })
})
