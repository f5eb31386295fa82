/**
 * Become through su on a loopback sshd target: the login user has no sudo rights; the target user has a random
 * password made for this test process. su's prompt is answered on its stdin: the persistent shell, a streamed
 * command and killing an aborted command all run as the target; a wrong or missing password fails with its own
 * message; the password never shows in any process's argv on the host.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BecomeMethod } from '../../engine/connector.js'
import { HostError } from '../../engine/errors.js'
import { canRunSshd, startSshd, type SshdFleet } from '../helpers/sshd.js'
import { ensureSuTarget, type TestUser } from '../helpers/test-users.js'
import { connectTo, eventually, processes } from './util.js'

const can = canRunSshd()
const SU: BecomeMethod = { method: 'su' }
let fleet: SshdFleet
let target: TestUser

/** Every process's argv on this machine that contains `needle`. */
function argvLeaks(needle: string): string[] {
  const out: string[] = []
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`).includes(needle)) out.push(pid)
    } catch {
      /* ended */
    }
  }
  return out
}

/** The HostError a become attempt through su fails with. */
async function suFailure(becomePassword: string | undefined, user = target.user): Promise<HostError> {
  const conn = await connectTo(fleet, 0, { becomePassword })
  try {
    await conn.run({ argv: ['id', '-un'] }, { becomeUser: user, becomeMethod: SU })
  } catch (e) {
    return e as HostError
  } finally {
    await conn.close()
  }
  throw new Error('su unexpectedly worked')
}

describe.skipIf(!can.ok)(`become through su${can.ok ? '' : ` (skipped: ${can.why})`}`, () => {
  beforeAll(async () => {
    fleet = await startSshd({ count: 1, sudo: 'none' })
    target = ensureSuTarget()
  })
  afterAll(async () => fleet?.stop())

  it('runs commands as the target user in its home, in the shell, streamed and in batches', async () => {
    const conn = await connectTo(fleet, 0, { becomePassword: target.password })
    try {
      const opts = { becomeUser: target.user, becomeMethod: SU }
      const r = await conn.run({ argv: ['sh', '-c', 'id -un; pwd; echo oops >&2'] }, opts)
      expect(r).toEqual({ rc: 0, stdout: `${target.user}\n/home/${target.user}\n`, stderr: 'oops\n' })
      const s = await conn.run({ argv: ['id', '-un'], stream: true }, opts)
      expect([s.rc, s.stdout]).toEqual([0, `${target.user}\n`])
      const b = await conn.batch([{ argv: ['id', '-un'] }, { argv: ['false'] }], opts)
      expect(b.map((x) => [x.rc, x.stdout])).toEqual([
        [0, `${target.user}\n`],
        [1, ''],
      ])
      // without a method, the same user goes through sudo, which this login user may not use
      await expect(conn.run({ argv: ['id', '-un'] }, { becomeUser: target.user })).rejects.toThrow(/sudo/)
    } finally {
      await conn.close()
    }
  })

  it('never puts the password in argv, and kills an aborted command as the target user', async () => {
    const conn = await connectTo(fleet, 0, { becomePassword: target.password })
    const ac = new AbortController()
    try {
      const marker = 'sleep 3607'
      const running = conn.run(
        { argv: ['sleep', '3607'] },
        {
          becomeUser: target.user,
          becomeMethod: SU,
          signal: ac.signal,
        },
      )
      expect(await eventually(() => processes(target.user, marker).length > 0)).toBe(true)
      expect(argvLeaks(target.password)).toEqual([])
      ac.abort()
      await expect(running).rejects.toThrow(/cancelled/)
      expect(await eventually(() => processes(target.user, marker).length === 0)).toBe(true)
    } finally {
      await conn.close()
    }
  })

  it('fails cleanly on a wrong password, no password, or no such user', async () => {
    const wrong = await suFailure(`${target.password}x`)
    expect(wrong).toBeInstanceOf(HostError)
    expect(wrong.kind).toBe('sudo')
    expect(wrong.message).toMatch(/cannot become tspt-.*-su: the become password is wrong/)
    expect(wrong.message).not.toContain(target.password)
    expect((await suFailure(undefined)).message).toMatch(/su asks for a password; set ansible_become_password/)
    const nobody = await suFailure(target.password, 'tspt-nosuchuser')
    expect(nobody.message).toMatch(/there is no user tspt-nosuchuser/)
  })
})
