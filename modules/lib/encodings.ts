/**
 * Text to bytes in a Python codec, as `template`'s `output_encoding` takes them: UTF-8 (and `utf-8-sig`), UTF-16
 * and UTF-32 (with a byte-order mark when no order is named, little-endian, as Python writes them on x86 and ARM),
 * ASCII, and the single-byte codecs Node's `TextDecoder` knows (ISO-8859-1…16, cp1250–cp1258, KOI8-R/U, cp866,
 * cp874, mac-roman), their tables read from it once. Python's names and aliases are accepted (`latin-1`, `L9`,
 * `iso8859_15`, `windows-1252`, …); a character the codec lacks fails as Python's does.
 *
 * @example
 * ```ts
 * encodeText('€', 'cp1252') // → <Buffer 80>
 * encodeText('a', 'utf-16') // → <Buffer ff fe 61 00>
 * ```
 */

type Codec = { kind: 'node'; enc: BufferEncoding; bom?: number[] } | { kind: 'utf32'; le: boolean; bom: boolean }

const WIDE: Record<string, Codec> = {
  utf_8: { kind: 'node', enc: 'utf8' },
  utf_8_sig: { kind: 'node', enc: 'utf8', bom: [0xef, 0xbb, 0xbf] },
  utf_16: { kind: 'node', enc: 'utf16le', bom: [0xff, 0xfe] },
  utf_16_le: { kind: 'node', enc: 'utf16le' },
  utf_16_be: { kind: 'node', enc: 'utf16le' }, // byte-swapped after encoding
  utf_32: { kind: 'utf32', le: true, bom: true },
  utf_32_le: { kind: 'utf32', le: true, bom: false },
  utf_32_be: { kind: 'utf32', le: false, bom: false },
}

/** Python's aliases (in its normalised form: lower case, `_` between words) → the codec's name. */
const ALIASES: Record<string, string> = {
  ...Object.fromEntries(['utf8', 'u8', 'utf', 'cp65001'].map((a) => [a, 'utf_8'])),
  ...Object.fromEntries(['u16', 'utf16'].map((a) => [a, 'utf_16'])),
  utf_16le: 'utf_16_le',
  utf_16be: 'utf_16_be',
  ...Object.fromEntries(['u32', 'utf32'].map((a) => [a, 'utf_32'])),
  utf_32le: 'utf_32_le',
  utf_32be: 'utf_32_be',
  ...Object.fromEntries(['us_ascii', '646', 'us', 'ansi_x3.4_1968'].map((a) => [a, 'ascii'])),
  ...Object.fromEntries(
    ['latin1', 'l1', 'latin', 'iso8859_1', 'iso_8859_1', '8859', 'cp819'].map((a) => [a, 'latin_1']),
  ),
  ...Object.fromEntries(
    Object.entries({ 2: 2, 3: 3, 4: 4, 5: 9, 6: 10, 7: 13, 8: 14, 9: 15, 10: 16 }).flatMap(([l, n]) => [
      [`latin${l}`, `iso8859_${n}`],
      [`l${l}`, `iso8859_${n}`],
    ]),
  ),
  cyrillic: 'iso8859_5',
  arabic: 'iso8859_6',
  greek: 'iso8859_7',
  hebrew: 'iso8859_8',
  thai: 'iso8859_11',
  ...Object.fromEntries(['866', 'ibm866'].map((a) => [a, 'cp866'])),
  ...Object.fromEntries(['macroman', 'macintosh'].map((a) => [a, 'mac_roman'])),
}

/** Single-byte codecs → the WHATWG label `TextDecoder` reads their table from. */
function singleByteLabel(name: string): string | undefined {
  const iso = /^iso_?8859_(\d+)$/.exec(name)
  if (iso && Number(iso[1]) >= 2 && Number(iso[1]) <= 16 && iso[1] !== '12') {
    // WHATWG reads 8859-9 and 8859-11 as their Windows supersets: the C1 range is set right below
    return { '9': 'windows-1254', '11': 'windows-874' }[iso[1]!] ?? `iso-8859-${iso[1]}`
  }
  const cp = /^(?:cp|windows_)(125[0-8]|874)$/.exec(name)
  if (cp) return `windows-${cp[1]}`
  return { koi8_r: 'koi8-r', koi8_u: 'koi8-u', cp866: 'ibm866', mac_roman: 'macintosh' }[name]
}

const tables = new Map<string, Map<number, number>>()

// cp1252's 0x80–0x9F (0: not defined), which Node 20's TextDecoder reads as Latin-1's C1 controls
const CP1252_HIGH = [
  ...[0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0],
  ...[0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e],
  0x0178,
]

/**
 * Code point → byte of a single-byte codec, read from the decoder. ISO-8859's 0x80–0x9F are the C1 controls; in
 * the Windows and other codecs a byte the decoder reads as a C1 control is one the codec does not define (Python's
 * fail on it).
 */
function tableOf(label: string, iso: boolean): Map<number, number> {
  const key = `${label}${iso ? ':iso' : ''}`
  let t = tables.get(key)
  if (t) return t
  t = new Map()
  const decoded = new TextDecoder(label).decode(Uint8Array.from({ length: 256 }, (_, i) => i))
  for (let b = 0; b < 256; b++) {
    const c1 = b >= 0x80 && b < 0xa0
    const cp = iso && c1 ? b : label === 'windows-1252' && c1 ? CP1252_HIGH[b - 0x80]! : decoded.codePointAt(b)!
    if (!iso && cp >= 0x80 && cp < 0xa0) continue
    if ((cp === 0 && b !== 0) || cp === 0xfffd || t.has(cp)) continue
    t.set(cp, b)
  }
  tables.set(key, t)
  return t
}

/** The codec's name in Python's normal form, or undefined when tsplay cannot write it. */
export function codecName(encoding: string): string | undefined {
  const n = encoding
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_')
  const name = ALIASES[n] ?? n
  return WIDE[name] || name === 'ascii' || name === 'latin_1' || singleByteLabel(name) ? name : undefined
}

/** Thrown for a character the codec lacks (Python's UnicodeEncodeError). */
export class EncodeError extends Error {}

/** `text` in `encoding`; throws when the codec is not known here or lacks a character. */
export function encodeText(text: string, encoding: string): Buffer {
  const name = codecName(encoding)
  if (!name) throw new EncodeError(`unknown encoding: ${encoding}`)
  const wide = WIDE[name]
  if (wide?.kind === 'node') {
    const body = Buffer.from(text, wide.enc)
    if (name === 'utf_16_be') body.swap16()
    return wide.bom ? Buffer.concat([Buffer.from(wide.bom), body]) : body
  }
  if (wide?.kind === 'utf32') {
    const cps = [...text].map((c) => c.codePointAt(0)!)
    const out = Buffer.alloc(4 * (cps.length + (wide.bom ? 1 : 0)))
    const put = (v: number, i: number) => (wide.le ? out.writeUInt32LE(v, i * 4) : out.writeUInt32BE(v, i * 4))
    if (wide.bom) put(0xfeff, 0)
    cps.forEach((cp, i) => put(cp, i + (wide.bom ? 1 : 0)))
    return out
  }
  const label = singleByteLabel(name)
  const table = label ? tableOf(label, name.startsWith('iso')) : undefined
  const limit = name === 'ascii' ? 0x7f : 0xff
  const out = Buffer.alloc(text.length)
  let n = 0
  for (const c of text) {
    const cp = c.codePointAt(0)!
    const b = table ? table.get(cp) : cp <= limit ? cp : undefined
    if (b === undefined)
      throw new EncodeError(`'${name.replace(/_/g, '-')}' codec can't encode character ${JSON.stringify(c)}`)
    out[n++] = b
  }
  return out.subarray(0, n)
}
