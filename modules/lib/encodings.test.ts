import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { codecName, encodeText } from './encodings.js'

const NAMES = [
  ...['utf-8', 'UTF8', 'utf-8-sig', 'utf-16', 'utf-16-le', 'UTF-16BE', 'utf-32', 'utf_32_le', 'utf-32-be'],
  ...['ascii', 'us-ascii', 'latin-1', 'L1', 'iso-8859-2', 'latin9', 'ISO8859_15', 'iso-8859-9', 'iso8859-11'],
  ...['iso-8859-5', 'greek', 'cp1250', 'windows-1252', 'cp1251', 'cp1254', 'koi8-r', 'koi8_u', 'cp866', 'cp874'],
  'mac-roman',
]
const TEXTS = [
  'plain ascii\n',
  'café €5',
  'Grüße, Łódź',
  'Привет',
  'Ελλάδα',
  'ğüşİ',
  'ไทย',
  '\u0085 c1',
  '\u0081',
  '😀',
]

/** Python's `text.encode(name)` for every pair, hex, or the error's first words. */
function python(pairs: [string, string][]): string[] | undefined {
  const code = [
    'import json, sys',
    'out = []',
    'for t, n in json.load(sys.stdin):',
    '    try: out.append(t.encode(n).hex())',
    "    except UnicodeEncodeError: out.append('cannot')",
    'print(json.dumps(out))',
  ].join('\n')
  try {
    const stdout = execFileSync('python3', ['-c', code], { input: JSON.stringify(pairs), stdio: 'pipe' })
    return JSON.parse(stdout.toString()) as string[]
  } catch {
    return undefined
  }
}

const pairs = NAMES.flatMap((n) => TEXTS.map((t): [string, string] => [t, n]))
const oracle = python(pairs)

describe('encodeText', () => {
  it.skipIf(!oracle)("writes every text in every codec as Python's codecs do, and fails where they fail", () => {
    const ours = pairs.map(([t, n]) => {
      try {
        return encodeText(t, n).toString('hex')
      } catch {
        return 'cannot'
      }
    })
    expect(ours).toEqual(oracle)
  })
  it.each([
    ['€', 'cp1252', '80'],
    ['a', 'utf-16', 'fffe6100'],
    ['a', 'utf-16-be', '0061'],
    ['a', 'utf-32', 'fffe000061000000'],
    ['é', 'utf-8-sig', 'efbbbfc3a9'],
    ['€', 'latin9', 'a4'],
  ])('%j in %s', (t, n, hex) => expect(encodeText(t, n).toString('hex')).toBe(hex))
  it('names a codec tsplay cannot write as unknown, and a missing character as Python does', () => {
    expect(codecName('shift_jis')).toBeUndefined()
    expect(() => encodeText('x', 'ebcdic')).toThrow('unknown encoding: ebcdic')
    expect(() => encodeText('€', 'latin-1')).toThrow(`'latin-1' codec can't encode character "€"`)
  })
})
