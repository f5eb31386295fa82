/**
 * The user module's shadow-file settings, decided the way Ansible 2.14 decides them on Linux: account expiry
 * (`expires`, epoch seconds; negative removes it), password lock (`password_lock`) and password aging
 * (`password_expire_min`/`_max`/`_warn`, via `chage`; `_warn` is ansible-core 2.16's). Pure: shadow fields in,
 * option flags out.
 *
 * @example
 * ```ts
 * expiryFlag(2529881062, -1)           // '2050-03-03' (usermod -e 2050-03-03)
 * lockFlag(true, '$y$j9T$…')           // '-L'
 * agingArgv('hy', { min: 0, max: 99999, warn: 7, expire: -1 }, { min: 5 }) // ['chage', '-m', '5', 'hy']
 * ```
 */

/** The aging fields of a shadow entry; an empty field is -1 (as Python's spwd reads it). */
export interface ShadowAging {
  min: number
  max: number
  /** Days of warning before the password expires. */
  warn: number
  /** Account expiry, days since the epoch. */
  expire: number
}

/** The shadow entry of `getent shadow NAME`: its hash and aging fields (undefined when there is none). */
export function parseShadow(stdout: string): (ShadowAging & { hash: string }) | undefined {
  const line = stdout.split('\n').find((l) => l.includes(':'))
  if (!line) return undefined
  const f = line.split(':')
  const num = (s: string | undefined) => (s === undefined || s === '' ? -1 : Number(s))
  return { hash: f[1] ?? '', min: num(f[3]), max: num(f[4]), warn: num(f[5]), expire: num(f[7]) }
}

/** The UTC date (YYYY-MM-DD) of epoch seconds, as useradd/usermod `-e` take it. */
export function expiryDate(epochSeconds: number): string {
  return new Date(Math.floor(epochSeconds) * 1000).toISOString().slice(0, 10)
}

/** Whole days since the epoch (lchage `-E`), -1 for a negative `expires`. */
export function expiryDays(expires: number): number {
  return expires < 0 ? -1 : Math.floor(Math.floor(expires) / 86400)
}

/**
 * The `-e` value usermod needs to bring the current expiry (days, -1: none) to `expires`, or undefined when it is
 * already there: '' removes it; a date sets it. Dates are compared by day, as Ansible does.
 */
export function expiryFlag(expires: number, currentDays: number): string | undefined {
  if (expires < 0) return currentDays >= 0 ? '' : undefined
  const want = expiryDate(expires)
  if (currentDays >= 0 && expiryDate(currentDays * 86400) === want) return undefined
  return want
}

/** usermod's `-L`/`-U` to reach `lock` from the stored hash ('!'-prefixed: locked), or undefined. */
export function lockFlag(lock: boolean | undefined, hash: string): '-L' | '-U' | undefined {
  if (lock === true && !hash.startsWith('!')) return '-L'
  if (lock === false && hash.startsWith('!')) return '-U'
  return undefined
}

/** The same hash, ignoring lock marks (Ansible compares hashes with leading '!' stripped). */
export function sameHash(stored: string, wanted: string): boolean {
  return stored.replace(/^!+/, '') === wanted.replace(/^!+/, '')
}

/** The aging a task asks for (`password_expire_min`, `_max`, `_warn`). */
export interface AgingWanted {
  min?: number
  max?: number
  warn?: number
}

/**
 * `chage -m MIN -M MAX -W WARN NAME` for the values that differ from the shadow entry (all given ones when there is
 * none yet, i.e. right after useradd), or undefined when nothing differs.
 */
export function agingArgv(name: string, current: ShadowAging | undefined, want: AgingWanted): string[] | undefined {
  const argv = ['chage']
  const { min, max, warn } = want
  if (min !== undefined && min !== current?.min) argv.push('-m', String(min))
  if (max !== undefined && max !== current?.max) argv.push('-M', String(max))
  if (warn !== undefined && warn !== current?.warn) argv.push('-W', String(warn))
  return argv.length > 1 ? [...argv, name] : undefined
}
