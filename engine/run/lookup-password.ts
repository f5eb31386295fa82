/**
 * The `password` lookup, as Ansible 2.14's: `lookup('password', 'PATH [length=N] [chars=…] [seed=…]
 * [encrypt=sha512_crypt]')` (or the same as keyword arguments) reads the password stored in PATH on the controller
 * (relative to the playbook's folder) or, when the file is missing, makes a random one and stores it there (folders
 * 0700, file 0600), so the next run gets the same one. `/dev/null` gives a new password each time and stores none.
 * With `encrypt` a salt is stored beside the password (`PW salt=SALT`) and the lookup gives the crypt(3) hash.
 * `seed` makes the password repeatable (Python's `random.Random(seed)`). The password is never written to output
 * by the lookup itself: only where the playbook puts it.
 *
 * @example
 * ```yaml
 * - user: { name: app, password: "{{ lookup('password', 'credentials/app length=24 encrypt=sha512_crypt') }}" }
 * ```
 */
import { randomInt } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, isAbsolute, join } from 'node:path'
import { UserError } from '../errors.js'
import type { LookupCtx } from '../expr/lookups.js'
import { pyRandom } from '../expr/pyrandom.js'
import { cryptHash, SALT_SIZES, type CryptName } from '../expr/shacrypt.js'
import { toStr } from '../expr/values.js'
import { parseKv } from './lookup-kv.js'

/** Python's `string` module names `chars` may use. */
const CHAR_SETS: Record<string, string> = {
  ascii_lowercase: 'abcdefghijklmnopqrstuvwxyz',
  ascii_uppercase: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  ascii_letters: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ',
  digits: '0123456789',
  hexdigits: '0123456789abcdefABCDEF',
  octdigits: '01234567',
  punctuation: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
  whitespace: ' \t\n\r\v\f',
}
CHAR_SETS.printable = CHAR_SETS.digits + CHAR_SETS.ascii_letters + CHAR_SETS.punctuation + CHAR_SETS.whitespace

const SALT_CHARS = `${CHAR_SETS.ascii_letters}${CHAR_SETS.digits}./`
const PARAMS = ['length', 'encrypt', 'chars', 'ident', 'seed']

/** The candidate characters of `chars` specs (names of Python's string sets, or literal text), without quotes. */
export function candidateChars(specs: string[]): string {
  return specs
    .map((s) => CHAR_SETS[s] ?? s)
    .join('')
    .replace(/["']/g, '')
}

/** `chars=a,b` as Ansible splits it (`,,` is a comma). */
function splitChars(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(toStr)
  const s = toStr(v)
  return [...(s.includes(',,') ? [','] : []), ...s.replaceAll(',,', ',').split(',').filter(Boolean)]
}

/** A random password of `length` characters from `chars`; repeatable with `seed`. */
export function randomPassword(length: number, chars: string, seed?: string | number): string {
  if (!chars) throw new UserError("lookup('password'): no characters to make a password of (chars)")
  const rnd = seed === undefined ? undefined : pyRandom(seed)
  let out = ''
  for (let i = 0; i < length; i++) out += chars[rnd ? rnd.randbelow(chars.length) : randomInt(chars.length)]
  return out
}

/** `PW salt=SALT ident=ID` as stored: the password, salt and ident. */
export function parseStored(content: string): { password: string; salt?: string; ident?: string } {
  const at = content.lastIndexOf(' salt=')
  if (at < 0) return { password: content }
  const rest = content.slice(at + 6)
  const id = rest.lastIndexOf(' ident=')
  return id < 0
    ? { password: content.slice(0, at), salt: rest || undefined }
    : { password: content.slice(0, at), salt: rest.slice(0, id), ident: rest.slice(id + 7) }
}

function params(term: string, kw: Record<string, unknown>): { path: string; p: Record<string, unknown> } {
  const sp = term.indexOf(' ')
  if (sp < 0) return { path: term, p: { ...kw } }
  const { raw, params: p } = parseKv(term.slice(sp + 1))
  const path = raw ? `${term.slice(0, sp)} ${raw}` : term.slice(0, sp)
  if (raw && !term.startsWith(path))
    throw new UserError('Unrecognized value after key=value parameters given to password lookup')
  const bad = Object.keys(p).filter((k) => !PARAMS.includes(k))
  if (bad.length) throw new UserError(`Unrecognized parameter(s) given to password lookup: ${bad.join(', ')}`)
  return { path, p: { ...kw, ...p } }
}

/** One term of the lookup: the stored (or new) password, or its hash with `encrypt`. */
function passwordOf(term: string, kw: Record<string, unknown>, basedir: string): string {
  const { path: rel, p } = params(term, kw)
  const path = isAbsolute(rel) ? rel : join(basedir, rel)
  const length = Number(p.length ?? 20)
  if (!Number.isInteger(length) || length < 0) throw new UserError(`lookup('password'): bad length "${p.length}"`)
  const chars = candidateChars(p.chars === undefined ? ['ascii_letters', 'digits', '.,:-_'] : splitChars(p.chars))
  const encrypt = p.encrypt === undefined || p.encrypt === null || p.encrypt === '' ? undefined : toStr(p.encrypt)
  if (encrypt !== undefined && !Object.hasOwn(SALT_SIZES, encrypt))
    throw new UserError(
      `lookup('password'): encrypt=${encrypt} is not supported by tsplay (${Object.keys(SALT_SIZES)})`,
    )
  const devNull = path === '/dev/null'
  const stored = !devNull && existsSync(path) ? readFileSync(path, 'utf8').trimEnd() : undefined
  let changed = stored === undefined
  const got = stored === undefined ? undefined : parseStored(stored)
  // a number seeds as Python's int does, anything else as its text (a term's `seed=5` is the text '5')
  const seed = p.seed === undefined || p.seed === null ? undefined : typeof p.seed === 'number' ? p.seed : toStr(p.seed)
  const password = got?.password ?? randomPassword(length, chars, seed)
  let salt = got?.salt
  if (encrypt && !salt) {
    changed = true
    salt = Array.from(
      { length: SALT_SIZES[encrypt as CryptName] },
      () => SALT_CHARS[randomInt(SALT_CHARS.length)],
    ).join('')
  }
  // as Ansible's: the ident given, else the scheme's own (bcrypt's 2b), is the one stored
  const given = p.ident === undefined || p.ident === null || p.ident === '' ? undefined : toStr(p.ident)
  const ident = encrypt ? (given ?? (encrypt === 'bcrypt' ? '2b' : undefined)) : got?.ident
  if (encrypt && ident !== got?.ident) changed = true
  if (changed && !devNull) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
    const id = ident ? ` ident=${ident}` : ''
    writeFileSync(path, `${salt ? `${password} salt=${salt}${id}` : password}\n`, { mode: 0o600 })
    chmodSync(path, 0o600)
  }
  return encrypt ? cryptHash(password, encrypt as CryptName, { salt, ident }) : password
}

/** `password`: each term's password (see the file's header). */
export function passwordLookup(terms: readonly unknown[], kw: Record<string, unknown>, ctx: LookupCtx): string[] {
  return terms.map((t) => passwordOf(toStr(t), kw, ctx.paths.basedir))
}
