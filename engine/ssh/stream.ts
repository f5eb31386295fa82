/**
 * A command on its own exec channel, with output passed to `onOutput` as it arrives: for long builds
 * (`stream: true`) and for the few out-of-band commands (killing an aborted command). Costs a new sshd session
 * (~45 ms), so ordinary commands use the persistent shell instead.
 *
 * @example
 * ```ts
 * await runStream(client, 'pi1', { argv: ['make', '-j4'], cwd: '/src/nix', stream: true }, undefined,
 *   { onOutput: (s) => process.stdout.write(s) }, () => undefined)
 * ```
 */
import { StringDecoder } from 'node:string_decoder'
import type { Client, ClientChannel } from 'ssh2'
import { HostError } from '../errors.js'
import type { Command, CommandResult } from '../types.js'
import { renderExec, type SudoSpec } from './quote.js'

export interface StreamOptions {
  onOutput?: (chunk: string) => void
  signal?: AbortSignal
}

/** Exit code for a process killed by a signal, as sh reports it (128 + number). */
const SIGNALS: Record<string, number> = { HUP: 1, INT: 2, KILL: 9, PIPE: 13, TERM: 15 }

/** Run `cmd` on a fresh exec channel; `lost()` tells whether the connection is gone (for the error). */
export function runStream(
  client: Client,
  host: string,
  cmd: Command,
  sudo: SudoSpec | undefined,
  opts: StreamOptions,
  lost: () => HostError | undefined,
): Promise<CommandResult> {
  const text = renderExec(cmd, sudo)
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(opts.signal.reason ?? new Error('the command was cancelled'))
    client.exec(text, (err, ch: ClientChannel) => {
      if (err) return reject(lost() ?? new HostError(host, 'dropped', `${host}: cannot open a channel: ${err.message}`))
      const out: Buffer[] = []
      const errs: Buffer[] = []
      const dOut = new StringDecoder('utf8')
      const dErr = new StringDecoder('utf8')
      let code: number | null = null
      let sig: string | undefined
      let timer: NodeJS.Timeout | undefined
      let failed: Error | undefined
      const onAbort = (): void => {
        failed = opts.signal?.reason instanceof Error ? opts.signal.reason : new Error('the command was cancelled')
        ch.signal('TERM')
        ch.close()
      }
      opts.signal?.addEventListener('abort', onAbort, { once: true })
      if (cmd.timeoutSec !== undefined) {
        timer = setTimeout(() => {
          failed = new HostError(host, 'timeout', `${host}: command did not end within ${cmd.timeoutSec}s (+20s grace)`)
          ch.close()
        }, (cmd.timeoutSec + 20) * 1000)
      }
      ch.on('data', (d: Buffer) => {
        out.push(d)
        const s = dOut.write(d)
        if (s) opts.onOutput?.(s)
      })
      ch.stderr.on('data', (d: Buffer) => {
        errs.push(d)
        const s = dErr.write(d)
        if (s) opts.onOutput?.(s)
      })
      ch.on('exit', (c: number | null, s?: string) => {
        code = c
        sig = s
      })
      ch.on('close', () => {
        if (timer) clearTimeout(timer)
        opts.signal?.removeEventListener('abort', onAbort)
        const tail = dOut.end() + dErr.end()
        if (tail) opts.onOutput?.(tail)
        if (failed) return reject(failed)
        if (code === null && sig === undefined) {
          return reject(lost() ?? new HostError(host, 'dropped', `${host}: the connection ended before the command finished`))
        }
        const rc = code ?? 128 + (SIGNALS[sig ?? ''] ?? 0)
        resolve({ rc, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(errs).toString('utf8') })
      })
      if (cmd.stdin !== undefined) ch.end(typeof cmd.stdin === 'string' ? Buffer.from(cmd.stdin, 'utf8') : cmd.stdin)
      else ch.end()
    })
  })
}
