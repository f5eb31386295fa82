/**
 * Connections to hosts: opened lazily on a host's first task (one persistent SSH connection per host for the
 * whole run), closed at the end. A host that cannot be reached is remembered as unreachable with the reason.
 */
import { HostError } from '../errors.js'
import { connectionSpec } from '../inventory/vars.js'
import type { HostIO } from '../module.js'
import { HostConnection } from '../ssh/connection.js'
import type { Command, Vars } from '../types.js'
import type { Secrets } from './secrets.js'

/** How to connect: shared by every host of a run. */
export interface PoolOptions {
  knownHostsFile: string
  trustNewHostKeys: boolean
  agentSocket?: string
  /** Password for sudo given on the command line or in the environment (inventory vars win). */
  becomePassword?: string
}

export class HostPool {
  private readonly conns = new Map<string, Promise<HostConnection>>()
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

  /** The host's connection, opened on first use. Throws HostError when the host cannot be used. */
  get(name: string, vars: Vars): Promise<HostConnection> {
    const known = this.unreachable.get(name)
    if (known) return Promise.reject(new HostError(name, 'unreachable', known))
    let p = this.conns.get(name)
    if (!p) {
      const spec = connectionSpec(name, vars)
      if (!spec.becomePassword && this.opts.becomePassword) spec.becomePassword = this.opts.becomePassword
      this.secrets.add(spec.password)
      this.secrets.add(spec.becomePassword)
      p = HostConnection.connect({
        spec,
        knownHostsFile: this.opts.knownHostsFile,
        trustNewHostKeys: this.opts.trustNewHostKeys,
        agentSocket: this.opts.agentSocket,
      })
      p.catch((e: unknown) => this.unreachable.set(name, e instanceof Error ? e.message : String(e)))
      this.conns.set(name, p)
    }
    return p!
  }

  /** Re-open a dropped connection, waiting up to `timeoutSec` for the host to come back. */
  async reconnect(name: string, timeoutSec: number): Promise<void> {
    const p = this.conns.get(name)
    if (!p) throw new HostError(name, 'unreachable', 'no connection to re-open')
    await (await p).reconnect(timeoutSec)
    this.unreachable.delete(name)
  }

  /** Forget a connection that dropped, so the next `get` opens a new one. */
  forget(name: string): void {
    const p = this.conns.get(name)
    this.conns.delete(name)
    p?.then((c) => c.close()).catch(() => undefined)
  }

  async closeAll(): Promise<void> {
    const all = [...this.conns.values()]
    this.conns.clear()
    await Promise.all(all.map((p) => p.then((c) => c.close()).catch(() => undefined)))
  }
}

/** How a task runs its commands: become, environment, timeout. */
export interface TaskExec {
  becomeUser?: string
  env?: Record<string, string>
  timeoutSec?: number
  signal?: AbortSignal
}

/** Apply a task's become/environment/timeout to a command (module-forced `runAs` wins). */
export function prepareCommand(cmd: Command, exec: TaskExec): Command {
  const env = exec.env && Object.keys(exec.env).length ? { ...exec.env, ...cmd.env } : cmd.env
  return {
    ...cmd,
    env,
    timeoutSec: cmd.timeoutSec ?? (cmd.stream ? undefined : exec.timeoutSec),
  }
}

/** The HostIO a module sees for one task on one host. */
export function taskIO(conn: HostConnection, exec: TaskExec, log: (line: string) => void): HostIO {
  const becomeFor = (cmd: Command) => cmd.runAs ?? exec.becomeUser
  return {
    run: (cmd, onOutput) => {
      const c = prepareCommand(cmd, exec)
      return conn.run(c, {
        becomeUser: becomeFor(c),
        signal: exec.signal,
        onOutput: onOutput ?? (c.stream ? (chunk) => chunk.split('\n').filter(Boolean).forEach(log) : undefined),
      })
    },
    batch: async (cmds) => {
      if (cmds.length === 0) return []
      const prepared = cmds.map((c) => prepareCommand(c, exec))
      // One round trip per effective user (almost always one).
      const users = new Set(prepared.map(becomeFor))
      if (users.size === 1) return conn.batch(prepared, { becomeUser: becomeFor(prepared[0]), signal: exec.signal })
      return Promise.all(prepared.map((c) => conn.run(c, { becomeUser: becomeFor(c), signal: exec.signal })))
    },
    reconnect: (timeoutSec) => conn.reconnect(timeoutSec),
  }
}
