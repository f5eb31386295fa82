/**
 * Splits a persistent shell's stdout (or stderr) into per-command frames. Each command's bytes are followed by
 * an end marker `\x1eTSP<nonce>:<seq>:<rc>\n` (see `renderFrame` in frametext.ts); everything before the marker
 * is the command's output, byte for byte. Appends are amortised O(n) (a doubling buffer), so MBs of output
 * cost no quadratic copying.
 *
 * @example
 * ```ts
 * const r = new FrameReader('abc', (seq, rc, data) => console.log(seq, rc, data.toString()))
 * r.push(Buffer.from('hello\x1eTSPabc:1:0\n')) // → 1 0 hello
 * ```
 */
import { NO_STDERR_FLAG } from './frametext.js'

/**
 * Called once per complete frame, in stream order. `noStderr`: the marker said the command wrote nothing to
 * stderr, so no stderr marker follows (`:n` after the exit code, see frametext.ts).
 */
export type FrameHandler = (seq: number, rc: number, data: Buffer, noStderr: boolean) => void

export class FrameReader {
  private buf = Buffer.allocUnsafe(16 * 1024)
  /** Bytes of `buf` in use. */
  private used = 0
  /** Where the current (incomplete) frame's data starts. */
  private start = 0
  /** No marker starts before this offset (already searched). */
  private scanned = 0
  private readonly marker: Buffer

  constructor(
    nonce: string,
    private readonly onFrame: FrameHandler,
  ) {
    this.marker = Buffer.from(`\x1eTSP${nonce}:`, 'latin1')
  }

  /** Bytes received that are not yet part of a complete frame (e.g. sudo's error before the shell started). */
  pending(): Buffer {
    return Buffer.from(this.buf.subarray(this.start, this.used))
  }

  push(chunk: Buffer): void {
    this.append(chunk)
    for (;;) {
      const live = this.buf.subarray(0, this.used) // never search the stale bytes past `used`
      const m = live.indexOf(this.marker, this.scanned)
      if (m < 0) {
        this.scanned = Math.max(this.start, this.used - this.marker.length)
        break
      }
      const headStart = m + this.marker.length
      const nl = live.indexOf(0x0a, headStart)
      if (nl < 0) {
        this.scanned = m // wait for the rest of the header
        break
      }
      const [seq, rc, flag] = this.buf.toString('latin1', headStart, nl).split(':')
      const data = Buffer.from(this.buf.subarray(this.start, m))
      this.start = nl + 1
      this.scanned = this.start
      this.onFrame(Number(seq), Number(rc), data, flag === NO_STDERR_FLAG)
    }
    this.compact()
  }

  private append(chunk: Buffer): void {
    if (this.used + chunk.length > this.buf.length) {
      const live = this.used - this.start
      let size = this.buf.length
      while (live + chunk.length > size) size *= 2
      const next = size === this.buf.length ? this.buf : Buffer.allocUnsafe(size)
      this.buf.copy(next, 0, this.start, this.used)
      this.buf = next
      this.used = live
      this.scanned -= this.start
      this.start = 0
    }
    chunk.copy(this.buf, this.used)
    this.used += chunk.length
  }

  /** Drop consumed bytes once everything is consumed (cheap, keeps the buffer small between commands). */
  private compact(): void {
    if (this.start === this.used) {
      this.start = this.used = this.scanned = 0
      if (this.buf.length > 1024 * 1024) this.buf = Buffer.allocUnsafe(16 * 1024)
    }
  }
}
