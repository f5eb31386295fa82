/**
 * Become through sudo on real loopback sshd targets, one fleet per sudo set-up: with a password, without one,
 * and each failure with its own message. Also: the password never shows in any process's argv or environment
 * on the host, and tsplay's session folder is 0700/0600 and removed on close.
 */
import { appendFileSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HostError } from '../../engine/errors.js'
import { canRunSshd, startSshd, type SshdFleet, type SudoMode } from '../helpers/sshd.js'
import { ensureSuTarget } from '../helpers/test-users.js'
import { connectTo, eventually } from './util.js'

const can = canRunSshd()
const fleets = new Map<string, SshdFleet>()
const fleet = (k: string): SshdFleet => fleets.get(k)!

/** The processes below `root` (the host's sshd listener: sessions, shells, sudo, commands), from /proc. */
function descendants(root: number): number[] {
  const kids = new Map<number, number[]>()
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      kids.set(ppid, [...(kids.get(ppid) ?? []), Number(pid)])
    } catch {
      /* process ended */
    }
  }
  const out: number[] = []
  const walk = (p: number): void => {
    for (const c of kids.get(p) ?? []) {
      out.push(c)
      walk(c)
    }
  }
  walk(root)
  return out
}

/** Every /proc/PID/cmdline and /proc/PID/environ on the host (below its sshd) that contains `needle`. */
function procLeaks(sshdPid: number, needle: string): { leaks: string[]; scanned: number } {
  const pids = descendants(sshdPid)
  const leaks: string[] = []
  for (const pid of pids) {
    for (const f of ['cmdline', 'environ']) {
      try {
        if (readFileSync(`/proc/${pid}/${f}`).includes(needle)) leaks.push(`${pid}/${f}`)
      } catch {
        /* process ended */
      }
    }
  }
  return { leaks, scanned: pids.length }
}

/** The HostError a become attempt fails with. */
async function becomeError(mode: string, becomePassword?: string, user = 'root'): Promise<HostError> {
  const conn = await connectTo(fleet(mode), 0, { becomePassword })
  try {
    await conn.run({ argv: ['id', '-un'] }, { becomeUser: user })
  } catch (e) {
    return e as HostError
  } finally {
    await conn.close()
  }
  throw new Error('become unexpectedly worked')
}

describe.skipIf(!can.ok)(`become through sudo${can.ok ? '' : ` (skipped: ${can.why})`}`, () => {
  beforeAll(async () => {
    const modes: [string, SudoMode, string[]?][] = [
      ['password', 'password'],
      ['nopasswd', 'nopasswd'],
      ['none', 'none'],
      ['requiretty', 'requiretty'],
      ['nosudo', 'nopasswd', ['SetEnv PATH=/nonexistent']],
    ]
    await Promise.all(
      modes.map(async ([k, sudo, cfg]) => fleets.set(k, await startSshd({ count: 1, sudo, sshdConfig: cfg }))),
    )
  })
  afterAll(async () => {
    await Promise.all([...fleets.values()].map((f) => f.stop()))
  })

  it('with a password: root and another user, in their own homes', async () => {
    const f = fleet('password')
    const conn = await connectTo(f, 0, { becomePassword: f.sudoPassword })
    expect((await conn.run({ argv: ['id', '-un'] }, { becomeUser: 'root' })).stdout).toBe('root\n')
    expect((await conn.run({ argv: ['pwd'] }, { becomeUser: 'root' })).stdout).toBe('/root\n')
    expect((await conn.run({ argv: ['id', '-un'] }, { becomeUser: 'daemon' })).stdout).toBe('daemon\n')
    expect((await conn.run({ argv: ['id', '-un'], runAs: 'root' }, { becomeUser: 'daemon' })).stdout).toBe('root\n')
    expect((await conn.run({ argv: ['id', '-un'] })).stdout).toBe(`${f.user}\n`)
    await conn.close()
  })

  it('without a password (NOPASSWD)', async () => {
    const conn = await connectTo(fleet('nopasswd'))
    expect((await conn.run({ argv: ['id', '-u'] }, { becomeUser: 'root' })).stdout).toBe('0\n')
    await conn.close()
  })

  it('become_flags -E keeps the login environment (sshd sets SSH_CONNECTION), without it sudo resets it', async () => {
    for (const [k, pw] of [['nopasswd'], ['password', fleet('password').sudoPassword]] as const) {
      const conn = await connectTo(fleet(k), 0, { becomePassword: pw })
      const env = { argv: ['sh', '-c', 'echo "${SSH_CONNECTION:+kept}"; id -un'] }
      const kept = await conn.run(env, { becomeUser: 'root', becomeMethod: { method: 'sudo', flags: ['-E'] } })
      expect(kept.stdout).toBe('kept\nroot\n')
      expect((await conn.run(env, { becomeUser: 'root' })).stdout).toBe('\nroot\n')
      await conn.close()
    }
  })

  it('become_flags -i runs through the login shell of the target (its ~/.profile), -s through a shell', async () => {
    // a user of this test's own (shell /bin/sh, removed with this process): its login profile marks a login shell
    const target = ensureSuTarget()
    appendFileSync(`/home/${target.user}/.profile`, '\nexport TSP_LOGIN=yes\n')
    const conn = await connectTo(fleet('nopasswd'))
    try {
      const script = 'printf "%s|" "$0" "${TSP_LOGIN:-no}" "a  b" "$(id -un)"; echo'
      const cmd = { argv: ['sh', '-c', script, "it's $x %d `q` \\"] }
      for (const [flags, login] of [
        [['-i'], 'yes'],
        [['--shell'], 'no'],
        [[], 'no'],
      ] as const) {
        const opts = { becomeUser: target.user, becomeMethod: { method: 'sudo' as const, flags } }
        const want = `it's $x %d \`q\` \\|${login}|a  b|${target.user}|\n`
        // in the persistent shell, and on an exec channel of its own (a streamed command)
        expect((await conn.run(cmd, opts)).stdout, flags.join(' ')).toBe(want)
        expect((await conn.run({ ...cmd, stream: true }, opts)).stdout, `${flags.join(' ')} streamed`).toBe(want)
      }
      // a login shell starts in the target's home, also on an exec channel
      const login = { becomeUser: target.user, becomeMethod: { method: 'sudo' as const, flags: ['-i'] } }
      expect((await conn.run({ argv: ['pwd'], stream: true }, login)).stdout).toBe(`/home/${target.user}\n`)
    } finally {
      await conn.close()
    }
  })

  it(
    'the password is in no argv or environment on the host while a become command runs; files are private ' +
      'and removed',
    async () => {
      const f = fleet('password')
      const sessionDirs = (): string[] =>
        readdirSync('/tmp')
          .filter((d) => d.startsWith('tsplay.'))
          .map((d) => `/tmp/${d}`)
      const before = new Set(sessionDirs())
      const conn = await connectTo(f, 0, { becomePassword: f.sudoPassword })
      const started = join(f.dir, 'become-started')
      const running = conn.run(
        { argv: ['sh', '-c', 'echo > "$1"; sleep 2; id -un', 'sh', started] },
        { becomeUser: 'root' },
      )
      running.catch(() => undefined)
      expect(await eventually(() => existsSync(started), 20_000)).toBe(true) // sudo, its shell and the command run now
      const scan = procLeaks(f.hosts[0].pid, f.sudoPassword)
      expect(scan.leaks).toEqual([])
      expect(scan.scanned).toBeGreaterThan(3) // sshd session, shells, sudo, sleep: the scan saw the host side
      const mine = sessionDirs().filter((d) => !before.has(d))
      expect(mine).toHaveLength(1)
      expect(statSync(mine[0]).mode & 0o777).toBe(0o700)
      expect(statSync(`${mine[0]}/pw`).mode & 0o777).toBe(0o600)
      expect(statSync(`${mine[0]}/askpass`).mode & 0o777).toBe(0o700)
      expect((await running).stdout).toBe('root\n')
      await conn.close()
      expect(await eventually(() => !sessionDirs().includes(mine[0]))).toBe(true)
    },
  )

  it(
    'after a dropped connection and reconnect(), become works again and no session folder is left ' + 'behind',
    async () => {
      const f = fleet('password')
      const sessionDirs = (): string[] => readdirSync('/tmp').filter((d) => d.startsWith('tsplay.'))
      const before = new Set(sessionDirs())
      const conn = await connectTo(f, 0, { becomePassword: f.sudoPassword })
      expect((await conn.run({ argv: ['id', '-un'] }, { becomeUser: 'root' })).stdout).toBe('root\n')
      f.killConnections(0)
      await expect(conn.run({ argv: ['sleep', '5'] })).rejects.toThrow(HostError)
      await conn.reconnect(10)
      expect((await conn.run({ argv: ['id', '-un'] }, { becomeUser: 'root' })).stdout).toBe('root\n')
      await conn.close()
      expect(await eventually(() => sessionDirs().every((d) => before.has(d)))).toBe(true)
    },
  )

  it('wrong password → its own message, without the password in it', async () => {
    const e = await becomeError('password', 'not-the-password')
    expect(e).toBeInstanceOf(HostError)
    expect(e.kind).toBe('sudo')
    expect(e.message).toMatch(/become password is wrong/)
    expect(e.message).not.toContain('not-the-password')
  })

  it('a password is needed but none was given', async () => {
    const e = await becomeError('password')
    expect(e.kind).toBe('sudo')
    expect(e.message).toMatch(/needs a password; set ansible_become_password/)
  })

  it('sudo requires a tty', async () => {
    const e = await becomeError('requiretty', fleet('requiretty').sudoPassword)
    expect(e.kind).toBe('sudo')
    expect(e.message).toMatch(/requires a terminal/)
  })

  it('the user may not use sudo', async () => {
    const e = await becomeError('none', fleet('none').sudoPassword)
    expect(e.kind).toBe('sudo')
    expect(e.message).toMatch(/not allowed to use sudo/)
  })

  it('sudo is not installed (not on PATH)', async () => {
    const e = await becomeError('nosudo')
    expect(e.kind).toBe('sudo')
    expect(e.message).toMatch(/sudo is not installed/)
  })

  it('an unknown target user', async () => {
    const e = await becomeError('nopasswd', undefined, 'no-such-user-xyz')
    expect(e.kind).toBe('sudo')
    expect(e.message).toMatch(/no user no-such-user-xyz/)
  })

  it('the login user is still usable after a failed become', async () => {
    const conn = await connectTo(fleet('none'))
    await expect(conn.run({ argv: ['true'] }, { becomeUser: 'root' })).rejects.toThrow(HostError)
    await expect(conn.run({ argv: ['true'] }, { becomeUser: 'root' })).rejects.toThrow(/cannot become root/)
    expect((await conn.run({ argv: ['echo', 'hi'] })).stdout).toBe('hi\n')
    await conn.close()
  })
})
