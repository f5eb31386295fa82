/**
 * FrameReader: frames are recovered byte-exactly however the stream is cut into chunks (property-based).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { FrameReader } from '../../engine/ssh/frames.js'

const NONCE = '0123456789abcdef0123456789abcdef'
const end = (seq: number, rc: number): Buffer => Buffer.from(`\x1eTSP${NONCE}:${seq}:${rc}\n`, 'latin1')

function collect(chunks: Buffer[]): { seq: number; rc: number; data: Buffer }[] {
  const got: { seq: number; rc: number; data: Buffer }[] = []
  const r = new FrameReader(NONCE, (seq, rc, data) => got.push({ seq, rc, data }))
  for (const c of chunks) r.push(c)
  return got
}

/** Cut a buffer at the given (sorted, deduplicated) offsets. */
function cut(buf: Buffer, at: number[]): Buffer[] {
  const points = [...new Set(at.map((n) => n % (buf.length + 1)))].sort((a, b) => a - b)
  const out: Buffer[] = []
  let prev = 0
  for (const p of [...points, buf.length]) {
    out.push(buf.subarray(prev, p))
    prev = p
  }
  return out
}

describe('FrameReader', () => {
  it('splits frames and keeps binary data exact, whatever the chunking', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (frames, cuts) => {
          const stream = Buffer.concat(frames.flatMap(([d, rc], i) => [Buffer.from(d), end(i + 1, rc)]))
          const got = collect(cut(stream, cuts))
          expect(got.map((g) => [g.seq, g.rc, [...g.data]])).toEqual(frames.map(([d, rc], i) => [i + 1, rc, [...d]]))
        },
      ),
      { numRuns: 300 },
    )
  })

  it('does not take a marker with another nonce, or a partial marker, for an end', () => {
    const fake = Buffer.from(`x\x1eTSPffffffffffffffffffffffffffffffff:1:0\n\x1eTSP${NONCE.slice(0, 10)}`, 'latin1')
    const got = collect([Buffer.concat([fake, end(1, 7)])])
    expect(got).toHaveLength(1)
    expect(got[0].rc).toBe(7)
    expect(got[0].data.equals(fake)).toBe(true)
  })

  it('handles megabytes byte by byte in large chunks without losing data', () => {
    const big = Buffer.alloc(5 * 1024 * 1024)
    for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff
    const stream = Buffer.concat([big, end(1, 0), Buffer.from('tail'), end(2, 1)])
    const got = collect(
      cut(
        stream,
        Array.from({ length: 200 }, (_, i) => i * 26_431),
      ),
    )
    expect(got).toHaveLength(2)
    expect(got[0].data.equals(big)).toBe(true)
    expect(got[1].data.toString()).toBe('tail')
  })

  it('reports bytes that never became a frame (e.g. sudo errors before the shell started)', () => {
    const r = new FrameReader(NONCE, () => {})
    r.push(Buffer.from('sudo: a password is required\n'))
    expect(r.pending().toString()).toBe('sudo: a password is required\n')
  })
})
