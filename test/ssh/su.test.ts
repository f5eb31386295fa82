/**
 * su's password handshake against a scripted channel: the prompt is found whatever its language, answered once
 * on stdin, and the stderr that follows the ready marker is kept for the shell; a second prompt, a prompt without
 * a password, and su's failures give their own messages.
 */
import { PassThrough } from 'node:stream'
import type { ClientChannel } from 'ssh2'
import { describe, expect, it } from 'vitest'
import { HostError } from '../../engine/errors.js'
import { ShellStartError } from '../../engine/ssh/faults.js'
import { SU_READY } from '../../engine/ssh/quote.js'
import { sudoError } from '../../engine/ssh/become.js'
import { suError, suHandshake } from '../../engine/ssh/su.js'

/** A channel whose stderr the test writes, and whose stdin writes are recorded. */
function fakeChannel(): { ch: ClientChannel; stderr: PassThrough; written: string[]; closed: () => boolean } {
  const ch = new PassThrough() as unknown as ClientChannel & PassThrough
  const stderr = new PassThrough()
  const written: string[] = []
  let closed = false
  Object.assign(ch, {
    stderr,
    write: (d: string) => (written.push(d), true),
    close: () => (closed = true),
  })
  return { ch, stderr, written, closed: () => closed }
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r))

describe('su handshake', () => {
  it.each(['Password: ', 'Passwort: ', 'Mot de passe : ', '密码：', "app's Password:"])(
    'answers the prompt %j once, then hands over what follows the ready marker',
    async (prompt) => {
      const f = fakeChannel()
      const done = suHandshake(f.ch, 'h1', 'app', 'pw-123')
      f.stderr.write(prompt)
      await tick()
      expect(f.written).toEqual(['pw-123\n'])
      f.stderr.write(`${SU_READY}after`)
      await done
      const rest: Buffer[] = []
      f.ch.stderr.on('data', (d: Buffer) => rest.push(d))
      f.ch.stderr.resume()
      await tick()
      expect(Buffer.concat(rest).toString()).toBe('after')
      expect(f.written).toEqual(['pw-123\n'])
    },
  )

  it('writes nothing when su does not ask (the login user is root)', async () => {
    const f = fakeChannel()
    const done = suHandshake(f.ch, 'h1', 'app', 'pw-123')
    f.stderr.write(SU_READY)
    await done
    expect(f.written).toEqual([])
  })

  it('fails without a password, and on a second prompt, closing the channel', async () => {
    const f = fakeChannel()
    const none = suHandshake(f.ch, 'h1', 'app', undefined)
    f.stderr.write('Password: ')
    await expect(none).rejects.toThrow(HostError)
    await expect(none).rejects.toThrow(/su asks for a password; set ansible_become_password/)
    expect([f.written, f.closed()]).toEqual([[], true])
    const g = fakeChannel()
    const again = suHandshake(g.ch, 'h1', 'app', 'pw-123')
    g.stderr.write('Password: ')
    await tick()
    g.stderr.write('Password: ')
    await expect(again).rejects.toThrow(ShellStartError)
    expect(g.written).toEqual(['pw-123\n'])
  })

  it('turns su failures into distinct messages that never hold the password', () => {
    const msgs = [
      suError('h1', 'app', 'su: Authentication failure\n', 1, true).message,
      suError(
        'h1',
        'app',
        'su: user app does not exist or the user entry does not contain all the required fields',
        1,
        true,
      ).message,
      suError('h1', 'app', 'su: must be run from a terminal\n', 1, true).message,
      suError('h1', 'app', 'sh: 1: exec: /bin/nosu: not found\n', 127, true).message,
    ]
    expect(msgs[0]).toMatch(/the become password is wrong/)
    expect(msgs[1]).toMatch(/there is no user app/)
    expect(msgs[2]).toMatch(/reads a password only from a terminal/)
    expect(msgs[3]).toMatch(/su \(become_exe\) is not found/)
    expect(new Set(msgs).size).toBe(4)
  })

  it("ends su's and sudo's messages with the last two lines the tool said (su's prompt left out)", () => {
    expect(suError('h1', 'app', 'Password: \nsu: Authentication failure\n', 1, true).message).toBe(
      'h1: cannot become app: the become password is wrong (ansible_become_password / --ask-become-pass)' +
        ' (su said: su: Authentication failure)',
    )
    expect(sudoError('h1', 'app', 'a\nsudo: a password is required\n\nb\n', 1, false).message).toBe(
      'h1: cannot become app: sudo needs a password; set ansible_become_password or use --ask-become-pass' +
        ' (sudo said: sudo: a password is required / b)',
    )
    expect(sudoError('h1', 'app', '', 1, false).message).toBe('h1: cannot become app: sudo failed with exit code 1')
  })
})
