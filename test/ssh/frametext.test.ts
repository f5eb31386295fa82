/**
 * The persistent shell's stderr file (frametext.ts) through a real local /bin/sh reading its stdin: stderr bytes
 * arrive exactly and framed when a command wrote any, a command that wrote none is answered by stdout's marker alone
 * (flag `n`), the file has no name on the host once the hello ran, commands do not inherit its descriptor, and a
 * name already taken makes the shell fall back to a marker on each stream.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { renderFrame, renderHello } from '../../engine/ssh/frametext.js'
import { FrameReader } from '../../engine/ssh/frames.js'
import { renderCommand } from '../../engine/ssh/quote.js'

const nonce = '5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e'

/** Whether this machine's /dev/shm is a tmpfs (then the shell must take the file mode). */
function shmIsTmpfs(): boolean {
  try {
    return execFileSync('stat', ['-f', '-c', '%T', '/dev/shm'], { encoding: 'utf8' }).trim() === 'tmpfs'
  } catch {
    return false
  }
}

interface Answer {
  rc: number
  out: string
  /** undefined: no stderr marker came for this frame. */
  err?: Buffer
  noStderr: boolean
}

/** Feed the hello and `frames` to `sh`; collect each frame's answer by sequence number (frame 0: the hello). */
function session(token: string, frames: string): Map<number, Answer> {
  const res = spawnSync('/bin/sh', [], { input: renderHello(nonce, token) + frames })
  const got = new Map<number, Answer>()
  new FrameReader(nonce, (seq, rc, d, noStderr) => got.set(seq, { rc, out: d.toString('utf8'), noStderr })).push(
    res.stdout,
  )
  new FrameReader(nonce, (seq, rc, d) => {
    const g = got.get(seq)
    if (g) g.err = seq === 0 ? Buffer.from(String(rc)) : d
  }).push(res.stderr)
  return got
}

const run = (seq: number, argv: string[], stdin?: Uint8Array) =>
  renderFrame(nonce, seq, renderCommand({ argv }), stdin, '', true)

describe.skipIf(!shmIsTmpfs())('a persistent shell with its stderr file on /dev/shm', () => {
  it('sends stderr framed only when a command wrote some, byte for byte, and never a stale one', () => {
    const token = randomBytes(8).toString('hex')
    const binary = Buffer.from([0, 1, 2, 0xff, 0x1e, 0x0a, 0x41])
    const frames =
      run(1, ['sh', '-c', 'echo out']) +
      run(2, ['sh', '-c', 'printf "$1" >&2; echo o2; exit 3', 'sh', '\\0\\1\\2\\377\\036\\nA']) +
      run(3, ['true']) +
      run(4, ['no-such-program-xyz']) +
      run(5, ['sh', '-c', 'cat; echo e5 >&2'], Buffer.from('text stdin\n')) +
      run(6, ['sh', '-c', 'cat; echo e6 >&2'], Buffer.from([0, 0xff, 0x0a])) +
      run(7, [
        'sh',
        '-c',
        `test -e /dev/shm/.tsplay-${token} || test -e /dev/shm/.tsplay-${token}o || echo gone; ` +
          'test -e /proc/self/fd/3 || test -e /proc/self/fd/4 || echo closed',
      ])
    const got = session(token, frames)
    expect(got.get(0)?.err?.toString()).toBe('1') // the hello: file mode on
    expect(got.get(1)).toEqual({ rc: 0, out: 'out\n', noStderr: true })
    expect(got.get(2)?.rc).toBe(3)
    expect(got.get(2)?.out).toBe('o2\n')
    expect(got.get(2)?.noStderr).toBe(false)
    expect(got.get(2)?.err).toEqual(binary)
    expect(got.get(3)).toEqual({ rc: 0, out: '', noStderr: true }) // frame 2's stderr is not sent again
    expect(got.get(4)?.rc).toBe(127)
    expect(got.get(4)?.err?.toString()).toMatch(/not found/)
    expect(got.get(5)?.out).toBe('text stdin\n')
    expect(got.get(5)?.err?.toString()).toBe('e5\n')
    expect(got.get(6)?.out).toBe(Buffer.from([0, 0xff, 0x0a]).toString('utf8')) // base64 on the way in
    expect(got.get(6)?.err?.toString()).toBe('e6\n')
    expect(got.get(7)).toEqual({ rc: 0, out: 'gone\nclosed\n', noStderr: true })
    expect(existsSync(`/dev/shm/.tsplay-${token}`)).toBe(false)
    expect(existsSync(`/dev/shm/.tsplay-${token}o`)).toBe(false)
  })

  it.each(['', 'o'])(
    'falls back to a marker on each stream when a name is taken (%j), and leaves that file alone',
    (end) => {
      const token = randomBytes(8).toString('hex')
      const taken = `/dev/shm/.tsplay-${token}${end}`
      writeFileSync(taken, 'not ours\n', { mode: 0o600 })
      try {
        const frames =
          renderFrame(nonce, 1, renderCommand({ argv: ['sh', '-c', 'echo out; echo err >&2'] })) +
          renderFrame(nonce, 2, renderCommand({ argv: ['true'] }))
        const got = session(token, frames)
        expect(got.get(0)?.err?.toString()).toBe('0')
        expect(got.get(1)).toEqual({ rc: 0, out: 'out\n', err: Buffer.from('err\n'), noStderr: false })
        expect(got.get(2)).toEqual({ rc: 0, out: '', err: Buffer.alloc(0), noStderr: false })
        expect(readFileSync(taken, 'utf8')).toBe('not ours\n')
        expect(existsSync(`/dev/shm/.tsplay-${token}${end ? '' : 'o'}`)).toBe(false) // ours, made before, removed
      } finally {
        rmSync(taken, { force: true })
        rmSync(`/dev/shm/.tsplay-${token}${end ? '' : 'o'}`, { force: true }) // there only if the shell failed
      }
    },
  )

  it('refuses a token that is not hex (it names a file)', () => {
    expect(() => renderHello(nonce, '../x')).toThrow(/hex/)
  })
})
