/**
 * A local command's output: stdout and stderr collected as bytes (decoded as UTF-8 at the end) and passed on as
 * text while they arrive. Under sudo, su or doas, stderr begins with what that program says (a lecture, its password
 * prompt) until the target user's shell prints the start mark: that part is held back, watched for the prompt (sudo's
 * own `-p` text, or su's line ending in a colon, whatever its language), and kept only to explain a failure.
 *
 * @example
 * ```ts
 * const o = new Output('sudo')
 * o.stderr(Buffer.from('[tsplay-sudo-password]')) // 'prompt'
 * o.stderr(Buffer.from('\x1eTSPSTART\nwarning\n'))  // 'started'
 * o.end().stderr                                    // 'warning\n'
 * ```
 */
import { StringDecoder } from 'node:string_decoder'
import { PROMPT } from '../ssh/su.js'

/** sudo's prompt (`-p`): recognised on stderr, answered once with the password. No `%` (sudo expands those). */
export const SUDO_PROMPT = '[tsplay-sudo-password]'
/** Printed on stderr by the target user's shell once sudo let it start (stripped from the output). */
export const START_MARK = '\x1eTSPSTART\n'

export class Output {
  private readonly out: Buffer[] = []
  private readonly err: Buffer[] = []
  private readonly dOut = new StringDecoder('utf8')
  private readonly dErr = new StringDecoder('utf8')
  /** The become program's part of stderr, before the start mark. */
  private head = ''
  private prompts = 0
  /** Where in `head` su's last prompt ended (su's prompts are found in what follows). */
  private answeredAt = 0
  started: boolean

  /** `become`: the program in front (none: the command's output from the start). */
  constructor(
    private readonly become: 'sudo' | 'su' | 'doas' | undefined,
    private readonly onOutput?: (chunk: string) => void,
  ) {
    this.started = become === undefined
  }

  stdout(d: Buffer): void {
    this.out.push(d)
    const s = this.dOut.write(d)
    if (s) this.onOutput?.(s)
  }

  /** Take a stderr chunk; says when sudo prompted (again) or the command started. */
  stderr(d: Buffer): 'prompt' | 'started' | undefined {
    if (this.started) {
      this.err.push(d)
      const s = this.dErr.write(d)
      if (s) this.onOutput?.(s)
      return undefined
    }
    this.head += d.toString('latin1')
    const at = this.head.indexOf(START_MARK)
    if (at >= 0) {
      this.started = true
      const rest = Buffer.from(this.head.slice(at + START_MARK.length), 'latin1')
      this.head = this.head.slice(0, at)
      if (rest.length) this.stderr(rest)
      return 'started'
    }
    if (this.become === 'su') {
      // `head` holds bytes as latin1: su's prompt is read as UTF-8 (a full-width colon)
      if (!PROMPT.test(Buffer.from(this.head.slice(this.answeredAt), 'latin1').toString('utf8'))) return undefined
      this.answeredAt = this.head.length
      return 'prompt'
    }
    const n = this.become === 'sudo' ? this.head.split(SUDO_PROMPT).length - 1 : 0
    if (n > this.prompts) {
      this.prompts = n
      return 'prompt'
    }
    return undefined
  }

  /** Everything collected; before the start, stderr is sudo's own words (prompts removed). */
  end(): { stdout: string; stderr: string } {
    const tail = this.dOut.end() + this.dErr.end()
    if (tail) this.onOutput?.(tail)
    const stderr = this.started
      ? Buffer.concat(this.err).toString('utf8')
      : Buffer.from(this.head.split(SUDO_PROMPT).join(''), 'latin1').toString('utf8')
    return { stdout: Buffer.concat(this.out).toString('utf8'), stderr }
  }
}
