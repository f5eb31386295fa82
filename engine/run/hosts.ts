/**
 * Connections to hosts: opened lazily on a host's first task (one persistent connector per host, login user
 * and connection type for the whole run), closed at the end. A host that cannot be reached is remembered as
 * unreachable with the reason. The connection type is the host's `ansible_connection` variable, else the
 * `connection` keyword, else `ssh` (variables win over keywords, as in Ansible); `local` runs on the controller
 * (engine/local).
 */
import type { BecomeMethod, Connector, RunOptions } from '../connector.js'
import { HostError, UserError } from '../errors.js'
import { connectionSpec } from '../inventory/vars.js'
import { LocalConnector } from '../local/connector.js'
import { ModuleFailure, type HostIO } from '../module.js'
import { HostConnection } from '../ssh/connection.js'
import type { Command, CommandResult, Vars } from '../types.js'
import { extend } from '../shape.js'
import type { Secrets } from './secrets.js'

/** How to connect: shared by every host of a run. */
export interface PoolOptions {
  knownHostsFile: string
  trustNewHostKeys: boolean
  agentSocket?: string
  /** Password for sudo given on the command line or in the environment (inventory vars win). */
  becomePassword?: string
  /** The SSH key from the command line or Ansible's settings; a host's variables win (as for the others here). */
  privateKeyFile?: string
  /** The SSH login password (`-k`). */
  password?: string
  /** Seconds to wait for a connection (`-T`). */
  connectTimeout?: number
}

/** The connection types tsplay has (`smart` and `paramiko` are Ansible's names that mean SSH here). */
const SSH_NAMES = ['ssh', 'smart', 'paramiko', 'ansible.builtin.ssh', 'ansible.builtin.paramiko_ssh']
const LOCAL_NAMES = ['local', 'ansible.builtin.local']

/** Is the host reached with the local connector? `keyword`: the task's/block's/play's `connection`. */
export function isLocal(name: string, vars: Vars, keyword: string | undefined): boolean {
  const v = vars.ansible_connection ?? keyword ?? 'ssh'
  const kind = typeof v === 'string' ? v : JSON.stringify(v)
  if (LOCAL_NAMES.includes(kind)) return true
  if (SSH_NAMES.includes(kind)) return false
  throw new UserError(`connection "${kind}" of host "${name}" is not one tsplay has (it has "ssh" and "local")`)
}

export class HostPool {
  private readonly conns = new Map<string, Promise<Connector>>()
  private readonly unreachable = new Map<string, string>()

  constructor(
    private readonly opts: PoolOptions,
    private readonly secrets: Secrets,
  ) {}

  /** The reason a host was found unreachable, if it was. */
  unreachableReason(name: string): string | undefined {
    return this.unreachable.get(name)
  }

  markUnreachable(name: string, reason: string): void {
    this.unreachable.set(name, reason)
  }

  /** Forget that a host was unreachable (`meta: clear_host_errors`): the next task tries it again. */
  clearUnreachable(name: string): void {
    this.unreachable.delete(name)
  }

  /**
   * The host's connector, opened on first use (`keyword`: the `connection` keyword in force). Throws HostError
   * when the host cannot be used.
   */
  get(name: string, vars: Vars, keyword?: string): Promise<Connector> {
    const known = this.unreachable.get(name)
    if (known) return Promise.reject(new HostError(name, 'unreachable', known))
    if (isLocal(name, vars, keyword)) return this.local(name, vars)
    // one connection per login user and port: a play's or task's remote_user or port may name another one
    const v = vars.ansible_user ?? vars.ansible_ssh_user
    const user = typeof v === 'string' && !v.includes('{{') ? v : v === undefined ? '' : undefined
    const port = vars.ansible_port ?? vars.ansible_ssh_port
    const spec =
      user === undefined || (typeof port === 'string' && port.includes('{{')) ? connectionSpec(name, vars) : undefined
    const key = `${name}\0${user ?? spec!.user}\0${spec ? spec.port : String(port ?? '')}`
    let p = this.conns.get(key)
    if (!p) {
      const spec = connectionSpec(name, vars, this.opts)
      this.secrets.add(spec.password)
      this.secrets.add(spec.becomePassword)
      p = HostConnection.connect({
        spec,
        knownHostsFile: this.opts.knownHostsFile,
        trustNewHostKeys: this.opts.trustNewHostKeys,
        agentSocket: this.opts.agentSocket,
      })
      p.catch((e: unknown) => this.unreachable.set(name, e instanceof Error ? e.message : String(e)))
      this.conns.set(key, p)
    }
    return p!
  }

  /** The local connector for a host run on the controller (its own become password, if any). */
  private local(name: string, vars: Vars): Promise<Connector> {
    const key = `local\0${name}`
    let p = this.conns.get(key)
    if (!p) {
      const pw = connectionSpec(name, vars, this.opts).becomePassword
      this.secrets.add(pw)
      p = Promise.resolve(new LocalConnector(name, { becomePassword: pw }))
      this.conns.set(key, p)
    }
    return p
  }

  /** The open connections of a host (one per login user, or its local connector). */
  private ofHost(name: string): Array<[string, Promise<Connector>]> {
    return [...this.conns].filter(([k]) => k.startsWith(`${name}\0`) || k === `local\0${name}`)
  }

  /** Re-open a host's dropped connections, waiting up to `timeoutSec` for the host to come back. */
  async reconnect(name: string, timeoutSec: number): Promise<void> {
    const open = this.ofHost(name)
    if (!open.length) throw new HostError(name, 'unreachable', 'no connection to re-open')
    for (const [, p] of open) await (await p).reconnect(timeoutSec)
    this.unreachable.delete(name)
  }

  /** Forget a host's SSH connections (one dropped), so the next `get` opens a new one. */
  forget(name: string): void {
    for (const [k, p] of this.ofHost(name)) {
      if (k.startsWith('local\0')) continue
      this.conns.delete(k)
      p.then((c) => c.close()).catch(() => undefined)
    }
  }

  async closeAll(): Promise<void> {
    const all = [...this.conns.values()]
    this.conns.clear()
    await Promise.all(all.map((p) => p.then((c) => c.close()).catch(() => undefined)))
  }
}

/**
 * A HostIO that connects on each command (the pool keeps the connection) and whose `reconnect` forgets the
 * connection and the host's unreachable mark, so the next command tries a fresh one (`wait_for_connection`).
 */
export function retryingIO(
  rc: { pool: HostPool },
  name: string,
  connect: () => Promise<Connector>,
  exec: TaskExec,
  log: (line: string, level?: number) => void,
): HostIO {
  return {
    run: async (cmd, onOutput) => taskIO(await connect(), exec, log).run(cmd, onOutput),
    batch: async (cmds) => taskIO(await connect(), exec, log).batch(cmds),
    reconnect: async () => {
      rc.pool.clearUnreachable(name)
      rc.pool.forget(name)
    },
  }
}

/** How a task runs its commands: become, environment, timeout. */
export interface TaskExec {
  becomeUser?: string
  /** How to become `becomeUser` (a module's own `runAs` always goes through sudo). */
  becomeMethod?: BecomeMethod
  env?: Record<string, string>
  /** The task's own `timeout`: applies to every command, long builds included. */
  timeoutSec?: number
  /** `--task-timeout`: applies to ordinary commands, not to streamed long builds (make). */
  defaultTimeoutSec?: number
  /** The task's module, named in the message of a command the task's timeout killed. */
  module?: string
  signal?: AbortSignal
}

/**
 * A command the task's timeout (not one the module set itself) killed: `timeout` exits 124, or 137 when its
 * `-k` had to kill. Fails the task as Ansible 2.14 does: failed, not changed, with its message.
 */
function checkTimedOut(cmd: Command, c: Command, r: CommandResult, ms: number, exec: TaskExec): void {
  if (cmd.timeoutSec !== undefined || c.timeoutSec === undefined || (r.rc !== 124 && r.rc !== 137)) return
  if (ms < c.timeoutSec * 1000 - 50) return // exited 124 of its own accord, before the time was up
  throw new ModuleFailure(
    `The ${exec.module ?? 'task'} action failed to execute in the expected time frame (${c.timeoutSec}) ` +
      'and was terminated',
  )
}

/** Apply a task's become/environment/timeout to a command (module-forced `runAs` wins). */
export function prepareCommand(cmd: Command, exec: TaskExec): Command {
  const env = exec.env && Object.keys(exec.env).length ? { ...exec.env, ...cmd.env } : cmd.env
  return extend(cmd, {
    env,
    timeoutSec: cmd.timeoutSec ?? exec.timeoutSec ?? (cmd.stream ? undefined : exec.defaultTimeoutSec),
  })
}

/** How a command shows in `-v` output: its description, or its argv (long scripts shortened). */
export function showCommand(cmd: Command, becomeUser: string | undefined, via?: BecomeMethod): string {
  const argv = cmd.argv
    .map((a) => (a.length > 60 || a.includes('\n') ? `${a.slice(0, 40).split('\n')[0]}…` : a))
    .join(' ')
  const as = becomeUser ? `(as ${becomeUser}${via && via.method !== 'sudo' ? ` via ${via.method}` : ''}) ` : ''
  return `${as}$ ${argv}${cmd.describe ? `   # ${cmd.describe}` : ''}`
}

/**
 * A task's log: a line at a verbosity level (1: `-v`). `wants`, when there: does anyone show that level? Callers
 * skip building lines nobody reads (without it, every line is built).
 */
export type TaskLog = ((line: string, level?: number) => void) & { wants?: (level: number) => boolean }

/** The HostIO a module sees for one task on one host. `-v` shows commands (level 1), `-vv` their output (level 2). */
export function taskIO(conn: Connector, exec: TaskExec, log: TaskLog): HostIO {
  const becomeFor = (cmd: Command) => cmd.runAs ?? exec.becomeUser
  const methodFor = (cmd: Command) => (cmd.runAs === undefined ? exec.becomeMethod : undefined)
  // one literal with every key (no spread: see engine/shape.ts)
  const how = (c: Command, onOutput?: (chunk: string) => void): RunOptions => ({
    becomeUser: becomeFor(c),
    becomeMethod: methodFor(c),
    signal: exec.signal,
    onOutput,
  })
  const shows = (level: number) => log.wants?.(level) ?? true
  const shown = (c: Command, r: CommandResult) => {
    if (!shows(2)) return r
    log(`rc=${r.rc}`, 2)
    for (const [k, v] of [
      ['stdout', r.stdout],
      ['stderr', r.stderr],
    ] as const)
      if (v.trim()) log(`${k}: ${v.trimEnd().slice(-4000)}`, 2)
    return r
  }
  return {
    run: async (cmd, onOutput) => {
      const c = prepareCommand(cmd, exec)
      if (shows(1)) log(showCommand(c, becomeFor(c), methodFor(c)), 1)
      const t0 = Date.now()
      const r = await conn.run(
        c,
        how(
          c,
          onOutput ??
            (c.stream
              ? (chunk) =>
                  chunk
                    .split('\n')
                    .filter(Boolean)
                    .forEach((l) => log(l, 1))
              : undefined),
        ),
      )
      checkTimedOut(cmd, c, r, Date.now() - t0, exec)
      return c.stream ? r : shown(c, r)
    },
    batch: async (cmds) => {
      if (cmds.length === 0) return []
      const prepared = cmds.map((c) => prepareCommand(c, exec))
      if (shows(1)) for (const c of prepared) log(showCommand(c, becomeFor(c), methodFor(c)), 1)
      // One round trip per effective user (almost always one).
      const users = prepared.every((c) => c.runAs === undefined) // all as the task's user: no need to compare
        ? { size: 1 }
        : new Set(prepared.map((c) => JSON.stringify([becomeFor(c), methodFor(c)])))
      const t0 = Date.now()
      const out =
        users.size === 1
          ? await conn.batch(prepared, how(prepared[0]))
          : await Promise.all(prepared.map((c) => conn.run(c, how(c))))
      out.forEach((r, i) => checkTimedOut(cmds[i], prepared[i], r, Date.now() - t0, exec))
      return out
    },
    reconnect: (timeoutSec) => conn.reconnect(timeoutSec),
  }
}
