/** The one splitter: shell words, `key=value` strings, free-form arguments; tables in split-cases.ts. */
import { describe, expect, it } from 'vitest'
import { decodeEscapes, keyValueWords, parseKeyValues, splitFreeForm, unquote } from '../../engine/source/kv.js'
import { scanWords, shellWords, splitArgs, SplitError } from '../../engine/source/split.js'
import {
  ANSIBLE_ERRORS,
  ANSIBLE_WORD_CASES,
  FREE_FORM_CASES,
  KV_CASES,
  SHELL_CASES,
  SHELL_ERRORS,
} from './split-cases.js'

/** The error `f` throws (it must throw a SplitError). */
function splitError(f: () => unknown): SplitError {
  try {
    f()
  } catch (e) {
    if (e instanceof SplitError) return e
    throw e
  }
  throw new Error('expected a SplitError')
}

describe('shell words', () => {
  it.each(SHELL_CASES)('splitArgs(%j)', (input, want) => expect(splitArgs(input)).toEqual(want))

  it.each(SHELL_ERRORS)('splitArgs(%j) is refused', (input, message, offset) => {
    expect(splitError(() => splitArgs(input))).toMatchObject({ message, offset })
  })

  it('knows where each word is and whether it was quoted', () => {
    expect(shellWords(`h1 a="x y" b=1`)).toEqual([
      { raw: 'h1', text: 'h1', start: 0, end: 2, quoted: false },
      { raw: 'a="x y"', text: 'a=x y', start: 3, end: 10, quoted: true },
      { raw: 'b=1', text: 'b=1', start: 11, end: 14, quoted: false },
    ])
  })

  it.each([
    ['h1 a=1 # the rest', ['h1', 'a=1']],
    ['# all of it', []],
    ['h1 a=x#y', ['h1', 'a=x#y']],
    [`h1 a="# kept"`, ['h1', 'a=# kept']],
  ])('with comments, a # that starts a word ends the line: %j', (input, want) => {
    expect(shellWords(input, { comments: true }).map((w) => w.text)).toEqual(want)
  })
})

describe('Ansible words', () => {
  it.each(ANSIBLE_WORD_CASES)('scanWords(%j) keeps blocks and quotes whole, as written', (input, want) => {
    expect(scanWords(input, 'ansible').map((w) => w.raw)).toEqual(want)
  })

  it.each(ANSIBLE_ERRORS)('scanWords(%j) is refused', (input, message, offset) => {
    expect(splitError(() => scanWords(input, 'ansible'))).toMatchObject({ message, offset })
  })

  // Deliberate differences from Ansible's split_args (see engine/source/split.ts): a "}}" quoted inside a block
  // does not close it; tabs separate words; no trailing blank is kept on a word.
  it.each([
    ['a={{ "}}" }} b', ['a={{ "}}" }}', 'b']],
    ['a\tb  c', ['a', 'b', 'c']],
  ])('scanWords(%j), where tsplay differs on purpose', (input, want) => {
    expect(scanWords(input, 'ansible').map((w) => w.raw)).toEqual(want)
  })
})

describe('key=value', () => {
  it.each(KV_CASES)('parseKeyValues(%j)', (input, want) => expect(parseKeyValues(input)).toEqual(want))

  it.each([
    ['git', '"git" is not key=value', 0],
    ['name=git please', '"please" is not key=value', 9],
    ['=x', '"=x" is not key=value', 0],
    ['"a=b"', '""a=b"" is not key=value', 0],
    ['name="open', 'unterminated double quote', 5],
  ])('parseKeyValues(%j) is refused', (input, message, offset) => {
    expect(splitError(() => parseKeyValues(input))).toMatchObject({ message, offset })
  })

  it('keeps each word with its offsets', () => {
    expect(keyValueWords('make x="a b"')).toEqual([
      { raw: 'make', start: 0, end: 4 },
      { raw: 'x="a b"', start: 5, end: 12, key: 'x', value: 'a b' },
    ])
  })

  it.each([
    ['a\\tb', 'a\tb'],
    ['\\s\\d\\=', '\\s\\d\\='],
    ['\\\\n', '\\n'],
    ['\\U0001F600', '😀'],
    ['\\UFFFFFFFF', '\\UFFFFFFFF'],
  ])('decodeEscapes(%j)', (input, want) => expect(decodeEscapes(input)).toBe(want))

  it.each([
    ['"x y"', 'x y'],
    ["'x'", 'x'],
    ['"x\'', '"x\''],
    ['"', '"'],
    ['"x\\"', '"x\\"'],
  ])('unquote(%j)', (input, want) => expect(unquote(input)).toBe(want))
})

describe('free-form', () => {
  const known = ['creates', 'removes', 'chdir']
  it.each(FREE_FORM_CASES)('splitFreeForm(%j)', (input, want) => expect(splitFreeForm(input, known)).toEqual(want))

  it.each([
    ['make creates="/out dir" install', { text: 'make  install', params: { creates: '/out dir' } }],
    ['echo x  \n  chdir=/a', { text: 'echo x', params: { chdir: '/a' } }],
    ['cat <<EOF\nline one\nEOF\n', { text: 'cat <<EOF\nline one\nEOF', params: {} }],
  ])('keeps the rest as written: %j', (input, want) => expect(splitFreeForm(input, known)).toEqual(want))

  it('refuses an unclosed quote, as Ansible does', () => {
    expect(splitError(() => splitFreeForm(`cat <<EOF\nDon't panic\nEOF`, known))).toMatchObject({
      message: 'unterminated single quote',
      offset: 13,
    })
  })
})
