/**
 * The transport's own failure shapes: a remote shell that could not start (sudo's complaint is in its stderr,
 * turned into a clear message by become.ts), and a cancelled command (a `HostError`, so the runner treats it
 * like a closed connection rather than an internal error).
 *
 * @example
 * ```ts
 * ac.abort(new Error('Ctrl-C'))   // a running conn.run(..., { signal: ac.signal }) rejects with
 *                                 // HostError('dropped', 'pi1: command cancelled: Ctrl-C')
 * ```
 */
import { HostError } from '../errors.js'

/** Why a shell could not start: its stderr and exit code (sudo's messages land here). */
export class ShellStartError extends Error {
  constructor(
    readonly stderr: string,
    readonly code: number | null,
  ) {
    super(stderr.trim() || `remote shell exited with code ${String(code)}`)
    this.name = 'ShellStartError'
  }
}

/** A cancelled command: a HostError (the runner treats it like a closed connection), naming the reason if any. */
export function abortError(host: string, signal: AbortSignal): HostError {
  const r: unknown = signal.reason
  const why = r instanceof Error && r.name !== 'AbortError' ? `: ${r.message}` : ''
  return new HostError(host, 'dropped', `${host}: command cancelled${why}`)
}
