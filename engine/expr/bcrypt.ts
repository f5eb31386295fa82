/**
 * bcrypt (`$2b$`, the OpenBSD password hash, Niels Provos and David Mazières' "A Future-Adaptable Password Scheme")
 * for `password_hash('blowfish')`/`('bcrypt')`, `vars_prompt`'s and the `password` lookup's `encrypt: bcrypt`.
 * Blowfish's initial P-array and S-boxes are the hexadecimal digits of π's fraction; they are computed here once,
 * on first use, with integer arithmetic (Machin's formula), instead of being written out as 1,042 constants.
 *
 * @example
 * ```ts
 * bcrypt('secret', 'abcdefghijklmnopqrstuu', 5) // → '$2b$05$abcdefghijklmnopqrstuu…' (31 more characters)
 * ```
 */

const B64 = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** bcrypt's base-64 of `bytes` (no padding). */
export function bcryptEncode(bytes: Uint8Array): string {
  let out = ''
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0)
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6))
    for (let k = 0; k < chars; k++) out += B64[(n >> (18 - 6 * k)) & 63]
  }
  return out
}

/** The 16 bytes of a 22-character bcrypt salt (its last 4 bits are not used). */
export function bcryptDecodeSalt(salt: string): Uint8Array {
  let bits = 0n
  for (const c of salt) bits = (bits << 6n) | BigInt(B64.indexOf(c))
  bits >>= 4n // 132 bits → 128
  const out = new Uint8Array(16)
  for (let i = 15; i >= 0; i--, bits >>= 8n) out[i] = Number(bits & 0xffn)
  return out
}

let initial: Uint32Array | undefined

/** π's fraction as 32-bit words: 18 for the P-array, then 1,024 for the four S-boxes. */
function piWords(): Uint32Array {
  if (initial) return initial
  const words = 18 + 1024
  const bits = BigInt(words * 32 + 64)
  const one = 1n << bits
  const arctanInv = (x: bigint): bigint => {
    const x2 = x * x
    let power = one / x
    let sum = power
    for (let n = 3n, sign = -1n; power !== 0n; n += 2n, sign = -sign) {
      power /= x2
      sum += (sign * power) / n
    }
    return sum
  }
  const pi = 16n * arctanInv(5n) - 4n * arctanInv(239n)
  const fraction = (pi - 3n * one) >> 64n // the first words*32 bits after the point
  initial = new Uint32Array(words)
  for (let i = 0, f = fraction; i < words; i++, f >>= 32n) initial[words - 1 - i] = Number(f & 0xffffffffn)
  return initial
}

/** Blowfish's state: P (18 words) and the four S-boxes (256 words each), in one array. */
class Blowfish {
  readonly s = new Uint32Array(piWords())
  private f(x: number): number {
    const s = this.s
    return (
      (((s[18 + (x >>> 24)]! + s[274 + ((x >>> 16) & 255)]!) ^ s[530 + ((x >>> 8) & 255)]!) + s[786 + (x & 255)]!) >>> 0
    )
  }
  /** Encrypt one block in place (`lr[i]`, `lr[i + 1]`). */
  encrypt(lr: Uint32Array, i: number): void {
    const s = this.s
    let l = lr[i]!
    let r = lr[i + 1]!
    for (let k = 0; k < 16; k += 2) {
      l ^= s[k]!
      r ^= this.f(l)
      r ^= s[k + 1]!
      l ^= this.f(r)
    }
    lr[i] = (r ^ s[17]!) >>> 0
    lr[i + 1] = (l ^ s[16]!) >>> 0
  }
  /** Blowfish's key schedule with bcrypt's salt (`salt` undefined: the plain schedule). */
  expand(key: Uint8Array, salt?: Uint8Array): void {
    const s = this.s
    // the next 32-bit word of `data`, read cyclically from `at.j`
    const word = (data: Uint8Array, at: { j: number }) => {
      let w = 0
      for (let k = 0; k < 4; k++, at.j = (at.j + 1) % data.length) w = ((w << 8) | data[at.j]!) >>> 0
      return w
    }
    const kAt = { j: 0 }
    for (let i = 0; i < 18; i++) s[i] = (s[i]! ^ word(key, kAt)) >>> 0
    const sAt = { j: 0 }
    const lr = new Uint32Array(2)
    for (let i = 0; i < s.length; i += 2) {
      if (salt) {
        lr[0] ^= word(salt, sAt)
        lr[1] ^= word(salt, sAt)
      }
      this.encrypt(lr, 0)
      s[i] = lr[0]!
      s[i + 1] = lr[1]!
    }
  }
}

const MAGIC = new TextEncoder().encode('OrpheanBeholderScryDoubt')

/**
 * The bcrypt string of `password` with a 22-character `salt` (its unused bits cleared in the output, as passlib
 * and OpenBSD write it), `cost` (2^cost rounds, 4–31) and `ident` (`2b`; `2a` and `2y` hash the same here).
 */
export function bcrypt(password: string, salt: string, cost = 12, ident = '2b'): string {
  const pw = new TextEncoder().encode(password)
  // the password and its NUL, at most 72 bytes used
  const key = new Uint8Array(Math.min(pw.length, 72) + 1)
  key.set(pw.subarray(0, 72))
  const saltBytes = bcryptDecodeSalt(salt)
  const bf = new Blowfish()
  bf.expand(key, saltBytes)
  for (let i = 0, n = 2 ** cost; i < n; i++) {
    bf.expand(key)
    bf.expand(saltBytes)
  }
  const magic = new DataView(MAGIC.buffer)
  const ctext = Uint32Array.from({ length: 6 }, (_, i) => magic.getUint32(i * 4))
  for (let i = 0; i < 64; i++) for (let b = 0; b < 6; b += 2) bf.encrypt(ctext, b)
  const out = new Uint8Array(24)
  const view = new DataView(out.buffer)
  for (let i = 0; i < 6; i++) view.setUint32(i * 4, ctext[i]!)
  return `$${ident}$${String(cost).padStart(2, '0')}$${bcryptEncode(saltBytes)}${bcryptEncode(out.subarray(0, 23))}`
}
