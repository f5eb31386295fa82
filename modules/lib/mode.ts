/**
 * File modes as Ansible takes them: an octal string (`'0644'`, `'644'`, `'0o644'`), a number whose digits are
 * octal (`644`: tsplay reads YAML 1.2, where an unquoted `0644` is the number 644), or a symbolic mode
 * (`u=rw,g=r,o=r`, `a+X`, `u+s`) resolved against the current mode so that plans can compare modes.
 *
 * @example
 * ```ts
 * resolveMode('u=rw,g=r,o=', 0o777, false) // '0640'
 * resolveMode(644, undefined, false)       // '0644'
 * ```
 */

/** Thrown when a mode cannot be understood. */
export class ModeError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ModeError'
  }
}

const SHIFT: Record<string, number> = { u: 6, g: 3, o: 0 }
const SPECIAL: Record<string, number> = { u: 0o4000, g: 0o2000, o: 0o1000 }

/** Format mode bits as a four-digit octal string (`0644`). */
export function octal(bits: number): string {
  return (bits & 0o7777).toString(8).padStart(4, '0')
}

/** Parse `0644`-style text (or the number 644) into mode bits; undefined when it is not numeric. */
export function parseOctal(spec: string | number): number | undefined {
  const text = typeof spec === 'number' ? String(spec) : spec.trim().replace(/^0o/i, '')
  return /^[0-7]{1,5}$/.test(text) ? parseInt(text, 8) : undefined
}

/**
 * The wanted mode as four octal digits, or undefined when no mode is asked for (`preserve` included).
 * `current` is the path's mode bits now (undefined when it does not exist yet: then symbolic modes start
 * from 0644, or 0755 for folders, the result of the usual umask 022).
 */
export function resolveMode(
  spec: string | number | undefined,
  current: number | undefined,
  isDir: boolean,
): string | undefined {
  if (spec === undefined || spec === '' || spec === 'preserve') return undefined
  const numeric = parseOctal(spec)
  if (numeric !== undefined) {
    if (numeric > 0o7777) throw new ModeError(`mode ${String(spec)} is out of range`)
    return octal(numeric)
  }
  if (typeof spec === 'number')
    throw new ModeError(`mode ${spec} is not an octal number (write it quoted, e.g. '0644')`)
  let mode = current ?? (isDir ? 0o755 : 0o644)
  for (const clause of spec.split(',')) {
    const m = /^([ugoa]*)((?:[-+=][rwxXstugo]*)+)$/.exec(clause.trim())
    if (!m) throw new ModeError(`mode '${spec}' is not an octal or symbolic mode (clause '${clause}')`)
    const who = (m[1] === '' || m[1].includes('a') ? 'ugo' : m[1]).split('')
    for (const op of m[2].match(/[-+=][rwxXstugo]*/g) ?? []) {
      const perms = op.slice(1)
      const before = mode
      for (const w of new Set(who)) {
        const shift = SHIFT[w]
        let bits = 0
        for (const p of perms) {
          if (p === 'r') bits |= 4 << shift
          else if (p === 'w') bits |= 2 << shift
          else if (p === 'x') bits |= 1 << shift
          else if (p === 'X') bits |= isDir || (before & 0o111) !== 0 ? 1 << shift : 0
          else if (p === 's') bits |= w === 'o' ? 0 : SPECIAL[w]
          else if (p === 't') bits |= w === 'o' ? 0o1000 : 0
          else bits |= ((before >> SHIFT[p]) & 7) << shift // copy another class: u=g
        }
        if (op[0] === '+') mode |= bits
        else if (op[0] === '-') mode &= ~bits
        else mode = (mode & ~((7 << shift) | SPECIAL[w])) | bits
      }
    }
  }
  return octal(mode)
}
