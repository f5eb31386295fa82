/**
 * A synchronous line of talk to one `python3` process on the controller, for Ansible's Python filter and test
 * plugins (engine/expr/pyplugins.ts): templates render synchronously, so a call must answer before it returns. A
 * worker thread owns the process and its pipes; the main thread posts a request on a message port and sleeps in
 * `Atomics.wait` until the worker has posted the answer (`receiveMessageOnPort` reads it at once). The process
 * reads its requests from a pipe: when tsplay ends, even by a crash, the pipe closes and the process ends; at a
 * normal exit it is also sent SIGTERM. It is in tsplay's process group, so Ctrl-C stops a plugin call that hangs.
 *
 * @example
 * ```ts
 * const py = new PythonBridge(PLUGIN_BRIDGE_PY)
 * py.ask('{"op":"call","kind":"filter","name":"double","args":[21],"kw":{}}') // { ok: 42 }
 * ```
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads'

/** What the Python side answers: a value, or an error's text. */
export type PythonAnswer = { ok: unknown; error?: undefined } | { error: string; ok?: undefined }

/** How long one request may take before tsplay gives up on the process (a plugin that never returns). */
const ANSWER_MS = 300_000

// The worker (CommonJS, run from this text): starts the process, relays lines both ways, wakes the main thread.
const WORKER = `
const { workerData } = require('node:worker_threads')
const { spawn } = require('node:child_process')
const { port, flag, python, script, env } = workerData
const wake = new Int32Array(flag)
const post = (m) => { port.postMessage(m); Atomics.store(wake, 0, 1); Atomics.notify(wake, 0) }
let err = ''
let buf = ''
let ended = false
const child = spawn(python, ['-c', script], { stdio: ['pipe', 'pipe', 'pipe'], env })
if (child.pid) post({ pid: child.pid })
const tail = () => err.trim().split('\\n').slice(-3).join(' ')
const end = (why) => { if (!ended) { ended = true; post({ end: (why + ' ' + tail()).trim() }) } }
child.on('error', (e) => end(python + ': ' + e.message))
child.on('close', (code, sig) => end(python + ' ended (' + (sig || 'exit code ' + code) + ')'))
child.stderr.on('data', (d) => { err = (err + d).slice(-4000); process.stderr.write(d) })
child.stdin.on('error', () => {})
child.stdout.on('data', (d) => {
  buf += d
  for (let i; (i = buf.indexOf('\\n')) >= 0; buf = buf.slice(i + 1)) post({ line: buf.slice(0, i) })
})
port.on('message', (line) => {
  if (ended) post({ end: 'the Python process has ended' })
  else child.stdin.write(line + '\\n')
})
`

/** One Python process on the controller, asked one request at a time. */
export class PythonBridge {
  private readonly port: MessagePort
  private readonly wake = new Int32Array(new SharedArrayBuffer(4))
  private readonly worker: Worker
  private ended?: string
  private pid?: number
  private readonly onExit = () => this.close()

  /** `env`: the process's environment (default tsplay's). */
  constructor(script: string, python = 'python3', env: NodeJS.ProcessEnv = process.env) {
    const { port1, port2 } = new MessageChannel()
    this.port = port1
    this.worker = new Worker(WORKER, {
      eval: true,
      workerData: { port: port2, flag: this.wake.buffer, python, script, env },
      transferList: [port2],
      stdout: false,
      stderr: false,
    })
    this.worker.unref()
    process.once('exit', this.onExit)
  }

  /** End the process and the worker (also done when tsplay exits). */
  close(): void {
    process.off('exit', this.onExit)
    this.ended ??= 'the Python process was closed'
    if (this.pid)
      try {
        process.kill(this.pid, 'SIGTERM')
      } catch {
        // it has ended already
      }
    this.pid = undefined
    void this.worker.terminate()
  }

  /**
   * Send one request (a JSON text) and wait for its answer (parsed with `reviver`); after the process ended, every
   * answer is that error.
   */
  ask(request: string, reviver?: (key: string, value: unknown) => unknown): PythonAnswer {
    if (this.ended) return { error: this.ended }
    Atomics.store(this.wake, 0, 0)
    this.port.postMessage(request)
    const until = Date.now() + ANSWER_MS
    for (;;) {
      const got = receiveMessageOnPort(this.port)?.message as { line?: string; end?: string; pid?: number } | undefined
      if (got?.pid !== undefined) {
        this.pid = got.pid
        continue
      }
      if (got?.line !== undefined) return JSON.parse(got.line, reviver) as PythonAnswer
      if (got?.end !== undefined) {
        this.pid = undefined
        return { error: (this.ended = got.end) }
      }
      const left = until - Date.now()
      if (left <= 0) {
        this.ended = `no answer from Python in ${ANSWER_MS / 1000} s`
        this.close()
        return { error: this.ended }
      }
      Atomics.wait(this.wake, 0, 0, left)
      Atomics.store(this.wake, 0, 0)
    }
  }
}
