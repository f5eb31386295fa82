/**
 * Python's `random.Random` (Mersenne Twister, seeded the way CPython seeds it from an int or a string), so
 * `59 | random(seed=inventory_hostname)` picks the same number as Ansible does — a cron minute stays put
 * whichever tool wrote it. Without a seed, numbers come from `crypto.randomInt`.
 *
 * @example
 * ```ts
 * pyRandom('web1').randrange(0, 60, 1) // the same as Python's Random('web1').randrange(60)
 * ```
 */
import { createHash, randomInt } from 'node:crypto'
import { UserError } from '../errors.js'

const N = 624
const M = 397

class MT {
  private mt = new Uint32Array(N)
  private i = N + 1

  constructor(key: number[]) {
    const mt = this.mt
    mt[0] = 19650218
    for (let i = 1; i < N; i++) mt[i] = Math.imul(1812433253, mt[i - 1] ^ (mt[i - 1] >>> 30)) + i
    let i = 1
    let j = 0
    for (let k = Math.max(N, key.length); k > 0; k--) {
      mt[i] = (mt[i] ^ Math.imul(mt[i - 1] ^ (mt[i - 1] >>> 30), 1664525)) + key[j] + j
      i++
      j++
      if (i >= N) {
        mt[0] = mt[N - 1]
        i = 1
      }
      if (j >= key.length) j = 0
    }
    for (let k = N - 1; k > 0; k--) {
      mt[i] = (mt[i] ^ Math.imul(mt[i - 1] ^ (mt[i - 1] >>> 30), 1566083941)) - i
      i++
      if (i >= N) {
        mt[0] = mt[N - 1]
        i = 1
      }
    }
    mt[0] = 0x80000000
    this.i = N
  }

  uint32(): number {
    const mt = this.mt
    if (this.i >= N) {
      for (let k = 0; k < N; k++) {
        const y = (mt[k] & 0x80000000) | (mt[(k + 1) % N] & 0x7fffffff)
        mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0)
      }
      this.i = 0
    }
    let y = mt[this.i++]
    y ^= y >>> 11
    y ^= (y << 7) & 0x9d2c5680
    y ^= (y << 15) & 0xefc60000
    y ^= y >>> 18
    return y >>> 0
  }
}

/** The 32-bit words of a non-negative BigInt, least significant first (at least one). */
function words(n: bigint): number[] {
  const out: number[] = []
  do {
    out.push(Number(n & 0xffffffffn))
    n >>= 32n
  } while (n > 0n)
  return out
}

function seedKey(seed: unknown): number[] {
  if (typeof seed === 'number' && Number.isInteger(seed)) return words(BigInt(Math.abs(seed)))
  if (typeof seed === 'boolean') return words(BigInt(Number(seed)))
  if (typeof seed === 'string') {
    const bytes = Buffer.from(seed, 'utf8')
    const all = Buffer.concat([bytes, createHash('sha512').update(bytes).digest()])
    return words(BigInt(`0x${all.toString('hex')}`))
  }
  throw new UserError('random: the seed must be a whole number or a string')
}

/** A random source: `randbelow(n)` and `randrange(start, stop, step)` as Python computes them. */
export interface PyRandom {
  randbelow(n: number): number
  randrange(start: number, stop: number, step: number): number
}

export function pyRandom(seed?: unknown): PyRandom {
  const mt = seed === undefined || seed === null ? undefined : new MT(seedKey(seed))
  const bits = (k: number): number => (k === 0 ? 0 : mt!.uint32() >>> (32 - k))
  const randbelow = (n: number): number => {
    if (n <= 0) throw new UserError('random: empty range')
    if (!mt) return randomInt(n)
    if (n > 2 ** 32) throw new UserError('random: range too large for a seeded choice')
    const k = Math.floor(Math.log2(n)) + 1
    let r = bits(k)
    while (r >= n) r = bits(k)
    return r
  }
  return {
    randbelow,
    randrange(start, stop, step) {
      const width = stop - start
      if (step === 1) return start + randbelow(width)
      const n = step > 0 ? Math.floor((width + step - 1) / step) : Math.floor((width + step + 1) / step)
      return start + step * randbelow(n)
    },
  }
}
