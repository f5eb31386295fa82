/**
 * `LocalConnector`: runs commands as child processes on the controller (`connection: local`,
 * `delegate_to: localhost`). A command is rendered to shell text by the same `renderCommand` the SSH transport
 * uses and run by `/bin/sh -c`, in the user's home, with a minimal environment (PATH, HOME, USER, LOGNAME, SHELL,
 * LANG/LC_*: never the controller's secrets). Become runs `sudo -u USER` in front (or su, or `doas -n`, by the
 * task's method); a become password travels only on sudo's or su's stdin (written when it prompts), never in argv,
 * environment or logs.
 *
 * @example
 * ```ts
 * const local = new LocalConnector('localhost', { becomePassword: secret })
 * const r = await local.run({ argv: ['id', '-un'] }, { becomeUser: 'root' }) // r.stdout === 'root\n'
 * await local.close()
 * ```
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { homedir, userInfo } from 'node:os'
import type { BecomeMethod, Connector, RunOptions } from '../connector.js'
import { HostError } from '../errors.js'
import { BECOME_ERRORS } from '../ssh/su.js'
import { dollarFree, renderCommand, shQuote, sudoShell } from '../ssh/quote.js'
import { abortError } from '../ssh/faults.js'
import type { Command, CommandResult } from '../types.js'
import { Output, SUDO_PROMPT } from './output.js'

export interface LocalOptions {
  /** Password for sudo (`ansible_become_password`, `--ask-become-pass`). */
  becomePassword?: string
}

/** The wrapper run through sudo: says it started, goes to the user's home, runs `script` (shell text). */
const starter = (script: string): string =>
  `printf '\\036TSPSTART\\n' >&2; cd ~ 2>/dev/null || cd /; exec /bin/sh -c ${script}`
/** The constant form, running `$1`. */
const STARTER = starter('"$1"')

/** The environment of a local command: what a login session has, nothing else of the controller's. */
function baseEnv(user: string): Record<string, string> {
  const env: Record<string, string> = {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOME: homedir(),
    USER: user,
    LOGNAME: user,
    SHELL: '/bin/sh',
  }
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && (k === 'LANG' || k.startsWith('LC_') || k === 'TZ')) env[k] = v
  return env
}

function me(): string {
  try {
    return userInfo().username
  } catch {
    return 'root'
  }
}

/**
 * The argv that runs `text` as `user` (undefined: as the controller's user) through `how` (sudo when unset): su runs
 * the starter with the text in it through the user's login shell (`su USER -c …`), doas runs it as argv words.
 */
export function localArgv(
  text: string,
  user: string | undefined,
  withPassword: boolean,
  how: BecomeMethod = { method: 'sudo' },
): string[] {
  if (user === undefined) return ['/bin/sh', '-c', text]
  if (how.method === 'su') return [how.exe ?? 'su', ...(how.flags ?? []), user, '-c', starter(shQuote(text))]
  if (how.method === 'doas')
    return [how.exe ?? 'doas', '-n', ...(how.flags ?? []), '-u', user, '/bin/sh', '-c', STARTER, 'sh', text]
  const flags = how.flags ?? []
  const sudo = ['sudo', withPassword ? '-S' : '-n', '-p', SUDO_PROMPT, '-H', ...flags, '-u', user, '--']
  // through a login shell (`-i`/`-s`): the starter with the text in it, written without a `$` (see dollarFree)
  if (sudoShell(flags)) return [...sudo, '/bin/sh', '-c', dollarFree(starter(shQuote(text)))]
  return [...sudo, '/bin/sh', '-c', STARTER, 'sh', text]
}

/** The local connector. */
export class LocalConnector implements Connector {
  private readonly running = new Set<ChildProcess>()
  private readonly sudoFailures = new Map<string, HostError>()
  private readonly user = me()
  /** Every command's environment (the same for each: built once). */
  private readonly env = baseEnv(this.user)
  private closed = false

  constructor(
    readonly name: string,
    private readonly opts: LocalOptions = {},
  ) {}

  async run(cmd: Command, opts: RunOptions = {}): Promise<CommandResult> {
    if (this.closed) throw new HostError(this.name, 'dropped', `${this.name}: connection closed`)
    const want = cmd.runAs ?? opts.becomeUser
    const user = want === undefined || want === this.user ? undefined : want
    // a module's own user (`runAs`) is reached through sudo, the task's through its method
    const how: BecomeMethod = (cmd.runAs === undefined ? opts.becomeMethod : undefined) ?? { method: 'sudo' }
    const plain = how.method === 'sudo' && !how.flags?.length
    const failKey = user === undefined ? undefined : plain ? user : `${JSON.stringify(how)}:${user}`
    const failed = failKey === undefined ? undefined : this.sudoFailures.get(failKey)
    if (failed) throw failed
    const r = await this.spawn(cmd, user, opts, how)
    if (r.sudoFailed) {
      const hasPassword = this.opts.becomePassword !== undefined
      const e = BECOME_ERRORS[how.method](this.name, user!, r.stderr, r.rc, hasPassword)
      this.sudoFailures.set(failKey!, e)
      throw e
    }
    return { rc: r.rc, stdout: r.stdout, stderr: r.stderr }
  }

  /** Commands run one after the other (a process each: there is no round trip to save). */
  async batch(cmds: readonly Command[], opts: RunOptions = {}): Promise<CommandResult[]> {
    const out: CommandResult[] = []
    for (const c of cmds) out.push(await this.run(c, opts))
    return out
  }

  /** Nothing to re-open: the controller is always there. Forgets sudo failures (a password may have been fixed). */
  reconnect(): Promise<void> {
    this.sudoFailures.clear()
    return Promise.resolve()
  }

  /** Kill what still runs (TERM, KILL after 3 s) and wait for it, bounded. */
  async close(): Promise<void> {
    this.closed = true
    const left = [...this.running]
    if (left.length === 0) return
    const ended = Promise.all(left.map((c) => new Promise((r) => (c.exitCode !== null ? r(0) : c.once('close', r)))))
    for (const c of left) killGroup(c, 'SIGTERM')
    const t = setTimeout(() => left.forEach((c) => killGroup(c, 'SIGKILL')), 3000)
    await Promise.race([ended, new Promise((r) => setTimeout(r, 5000).unref())])
    clearTimeout(t)
  }

  private spawn(
    cmd: Command,
    user: string | undefined,
    opts: RunOptions,
    how: BecomeMethod,
  ): Promise<CommandResult & { sudoFailed: boolean }> {
    const text = renderCommand(cmd)
    const pw = user === undefined ? undefined : this.opts.becomePassword
    const [prog, ...args] = localArgv(text, user, pw !== undefined, how)
    const stdin =
      cmd.stdin === undefined ? undefined : typeof cmd.stdin === 'string' ? Buffer.from(cmd.stdin) : cmd.stdin
    return new Promise((resolve, reject) => {
      if (opts.signal?.aborted) return reject(abortError(this.name, opts.signal))
      const child = spawn(prog, args, { cwd: homedir(), env: this.env, detached: true, stdio: 'pipe' })
      this.running.add(child)
      const out = new Output(user === undefined ? undefined : how.method, opts.onOutput)
      let settled = false
      const onAbort = (): void => {
        killGroup(child, 'SIGTERM')
        setTimeout(() => killGroup(child, 'SIGKILL'), 3000).unref()
        finish(() => reject(abortError(this.name, opts.signal!)))
      }
      const finish = (f: () => void): void => {
        if (settled) return
        settled = true
        opts.signal?.removeEventListener('abort', onAbort)
        f()
      }
      opts.signal?.addEventListener('abort', onAbort, { once: true })
      child.stdin.on('error', () => undefined) // a command that does not read its stdin
      const feed = (): void => void child.stdin.end(stdin)
      if (user === undefined) feed()
      child.stdout.on('data', (d: Buffer) => out.stdout(d))
      let answered = false
      child.stderr.on('data', (d: Buffer) => {
        const ev = out.stderr(d)
        if (ev === 'prompt') {
          // one answer: a second prompt means the password was wrong; closing stdin makes sudo give up
          if (answered || pw === undefined) child.stdin.end()
          else child.stdin.write(`${pw}\n`)
          answered = true
        } else if (ev === 'started') feed()
      })
      child.on('error', (e) => {
        this.running.delete(child)
        finish(() => reject(new HostError(this.name, 'unreachable', `${this.name}: cannot run ${prog}: ${e.message}`)))
      })
      child.on('close', (code, signal) => {
        this.running.delete(child)
        const rc = code ?? 128 + signalNumber(signal)
        finish(() => resolve({ ...out.end(), rc, sudoFailed: user !== undefined && !out.started }))
      })
    })
  }
}

function signalNumber(sig: NodeJS.Signals | null): number {
  return sig === 'SIGKILL' ? 9 : sig === 'SIGINT' ? 2 : sig === 'SIGHUP' ? 1 : 15
}

/** Signal a command's whole process group (it was started `detached`, as its group's leader). */
function killGroup(c: ChildProcess, sig: NodeJS.Signals): void {
  if (c.pid === undefined || c.exitCode !== null || c.signalCode !== null) return
  try {
    process.kill(-c.pid, sig)
  } catch {
    // already gone
  }
}
