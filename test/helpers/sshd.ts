/**
 * Loopback sshd targets for integration tests and the benchmark. Each target is a real `/usr/sbin/sshd -D -e`
 * on 127.0.0.1 with its own config, host key and port, in its own temp dir. Logins are as a non-root test user
 * with a plain `/bin/sh` (no rc files), authorised by a per-fleet key file named in `AuthorizedKeysFile`, so
 * fleets never touch the user's home and concurrent test files do not fight. Test users are made per test
 * process with random names and passwords and removed when it ends (see `ensureTestUser`, leftovers.ts).
 * Needs root (to run sshd and create users); tests call `canRunSshd()` and skip with its reason otherwise.
 *
 * @example
 * ```ts
 * const fleet = await startSshd({ count: 3, sudo: 'nopasswd' })
 * writeFileSync('inv.yml', fleet.inventoryYaml())
 * await fleet.stop()
 * ```
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ssh2 from 'ssh2'
import { track, untrack } from './leftovers.js'
import { needTier } from './tier.js'
import { ensureTestUser, type SudoMode } from './test-users.js'

export type { SudoMode, TestUser } from './test-users.js'
export { ensureTestUser } from './test-users.js'

export interface SshdOptions {
  count: number
  /** Sudo rights of the login user; default `nopasswd`. Each mode has its own user (per test process). */
  sudo?: SudoMode
  /** Extra sshd_config lines (e.g. `SetEnv PATH=/nowhere` to simulate a host without sudo). */
  sshdConfig?: string[]
}

export interface SshdHost {
  name: string
  host: string
  port: number
  /** Pid of this target's listening sshd (its connection processes are its children). */
  pid: number
  /** The target's public host key, `ssh-ed25519 AAAA…`. */
  hostKey: string
}

export interface SshdFleet {
  hosts: SshdHost[]
  user: string
  keyFile: string
  knownHostsFile: string
  /** The login user's password (sudo and password login): random, made for this test process. */
  sudoPassword: string
  /** Folder of this fleet's files (keys, configs, logs). */
  dir: string
  inventoryYaml(extraHostVars?: Record<string, unknown>): string
  /** Kill the per-connection sshd processes of host `i` (the listener stays): a dropped connection. */
  killConnections(i: number): void
  /** Freeze (SIGSTOP) or thaw host `i`'s connection processes: a link that goes silent without closing. */
  pauseConnections(i: number, paused: boolean): void
  /** Stop host `i`'s sshd (listener and connections): the host is down. */
  stopHost(i: number): Promise<void>
  /** Start host `i`'s sshd again on the same port with the same host key. */
  startHost(i: number): Promise<void>
  stop(): Promise<void>
}

/**
 * A fresh ed25519 key pair in OpenSSH format. ssh2's generator writes a 31-byte public key when the key's first
 * byte is 0 (about 1 in 128 keys), which OpenSSH rejects ("error in libcrypto"): such keys are drawn again.
 */
export function ed25519Pair(comment = ''): { private: string; public: string } {
  for (;;) {
    const k = ssh2.utils.generateKeyPairSync('ed25519', { comment })
    if (Buffer.from(k.public.split(' ')[1], 'base64').length === 51) return k
  }
}

/** Whether this process can run the loopback targets (root and OpenSSH's sshd). */
export function canRunSshd(): { ok: true } | { ok: false; why: string } {
  needTier('loopback sshd targets', 'integration')
  if (process.getuid?.() !== 0)
    return { ok: false, why: 'loopback sshd targets need root (to run sshd and create test users)' }
  if (!existsSync('/usr/sbin/sshd'))
    return { ok: false, why: '/usr/sbin/sshd is missing (apt-get install openssh-server)' }
  if (!existsSync('/usr/bin/sudo')) return { ok: false, why: '/usr/bin/sudo is missing (apt-get install sudo)' }
  return { ok: true }
}

/** A free TCP port on 127.0.0.1 (bound and released; sshd binds it right after). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port
      srv.close(() => resolve(port))
    })
  })
}

/** Resolve once `port` answers with an SSH banner. */
async function waitForBanner(port: number, proc: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 10_000
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`sshd on port ${port} exited: ${readFileSync(logFile, 'utf8')}`)
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1')
      s.once('data', (d) => {
        s.destroy()
        resolve(d.toString().startsWith('SSH-'))
      })
      s.once('error', () => resolve(false))
    })
    if (ok) return
    if (Date.now() > deadline) throw new Error(`sshd on port ${port} did not start: ${readFileSync(logFile, 'utf8')}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

function sshdConfig(dir: string, port: number, authorizedKeys: string, user: string, extra: string[] = []): string {
  return [
    ...extra,
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${join(dir, 'host_ed25519')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${authorizedKeys}`,
    `AllowUsers ${user}`,
    'StrictModes no',
    'UsePAM yes',
    'PasswordAuthentication yes',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin no',
    'MaxSessions 50',
    'MaxStartups 200',
    'MaxAuthTries 10',
    'LogLevel ERROR',
    'PrintMotd no',
    'AcceptEnv LANG LC_*',
    'Subsystem sftp internal-sftp',
    '',
  ].join('\n')
}

/** Children of a process (the per-connection sshd processes of a listener). */
function childPids(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number)
  } catch {
    return []
  }
}

/** The sshd processes below a listener (privileged monitors and their network children), not the login shells. */
function connectionPids(listener: number): number[] {
  const out: number[] = []
  const walk = (pid: number): void => {
    for (const c of childPids(pid)) {
      let comm: string
      try {
        comm = readFileSync(`/proc/${c}/comm`, 'utf8').trim()
      } catch {
        continue
      }
      if (comm !== 'sshd') continue
      out.push(c)
      walk(c)
    }
  }
  walk(listener)
  return out
}

function killQuietly(pid: number, sig: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(pid, sig)
  } catch {
    /* already gone */
  }
}

/** Start `count` loopback sshd targets. */
export async function startSshd(opts: SshdOptions): Promise<SshdFleet> {
  const can = canRunSshd()
  if (can.ok === false) throw new Error(can.why)
  const mode = opts.sudo ?? 'nopasswd'
  const { user, password } = ensureTestUser(mode)
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 })
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-sshd-'))
  track({ dirs: [dir] }) // removed with this process if stop() is never called (sshd dies by pdeathsig)
  chmodSync(dir, 0o755)
  const client = ed25519Pair('tsplay-test')
  const keyFile = join(dir, 'client_ed25519')
  writeFileSync(keyFile, client.private, { mode: 0o600 })
  const authorizedKeys = join(dir, 'authorized_keys')
  writeFileSync(authorizedKeys, `${client.public}\n`, { mode: 0o644 })
  const knownHostsFile = join(dir, 'known_hosts')

  const procs: (ChildProcess | undefined)[] = []
  const hosts: SshdHost[] = []

  async function launch(i: number): Promise<void> {
    const h = hosts[i]
    const hdir = join(dir, h.name)
    const logFile = join(hdir, 'sshd.log')
    // setpriv: the listener is killed if this process dies without stop() (no sshd left behind)
    const sshd = ['/usr/sbin/sshd', '-D', '-e', '-f', join(hdir, 'sshd_config')]
    const argv = existsSync('/usr/bin/setpriv') ? ['/usr/bin/setpriv', '--pdeathsig', 'KILL', ...sshd] : sshd
    const proc = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] })
    proc.stderr?.on('data', (d: Buffer) => writeFileSync(logFile, d, { flag: 'a' }))
    procs[i] = proc
    await waitForBanner(h.port, proc, logFile)
    // the banner may have come from another test's sshd that took the port first: ours must still be alive
    await new Promise((r) => setTimeout(r, 100))
    if (proc.exitCode !== null) throw new Error(`sshd on port ${h.port} exited: ${readFileSync(logFile, 'utf8')}`)
    h.pid = proc.pid ?? 0
  }

  /** First start: on a port lost to another process in the meantime, try again on a new one. */
  async function firstLaunch(i: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await launch(i)
      } catch (e) {
        if (attempt >= 5) throw e
        const old = procs[i]?.pid
        if (old) killQuietly(old)
        const h = hosts[i]
        h.port = await freePort()
        writeFileSync(
          join(dir, h.name, 'sshd_config'),
          sshdConfig(join(dir, h.name), h.port, authorizedKeys, user, opts.sshdConfig),
        )
      }
    }
  }

  for (let i = 0; i < opts.count; i++) {
    const name = `t${i + 1}`
    const hdir = join(dir, name)
    mkdirSync(hdir, { mode: 0o700 })
    const hk = ed25519Pair()
    writeFileSync(join(hdir, 'host_ed25519'), hk.private, { mode: 0o600 })
    const port = await freePort()
    writeFileSync(join(hdir, 'sshd_config'), sshdConfig(hdir, port, authorizedKeys, user, opts.sshdConfig))
    writeFileSync(join(hdir, 'sshd.log'), '')
    hosts.push({ name, host: '127.0.0.1', port, pid: 0, hostKey: hk.public })
  }
  try {
    await Promise.all(hosts.map((_, i) => firstLaunch(i)))
    writeFileSync(knownHostsFile, hosts.map((h) => `[127.0.0.1]:${h.port} ${h.hostKey}\n`).join(''))
  } catch (e) {
    for (const p of procs) if (p?.pid) killQuietly(p.pid)
    rmSync(dir, { recursive: true, force: true })
    untrack({ dirs: [dir] })
    throw e
  }

  async function stopHost(i: number): Promise<void> {
    const p = procs[i]
    if (!p?.pid) return
    const kids = connectionPids(p.pid)
    const exited = p.exitCode !== null ? Promise.resolve() : new Promise<void>((r) => p.once('exit', () => r()))
    killQuietly(p.pid)
    for (const k of kids) killQuietly(k)
    await exited
    procs[i] = undefined
  }

  return {
    hosts,
    user,
    keyFile,
    knownHostsFile,
    sudoPassword: password,
    dir,
    inventoryYaml(extraHostVars = {}) {
      const lines = ['all:', '  hosts:']
      for (const h of hosts) {
        const vars: Record<string, unknown> = {
          ansible_host: h.host,
          ansible_port: h.port,
          ansible_user: user,
          ansible_ssh_private_key_file: keyFile,
          ...extraHostVars,
        }
        lines.push(`    ${h.name}:`)
        for (const [k, v] of Object.entries(vars)) lines.push(`      ${k}: ${JSON.stringify(v)}`)
      }
      return `${lines.join('\n')}\n`
    },
    killConnections(i) {
      const p = procs[i]
      if (p?.pid) for (const k of connectionPids(p.pid)) killQuietly(k)
    },
    pauseConnections(i, paused) {
      const p = procs[i]
      if (p?.pid) for (const k of connectionPids(p.pid)) killQuietly(k, paused ? 'SIGSTOP' : 'SIGCONT')
    },
    stopHost,
    startHost: launch,
    async stop() {
      await Promise.all(hosts.map((_, i) => stopHost(i)))
      rmSync(dir, { recursive: true, force: true })
      untrack({ dirs: [dir] })
    },
  }
}
