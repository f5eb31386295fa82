/**
 * Becoming another user through `su` (`become_method: su`). su asks for the target user's password; tsplay starts
 * su on a plain exec channel (no terminal: stdout and stderr stay apart for the framing), waits for su's prompt on
 * stderr, whatever its language ("Password:", "Passwort:", "密码："…: a line ending in a colon), and answers it on
 * su's stdin — never argv, env, a file or a log. The command su starts first writes `SU_READY` on stderr; until
 * then nothing else is written to the channel. A second prompt, a prompt with no password configured, or su
 * exiting turns into one clear `HostError('sudo', …)` for the host (`suError`).
 *
 * @example
 * ```ts
 * client.exec(renderShellStart({ method: 'su', user: 'app' }), async (err, ch) => {
 *   await suHandshake(ch, 'pi1', 'app', password) // then read the shell's frames; resume ch.stderr
 * })
 * ```
 */
import type { ClientChannel } from 'ssh2'
import { HostError } from '../errors.js'
import { becomeFailure, doasError, sudoError, type BecomeError } from './become.js'
import { ShellStartError } from './faults.js'
import { SU_READY } from './quote.js'

/** How long su may take to prompt or let the command run (PAM's delay after a wrong password is ~2-3 s). */
const HANDSHAKE_TIMEOUT_SEC = 30

/** A password prompt: the text since the last line break ends in a colon (ASCII or full-width), maybe a space. */
export const PROMPT = /[^\n]*[:\uFF1A]\s*$/

/**
 * Answer su's password prompt on `ch` and resolve once the command su started runs. On success, the channel and
 * `ch.stderr` are left paused (what followed the ready marker put back): the caller attaches its listeners, then
 * resumes both.
 * Rejects with `ShellStartError` (su's stderr and exit code, for `suError`) or `HostError`.
 */
export function suHandshake(ch: ClientChannel, host: string, user: string, password?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = Buffer.alloc(0)
    let answered = false
    let code: number | null = null
    const stop = (): void => {
      clearTimeout(timer)
      ch.stderr.off('data', onData)
      ch.off('data', onOut)
      ch.off('exit', onExit)
      ch.off('close', onClose)
    }
    const fail = (e: Error): void => {
      stop()
      reject(e)
      ch.close()
    }
    const timer = setTimeout(
      () =>
        fail(new ShellStartError(`${text()}\nsu did not let the command run within ${HANDSHAKE_TIMEOUT_SEC}s`, null)),
      HANDSHAKE_TIMEOUT_SEC * 1000,
    )
    const text = (): string => seen.toString('utf8')
    const onData = (d: Buffer): void => {
      seen = Buffer.concat([seen, d])
      const at = seen.indexOf(SU_READY)
      if (at >= 0) {
        stop()
        ch.pause()
        ch.stderr.pause()
        const rest = seen.subarray(at + SU_READY.length)
        if (rest.length) ch.stderr.unshift(rest)
        return resolve()
      }
      if (!PROMPT.test(text())) return
      if (password === undefined)
        return fail(new HostError(host, 'sudo', `${host}: cannot become ${user}: ${NEEDS_PASSWORD}`))
      if (answered) return fail(new ShellStartError(`${text()}\n(su asked again)`, null))
      answered = true
      seen = Buffer.alloc(0) // the prompt is answered; keep what su says next for the error
      ch.write(`${password}\n`)
    }
    // su's own stdout (nothing, normally): read, so that the channel ends and closes when su exits
    const onOut = (): void => undefined
    const onExit = (c: number | null): void => void (code = c)
    const onClose = (): void => {
      stop()
      reject(new ShellStartError(text(), code))
    }
    ch.stderr.on('data', onData)
    ch.on('data', onOut)
    ch.on('exit', onExit)
    ch.on('close', onClose)
  })
}

const NEEDS_PASSWORD = 'su asks for a password; set ansible_become_password or use --ask-become-pass'

/** Turn su's failure output into one clear message per cause. */
export const suError: BecomeError = (host, becomeUser, stderr, code, hasPassword) => {
  const lines = stderr.split('\n').map((l) => l.replace(PROMPT, '').trim())
  const msg = becomeFailure(host, becomeUser, 'su', lines)
  if (/must be run from a terminal|standard in must be a tty/i.test(stderr)) {
    return msg("this host's su reads a password only from a terminal; use become_method: sudo")
  }
  if (/user .* does not exist|unknown (login|user)|no passwd entry/i.test(stderr)) {
    return msg(`there is no user ${becomeUser} on the host`)
  }
  if (/authentication failure|incorrect password|su asked again|sorry/i.test(stderr)) {
    return hasPassword
      ? msg('the become password is wrong (ansible_become_password / --ask-become-pass)')
      : msg(NEEDS_PASSWORD)
  }
  if (code === 127 || /(su|command): not found|No such file/i.test(stderr)) {
    return msg('su (become_exe) is not found on the host')
  }
  return msg(`su failed with exit code ${String(code)}`)
}

/** The failure reader of each become method. */
export const BECOME_ERRORS: Record<'sudo' | 'su' | 'doas', BecomeError> = {
  sudo: sudoError,
  su: suError,
  doas: doasError,
}
