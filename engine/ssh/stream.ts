/**
 * A command on its own exec channel, with output passed to `onOutput` as it arrives: for long builds
 * (`stream: true`) and for the few out-of-band commands (killing an aborted command). Costs a new sshd session
 * (~45 ms), so ordinary commands use the persistent shell instead. The command first reports its pid on stderr
 * (stripped here), so an abort or a controller-side timeout kills its process tree on the host, not only the channel.
 *
 * @example
 * ```ts
 * await runStream(client, 'pi1', { argv: ['make', '-j4'], cwd: '/src/nix', stream: true }, undefined,
 *   { onOutput: (s) => process.stdout.write(s) }, () => undefined)
 * ```
 */
import { constants as osConstants } from 'node:os'
import { StringDecoder } from 'node:string_decoder'
import type { Client, ClientChannel } from 'ssh2'
import { sh } from '../commands.js'
import { HostError } from '../errors.js'
import type { Command, CommandResult } from '../types.js'
import { EXEC_PID_PREFIX, renderExec, type BecomeSpec } from './quote.js'
import { abortError } from './faults.js'

export interface StreamOptions {
  onOutput?: (chunk: string) => void
  signal?: AbortSignal
  /** Kill the command's process tree on the host (on abort or controller timeout). */
  kill?: (pid: number) => Promise<void>
  /** Told the command's pid on the host once it is known. */
  onPid?: (pid: number) => void
  /** Runs first on the new channel (su's password handshake), leaving its output paused; stdin follows it. */
  prepare?: (ch: ClientChannel) => Promise<void>
}

/** Kill a process tree: every descendant of $1, and $1 itself when $2 is 1 (a shell's children: $2 empty). */
const KILL_TREE =
  'k() { for c in $(pgrep -P "$1"); do k "$c"; done; kill -TERM "$1" 2>/dev/null; }; ' +
  'if [ "$2" = 1 ]; then k "$1"; else for c in $(pgrep -P "$1"); do k "$c"; done; fi; :'

/** The out-of-band command that kills a running command on the host (`self`: the pid too, else its children). */
export function killTreeCommand(pid: number, self: boolean): Command {
  return sh(KILL_TREE, [String(pid), self ? '1' : ''], { describe: `kill process tree ${pid}` })
}

/** A signal's number from its name as sshd reports it (`TERM` or `SIGTERM`), for sh's 128 + n exit code. */
function signalNumber(name: string | undefined): number | undefined {
  if (!name) return undefined
  const signals = osConstants.signals as Record<string, number>
  return signals[name.startsWith('SIG') ? name : `SIG${name}`]
}

/** Run `cmd` on a fresh exec channel; `lost()` tells whether the connection is gone (for the error). */
export function runStream(
  client: Client,
  host: string,
  cmd: Command,
  become: BecomeSpec | undefined,
  opts: StreamOptions,
  lost: () => HostError | undefined,
): Promise<CommandResult> {
  const stdin =
    cmd.stdin === undefined ? undefined : typeof cmd.stdin === 'string' ? Buffer.from(cmd.stdin, 'utf8') : cmd.stdin
  const text = renderExec(cmd, become, stdin?.length)
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(abortError(host, opts.signal))
    const onChannel = (err: Error | undefined, ch: ClientChannel): void => {
      if (err) return reject(lost() ?? new HostError(host, 'dropped', `${host}: cannot open a channel: ${err.message}`))
      if (opts.prepare) opts.prepare(ch).then(() => attach(ch), reject)
      else attach(ch)
    }
    const attach = (ch: ClientChannel): void => {
      const out: Buffer[] = []
      const errs: Buffer[] = []
      const dOut = new StringDecoder('utf8')
      const dErr = new StringDecoder('utf8')
      let code: number | null = null
      let sig: string | undefined
      let timer: NodeJS.Timeout | undefined
      let pid = 0
      let head: Buffer | undefined = Buffer.alloc(0) // stderr until the pid line has been read
      let settled = false
      /** Give up on the command: settle now, kill it on the host, close the channel. */
      const giveUp = (e: Error): void => {
        if (settled) return
        settled = true
        if (timer) clearTimeout(timer)
        opts.signal?.removeEventListener('abort', onAbort)
        reject(e)
        const close = (): void => void ch.close()
        if (pid && opts.kill) opts.kill(pid).then(close, close)
        else close()
      }
      const onAbort = (): void => giveUp(abortError(host, opts.signal!))
      opts.signal?.addEventListener('abort', onAbort, { once: true })
      if (cmd.timeoutSec !== undefined) {
        const grace = cmd.timeoutSec + 20
        timer = setTimeout(
          () =>
            giveUp(
              new HostError(host, 'timeout', `${host}: command did not end within ${cmd.timeoutSec}s (+20s grace)`),
            ),
          grace * 1000,
        )
      }
      ch.on('data', (d: Buffer) => {
        out.push(d)
        const s = dOut.write(d)
        if (s) opts.onOutput?.(s)
      })
      ch.stderr.on('data', (chunk: Buffer) => {
        let d = chunk
        if (head) {
          head = Buffer.concat([head, d])
          const nl = head.indexOf(0x0a)
          if (nl < 0 && head.length < 64) return
          const line = head.subarray(0, nl < 0 ? 0 : nl).toString('latin1')
          if (line.startsWith(EXEC_PID_PREFIX)) {
            pid = Number(line.slice(EXEC_PID_PREFIX.length))
            opts.onPid?.(pid)
            d = head.subarray(nl + 1)
          } else d = head
          head = undefined
          if (d.length === 0) return
        }
        errs.push(d)
        const s = dErr.write(d)
        if (s) opts.onOutput?.(s)
      })
      ch.on('exit', (c: number | null, s?: string) => {
        code = c
        sig = s
      })
      ch.on('close', () => {
        if (settled) return
        settled = true
        if (timer) clearTimeout(timer)
        opts.signal?.removeEventListener('abort', onAbort)
        if (head?.length) errs.push(head) // sudo's complaint, or output without the pid line
        const tail = dOut.end() + dErr.end()
        if (tail) opts.onOutput?.(tail)
        const gone = lost() // connection lost or closed by us while it ran: killed, not finished
        if (gone || (code === null && sig === undefined)) {
          return reject(
            gone ?? new HostError(host, 'dropped', `${host}: the connection ended before the command finished`),
          )
        }
        const rc = code ?? 128 + (signalNumber(sig) ?? 0)
        resolve({ rc, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(errs).toString('utf8') })
      })
      if (opts.prepare) {
        ch.resume()
        ch.stderr.resume()
      }
      ch.end(stdin)
    }
    try {
      client.exec(text, onChannel)
    } catch (e) {
      // ssh2 throws when the connection is already gone
      reject(lost() ?? new HostError(host, 'dropped', `${host}: cannot open a channel: ${(e as Error).message}`))
    }
  })
}
