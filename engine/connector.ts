/**
 * The connector interface: the one thing the runner and modules use to run commands on a host, whatever carries
 * them. Two implementations: `HostConnection` (engine/ssh, one ssh2 connection with persistent shells) and
 * `LocalConnector` (engine/local, child processes on the controller, for `connection: local` and
 * `delegate_to: localhost`). The runner depends only on this interface.
 *
 * @example
 * ```ts
 * const c: Connector = new LocalConnector('localhost')
 * const r = await c.run({ argv: ['id', '-un'] }, { becomeUser: 'root' })
 * const [a, b] = await c.batch([{ argv: ['true'] }, { argv: ['false'] }])
 * await c.close()
 * ```
 */
import type { Command, CommandResult } from './types.js'

/**
 * `become_method: su` or `doas` with its `become_exe` and `become_flags` (words), or sudo (the default) with its
 * flags.
 */
export type BecomeMethod =
  { method: 'sudo'; flags?: readonly string[] } | { method: 'su' | 'doas'; exe?: string; flags?: readonly string[] }

/** How one command runs: as whom, with its output streamed or not, cancelled by what. */
export interface RunOptions {
  /** Run via sudo as this user (`cmd.runAs` overrides); undefined = no become. */
  becomeUser?: string
  /** How to become `becomeUser` (default sudo); a module's `runAs` always goes through sudo. */
  becomeMethod?: BecomeMethod
  /** Output as it arrives, for `stream: true` commands. */
  onOutput?: (chunk: string) => void
  signal?: AbortSignal
}

/** Runs commands on one host. Non-zero exit codes are returned; connection faults throw `HostError`. */
export interface Connector {
  /** The inventory name of the host. */
  readonly name: string
  /** Run one command (streamed to `opts.onOutput` when `cmd.stream`). */
  run(cmd: Command, opts?: RunOptions): Promise<CommandResult>
  /** Run several commands in as few round trips as possible; every command runs, results in order. */
  batch(cmds: readonly Command[], opts?: RunOptions): Promise<CommandResult[]>
  /** Drop and re-open the connection, retrying until `timeoutSec` (reboots, dropped links). */
  reconnect(timeoutSec: number): Promise<void>
  /** Close: pending commands fail, running ones are killed, nothing is left behind. Bounded: never hangs. */
  close(): Promise<void>
}
