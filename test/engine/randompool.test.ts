/**
 * The pooled random bytes (engine/randompool.ts): `randomHex` gives lowercase hex of the asked length, across
 * refills of the pool, never repeated; `randomFill` keeps `crypto.randomFillSync`'s contract (only the asked range
 * changes, the buffer is returned), for small ranges from the pool and large ones directly.
 */
import { describe, expect, it } from 'vitest'
import { randomFill, randomHex } from '../../engine/randompool.js'

describe('randomHex', () => {
  it('gives 2 × bytes lowercase hex characters, sizes larger than the pool included', () => {
    for (const n of [1, 4, 6, 16, 5000]) expect(randomHex(n)).toMatch(new RegExp(`^[0-9a-f]{${2 * n}}$`))
  })

  it('never gives the same value twice over several refills of its 4 KB pool', () => {
    const seen = new Set<string>()
    for (let i = 0; i < 3000; i++) seen.add(randomHex(6)) // 18 KB: four refills
    expect(seen.size).toBe(3000)
  })

  it('is not a fixed sequence: all 16 digits appear', () => {
    const digits = new Set(Array.from({ length: 64 }, () => randomHex(8)).join(''))
    expect(digits.size).toBe(16)
  })
})

describe('randomFill', () => {
  for (const size of [4, 16, 255, 2000]) {
    it(`fills exactly the asked ${size} bytes and returns the buffer`, () => {
      const buf = Buffer.alloc(size + 10, 0xaa)
      const fills = Array.from({ length: 8 }, () => Buffer.from(randomFill(buf, 5, size).subarray(5, 5 + size)))
      expect(randomFill(buf, 5, size)).toBe(buf)
      expect([...buf.subarray(0, 5), ...buf.subarray(5 + size)].every((b) => b === 0xaa)).toBe(true)
      // eight fills of the same range are eight different values (random, not the same pool bytes again)
      expect(new Set(fills.map((f) => f.toString('hex'))).size).toBe(8)
    })
  }

  it('fills the rest of the buffer when no size is given', () => {
    const buf = new Uint8Array(64)
    randomFill(buf, 32)
    expect(buf.subarray(0, 32).every((b) => b === 0)).toBe(true)
    expect(buf.subarray(32).some((b) => b !== 0)).toBe(true)
  })
})
