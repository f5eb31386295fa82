/**
 * A test process killed mid-run (SIGKILL: no exit handler, no afterAll) leaves its loopback sshd target, test
 * user, sudoers file, folder and the user's open tsplay session folder in /tmp behind only until the next sweep:
 * then all of them are gone. The child is the real helper (test/helpers/sshd.ts, bundled with esbuild so plain node
 * runs it) starting a real target. Likewise a run killed with its temp folder (test/helpers/runtmp.ts), what its
 * children made there with `os.tmpdir()`, and a daemon of the run still going.
 */
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'
import { afterAll, describe, expect, it } from 'vitest'
import { askpassSetup } from '../../engine/ssh/become.js'
import { sweepDead } from '../helpers/leftovers.js'
import { makeRunTmp, sweepRunTmps } from '../helpers/runtmp.js'
import { canRunSshd } from '../helpers/sshd.js'

const can = canRunSshd()
const ROOT = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..')
// inside node_modules so the bundle finds ssh2 (kept external: it has optional native parts)
const OUT = join(ROOT, 'node_modules', '.cache', 'tsplay-test', `crash-child-${process.pid}.mjs`)
const RUN_OUT = OUT.replace('crash-child-', 'crash-run-')

const CHILD = `
import { startSshd } from ${JSON.stringify(join(ROOT, 'test/helpers/sshd.ts'))}
const f = await startSshd({ count: 1, sudo: 'nopasswd' })
console.log(JSON.stringify({ user: f.user, dir: f.dir, sshd: f.hosts[0].pid }))
setInterval(() => {}, 1000)
`

// a run's main process (as vitest's with the global setup): its temp folder in a private base folder (argv[2]), then
// a child that makes a folder with os.tmpdir(), as a worker, helper or tsplay run would, and a daemon of the run (as
// a tmux server) that outlives it
const RUN_CHILD = `
import { spawn, spawnSync } from 'node:child_process'
import { enterRunTmp } from ${JSON.stringify(join(ROOT, 'test/helpers/runtmp.ts'))}
process.env.TSPLAY_TEST_RUN = 'c0ffee00'
const run = enterRunTmp('c0ffee00', process.argv[2])
const daemon = spawn('sleep', ['300'], { detached: true, stdio: 'ignore' }).pid
const made = spawnSync(process.execPath, ['-e', \`
  const { mkdtempSync, writeFileSync } = require('node:fs')
  const d = mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'tsplay-crash-'))
  writeFileSync(d + '/f', 'x')
  process.stdout.write(d)\`], { encoding: 'utf8' }).stdout
console.log(JSON.stringify({ run, made, daemon }))
setInterval(() => {}, 1000)
`

/** Bundle `contents` (TypeScript importing the helpers) into `out`, a file plain node runs. */
async function bundle(contents: string, out: string): Promise<void> {
  mkdirSync(join(out, '..'), { recursive: true })
  await build({
    stdin: { contents, resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: out,
    external: ['ssh2'],
    logLevel: 'silent',
  })
}

/** Start `node file …args` and resolve with the first line it prints, parsed as JSON. */
function firstLine<T>(file: string, args: string[] = []): { child: ReturnType<typeof spawn>; line: Promise<T> } {
  const child = spawn(process.execPath, [file, ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
  const line = new Promise<T>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]) as T)
    })
    child.once('exit', (code) => reject(new Error(`child exited early (${code})`)))
  })
  return { child, line }
}

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
    await bundle(CHILD, OUT)
    const { child, line } = firstLine<{ user: string; dir: string; sshd: number }>(OUT)
    const made = await line
    expect(made.user).toMatch(/^tspt-[0-9a-f]{6}-np$/)
    expect(passwdUsers()).toContain(made.user)
    expect(existsSync(`/etc/sudoers.d/${made.user}`)).toBe(true)
    // a become session of tsplay's that was open: its folder in /tmp itself, made by the user as on the target
    const session = execFileSync('runuser', ['-u', made.user, '--', ...askpassSetup('pw').argv], {
      input: 'pw\n',
      encoding: 'utf8',
    })
    expect(session).toMatch(/^\/tmp\/tsplay\.\w{10}$/)

    const exited = new Promise((r) => child.once('exit', r))
    child.kill('SIGKILL')
    await exited
    expect(passwdUsers()).toContain(made.user) // nobody cleaned up yet: the crash is real
    sweepDead()
    expect(passwdUsers()).not.toContain(made.user)
    expect(existsSync(`/etc/sudoers.d/${made.user}`)).toBe(false)
    expect(existsSync(`/home/${made.user}`)).toBe(false)
    expect(existsSync(made.dir)).toBe(false)
    expect(existsSync(session)).toBe(false)
    for (let i = 0; i < 50 && running(made.sshd); i++) await new Promise((r) => setTimeout(r, 100))
    expect(running(made.sshd)).toBe(false) // died with its parent (pdeathsig)
  })
})

describe('a test run that dies without cleaning up', () => {
  afterAll(() => rmSync(RUN_OUT, { force: true }))

  it('leaves no temp folder once the next run swept', async () => {
    // a base of its own, not /tmp: other runs' folders are not this test's to sweep (needs no root)
    const base = mkdtempSync(join(tmpdir(), 'tsplay-crash-base-'))
    try {
      await bundle(RUN_CHILD, RUN_OUT)
      const { child, line } = firstLine<{ run: string; made: string; daemon: number }>(RUN_OUT, [base])
      const { run, made, daemon } = await line
      expect(run).toBe(join(base, 'tsplay-run-c0ffee00'))
      expect(made.startsWith(`${run}/tsplay-crash-`)).toBe(true) // the child's os.tmpdir() was the run's folder
      const live = makeRunTmp('0000aaaa', base) // a run still going (this process)
      expect(sweepRunTmps(base)).toEqual([]) // its owner still runs: nothing removed

      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGKILL')
      await exited
      expect(existsSync(join(made, 'f'))).toBe(true) // nobody cleaned up yet: the crash is real
      expect(running(daemon)).toBe(true)
      expect(sweepRunTmps(base)).toEqual([run])
      expect(existsSync(run)).toBe(false)
      for (let i = 0; i < 50 && running(daemon); i++) await new Promise((r) => setTimeout(r, 100))
      expect(running(daemon)).toBe(false) // killed by the sweep (init reaps it)
      expect(existsSync(live)).toBe(true)
    } finally {
      rmSync(base, { recursive: true, force: true })
    }
  })
})
