/**
 * HostConnection against a real loopback sshd: exit codes and stderr, binary stdin, large output, batch,
 * concurrency, streaming, cwd/env, timeouts killed on the host, cancellation, facts, and cleanup.
 */
import { randomBytes } from 'node:crypto'
import { getEventListeners } from 'node:events'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { gatherFacts } from '../../engine/facts.js'
import type { HostConnection } from '../../engine/ssh/connection.js'
import { canRunSshd, startSshd, type SshdFleet } from '../helpers/sshd.js'
import { connectTo, eventually, onHost, processes } from './util.js'
import { scratchPath } from '../helpers/tempdir.js'

const can = canRunSshd()
let fleet: SshdFleet
let conn: HostConnection

describe.skipIf(!can.ok)(`HostConnection on loopback sshd${can.ok ? '' : ` (skipped: ${can.why})`}`, () => {
  beforeAll(async () => {
    fleet = await startSshd({ count: 1, sudo: 'nopasswd' })
    conn = await connectTo(fleet)
  })
  afterAll(async () => {
    await conn?.close()
    await fleet?.stop()
  })

  it.each([
    [['true'], 0, '', ''],
    [['false'], 1, '', ''],
    [['sh', '-c', 'echo out; echo err >&2; exit 42'], 42, 'out\n', 'err\n'],
    [['printf', '%s', 'no newline'], 0, 'no newline', ''],
    [['sh', '-c', 'exit 255'], 255, '', ''],
  ])('%j → rc %d', async (argv, rc, stdout, stderr) => {
    expect(await conn.run({ argv })).toEqual({ rc, stdout, stderr })
  })

  it('a command that cannot be rendered fails its own call (rejected, not thrown) and nothing else', async () => {
    await conn.run({ argv: ['true'] }) // the shell is open: the call goes straight to it
    const bad = { argv: ['true'], env: { 'NOT A NAME': 'x' } }
    let call: Promise<unknown> | undefined
    expect(() => (call = conn.run(bad))).not.toThrow()
    await expect(call).rejects.toThrow(/invalid environment variable name/)
    await expect(conn.batch([{ argv: ['true'] }, bad])).rejects.toThrow(/invalid environment variable name/)
    expect((await conn.run({ argv: ['echo', 'still here'] })).stdout).toBe('still here\n')
  })

  it('a missing program is rc 127 with the shell saying so', async () => {
    const r = await conn.run({ argv: ['no-such-program-xyz'] })
    expect(r.rc).toBe(127)
    expect(r.stderr).toMatch(/not found/)
  })

  it('builtins like exit and cd do not disturb the session', async () => {
    expect((await conn.run({ argv: ['exit', '3'] })).rc).toBe(3)
    await conn.run({ argv: ['cd', '/'] })
    expect((await conn.run({ argv: ['pwd'] })).stdout).toBe(`/home/${fleet.user}\n`)
  })

  it('commands that read stdin get EOF when no stdin is given (the session is not eaten)', async () => {
    expect(await conn.run({ argv: ['cat'] })).toEqual({ rc: 0, stdout: '', stderr: '' })
    expect((await conn.run({ argv: ['echo', 'still here'] })).stdout).toBe('still here\n')
  })

  it('binary stdin round-trips byte for byte', async () => {
    const bytes = randomBytes(300_000)
    bytes[0] = 0
    const r = await conn.run({ argv: ['sha256sum'], stdin: bytes })
    const { createHash } = await import('node:crypto')
    expect(r.stdout.split(' ')[0]).toBe(createHash('sha256').update(bytes).digest('hex'))
    const back = await conn.run({ argv: ['base64', '-w0'], stdin: bytes })
    expect(Buffer.from(back.stdout, 'base64').equals(bytes)).toBe(true)
  })

  it('stdin text with here-doc look-alikes and markers is passed verbatim', async () => {
    const text = `EOF\n_TSPLAY_x\n\x1eTSPdeadbeef:1:0\n$(id)\n'"\n`
    expect((await conn.run({ argv: ['cat'], stdin: text })).stdout).toBe(text)
  })

  it('large output (8 MB) arrives complete, and the session still works', async () => {
    const r = await conn.run({
      argv: ['sh', '-c', 'head -c 8388608 /dev/zero | tr "\\0" "x"; head -c 1048576 /dev/zero | tr "\\0" "e" >&2'],
    })
    expect(r.stdout.length).toBe(8 * 1024 * 1024)
    expect(/^x+$/.test(r.stdout)).toBe(true)
    expect(r.stderr.length).toBe(1024 * 1024)
    expect((await conn.run({ argv: ['echo', 'ok'] })).stdout).toBe('ok\n')
  })

  it('batch runs every command in order, failures included', async () => {
    const cmds = Array.from({ length: 200 }, (_, i) => ({
      argv: ['sh', '-c', 'echo "$1"; exit $(($1 % 3))', 'sh', String(i)],
    }))
    const rs = await conn.batch(cmds)
    expect(rs.map((r) => r.stdout)).toEqual(cmds.map((_, i) => `${i}\n`))
    expect(rs.map((r) => r.rc)).toEqual(cmds.map((_, i) => i % 3))
  })

  it('batch with mixed users and a streaming command keeps the order', async () => {
    const rs = await conn.batch([
      { argv: ['id', '-un'] },
      { argv: ['id', '-un'], runAs: 'root' },
      { argv: ['echo', 's'], stream: true },
      { argv: ['id', '-un'] },
    ])
    expect(rs.map((r) => r.stdout)).toEqual([`${fleet.user}\n`, 'root\n', 's\n', `${fleet.user}\n`])
  })

  it('concurrent runs each get their own answer', async () => {
    const rs = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        conn.run({ argv: ['sh', '-c', 'sleep 0.0$(($1 % 5)); echo "$1"', 'sh', String(i)] }),
      ),
    )
    expect(rs.map((r) => r.stdout)).toEqual(rs.map((_, i) => `${i}\n`))
  })

  it('concurrent runs on a fresh connection run on the host in call order', async () => {
    const c2 = await connectTo(fleet)
    const f = scratchPath('tsplay-order-')
    const ps = [
      c2.run({ argv: ['sh', '-c', 'sleep 0.3; echo 1 >> "$1"', 'sh', f] }),
      c2.run({ argv: ['sh', '-c', 'echo 2 >> "$1"', 'sh', f] }),
      c2.batch([{ argv: ['sh', '-c', 'echo 3 >> "$1"', 'sh', f] }]),
      c2.run({ argv: ['sh', '-c', 'echo 4 >> "$1"', 'sh', f] }),
    ]
    await Promise.all(ps)
    expect((await c2.run({ argv: ['cat', f] })).stdout).toBe('1\n2\n3\n4\n')
    await c2.run({ argv: ['rm', '-f', f] })
    await c2.close()
  })

  it('cwd and env reach the command', async () => {
    const r = await conn.run({ argv: ['sh', '-c', 'pwd; echo "$A|$B"'], cwd: '/tmp', env: { A: "x'y", B: '$(id)' } })
    expect(r.stdout).toBe("/tmp\nx'y|$(id)\n")
  })

  it('stream: output arrives in pieces while the command runs', async () => {
    const chunks: string[] = []
    const r = await conn.run(
      { argv: ['sh', '-c', 'echo one; sleep 0.3; echo two >&2; exit 4'], stream: true },
      { onOutput: (s) => chunks.push(s) },
    )
    expect(r).toEqual({ rc: 4, stdout: 'one\n', stderr: 'two\n' })
    expect(chunks).toEqual(['one\n', 'two\n'])
  })

  it('stream with stdin and become', async () => {
    const r = await conn.run({ argv: ['sh', '-c', 'id -un; cat'], stdin: 'abc', stream: true }, { becomeUser: 'root' })
    expect(r.stdout).toBe('root\nabc')
  })

  it('timeoutSec kills the command on the host (gone from pgrep), rc 124', async () => {
    const tag = `tsplay-timeout-${Date.now()}`
    const r = await conn.run({ argv: ['bash', '-c', `exec -a ${tag} sleep 600`], timeoutSec: 1 })
    expect(r.rc).toBe(124)
    expect(processes(fleet.user, tag)).toEqual([])
  })

  it('timeoutSec on a streaming command kills it on the host too', async () => {
    const tag = `tsplay-stimeout-${Date.now()}`
    const r = await conn.run({ argv: ['bash', '-c', `exec -a ${tag} sleep 600`], timeoutSec: 1, stream: true })
    expect(r.rc).toBe(124)
    expect(processes(fleet.user, tag)).toEqual([])
  })

  it('an aborted command is killed on the host and the session goes on', async () => {
    const tag = `tsplay-abort-${Date.now()}`
    const ac = new AbortController()
    const p = conn.run({ argv: ['bash', '-c', `exec -a ${tag} sleep 600`] }, { signal: ac.signal })
    expect(await eventually(() => processes(fleet.user, tag).length > 0)).toBe(true)
    ac.abort(new Error('stop'))
    await expect(p).rejects.toMatchObject({ kind: 'dropped', message: expect.stringContaining('cancelled: stop') })
    expect(await eventually(() => processes(fleet.user, tag).length === 0)).toBe(true)
    expect((await conn.run({ argv: ['echo', 'after'] })).stdout).toBe('after\n')
  })

  it('one signal for many commands: one listener on it, and its abort stops only its own commands', async () => {
    const tag = `tsplay-shared-${Date.now()}`
    const run = new AbortController()
    const other = new AbortController()
    const first = conn.run({ argv: ['bash', '-c', `exec -a ${tag} sleep 600`] }, { signal: run.signal })
    const queued = Array.from({ length: 20 }, (_, i) => conn.run({ argv: ['echo', `q${i}`] }, { signal: run.signal }))
    const theirs = conn.run({ argv: ['echo', 'theirs'] }, { signal: other.signal })
    expect(await eventually(() => processes(fleet.user, tag).length > 0)).toBe(true)
    // the shell listens once per signal, not once per command
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(1)
    run.abort(new Error('stop all'))
    await expect(first).rejects.toThrow('stop all')
    for (const q of queued) await expect(q).rejects.toThrow('stop all')
    expect((await theirs).stdout).toBe('theirs\n')
    expect(await eventually(() => processes(fleet.user, tag).length === 0)).toBe(true)
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(0)
    expect((await conn.run({ argv: ['echo', 'after'] }, { signal: other.signal })).stdout).toBe('after\n')
    expect(getEventListeners(other.signal, 'abort')).toHaveLength(1)
  })

  it('an aborted streaming command is killed on the host', async () => {
    const tag = `tsplay-sabort-${Date.now()}`
    const ac = new AbortController()
    const p = conn.run({ argv: ['bash', '-c', `exec -a ${tag} sleep 600`], stream: true }, { signal: ac.signal })
    expect(await eventually(() => processes(fleet.user, tag).length > 0)).toBe(true)
    ac.abort(new Error('stop stream'))
    await expect(p).rejects.toThrow('stop stream')
    expect(await eventually(() => processes(fleet.user, tag).length === 0)).toBe(true)
  })

  it('large stdin (over the in-shell limit) goes through its own channel, byte for byte', async () => {
    const bytes = randomBytes(6 * 1024 * 1024)
    const r = await conn.run({ argv: ['sha256sum'], stdin: bytes })
    const { createHash } = await import('node:crypto')
    expect(r.stdout.split(' ')[0]).toBe(createHash('sha256').update(bytes).digest('hex'))
  })

  it('close() while commands run: calls fail as dropped, and the commands are killed on the host', async () => {
    const c2 = await connectTo(fleet)
    const tag = `tsplay-close-${Date.now()}`
    const inShell = c2.run({ argv: ['bash', '-c', `exec -a ${tag}-a sleep 600`] }, { becomeUser: 'root' })
    const queued = c2.run({ argv: ['echo', 'never'] }, { becomeUser: 'root' })
    const streamed = c2.run({ argv: ['bash', '-c', `exec -a ${tag}-b sleep 600`], stream: true })
    inShell.catch(() => undefined)
    queued.catch(() => undefined)
    streamed.catch(() => undefined)
    expect(
      await eventually(() => processes('root', `${tag}-a`).length > 0 && processes(fleet.user, `${tag}-b`).length > 0),
    ).toBe(true)
    await c2.close()
    await expect(inShell).rejects.toMatchObject({ kind: 'dropped' })
    await expect(queued).rejects.toMatchObject({ kind: 'dropped' })
    await expect(streamed).rejects.toThrow()
    expect(
      await eventually(
        () => processes('root', `${tag}-a`).length === 0 && processes(fleet.user, `${tag}-b`).length === 0,
      ),
    ).toBe(true)
  })

  it('gathers facts in one command that match the host', async () => {
    const f = await gatherFacts(conn)
    expect(f.user).toBe(fleet.user)
    expect(f.home).toBe(`/home/${fleet.user}`)
    expect(f.architecture).toBe(onHost('uname -m').trim())
    expect(f.boot_id).toBe(onHost('cat /proc/sys/kernel/random/boot_id').trim())
    expect(f.distribution.id).toBe('debian')
  })

  it('close() leaves no shell of ours running on the host', async () => {
    const c2 = await connectTo(fleet)
    await c2.run({ argv: ['true'] })
    await c2.run({ argv: ['true'] }, { becomeUser: 'root' })
    const before = processes(fleet.user, '^/bin/sh$').length
    await c2.close()
    expect(await eventually(() => processes(fleet.user, '^/bin/sh$').length === before - 1)).toBe(true)
    await expect(c2.run({ argv: ['true'] })).rejects.toThrow(/closed/)
  })
})
