/**
 * The login users of the loopback sshd targets (test/helpers/sshd.ts): one per sudo mode and test process, with a
 * random name and password, made on first use and removed when the process ends (leftovers.ts). Never a fixed
 * name or password: parallel runs and other checkouts never share, log in as, or remove each other's users.
 *
 * @example
 * ```ts
 * const { user, password } = ensureTestUser('password') // sudo asks for `password`
 * ```
 */
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { renameSync, writeFileSync } from 'node:fs'
import { sweepDead, track } from './leftovers.js'

/** How sudo is set up for a login user. */
export type SudoMode = 'password' | 'nopasswd' | 'none' | 'requiretty'

/** Short names of the sudo modes, for user names. */
const MODE_TAG: Record<SudoMode, string> = { nopasswd: 'np', password: 'pw', none: 'ns', requiretty: 'tty' }

function sudoersFor(mode: SudoMode, user: string): string {
  switch (mode) {
    case 'nopasswd':
      return `${user} ALL=(ALL:ALL) NOPASSWD: ALL\n`
    case 'password':
      return `${user} ALL=(ALL:ALL) ALL\n`
    case 'none':
      return ''
    case 'requiretty':
      return `Defaults:${user} requiretty\n${user} ALL=(ALL:ALL) ALL\n`
  }
}

/** Run `fn` until it works: useradd/chpasswd fail while another test file holds the /etc/passwd lock. */
function withLockRetry<T>(fn: () => T): T {
  for (let i = 0; ; i++) {
    try {
      return fn()
    } catch (e) {
      if (i >= 100) throw e
      execFileSync('sleep', ['0.05'])
    }
  }
}

/** A test user: its name and its random password. */
export interface TestUser {
  user: string
  password: string
}

/** This process's test users, one per sudo mode (made on first use, removed when the process ends). */
const users = new Map<SudoMode, TestUser>()

/**
 * The test user for `mode`, created on first use in this process: `tspt-<random>-<mode>` (never a fixed name, so
 * parallel runs and other checkouts never share or remove each other's users), a random password (never written
 * in the source), shell /bin/sh, and its own `/etc/sudoers.d/tspt-<random>-<mode>`. Both are recorded in the
 * leftovers registry before they are made, and removed when this process ends (or by the next sweep after a crash).
 */
export function ensureTestUser(mode: SudoMode): TestUser {
  const known = users.get(mode)
  if (known) return known
  sweepDead()
  const user = `tspt-${randomBytes(3).toString('hex')}-${MODE_TAG[mode]}`
  const password = randomBytes(18).toString('base64url')
  const file = `/etc/sudoers.d/${user}`
  track({ users: [user], files: [file] })
  withLockRetry(() => execFileSync('useradd', ['-m', '-s', '/bin/sh', user], { stdio: 'pipe' }))
  withLockRetry(() =>
    execFileSync('chpasswd', [], { input: `${user}:${password}\n`, stdio: ['pipe', 'ignore', 'pipe'] }),
  )
  const want = sudoersFor(mode, user)
  if (want) {
    const tmp = `/etc/sudoers.d/.${user}.tmp` // sudo skips names with a dot: never read half-written
    writeFileSync(tmp, want, { mode: 0o440 })
    track({ files: [tmp] })
    execFileSync('visudo', ['-cq', '-f', tmp])
    renameSync(tmp, file)
  }
  const made = { user, password }
  users.set(mode, made)
  return made
}

/** This process's su target (made on first use, removed when the process ends). */
let suTarget: TestUser | undefined

/**
 * A user to become with `su`: `tspt-<random>-su` with a random password, shell /bin/sh and no sudo rights, recorded
 * in the leftovers registry before it is made and removed when this process ends (or by the next sweep).
 */
export function ensureSuTarget(): TestUser {
  if (suTarget) return suTarget
  sweepDead()
  const user = `tspt-${randomBytes(3).toString('hex')}-su`
  const password = randomBytes(18).toString('base64url')
  track({ users: [user] })
  withLockRetry(() => execFileSync('useradd', ['-m', '-s', '/bin/sh', user], { stdio: 'pipe' }))
  withLockRetry(() =>
    execFileSync('chpasswd', [], { input: `${user}:${password}\n`, stdio: ['pipe', 'ignore', 'pipe'] }),
  )
  suTarget = { user, password }
  return suTarget
}
