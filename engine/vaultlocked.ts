/**
 * An inline `!vault` value read while no vault password was given. As in Ansible, such a value loads (a warning
 * says where), `x is vault_encrypted` and `x is defined` can look at it, and anything else that uses it fails,
 * naming where it was written: printing it, comparing it, passing it to a module or a filter.
 *
 * @example
 * ```ts
 * const v = new VaultLocked(envelopeText, '')
 * noteLocked(v, { file: 'vars.yml', line: 3, col: 6 }) // remembered for the load-time warning
 * force(v) // throws lockedError(v): the value cannot be used without the vault password
 * ```
 */
import { UserError } from './errors.js'
import type { SourcePos } from './types.js'

/** How to give a vault password, for messages. */
export const VAULT_HOW =
  'give the password with --vault-password-file FILE, --vault-id [LABEL@]FILE|prompt or --ask-vault-pass ' +
  '(or set ANSIBLE_VAULT_PASSWORD_FILE)'

/** A vaulted value kept encrypted (no password): its envelope, vault id (`''` for none) and where it was written. */
export class VaultLocked {
  pos?: SourcePos
  constructor(
    readonly envelope: string,
    readonly label: string,
  ) {}
  /** As Ansible's JSON encoder writes a vaulted value: the envelope, never a plaintext. */
  toJSON(): { __ansible_vault: string } {
    return { __ansible_vault: this.envelope }
  }
  toString(): never {
    throw lockedError(this)
  }
}

let found: VaultLocked[] = []

/** Record where a kept-encrypted value was written (for its error and the load-time warning). */
export function noteLocked(v: VaultLocked, pos: SourcePos): void {
  if (v.pos) return
  v.pos = pos
  found.push(v)
}

/** The warnings for values kept encrypted since the last call (one per value). */
export function takeLockedWarnings(): UserError[] {
  const out = found.map(
    (v) =>
      new UserError(
        `vaulted value${v.label ? ` (vault id "${v.label}")` : ''} kept encrypted: no vault password was given; ` +
          'a task that uses it will fail',
        v.pos,
      ),
  )
  found = []
  return out
}

/** Using a value kept encrypted (never mistaken for an undefined variable). */
export class VaultLockedError extends UserError {}

/** The error for using a value kept encrypted. */
export function lockedError(v: VaultLocked): VaultLockedError {
  const at = v.pos ? ` (written at ${v.pos.file}:${v.pos.line}:${v.pos.col})` : ''
  const id = v.label ? ` with vault id "${v.label}"` : ''
  return new VaultLockedError(
    `cannot use a vaulted value${at}${id}: no vault password was given to decrypt it`,
    undefined,
    `(${VAULT_HOW})`,
  )
}

/** The first value kept encrypted inside `v` (a list or map, at any depth), if any. */
export function findLocked(v: unknown, depth = 0): VaultLocked | undefined {
  if (v instanceof VaultLocked) return v
  if (depth > 64 || v === null || typeof v !== 'object') return undefined
  const xs = Array.isArray(v) ? v : v instanceof Map ? [...v.values()] : Object.values(v)
  for (const x of xs) {
    const hit = findLocked(x, depth + 1)
    if (hit) return hit
  }
  return undefined
}

/** Throw `lockedError` if `v` holds a value kept encrypted; otherwise return `v`. */
export function refuseLocked<T>(v: T): T {
  const hit = findLocked(v)
  if (hit) throw lockedError(hit)
  return v
}

const inlinePlaintexts = new Set<string>()

/** Remember the plaintext of a decrypted inline `!vault` value (so `is vault_encrypted` knows it, by its text). */
export function markInlineVaulted(plain: string): void {
  inlinePlaintexts.add(plain)
}

/** Whether `s` is the text of a decrypted inline `!vault` value (compared by text, as strings carry no mark). */
export function isInlineVaulted(s: string): boolean {
  return inlinePlaintexts.has(s)
}
