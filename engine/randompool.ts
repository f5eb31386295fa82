/**
 * Random bytes for what a run makes up many times over (a temp file's name beside a destination, a job's id, the
 * padding of every SSH packet, a remote shell's end-marker nonce): as strong as `crypto.randomFillSync`, which they
 * come from, drawn from a buffer filled 4 KB at a time. Node 20's `randomFillSync` makes a native job object on
 * every call: about 10–20 µs each on the benchmark's machine, more than encrypting a small packet.
 *
 * @example
 * ```ts
 * randomHex(6)                         // → 'a3f09c1d2e4b'
 * randomFill(packet, 5 + length, pad)  // the packet's padding bytes, random
 * ```
 */
import { randomFillSync } from 'node:crypto'

const POOL_BYTES = 4096
const pool = Buffer.alloc(POOL_BYTES)
/** Bytes of `pool` already handed out (all of it at first: the first call fills it). */
let used = POOL_BYTES

/** Take `size` unused bytes of the pool (refilled when too few are left): where they start. */
function take(size: number): number {
  if (used + size > POOL_BYTES) {
    randomFillSync(pool)
    used = 0
  }
  const at = used
  used += size
  return at
}

/** `bytes` random bytes as lowercase hex (2 × `bytes` characters). */
export function randomHex(bytes: number): string {
  return randomFill(Buffer.allocUnsafe(bytes)).toString('hex')
}

/** `crypto.randomFillSync`'s contract for bytes: fill `buf[offset, offset + size)` with random bytes, return `buf`. */
export function randomFill<T extends Uint8Array>(buf: T, offset = 0, size = buf.length - offset): T {
  if (size > POOL_BYTES / 4) return randomFillSync(buf, offset, size)
  const at = take(size)
  buf.set(pool.subarray(at, at + size), offset)
  return buf
}
