/**
 * Become failures end to end through the CLI against real loopback sshd targets: a wrong sudo password,
 * sudo requiring a TTY, a user without sudo rights and a host without sudo each give their own clear message on
 * the failed task (exit 2 unless ignored; no stack trace), and the password never shows in any output. The
 * password files (`--become-password-file`, `--connection-password-file`) give the passwords as Ansible reads them.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { track } from '../helpers/leftovers.js'
import { scratchPath } from '../helpers/tempdir.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tsplay, writeTree } from '../helpers/cli.js'
import { canRunSshd, startSshd, type SshdFleet, type SudoMode } from '../helpers/sshd.js'
import { bounded, explain, resultsOf } from './util.js'

const can = canRunSshd()

const BOOK = `
- hosts: all
  gather_facts: false
  tasks:
    - name: as root
      command: id -un
      become: true
      ignore_errors: true
    - name: still works without become
      command: id -un
`

/** A PATH with the tools tsplay's commands use, but no sudo: a host without sudo installed (in the run's folder). */
const NO_SUDO_BIN = scratchPath('tsplay-test-nosudo-bin-')
function makeNoSudoBin(): void {
  track({ dirs: [NO_SUDO_BIN] }) // removed with this process if afterAll never runs
  mkdirSync(NO_SUDO_BIN, { recursive: true, mode: 0o755 })
  for (const t of [
    'id',
    'sh',
    'cat',
    'base64',
    'env',
    'timeout',
    'pgrep',
    'kill',
    'rm',
    'mkdir',
    'mktemp',
    'chmod',
    'printf',
    'sleep',
  ]) {
    const link = join(NO_SUDO_BIN, t)
    if (!existsSync(link))
      symlinkSync(execFileSync('sh', ['-c', 'command -v "$1"', 'sh', t], { encoding: 'utf8' }).trim(), link)
  }
}

/** Each case: the sudo set-up of the login user, the password tsplay is given, the message expected. */
const CASES: { name: string; sudo: SudoMode; password?: 'right' | 'wrong'; sshd?: string[]; msg: RegExp }[] = [
  { name: 'wrong sudo password', sudo: 'password', password: 'wrong', msg: /become password is wrong/ },
  {
    name: 'sudo needs a password, none given',
    sudo: 'password',
    msg: /sudo needs a password; set ansible_become_password or use --ask-become-pass/,
  },
  {
    name: 'sudo requires a TTY',
    sudo: 'requiretty',
    password: 'right',
    msg: /sudo requires a terminal \(Defaults requiretty\)/,
  },
  { name: 'no sudo rights', sudo: 'none', password: 'right', msg: /not allowed to use sudo/ },
  { name: 'sudo not installed', sudo: 'nopasswd', sshd: [`SetEnv PATH=${NO_SUDO_BIN}`], msg: /sudo is not installed/ },
]

describe.skipIf(!can.ok)(`become failures through the CLI${can.ok ? '' : ` (skipped: ${can.why})`}`, () => {
  const fleets = new Map<string, SshdFleet>()
  const got = new Map<string, string>()
  let dir: string

  beforeAll(async () => {
    makeNoSudoBin()
    for (const c of CASES) {
      const key = `${c.sudo}:${(c.sshd ?? []).join()}`
      if (!fleets.has(key)) fleets.set(key, await startSshd({ count: 1, sudo: c.sudo, sshdConfig: c.sshd }))
    }
    dir = writeTree({ 'book.yml': BOOK })
  })

  afterAll(async () => {
    for (const f of fleets.values()) await f.stop()
    rmSync(NO_SUDO_BIN, { recursive: true, force: true })
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it.each(CASES)(
    '$name: its own clear message, no stack trace, no password shown',
    async (c) => {
      const fleet = fleets.get(`${c.sudo}:${(c.sshd ?? []).join()}`)!
      const inv = join(dir, `inv-${c.sudo}-${c.sshd ? 'nosudo' : 'std'}.yml`)
      writeFileSync(inv, fleet.inventoryYaml())
      const password =
        c.password === 'right' ? fleet.sudoPassword : c.password === 'wrong' ? 'Wrong-pw-5b1c9e' : undefined
      const env = password ? { TSPLAY_BECOME_PASSWORD: password } : { TSPLAY_BECOME_PASSWORD: '' }
      for (const extra of [['--json'], ['-vvv']]) {
        const r = await bounded(
          ['run', join(dir, 'book.yml'), '-i', inv, '--known-hosts', fleet.knownHostsFile, ...extra],
          { env, limitMs: 60_000 },
        )
        expect(r.killed, explain(r)).toBe(false)
        expect(r.code, explain(r)).toBe(0) // ignore_errors: the failure is shown, the run goes on
        const all = r.stdout + r.stderr
        expect(all).toMatch(c.msg)
        expect(all).not.toMatch(/\n\s+at .*\.js:\d+/) // no stack trace
        if (password) expect(all).not.toContain(password)
        if (extra[0] === '--json') {
          const failed = resultsOf(r, 'as root')[0]
          expect(failed).toMatchObject({ status: 'failed', ignored: true })
          expect(failed.msg).toMatch(c.msg)
          got.set(c.name, String(failed.msg))
          // a failed become fails the task, not the host's connection
          expect(resultsOf(r, 'still works without become')[0]?.status).toBe('changed')
        }
      }
    },
    150_000,
  )

  it('the messages are distinct', () => {
    expect(got.size).toBe(CASES.length)
    expect(new Set(got.values()).size).toBe(CASES.length)
  })

  it('--become-password-file: a file, a script printing it, or stdin (-) gives the password, never shown', async () => {
    const fleet = fleets.get('password:')!
    const inv = join(dir, 'inv-pwfile.yml')
    writeFileSync(inv, fleet.inventoryYaml())
    const pw = fleet.sudoPassword
    writeFileSync(join(dir, 'become.pw'), `${pw}\n`, { mode: 0o600 })
    writeFileSync(join(dir, 'become.sh'), `#!/bin/sh\nprintf '%s\\n' '${pw}'\n`, { mode: 0o700 })
    writeFileSync(join(dir, 'wrong.pw'), 'Wrong-pw-5b1c9e\n', { mode: 0o600 })
    const base = ['run', join(dir, 'book.yml'), '-i', inv, '--known-hosts', fleet.knownHostsFile, '--json']
    const env = { TSPLAY_BECOME_PASSWORD: '' }
    for (const [flag, file, input] of [
      ['--become-password-file', join(dir, 'become.pw'), undefined],
      ['--become-pass-file', join(dir, 'become.sh'), undefined],
      ['--become-password-file', '-', `${pw}\n`],
    ] as const) {
      const r = await tsplay([...base, flag, file], { env, input })
      expect(r.code, explain(r)).toBe(0)
      expect(resultsOf(r, 'as root')[0]).toMatchObject({ status: 'changed' })
      expect(r.stdout).toContain('"stdout":"root"')
      expect(r.stdout + r.stderr).not.toContain(pw)
    }
    const wrong = await tsplay([...base, '--become-password-file', join(dir, 'wrong.pw')], { env })
    expect(resultsOf(wrong, 'as root')[0]?.msg).toMatch(/become password is wrong/)
    const missing = await tsplay([...base, '--become-password-file', join(dir, 'nope.pw')], { env })
    expect(missing.code).toBe(5)
    expect(missing.stderr).toMatch(/--become-password-file: the password file .*nope\.pw was not found/)
    const both = await tsplay([...base, '-K', '--become-password-file', join(dir, 'become.pw')], { env })
    expect(both.code).not.toBe(0)
    expect(both.stderr).toMatch(/cannot be used with/)
  }, 120_000)

  it('--connection-password-file: the SSH login password from a file, when no key is given', async () => {
    const fleet = fleets.get('password:')!
    const inv = join(dir, 'inv-nokey.yml')
    writeFileSync(inv, fleet.inventoryYaml().replace(/^ +ansible_ssh_private_key_file: .*\n/gm, ''))
    writeFileSync(join(dir, 'login.pw'), `${fleet.sudoPassword}\n`, { mode: 0o600 })
    const args = ['run', join(dir, 'book.yml'), '-i', inv, '--known-hosts', fleet.knownHostsFile, '--json']
    const env = { TSPLAY_BECOME_PASSWORD: '', SSH_AUTH_SOCK: '' }
    const r = await tsplay([...args, '--conn-pass-file', join(dir, 'login.pw')], { env })
    expect(resultsOf(r, 'still works without become')[0], explain(r)).toMatchObject({ status: 'changed' })
    expect(r.stdout).toContain(`"stdout":"${fleet.user}"`)
    expect(r.stdout + r.stderr).not.toContain(fleet.sudoPassword)
    const without = await tsplay(args, { env })
    expect(without.code, explain(without)).toBe(4) // the login is refused without it: unreachable
  }, 120_000)

  it("Ansible's settings: become_ask_pass asks for the password, remote_port reaches a host without one", async () => {
    const fleet = fleets.get('password:')!
    const inv = join(dir, 'inv-noport.yml')
    writeFileSync(inv, fleet.inventoryYaml().replace(/^ +ansible_port: .*\n/gm, ''))
    const args = ['run', join(dir, 'book.yml'), '-i', inv, '--known-hosts', fleet.knownHostsFile, '--json']
    const env = { TSPLAY_BECOME_PASSWORD: '', ANSIBLE_CONFIG: '', ANSIBLE_REMOTE_PORT: String(fleet.hosts[0].port) }
    const r = await tsplay(args, { env: { ...env, ANSIBLE_BECOME_ASK_PASS: 'True' }, input: `${fleet.sudoPassword}\n` })
    expect(resultsOf(r, 'as root')[0], explain(r)).toMatchObject({ status: 'changed' })
    expect(r.stdout).toContain('"stdout":"root"')
    const unasked = await tsplay(args, { env })
    expect(resultsOf(unasked, 'as root')[0]?.msg, explain(unasked)).toMatch(/sudo needs a password/)
  }, 120_000)

  it('without ignore_errors a become failure fails the run with exit 2', async () => {
    const fleet = fleets.get('password:')!
    const inv = join(dir, 'inv-exit.yml')
    writeFileSync(inv, fleet.inventoryYaml())
    writeFileSync(join(dir, 'strict.yml'), BOOK.replace('      ignore_errors: true\n', ''))
    const r = await bounded(
      ['run', join(dir, 'strict.yml'), '-i', inv, '--known-hosts', fleet.knownHostsFile, '--json'],
      { env: { TSPLAY_BECOME_PASSWORD: 'Wrong-pw-5b1c9e' }, limitMs: 60_000 },
    )
    expect(r.code, explain(r)).toBe(2)
    expect(resultsOf(r, 'as root')[0]?.msg).toMatch(/become password is wrong/)
  }, 90_000)
})
