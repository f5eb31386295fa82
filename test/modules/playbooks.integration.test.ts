/**
 * Integration tests of the basic modules: real playbooks run by the real CLI against real sshd targets on
 * loopback (test/helpers/sshd.ts), logged in as a non-root user with sudo for `become`. All targets share this
 * machine's filesystem, so every path holds the host name. Proves: check mode predicts the first run exactly
 * and changes nothing, a second run changes nothing, `--diff` shows file changes, failures carry clear
 * messages, and hostile values in arguments never run as shell.
 */
import { existsSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canRunSshd, freePort, startSshd, type SshdFleet } from '../helpers/sshd.js'
import { total, tsplay, writeTree, type CliResult } from '../helpers/cli.js'
import { PLAYBOOKS } from './playbooks.js'
import { scratchPath } from '../helpers/tempdir.js'

const can = canRunSshd()
const d = can.ok ? describe : describe.skip
if (!can.ok) console.warn(`skipping basic module integration tests: ${can.why}`)

d('basic modules over loopback sshd', () => {
  let fleet: SshdFleet
  let dir: string
  let base: string
  let server: Server
  const run = (pb: string, extra: string[] = []) =>
    tsplay(['run', join(dir, pb), '-i', join(dir, 'inventory.yml'), '--known-hosts', fleet.knownHostsFile, ...extra])
  const changedTasks = (r: CliResult) =>
    r.events
      .filter((e) => e.type === 'task' && e.status === 'changed')
      .map((e) => `${e.host}:${e.task}`)
      .sort()
  const failures = (r: CliResult) => r.events.filter((e) => e.type === 'task' && e.status === 'failed')

  beforeAll(async () => {
    fleet = await startSshd({ count: 2, sudo: 'nopasswd' })
    base = scratchPath('tsplay-mb-')
    server = createServer((s) => {
      s.on('error', () => {})
      s.end('hello\n')
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const openPort = (server.address() as { port: number }).port
    const closedPort = await freePort()
    dir = writeTree({
      'inventory.yml': fleet.inventoryYaml({ base, open_port: openPort, closed_port: closedPort }),
      ...PLAYBOOKS,
    })
  }, 120_000)

  afterAll(async () => {
    server?.close()
    await fleet?.stop()
    if (base) rmSync(base, { recursive: true, force: true })
  })

  it(
    'check mode on fresh hosts changes nothing and predicts the first run exactly; the second run changes ' + 'nothing',
    async () => {
      const check = await run('site.yml', ['--check', '--json'])
      expect(check.code, check.stderr + check.stdout).toBe(0)
      expect(existsSync(base)).toBe(false)
      const first = await run('site.yml', ['--json'])
      expect(first.code, first.stderr + first.stdout).toBe(0)
      expect(changedTasks(check)).toEqual(changedTasks(first))
      expect(total(first.recap, 'changed')).toBeGreaterThanOrEqual(2 * 12)
      const second = await run('site.yml', ['--json'])
      expect(second.code, second.stdout).toBe(0)
      expect(changedTasks(second)).toEqual([])
      const again = await run('site.yml', ['--check', '--json'])
      expect(changedTasks(again)).toEqual([])
    },
  )

  it('the files are what the playbook says', () => {
    const h = `${base}/t1`
    expect(readFileSync(`${h}/conf/hello.txt`, 'utf8')).toBe('hello t1\n')
    expect(statSync(`${h}/conf/hello.txt`).mode & 0o777).toBe(0o640)
    expect(statSync(`${h}/conf`).mode & 0o777).toBe(0o750)
    expect(readFileSync(`${h}/conf/app.conf`, 'utf8')).toBe('name=app\nport=8080\n')
    expect(readFileSync(`${h}/motd`, 'utf8')).toBe('Welcome to t1\n')
    expect(readlinkSync(`${h}/app.conf`)).toBe('conf/app.conf')
    expect(statSync(`${h}/stamp`).mtime.getFullYear()).toBe(2020)
    expect(statSync(`${h}/root-owned`).uid).toBe(0)
    expect(existsSync(`${h}/old`)).toBe(false)
  })

  it('hostile values are data everywhere: nothing ran, and they arrived intact', () => {
    const hostile = `'; touch ${base}/pwned #`
    expect(existsSync(`${base}/pwned`)).toBe(false)
    expect(existsSync(`${base}/t1/pwned2`)).toBe(false)
    expect(readFileSync(`${base}/t1/shell.out`, 'utf8')).toBe(`${hostile}\n`)
    expect(readFileSync(`${base}/t1/conf/app.conf`, 'utf8')).not.toContain('touch')
    expect(readFileSync(`${base}/t1/$(touch pwned2);'x'`, 'utf8')).toBe(`${hostile}\n`)
    expect(readFileSync(`${base}/t1/hostile.conf`, 'utf8')).toBe(`x=${hostile}\n`)
  })

  it('read-only modules: stat, assert, set_fact, debug, wait_for, command output', async () => {
    const r = await run('verify.yml', ['--json'])
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(total(r.recap, 'changed')).toBe(0)
    expect(total(r.recap, 'failed')).toBe(0)
    const dbg = r.events.find((e) => e.task === 'show the fact' && e.host === 't2')
    expect(dbg?.msg).toContain('hi t2')
  })

  it('--diff shows a unified diff of a changed file', async () => {
    writeFileSync(`${base}/t1/conf/hello.txt`, 'tampered\n')
    const r = await run('site.yml', ['--diff', '-l', 't1'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('-tampered')
    expect(r.stdout).toContain('+hello t1')
    expect(r.stdout).toMatch(/t1\s+: ok=\d+\s+changed=1\b/)
  })

  it('failures carry clear messages and exit code 2', async () => {
    const r = await run('failing.yml', ['--json', '-l', 't1'])
    expect(r.code, r.stderr).toBe(2)
    const byTask = Object.fromEntries(failures(r).map((e) => [e.task, e.msg as string]))
    expect(byTask).toMatchObject({
      'fail with a message': 'unsupported board',
      'assert with a message': 'not enough memory',
    })
    expect(byTask['a command that fails']).toMatch(/^non-zero return code \(rc 3\): broken/)
    expect(byTask['a port that never opens']).toMatch(/^Timeout when waiting for 127\.0\.0\.1:\d+$/)
    expect(byTask['attributes of a missing file']).toMatch(/is absent, cannot continue/)
    expect(byTask['edit a missing file']).toMatch(/does not exist !/)
    expect(byTask['validate refuses']).toMatch(/failed to validate/)
    expect(readFileSync(`${base}/t1/conf/hello.txt`, 'utf8')).toBe('hello t1\n')
    expect(r.stdout).not.toMatch(/\n\s+at /)
  })
})
