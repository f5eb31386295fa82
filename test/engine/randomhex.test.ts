/** `randomHex` (engine/randomhex.ts): lowercase hex of the asked length, across refills of its pool, never repeated. */
import { describe, expect, it } from 'vitest'
import { randomHex } from '../../engine/randomhex.js'

describe('randomHex', () => {
  it('gives 2 × bytes lowercase hex characters, sizes larger than the pool included', () => {
    for (const n of [1, 4, 6, 16, 5000]) expect(randomHex(n)).toMatch(new RegExp(`^[0-9a-f]{${2 * n}}$`))
  })

  it('never gives the same value twice over several refills of its 4 KB pool', () => {
    const seen = new Set<string>()
    for (let i = 0; i < 3000; i++) seen.add(randomHex(6)) // 18 KB: four refills
    expect(seen.size).toBe(3000)
  })

  it('is not a fixed sequence: values differ between bytes (all 16 digits appear)', () => {
    const digits = new Set(Array.from({ length: 64 }, () => randomHex(8)).join(''))
    expect(digits.size).toBe(16)
  })
})
