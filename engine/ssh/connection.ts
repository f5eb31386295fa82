/**
 * `HostConnection`: everything tsplay does on one host goes through one ssh2 connection and, per effective user,
 * one persistent remote shell (shell.ts) — about 1 ms a command on loopback instead of ~45 ms for a fresh exec
 * channel. `become` starts a second shell through sudo (become.ts) or su (su.ts). Streaming commands (long builds)
 * get their own exec channel (stream.ts). A dropped connection rejects everything pending with `HostError('dropped')`.
 *
 * @example
 * ```ts
 * const conn = await HostConnection.connect({ spec, knownHostsFile, trustNewHostKeys: false })
 * const r = await conn.run({ argv: ['apt-get', 'install', '-y', 'git'] }, { becomeUser: 'root' })
 * await conn.close()
 * ```
 */
import type { Client } from 'ssh2'
import type { Connector, RunOptions } from '../connector.js'
import { HostError } from '../errors.js'
import type { Command, CommandResult } from '../types.js'
import { AskpassFolder, sessionCleanup } from './become.js'
import { connectClient, type ConnectOptions } from './client.js'
import { renderShellStart, type BecomeSpec } from './quote.js'
import { ShellStartError } from './faults.js'
import { RemoteShell } from './shell.js'
import { killTreeCommand, runStream, type StreamOptions } from './stream.js'
import { BECOME_ERRORS, suHandshake } from './su.js'

export type { ConnectOptions } from './client.js'
export type { RunOptions } from '../connector.js'

/** Stdin larger than this goes over its own exec channel (raw) instead of base64 in the shell's memory. */
const BIG_STDIN = 4 * 1024 * 1024

/** Whom a command runs as: `key` names its shell (`app`, or `su:…:app` through su, `doas:…:app` through doas). */
interface Target {
  key: string
  user: string
  /** su or doas, with its program and flags (unset: sudo). */
  via?: { method: 'su' | 'doas'; exe?: string; flags?: readonly string[] }
  /** sudo's extra flags (`-E`, …): a shell of its own per set of flags. */
  sudoFlags?: readonly string[]
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
/** `p`, or undefined after `ms`; the timer is cleared as soon as `p` settles, so it never delays the exit. */
function within<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let t: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<undefined>((r) => {
    t = setTimeout(() => r(undefined), ms)
  })
  return Promise.race([p, timeout]).finally(() => clearTimeout(t))
}

/** The SSH connector. */
export class HostConnection implements Connector {
  readonly name: string
  private client: Client
  private readonly shells = new Map<string, Promise<RemoteShell>>()
  private readonly gates = new Map<string, Promise<void>>()
  /** The shells that are open, by target key: a command for one with no caller queued before it goes straight in. */
  private readonly ready = new Map<string, RemoteShell>()
  /** Streaming commands running now: how to kill each on the host (for close()). */
  private readonly running = new Map<object, () => Promise<void>>()
  private readonly sudoFailures = new Map<string, HostError>()
  private readonly askpass?: AskpassFolder
  private lost?: HostError
  private closed = false

  private constructor(
    private readonly opts: ConnectOptions,
    client: Client,
  ) {
    this.name = opts.spec.name
    this.client = client
    const pw = opts.spec.becomePassword
    if (pw !== undefined) this.askpass = new AskpassFolder(this.name, pw, (cmd) => this.run(cmd))
    this.watch(client)
  }

  /** Connect and verify the host. Throws `HostError` of kind `unreachable`, `auth` or `hostkey`. */
  static async connect(opts: ConnectOptions): Promise<HostConnection> {
    return new HostConnection(opts, await connectClient(opts))
  }

  /** Run one command. A non-zero exit code is returned, not thrown; connection faults throw `HostError`. */
  run(cmd: Command, opts: RunOptions = {}): Promise<CommandResult> {
    const target = this.targetFor(cmd, opts)
    if (cmd.stream || (cmd.stdin !== undefined && cmd.stdin.length > BIG_STDIN))
      return this.runOnChannel(cmd, target, opts)
    return this.enqueue(target, [cmd], opts.signal).then(([r]) => r)
  }

  /** A streamed command (or one with a big stdin): on a channel of its own, killed on the host when it must end. */
  private async runOnChannel(cmd: Command, target: Target | undefined, opts: RunOptions): Promise<CommandResult> {
    const become = target === undefined ? undefined : await this.becomeSpec(target, true)
    const kill = (pid: number): Promise<void> => this.killTree(pid, target, become, true)
    const token = {}
    try {
      const onPid = (pid: number): void => void this.running.set(token, () => kill(pid))
      const so = { ...opts, kill, onPid, prepare: this.prepareFor(target) }
      return await runStream(this.client, this.name, cmd, become, so, () => this.gone()).catch((e: unknown) => {
        throw target && e instanceof ShellStartError ? this.becomeError(target, e) : e
      })
    } finally {
      this.running.delete(token)
    }
  }

  /**
   * Run several commands in one round trip: all are written at once and answered in one burst; every command
   * runs (a failure does not stop the rest). Commands for different users, or streaming ones, are grouped.
   */
  batch(cmds: readonly Command[], opts: RunOptions = {}): Promise<CommandResult[]> {
    if (cmds.length === 0) return Promise.resolve([])
    // the usual case: one user's shell for all, nothing streamed
    const target = this.targetFor(cmds[0], opts)
    if (cmds.every((c) => !c.stream && this.targetFor(c, opts)?.key === target?.key))
      return this.enqueue(target, cmds, opts.signal)
    return this.batchGroups(cmds, opts)
  }

  private async batchGroups(cmds: readonly Command[], opts: RunOptions): Promise<CommandResult[]> {
    const results: CommandResult[] = []
    let i = 0
    while (i < cmds.length) {
      const target = this.targetFor(cmds[i], opts)
      if (cmds[i].stream) {
        results.push(await this.run(cmds[i], opts))
        i++
        continue
      }
      let j = i
      while (j < cmds.length && !cmds[j].stream && this.targetFor(cmds[j], opts)?.key === target?.key) j++
      results.push(...(await this.enqueue(target, cmds.slice(i, j), opts.signal)))
      i = j
    }
    return results
  }

  /** Drop the connection and open it again, retrying with back-off until `timeoutSec` (reboots, dropped links). */
  async reconnect(timeoutSec: number): Promise<void> {
    this.teardown(new HostError(this.name, 'dropped', `${this.name}: reconnecting`))
    this.client.end()
    const deadline = Date.now() + timeoutSec * 1000
    let delay = 250
    for (;;) {
      const left = (deadline - Date.now()) / 1000
      try {
        this.client = await connectClient(this.opts, Math.max(1, Math.min(this.opts.spec.connectTimeout, left)))
        break
      } catch (e) {
        // a host key problem will not fix itself; auth may (PAM refuses logins while a host boots)
        if (e instanceof HostError && e.kind === 'hostkey') throw e
        if (Date.now() + delay >= deadline) {
          throw new HostError(
            this.name,
            'unreachable',
            `${this.name}: not reachable again within ${timeoutSec}s (${(e as Error).message})`,
          )
        }
        await sleep(delay)
        delay = Math.min(delay * 2, 5000)
      }
    }
    this.lost = undefined
    this.sudoFailures.clear()
    this.watch(this.client)
    await this.askpass?.cleanStale()
  }

  /**
   * Close: pending calls fail with `HostError('dropped')`, commands still running on the host are killed there
   * (not left behind), tsplay's session folder is removed, then the connection ends. Bounded: never hangs.
   */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    const opened =
      (await within(Promise.all([...this.shells.values()].map((p) => p.catch(() => undefined))), 1000)) ?? []
    const kills = [...this.running.values()]
    for (const s of opened) if (s?.busy) kills.push(() => s.killRunning())
    const dir = this.askpass?.existing()
    this.teardown(new HostError(this.name, 'dropped', `${this.name}: connection closed`))
    if (!this.lost) {
      // out of band (own channels), before the askpass folder goes; bounded waits
      await within(Promise.all(kills.map((k) => k().catch(() => undefined))), 3000)
      const d = await dir?.catch(() => undefined)
      const cleanup = d
        ? runStream(this.client, this.name, sessionCleanup(d), undefined, {}, () => this.lost)
        : undefined
      if (cleanup)
        await within(
          cleanup.catch(() => undefined),
          3000,
        )
    }
    const client = this.client
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, 1000)
      client.once('close', () => (clearTimeout(t), resolve()))
      client.end()
    })
  }

  /** Why the connection can no longer be used: lost, or closed by us. */
  private gone(): HostError | undefined {
    return (
      this.lost ?? (this.closed ? new HostError(this.name, 'dropped', `${this.name}: connection closed`) : undefined)
    )
  }

  /**
   * Whom `cmd` runs as (undefined: the login user). A module's own `runAs` goes through sudo; the task's become
   * user through the task's method.
   */
  private targetFor(cmd: Command, opts: RunOptions): Target | undefined {
    const user = cmd.runAs ?? opts.becomeUser
    if (user === undefined || user === this.opts.spec.user) return undefined
    const how = cmd.runAs === undefined ? opts.becomeMethod : undefined
    if (how?.method === 'su' || how?.method === 'doas') {
      const via = { method: how.method, exe: how.exe, flags: how.flags }
      return { key: `${how.method}:${JSON.stringify([how.exe ?? '', how.flags ?? []])}:${user}`, user, via }
    }
    const flags = how?.flags
    return flags?.length
      ? { key: `sudo:${JSON.stringify(flags)}:${user}`, user, sudoFlags: flags }
      : { key: user, user }
  }

  /** su's password handshake for a channel started as `target` (nothing for sudo or the login user). */
  private prepareFor(target: Target | undefined): StreamOptions['prepare'] {
    if (target?.via?.method !== 'su') return undefined
    return (ch) => suHandshake(ch, this.name, target.user, this.opts.spec.becomePassword)
  }

  /** sudo's, su's or doas's complaint as one clear `HostError('sudo')`. */
  private becomeError(target: Target, e: ShellStartError): HostError {
    const hasPassword = this.opts.spec.becomePassword !== undefined
    return BECOME_ERRORS[target.via?.method ?? 'sudo'](this.name, target.user, e.stderr, e.code, hasPassword)
  }

  private watch(client: Client): void {
    client.on('error', () => {}) // reported through 'close' and the pending calls
    client.on('close', () => {
      if (client !== this.client || this.closed) return
      const e = new HostError(this.name, 'dropped', `${this.name}: connection lost`)
      this.lost = e
      this.teardown(e)
    })
  }

  private teardown(e: HostError): void {
    for (const p of this.shells.values()) p.then((s) => s.close(e)).catch(() => undefined)
    this.shells.clear()
    this.ready.clear()
    this.askpass?.drop()
  }

  /**
   * Queue commands on a user's shell, in call order: concurrent callers are queued in the order they called,
   * even while the shell is still being opened (a gate per user covers getting the shell and queueing).
   */
  private enqueue(
    target: Target | undefined,
    cmds: readonly Command[],
    signal?: AbortSignal,
  ): Promise<CommandResult[]> {
    const key = target?.key ?? ''
    // the usual case: the shell is open and no caller waits before this one (the shell queues in call order)
    const open = this.gates.has(key) ? undefined : this.ready.get(key)
    if (open?.alive && !this.closed && !this.lost) {
      try {
        return open.run(cmds, signal)
      } catch (e) {
        return Promise.reject(e) // a command that cannot be rendered: the caller's promise fails, as below
      }
    }
    const prev = this.gates.get(key) ?? Promise.resolve()
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    this.gates.set(key, gate)
    return (async () => {
      await prev
      let queued: Promise<CommandResult[]>
      try {
        const sh = await this.shell(target)
        if (!this.closed && !this.lost) this.ready.set(key, sh)
        queued = sh.run(cmds, signal)
      } finally {
        if (this.gates.get(key) === gate) this.gates.delete(key)
        release()
      }
      return queued
    })()
  }

  /** The persistent shell for a target user (undefined = the login user), opened on first use. */
  private async shell(target: Target | undefined): Promise<RemoteShell> {
    if (this.closed) throw new HostError(this.name, 'dropped', `${this.name}: connection closed`)
    if (this.lost) throw this.lost
    const key = target?.key ?? ''
    const existing = this.shells.get(key)
    if (existing) {
      const s = await existing
      if (s.alive) return s
      if (this.shells.get(key) === existing) this.shells.delete(key)
      return this.shell(target)
    }
    const failed = target === undefined ? undefined : this.sudoFailures.get(target.key)
    if (failed) throw failed
    const p = this.openShell(target)
    this.shells.set(key, p)
    p.catch(() => this.shells.get(key) === p && this.shells.delete(key))
    return p
  }

  private async openShell(target: Target | undefined): Promise<RemoteShell> {
    const become = target === undefined ? undefined : await this.becomeSpec(target, false)
    try {
      return await RemoteShell.open(
        this.client,
        this.name,
        renderShellStart(become),
        (pid) => this.killTree(pid, target, become, false),
        this.prepareFor(target),
      )
    } catch (e) {
      if (target && e instanceof HostError && e.kind === 'sudo') this.sudoFailures.set(target.key, e)
      if (!(e instanceof ShellStartError)) throw e
      if (this.lost) throw this.lost
      if (target === undefined) {
        throw new HostError(
          this.name,
          'unreachable',
          `${this.name}: cannot start /bin/sh as ${this.opts.spec.user}: ${e.message}`,
        )
      }
      const err = this.becomeError(target, e)
      this.sudoFailures.set(target.key, err)
      throw err
    }
  }

  /** How to become `target`; `checked` first proves it works by opening that target's shell. */
  private async becomeSpec(target: Target, checked: boolean): Promise<BecomeSpec> {
    if (checked) await this.shell(target)
    const user = target.user
    if (target.via) return { ...target.via, user }
    const flags = target.sudoFlags ? { flags: target.sudoFlags } : {}
    return this.askpass ? { user, ...flags, askpass: `${await this.askpass.dir()}/askpass` } : { user, ...flags }
  }

  /** Kill a command's process tree on the host, as the user it runs as (out of band, on its own channel). */
  private async killTree(
    pid: number,
    target: Target | undefined,
    become: BecomeSpec | undefined,
    self: boolean,
  ): Promise<void> {
    const so = { prepare: this.prepareFor(target) }
    const r = await runStream(this.client, this.name, killTreeCommand(pid, self), become, so, () => this.lost)
    if (r.rc !== 0) throw new Error(r.stderr)
  }
}
