/**
 * What a test process creates on this machine — users, groups, Debian packages, sudoers files, folders, mounts,
 * fleet slots —
 * recorded in a registry file (`/var/lib/tsplay-test/owners/<pid>-<start>.json`, mode 0600) before it is created,
 * so it is removed when the process ends: by the process itself at exit, or, after a crash, a SIGKILL or Ctrl-C,
 * by the next sweep (vitest's globalSetup and teardown, and every `startSshd`) once its owner is dead. An owner is
 * a pid plus its start time, so a reused pid never keeps a dead owner's things alive. Swept entries are kept under
 * `swept/<run>/` until the run that made them checks that each thing is really gone (test/machine/global.ts).
 *
 * @example
 * ```ts
 * track({ users: [name], files: ['/etc/sudoers.d/x'] }) // before useradd
 * sweepDead()                                            // remove what dead owners left
 * ```
 */
import { execFileSync } from 'node:child_process'
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { removeSessionDirs } from './usertmp.js'

const FLEET_DIR = fileURLToPath(new URL('../fleet/', import.meta.url))
/** The registry's folder (TSPLAY_TEST_REGISTRY, for tests of the registry itself). */
export const registry = (): string => process.env.TSPLAY_TEST_REGISTRY ?? '/var/lib/tsplay-test'

/** Things one process created. `slots` are test-fleet slots (torn down by test/fleet/down.sh). */
export interface Owned {
  users: string[]
  /** Groups (removed after the users, whose removal may take a same-named group along). */
  groups: string[]
  /** Debian packages a test installed (purged with dpkg). */
  packages: string[]
  files: string[]
  dirs: string[]
  mounts: string[]
  slots: number[]
}

export interface Entry extends Owned {
  pid: number
  start: string
  /** Everything ever tracked, also what the process removed itself: what the run's final check looks for. */
  made: Owned
  /** The vitest run (TSPLAY_TEST_RUN, set by the global setup) or `''` outside one. */
  run: string
}

export const KINDS = ['users', 'groups', 'packages', 'files', 'dirs', 'mounts', 'slots'] as const

export function none(): Owned {
  return { users: [], groups: [], packages: [], files: [], dirs: [], mounts: [], slots: [] }
}

/** The start time of a process (field 22 of /proc/PID/stat), or '' when there is no such process. */
export function startTime(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? ''
  } catch {
    return ''
  }
}

export function ownerAlive(e: { pid: number; start: string }): boolean {
  return e.start !== '' && startTime(e.pid) === e.start
}

const owners = (): string => join(registry(), 'owners')
let mine: Entry | undefined

function save(e: Entry): void {
  mkdirSync(owners(), { recursive: true, mode: 0o700 })
  const file = join(owners(), `${e.pid}-${e.start}.json`)
  writeFileSync(`${file}.tmp`, JSON.stringify(e), { mode: 0o600 })
  renameSync(`${file}.tmp`, file)
}

/** Record things this process is about to create (call BEFORE creating them: a crash in between is then covered). */
export function track(things: Partial<Owned>): void {
  if (!mine) {
    const start = startTime(process.pid)
    mine = { pid: process.pid, start, run: process.env.TSPLAY_TEST_RUN ?? '', ...none(), made: none() }
    // vitest may evaluate this module again in the same worker for the next test file: keep what is on record
    try {
      mine = { ...mine, ...(JSON.parse(readFileSync(join(owners(), `${process.pid}-${start}.json`), 'utf8')) as Entry) }
    } catch {
      /* first record of this process */
    }
    process.once('exit', () => {
      if (mine) removeOwn()
    })
  }
  for (const k of KINDS) {
    ;(mine[k] as unknown[]) ??= [] // a record written before this kind existed
    ;(mine.made[k] as unknown[]) ??= []
    for (const v of things[k] ?? []) {
      if (!(mine[k] as unknown[]).includes(v)) (mine[k] as unknown[]).push(v)
      if (!(mine.made[k] as unknown[]).includes(v)) (mine.made[k] as unknown[]).push(v)
    }
  }
  save(mine)
}

/** Forget things this process removed itself. */
export function untrack(things: Partial<Owned>): void {
  if (!mine) return
  for (const k of KINDS)
    (mine[k] as unknown[]) = ((mine[k] as unknown[] | undefined) ?? []).filter(
      (v) => !(things[k] as unknown[] | undefined)?.includes(v),
    )
  save(mine)
}

function quiet(argv: string[]): boolean {
  try {
    execFileSync(argv[0], argv.slice(1), { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

function passwdEntry(user: string): { uid: number; home: string } | undefined {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${user}:`))
  if (!line) return undefined
  const f = line.split(':')
  return { uid: Number(f[2]), home: f[5] ?? '' }
}

const uidOf = (user: string): number | undefined => passwdEntry(user)?.uid

/** Kill every process running as `uid` (the test user's login shells and jobs). */
function killUser(uid: number): void {
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue
    try {
      const m = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${p}/status`, 'utf8'))
      if (m && Number(m[1]) === uid) process.kill(Number(p), 'SIGKILL')
    } catch {
      /* gone */
    }
  }
}

/**
 * userdel fails while another process holds the /etc/passwd lock: retry for a while. `userdel -r` can remove the
 * account and still leave its home (a process of the user wrote there while it ran): a home under /home still
 * owned by the removed uid is removed after it. The user's tsplay session folders in /tmp go first (usertmp.ts).
 */
function userdel(user: string): boolean {
  const entry = passwdEntry(user)
  for (let i = 0; i < 100; i++) {
    const uid = uidOf(user)
    if (uid === undefined) break
    if (uid !== 0) killUser(uid)
    removeSessionDirs(uid) // while the uid is still this user's (useradd may hand it out again after userdel)
    if (quiet(['userdel', '-r', '-f', user]) || uidOf(user) === undefined) break
    quiet(['sleep', '0.05'])
  }
  if (uidOf(user) !== undefined) return false
  if (entry && entry.uid !== 0 && /^\/home\/tspt-[^/]+$/.test(entry.home)) {
    try {
      if (lstatSync(entry.home).uid === entry.uid) rmSync(entry.home, { recursive: true, force: true })
    } catch {
      /* no home left */
    }
  }
  return true
}

/**
 * Remove everything an entry names: sudoers files first (rights before accounts), mounts, fleets, then users (with
 * every process they run) and folders. Processes are not recorded by pid (a pid may be reused): sshd targets die
 * with their test process (pdeathsig), fleets with their slot, login sessions with their user.
 */
export function removeAll(
  e: Owned & { pid: number },
  cache = process.env.TSPLAY_FLEET_CACHE ?? '/var/cache/tsplay-fleet',
): void {
  for (const f of e.files) rmSync(f, { force: true })
  for (const m of [...e.mounts].reverse()) if (isMounted(m)) quiet(['umount', '-l', m])
  for (const s of e.slots) removeSlot(cache, s, e.pid)
  for (const p of e.packages ?? []) quiet(['dpkg', '--purge', p])
  for (const u of e.users) userdel(u)
  for (const g of e.groups ?? []) if (quiet(['getent', 'group', g])) quiet(['groupdel', g])
  for (const d of e.dirs) rmSync(d, { recursive: true, force: true })
}

/** Tear down a fleet slot still claimed by dead `owner` (the same reclaim lock as test/fleet/slots.ts). */
function removeSlot(cache: string, slot: number, owner: number): void {
  const dir = join(cache, 'slots', String(slot))
  let claimed: string
  try {
    claimed = readFileSync(join(dir, 'owner'), 'utf8').trim()
  } catch {
    return
  }
  if (claimed !== String(owner)) return // released, or taken over by someone else since
  try {
    mkdirSync(join(dir, `reclaim-${owner}`))
  } catch {
    return
  }
  try {
    execFileSync('bash', [join(FLEET_DIR, 'down.sh'), '0'], {
      stdio: 'ignore',
      env: { ...process.env, TSPLAY_FLEET_CACHE: cache, TSPLAY_FLEET_SLOT: String(slot) },
    })
  } catch {
    /* the final check reports what is left */
  }
  rmSync(dir, { recursive: true, force: true })
}

/** Whether `path` is a mount point now. */
export function isMounted(path: string): boolean {
  return mountsUnder(path, readFileSync('/proc/mounts', 'utf8')).includes(path)
}

/**
 * The mount points at or below `dir` in a mount table (/proc/self/mounts), outermost first.
 *
 * @example mountsUnder('/tmp/x', 'tmpfs /tmp/x/m\\040n tmpfs rw 0 0\n') // → ['/tmp/x/m n']
 */
export function mountsUnder(dir: string, table: string): string[] {
  return table
    .split('\n')
    .map((l) => (l.split(' ')[1] ?? '').replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))))
    .filter((p) => p === dir || p.startsWith(`${dir}/`))
}

function removeOwn(): void {
  const e = mine!
  mine = undefined
  removeAll(e)
  const file = join(owners(), `${e.pid}-${e.start}.json`)
  archive(e, file)
}

/** Keep a removed entry for its run's final check (`swept/<run>/`), or drop it outside a run. */
function archive(e: Entry, file: string): void {
  if (e.run) {
    const dir = join(registry(), 'swept', e.run)
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    writeFileSync(join(dir, `${e.pid}-${e.start}.json`), JSON.stringify(e), { mode: 0o600 })
  }
  rmSync(file, { force: true })
}

/** Remove what dead owners left (each entry claimed by one sweeper through an atomic rename). */
export function sweepDead(): number {
  if (!existsSync(owners())) return 0
  let n = 0
  for (const name of readdirSync(owners())) {
    const file = join(owners(), name)
    const sweeper = /\.sweep-(\d+)-(\d+)$/.exec(name)
    if (!name.endsWith('.json') && !(sweeper && !ownerAlive({ pid: Number(sweeper[1]), start: sweeper[2] }))) continue
    let e: Entry
    try {
      e = JSON.parse(readFileSync(file, 'utf8')) as Entry
    } catch {
      continue
    }
    if (ownerAlive(e)) continue
    const claimed = `${join(owners(), `${e.pid}-${e.start}.json`)}.sweep-${process.pid}-${startTime(process.pid)}`
    try {
      renameSync(file, claimed)
    } catch {
      continue // another sweeper won
    }
    removeAll(e)
    archive(e, claimed)
    n++
  }
  return n
}

/** Live entries of other owners (things still in use elsewhere on this machine). */
export function liveEntries(): Entry[] {
  if (!existsSync(owners())) return []
  const out: Entry[] = []
  for (const name of readdirSync(owners())) {
    try {
      const e = JSON.parse(readFileSync(join(owners(), name), 'utf8')) as Entry
      if (ownerAlive(e)) out.push(e)
    } catch {
      /* being written or swept */
    }
  }
  return out
}

/**
 * Test users of older checkouts, made with one fixed password that was published in the source, and their
 * sudoers files: removed wherever they are found, so a machine that ran old tests keeps no known login.
 *
 * @example removeLegacyTestUsers() // at the start of a run, as root
 */
export const LEGACY_USERS = ['tsplay-np', 'tsplay-pw', 'tsplay-ns', 'tsplay-tty'] as const
export function removeLegacyTestUsers(): string[] {
  const removed: string[] = []
  for (const mode of ['nopasswd', 'password', 'none', 'requiretty']) {
    const file = `/etc/sudoers.d/tsplay-test-${mode}`
    if (existsSync(file)) {
      rmSync(file, { force: true })
      removed.push(file)
    }
  }
  const passwd = existsSync('/etc/passwd') ? readFileSync('/etc/passwd', 'utf8') : ''
  for (const user of LEGACY_USERS) {
    if (!passwd.split('\n').some((l) => l.startsWith(`${user}:`))) continue
    try {
      execFileSync('pkill', ['-KILL', '-u', user], { stdio: 'ignore' })
    } catch {
      /* no process of that user */
    }
    try {
      execFileSync('userdel', ['-r', user], { stdio: 'pipe' })
      removed.push(`user ${user}`)
    } catch {
      /* its home may be gone already; the account itself is what matters */
      execFileSync('userdel', [user], { stdio: 'ignore' })
      removed.push(`user ${user}`)
    }
  }
  return removed
}
