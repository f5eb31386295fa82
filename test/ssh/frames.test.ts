/**
 * FrameReader: frames are recovered byte-exactly however the stream is cut into chunks (property-based).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { FrameReader } from '../../engine/ssh/frames.js'

const NONCE = '0123456789abcdef0123456789abcdef'
const end = (seq: number, rc: number, noStderr = false): Buffer =>
  Buffer.from(`\x1eTSP${NONCE}:${seq}:${rc}${noStderr ? ':n' : ''}\n`, 'latin1')

interface Got {
  seq: number
  rc: number
  data: Buffer
  noStderr: boolean
}

function collect(chunks: Buffer[]): Got[] {
  const got: Got[] = []
  const r = new FrameReader(NONCE, (seq, rc, data, noStderr) => got.push({ seq, rc, data, noStderr }))
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
        fc.array(fc.tuple(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 0, max: 255 }), fc.boolean()), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (frames, cuts) => {
          const stream = Buffer.concat(frames.flatMap(([d, rc, n], i) => [Buffer.from(d), end(i + 1, rc, n)]))
          const chunks = cut(stream, cuts)
          const got = collect(chunks)
          for (const c of chunks) c.fill(0) // what the handler got is its own copy, not the chunk's bytes
          expect(got.map((g) => [g.seq, g.rc, g.noStderr, [...g.data]])).toEqual(
            frames.map(([d, rc, n], i) => [i + 1, rc, n, [...d]]),
          )
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

  it.each([
    ['12:0', [12, 0, false]],
    ['3:255:n', [3, 255, true]],
    ['0:4242', [0, 4242, false]],
    ['7:1:x', [7, 1, false]],
    [':5', [0, 5, false]],
    ['8:-1', [8, -1, false]],
    ['9:', [9, 0, false]],
  ])('reads the header %j as its fields read as numbers', (head, want) => {
    const got = collect([Buffer.from(`out\x1eTSP${NONCE}:${head}\n`, 'latin1')])
    expect([got[0].seq, got[0].rc, got[0].noStderr]).toEqual(want)
    expect(got[0].data.toString()).toBe('out')
  })

  it('reports bytes that never became a frame (e.g. sudo errors before the shell started)', () => {
    const r = new FrameReader(NONCE, () => {})
    r.push(Buffer.from('sudo: a password is required\n'))
    expect(r.pending().toString()).toBe('sudo: a password is required\n')
  })
})
