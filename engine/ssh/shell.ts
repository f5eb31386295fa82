/**
 * One long-lived remote `sh` (as the login user, or through sudo as another user) that receives framed commands
 * on its stdin and answers each with an exact end marker on stdout and stderr, or on stdout only when the command
 * wrote nothing to stderr and the host has a tmpfs for the shell's stderr file (see frametext.ts). A command
 * costs one fork on the host and no new SSH channel. Jobs (one command, or a batch written in one go) are
 * queued: the next job is written when the previous one has fully answered, so an aborted job can be killed
 * without touching its neighbours.
 *
 * @example
 * ```ts
 * const sh = await RemoteShell.open(client, 'pi1', 'exec /bin/sh')
 * const [r] = await sh.run([{ argv: ['uname', '-m'] }])
 * ```
 */
import type { ClientChannel, Client } from 'ssh2'
import { HostError } from '../errors.js'
import type { Command, CommandResult } from '../types.js'
import { abortError, ShellStartError } from './faults.js'
import { randomHex } from '../randompool.js'
import { FrameReader } from './frames.js'
import { renderCommand, renderFrame, renderHello, scriptFunction, staysInShell } from './quote.js'

interface Slot {
  seq: number
  out?: Buffer
  err?: Buffer
  rc?: number
}

interface Job {
  cmds: readonly Command[]
  /** The commands rendered as shell text. */
  texts: string[]
  /** Definitions of the shell functions `texts` call (name → text), written with the job unless already sent. */
  defs: Map<string, string>
  slots: Slot[]
  resolve: (r: CommandResult[]) => void
  reject: (e: Error) => void
  signal?: AbortSignal
  timer?: NodeJS.Timeout
}

const EMPTY = Buffer.alloc(0)

/** How long a new shell (or sudo) may take to answer its first frame. */
const HELLO_TIMEOUT_SEC = 30

/** Grace beyond the host-side `timeout -k 5 N` before the controller gives up on a command. */
const CONTROLLER_GRACE_SEC = 15

export class RemoteShell {
  /** The shell's pid on the host (its children are the running command). */
  pid = 0
  private seq = 0
  private readonly queue: Job[] = []
  private current?: Job
  private dead?: Error
  /** The channel closed; pending work is failed a moment later (see the 'close' handler). */
  private closedWith?: Error
  private readonly out: FrameReader
  private readonly err: FrameReader
  private readonly bySeq = new Map<number, Slot>()
  private nudging = false
  /** Frames with one end marker in, since the last nudge check. */
  private readonly halfDone: number[] = []
  private hello?: { resolve: () => void; reject: (e: Error) => void }
  /** The abort signals this shell listens to, and its listener on each (see `watch`). */
  private readonly watched = new Map<AbortSignal, () => void>()
  /** Shell functions this shell has been sent (see `scriptFunction`). */
  private readonly defined = new Set<string>()
  /** The shell's hello set up its stderr file: frames are rendered for it (see frametext.ts). */
  private errFile = false

  private constructor(
    private readonly channel: ClientChannel,
    readonly host: string,
    private readonly nonce: string,
    /** Kills the shell's running children on the host (used on abort). */
    private readonly killChildren: (pid: number) => Promise<void>,
  ) {
    this.out = new FrameReader(nonce, (s, rc, d, noErr) => this.onFrame(s, rc, d, noErr ? 'out only' : 'out'))
    this.err = new FrameReader(nonce, (s, rc, d) => this.onFrame(s, rc, d, 'err'))
    channel.on('data', (d: Buffer) => this.out.push(d))
    channel.stderr.on('data', (d: Buffer) => this.err.push(d))
    let code: number | null = null
    channel.on('exit', (c: number | null) => (code = c))
    channel.on('close', () => {
      const e = this.hello
        ? new ShellStartError(this.err.pending().toString('utf8'), code)
        : new HostError(host, 'dropped', `${host}: the remote shell ended unexpectedly (exit code ${String(code)})`)
      // when the whole connection died, its 'close' follows within a moment and fails us with the better message;
      // the wait never keeps a finished run from exiting (nothing is pending then)
      this.closedWith = e
      setTimeout(() => this.fail(e), 50).unref()
    })
  }

  /**
   * Start a shell with `startText` (e.g. `exec /bin/sh`) and wait until it answers. Rejects with `ShellStartError`.
   * `prepare` runs first on the new channel (su's password handshake) and leaves its output paused.
   */
  static async open(
    client: Client,
    host: string,
    startText: string,
    killChildren: (pid: number) => Promise<void>,
    prepare?: (ch: ClientChannel) => Promise<void>,
  ): Promise<RemoteShell> {
    const channel = await new Promise<ClientChannel>((resolve, reject) => {
      const fail = (err: Error): void =>
        reject(new HostError(host, 'dropped', `${host}: cannot open a channel: ${err.message}`))
      try {
        client.exec(startText, (err, ch) => (err ? fail(err) : resolve(ch)))
      } catch (e) {
        fail(e as Error) // ssh2 throws when the connection is already gone
      }
    })
    if (prepare) await prepare(channel)
    const sh = new RemoteShell(channel, host, randomHex(16), killChildren)
    if (prepare) {
      channel.resume()
      channel.stderr.resume()
    }
    await new Promise<void>((resolve, reject) => {
      // a shell that never answers (sudo stuck on a prompt, a login script reading stdin) must not hang us
      const t = setTimeout(() => {
        sh.fail(
          new ShellStartError(
            `${sh.err.pending().toString('utf8')}\nno answer from the remote shell within ${HELLO_TIMEOUT_SEC}s`,
            null,
          ),
        )
        channel.close()
      }, HELLO_TIMEOUT_SEC * 1000)
      const done = (f: () => void) => () => (clearTimeout(t), f())
      sh.hello = { resolve: done(resolve), reject: (e) => done(() => reject(e))() }
      sh.bySeq.set(0, { seq: 0 })
      channel.write(renderHello(sh.nonce, randomHex(8)))
    })
    return sh
  }

  /** Whether a command is running (or queued) on this shell. */
  get busy(): boolean {
    return this.current !== undefined || this.queue.length > 0
  }

  /** Kill the running command's process tree on the host (the shell itself stays). */
  killRunning(): Promise<void> {
    return this.killChildren(this.pid)
  }

  get alive(): boolean {
    return this.dead === undefined && this.closedWith === undefined
  }

  /** Run commands in order as one job (one write, one answer burst). Non-zero exit codes are results. */
  run(cmds: readonly Command[], signal?: AbortSignal): Promise<CommandResult[]> {
    if (this.dead ?? this.closedWith) return Promise.reject(this.dead ?? this.closedWith)
    if (signal?.aborted) return Promise.reject(abortError(this.host, signal))
    // render before queueing, so a bad command (UserError) throws to the caller and never reaches the host
    // long scripts become calls of shell functions, defined once per shell: the job carries the definitions it
    // needs, and the first job written that needs one sends it (a job dropped from the queue sends nothing)
    const defs = new Map<string, string>()
    const functions = (script: string, vars?: readonly string[]): string | undefined => {
      const fn = scriptFunction(script, vars)
      if (fn) defs.set(fn.name, fn.define)
      return fn?.name
    }
    const texts = cmds.map((c) => renderCommand(c, functions))
    return new Promise((resolve, reject) => {
      const job: Job = { cmds, texts, defs, slots: [], resolve, reject, signal }
      if (signal) this.watch(signal)
      this.queue.push(job)
      this.pump()
    })
  }

  /** Fail everything pending with `e` and end the shell's stdin (it exits after the running command). */
  close(e: Error): void {
    this.fail(e)
    this.channel.end()
  }

  private pump(): void {
    if (this.current || this.dead) return
    const job = this.queue.shift()
    if (!job) return
    this.current = job
    const texts = job.texts
    let payload = ''
    let maxTimeout = 0
    const prelude: string[] = []
    for (const [name, define] of job.defs) {
      if (this.defined.has(name)) continue
      this.defined.add(name)
      prelude.push(define)
    }
    job.cmds.forEach((cmd, i) => {
      const slot: Slot = { seq: ++this.seq }
      job.slots.push(slot)
      this.bySeq.set(slot.seq, slot)
      const stdin =
        cmd.stdin === undefined ? undefined : typeof cmd.stdin === 'string' ? Buffer.from(cmd.stdin, 'utf8') : cmd.stdin
      const first = i === 0 ? prelude.join('\n') : ''
      payload += renderFrame(this.nonce, slot.seq, texts[i], stdin, first, this.errFile, staysInShell(cmd))
      if (cmd.timeoutSec === undefined) maxTimeout = Number.POSITIVE_INFINITY
      else maxTimeout += cmd.timeoutSec + 5
    })
    if (Number.isFinite(maxTimeout)) {
      job.timer = setTimeout(
        () => {
          const e = new HostError(
            this.host,
            'timeout',
            `${this.host}: command did not end ${maxTimeout + CONTROLLER_GRACE_SEC}s after its timeout was due`,
          )
          this.fail(e)
          this.channel.close()
        },
        (maxTimeout + CONTROLLER_GRACE_SEC) * 1000,
      )
    }
    this.channel.write(payload)
  }

  /** One end marker: stdout's, stdout's saying no stderr marker follows (`out only`), or stderr's. */
  private onFrame(seq: number, rc: number, data: Buffer, which: 'out' | 'out only' | 'err'): void {
    const slot = this.bySeq.get(seq)
    if (!slot) return
    if (which === 'err') {
      slot.err = data
      // the hello's stderr marker says whether the shell set up its stderr file
      if (seq === 0) this.errFile = rc === 1
    } else {
      slot.out = data
      slot.rc = rc
      if (which === 'out only') slot.err ??= EMPTY
    }
    if (slot.out === undefined || slot.err === undefined) return this.nudge(seq)
    this.bySeq.delete(seq)
    if (seq === 0 && this.hello) {
      this.pid = slot.rc ?? 0
      const h = this.hello
      this.hello = undefined
      h.resolve()
      return
    }
    const job = this.current
    if (!job || !job.slots.every((s) => s.out !== undefined && s.err !== undefined)) return
    this.finish(job)
    job.resolve(
      job.slots.map((s) => ({ rc: s.rc ?? -1, stdout: s.out!.toString('utf8'), stderr: s.err!.toString('utf8') })),
    )
    this.current = undefined
    this.pump()
  }

  /**
   * One end marker of frame `seq` arrived, the other not yet. sshd does not set TCP_NODELAY on non-tty sessions, so
   * its second small packet waits (Nagle) for our ACK, which the kernel delays ~40 ms. A blank line to the shell (a
   * no-op for sh) carries the ACK at once; coalesced to one per event-loop turn, and not sent when the other
   * marker came in the same burst (the frame is complete by then: a nudge would cost a packet each way for nothing).
   */
  private nudge(seq: number): void {
    this.halfDone.push(seq)
    if (this.nudging) return
    this.nudging = true
    setImmediate(() => {
      this.nudging = false
      const waiting = this.halfDone.some((s) => this.bySeq.has(s))
      this.halfDone.length = 0
      if (!this.dead && waiting) this.channel.write('\n')
    })
  }

  private finish(job: Job): void {
    if (job.timer) clearTimeout(job.timer)
  }

  /**
   * Abort this shell's jobs of `signal` when it aborts: one listener per signal for the shell's life (a run's jobs
   * share one signal; a listener added and removed per job cost about 1.5% of the controller's CPU at 100 hosts).
   */
  private watch(signal: AbortSignal): void {
    if (this.watched.has(signal)) return
    const onAbort = () => {
      this.watched.delete(signal)
      for (const job of this.current ? [this.current, ...this.queue] : [...this.queue])
        if (job.signal === signal) this.abort(job)
    }
    this.watched.set(signal, onAbort)
    signal.addEventListener('abort', onAbort, { once: true })
  }

  /** Abort a job: a queued one is dropped; the running one is killed on the host and its answer discarded. */
  private abort(job: Job): void {
    const i = this.queue.indexOf(job)
    if (i >= 0) {
      this.queue.splice(i, 1)
      this.finish(job)
      job.reject(abortError(this.host, job.signal!))
      return
    }
    if (this.current !== job) return
    this.finish(job)
    const reject = job.reject
    // keep the job current until the host answers (so framing stays in step), but settle the caller now
    job.resolve = () => {}
    job.reject = () => {}
    reject(abortError(this.host, job.signal!))
    this.killChildren(this.pid).catch(() => this.channel.close())
  }

  /** Mark the shell dead and reject everything pending with `e` (e.g. the connection dropped). */
  fail(e: Error): void {
    if (this.dead) return
    this.dead = e
    for (const [signal, onAbort] of this.watched) signal.removeEventListener('abort', onAbort)
    this.watched.clear()
    if (this.hello) {
      this.hello.reject(e)
      this.hello = undefined
    }
    const jobs = this.current ? [this.current, ...this.queue] : [...this.queue]
    this.current = undefined
    this.queue.length = 0
    for (const j of jobs) {
      this.finish(j)
      j.reject(e)
    }
  }
}
