/**
 * A test process killed mid-run (SIGKILL: no exit handler, no afterAll) leaves its loopback sshd target, test
 * user, sudoers file and folder behind only until the next sweep: then all of them are gone. The child is the real
 * helper (test/helpers/sshd.ts, bundled with esbuild so plain node runs it) starting a real target.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'
import { afterAll, describe, expect, it } from 'vitest'
import { sweepDead } from '../helpers/leftovers.js'
import { canRunSshd } from '../helpers/sshd.js'

const can = canRunSshd()
const ROOT = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..')
// inside node_modules so the bundle finds ssh2 (kept external: it has optional native parts)
const OUT = join(ROOT, 'node_modules', '.cache', 'tsplay-test', `crash-child-${process.pid}.mjs`)

const CHILD = `
import { startSshd } from ${JSON.stringify(join(ROOT, 'test/helpers/sshd.ts'))}
const f = await startSshd({ count: 1, sudo: 'nopasswd' })
console.log(JSON.stringify({ user: f.user, dir: f.dir, sshd: f.hosts[0].pid }))
setInterval(() => {}, 1000)
`

const passwdUsers = (): string[] =>
  readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((l) => l.split(':')[0])
/** Whether `pid` runs (a zombie waiting for init to reap it does not). */
const running = (pid: number): boolean => {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'))
  } catch {
    return false
  }
}

describe.skipIf(!can.ok)('a test process that dies without cleaning up', () => {
  afterAll(() => rmSync(OUT, { force: true }))

  it('leaves nothing once the next sweep ran', async () => {
    mkdirSync(join(OUT, '..'), { recursive: true })
    await build({
      stdin: { contents: CHILD, resolveDir: ROOT, loader: 'ts' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: OUT,
      external: ['ssh2'],
      logLevel: 'silent',
    })
    const child = spawn(process.execPath, [OUT], { stdio: ['ignore', 'pipe', 'inherit'] })
    const made = await new Promise<{ user: string; dir: string; sshd: number }>((resolve, reject) => {
      let out = ''
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString()
        if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]))
      })
      child.once('exit', (code) => reject(new Error(`child exited early (${code})`)))
    })
    expect(made.user).toMatch(/^tspt-[0-9a-f]{6}-np$/)
    expect(passwdUsers()).toContain(made.user)
    expect(existsSync(`/etc/sudoers.d/${made.user}`)).toBe(true)

    const exited = new Promise((r) => child.once('exit', r))
    child.kill('SIGKILL')
    await exited
    expect(passwdUsers()).toContain(made.user) // nobody cleaned up yet: the crash is real
    sweepDead()
    expect(passwdUsers()).not.toContain(made.user)
    expect(existsSync(`/etc/sudoers.d/${made.user}`)).toBe(false)
    expect(existsSync(`/home/${made.user}`)).toBe(false)
    expect(existsSync(made.dir)).toBe(false)
    for (let i = 0; i < 50 && running(made.sshd); i++) await new Promise((r) => setTimeout(r, 100))
    expect(running(made.sshd)).toBe(false) // died with its parent (pdeathsig)
  })
})
