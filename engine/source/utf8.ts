/**
 * Strict UTF-8 decoding for user files: invalid bytes are a `UserError` naming the line and column of the
 * first bad byte, never a silent U+FFFD.
 *
 * @example
 * ```ts
 * decodeUtf8(await readFile('site.yml'), 'site.yml') // throws "invalid UTF-8 byte 0xff" at site.yml:3:7
 * ```
 */
import { UserError } from '../errors.js'

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })

/** Decode bytes as UTF-8 or throw a `UserError` pointing at the first invalid byte. */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return decoder.decode(bytes)
  } catch {
    const at = firstInvalidUtf8(bytes)
    let line = 1
    let lineStart = 0
    for (let i = 0; i < at; i++) {
      if (bytes[i] === 0x0a) {
        line++
        lineStart = i + 1
      }
    }
    const col = new TextDecoder().decode(bytes.subarray(lineStart, at)).length + 1
    const b = bytes[at]
    const rest = bytes.subarray(at + 1)
    const truncated = b >= 0xc2 && b <= 0xf4 && rest.length < 3 && rest.every((x) => (x & 0xc0) === 0x80)
    const what = truncated
      ? 'truncated UTF-8 sequence at the end of the file'
      : `invalid UTF-8 byte 0x${b.toString(16).padStart(2, '0')}`
    throw new UserError(`${what}: the file must be UTF-8 text`, { file, line, col })
  }
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence (length if none). */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0
  while (i < b.length) {
    const c = b[i]
    let n: number
    let min: number
    if (c < 0x80) {
      i++
      continue
    } else if (c >= 0xc2 && c <= 0xdf) {
      n = 1
      min = 0x80
    } else if (c >= 0xe0 && c <= 0xef) {
      n = 2
      min = 0x800
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3
      min = 0x10000
    } else return i
    let cp = c & (0x3f >> n)
    for (let k = 1; k <= n; k++) {
      const d = b[i + k]
      if (d === undefined || (d & 0xc0) !== 0x80) return i
      cp = (cp << 6) | (d & 0x3f)
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i
    i += n + 1
  }
  return b.length
}
