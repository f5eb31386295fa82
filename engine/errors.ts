/**
 * The few error classes tsplay uses. Each carries the data a user needs to fix the problem
 * (file, line, column, host) and prints as one paragraph, never a stack trace.
 */
import type { SourcePos } from './types.js'

/** A mistake in user input (playbook, inventory, vars, arguments, command line). Exit code 5. */
export class UserError extends Error {
  readonly pos?: SourcePos
  readonly hint?: string
  constructor(message: string, pos?: SourcePos, hint?: string) {
    super(message)
    this.name = 'UserError'
    this.pos = pos
    this.hint = hint
  }
  /** `file:line:col: message (hint)` */
  format(): string {
    const where = this.pos ? `${this.pos.file}:${this.pos.line}:${this.pos.col}: ` : ''
    return `${where}${this.message}${this.hint ? ` ${this.hint}` : ''}`
  }
}

/** Several user errors found together (validation reports all, not one per run). Exit code 5. */
export class UserErrors extends Error {
  readonly errors: UserError[]
  constructor(errors: UserError[]) {
    super(errors.map((e) => e.format()).join('\n'))
    this.name = 'UserErrors'
    this.errors = errors
  }
}

/** Why a host could not be used. */
export type HostFailureKind =
  | 'unreachable' // down, refused, timed out on connect
  | 'auth' // login rejected
  | 'hostkey' // unknown or changed host key
  | 'dropped' // connection lost mid-run
  | 'sudo' // wrong password, needs a tty, missing sudo
  | 'timeout' // a command ran past its timeout

/** A failure tied to one host; ends that host's work (or the task, for `sudo`/`timeout`). */
export class HostError extends Error {
  readonly host: string
  readonly kind: HostFailureKind
  constructor(host: string, kind: HostFailureKind, message: string) {
    super(message)
    this.name = 'HostError'
    this.host = host
    this.kind = kind
  }
}
