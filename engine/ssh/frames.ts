/**
 * Splits a persistent shell's stdout (or stderr) into per-command frames. Each command's bytes are followed by
 * an end marker `\x1eTSP<nonce>:<seq>:<rc>\n` (see `renderFrame` in frametext.ts); everything before the marker
 * is the command's output, byte for byte. Appends are amortised O(n) (a doubling buffer), so MBs of output
 * cost no quadratic copying. A chunk that arrives with nothing pending (most: one command's answer) is read where it
 * is, and only an incomplete rest is copied; the header's numbers are read from its bytes.
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
    if (this.start === this.used) {
      // nothing pending (most chunks: one command's answer): read the frames from the chunk itself, keep only the
      // incomplete rest
      this.start = this.used = this.scanned = 0
      this.frames(chunk)
      const rest = this.start
      const scanned = this.scanned
      this.start = this.scanned = 0
      if (rest < chunk.length) {
        this.append(chunk.subarray(rest))
        this.scanned = scanned - rest
      }
      this.compact()
      return
    }
    this.append(chunk)
    this.frames(this.buf.subarray(0, this.used)) // never search the stale bytes past `used`
    this.compact()
  }

  /**
   * Hand each complete frame of `b` from `this.start` on to the handler; `this.start` and `this.scanned` move on as
   * offsets in `b`.
   */
  private frames(b: Buffer): void {
    const markerLength = this.marker.length
    while (this.start < b.length) {
      const m = b.indexOf(this.marker, this.scanned)
      if (m < 0) {
        this.scanned = Math.max(this.start, b.length - markerLength)
        return
      }
      const headStart = m + markerLength
      const nl = b.indexOf(0x0a, headStart)
      if (nl < 0) {
        this.scanned = m // wait for the rest of the header
        return
      }
      const data = Buffer.from(b.subarray(this.start, m))
      this.start = nl + 1
      this.scanned = this.start
      readHeader(b, headStart, nl, this.onFrame, data)
    }
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

const COLON = 0x3a
const NO_STDERR = NO_STDERR_FLAG.charCodeAt(0)

/**
 * An end marker's header `<seq>:<rc>` or `<seq>:<rc>:n` (bytes `b[from, to)`), read digit by digit; any other text
 * is read as the fields' text would be (`Number`), so a header that is not one of these still gives what it did.
 */
function readHeader(b: Buffer, from: number, to: number, onFrame: FrameHandler, data: Buffer): void {
  let i = from
  let seq = 0
  let rc = 0
  while (i < to && b[i] >= 0x30 && b[i] <= 0x39) seq = seq * 10 + b[i++] - 0x30
  const seqEnd = i
  if (i < to && b[i] === COLON) {
    i++
    const rcStart = i
    while (i < to && b[i] >= 0x30 && b[i] <= 0x39) rc = rc * 10 + b[i++] - 0x30
    const plain = seqEnd > from && i > rcStart
    if (plain && i === to) return onFrame(seq, rc, data, false)
    if (plain && i + 2 === to && b[i] === COLON && b[i + 1] === NO_STDERR) return onFrame(seq, rc, data, true)
  }
  const [s, r, flag] = b.toString('latin1', from, to).split(':')
  onFrame(Number(s), Number(r), data, flag === NO_STDERR_FLAG)
}
