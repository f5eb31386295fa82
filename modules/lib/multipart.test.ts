import { describe, expect, test } from 'vitest'
import { guessType } from './mimetypes.js'
import { dispositionParam, fileFields, multipartBody, randomBoundary } from './multipart.js'

const B = '===============0000000000000000042=='
/** The body from its parts' texts (each: headers, blank line, payload), as Python's generator joins them. */
const lines = (...l: string[]) => l.join('\r\n')
const want = (parts: string[]) => `--${B}\r\n${parts.join(`\r\n--${B}\r\n`)}\r\n--${B}--\r\n`
const files = new Map([
  ['formdata.txt', Buffer.from('_multipart/form-data_\n')],
  ['noeol.bin', Buffer.from('x')],
  ['rnd.bin', Buffer.from(Array.from({ length: 200 }, (_, i) => i))],
  ['empty.txt', Buffer.alloc(0)],
])

// each expected body is what Ansible 2.14's prepare_multipart (Python 3.11) built for the fields, boundary fixed
describe('multipartBody: the body Ansible builds', () => {
  test.each([
    [
      "the integration target's fields: a file, a file given by content, text fields",
      {
        file1: { filename: 'formdata.txt' },
        file2: { content: 'text based file content', filename: 'fake.txt', mime_type: 'text/plain' },
        text_form_field1: 'value1',
        text_form_field2: { content: 'value2', mime_type: 'text/plain' },
      },
      [
        lines(
          'Content-Transfer-Encoding: base64',
          'Content-Type: text/plain',
          'Content-Disposition: form-data; name="file1"; filename="formdata.txt"',
          '',
          'X211bHRpcGFydC9mb3JtLWRhdGFfCg==',
          '',
        ),
        lines(
          'Content-Type: text/plain',
          'Content-Disposition: form-data; name="file2"; filename="fake.txt"',
          '',
          'text based file content',
        ),
        lines('Content-Type: text/plain', 'Content-Disposition: form-data; name="text_form_field1"', '', 'value1'),
        lines('Content-Type: text/plain', 'Content-Disposition: form-data; name="text_form_field2"', '', 'value2'),
      ],
    ],
    [
      'fields sorted, line ends made CRLF, a non-ASCII file name in RFC 2231 form, its folder left out',
      { b: 'line1\nline2\r\nline3\rend\n', a: { content: 'é ü', filename: 'dir/ré"s\\.txt' } },
      [
        lines(
          'Content-Type: text/plain',
          `Content-Disposition: form-data; name="a"; filename*=utf-8''r%C3%A9%22s%5C.txt`,
          '',
          'é ü',
        ),
        lines(
          'Content-Type: text/plain',
          'Content-Disposition: form-data; name="b"',
          '',
          'line1',
          'line2',
          'line3',
          'end',
          '',
        ),
      ],
    ],
    [
      'files in base64 lines of 76, an empty file, a type without a subtype',
      { f: { filename: 'noeol.bin' }, g: { filename: 'rnd.bin', mime_type: 'image' }, h: { filename: 'empty.txt' } },
      [
        lines(
          'Content-Transfer-Encoding: base64',
          'Content-Type: application/octet-stream',
          'Content-Disposition: form-data; name="f"; filename="noeol.bin"',
          '',
          'eA==',
          '',
        ),
        lines(
          'Content-Transfer-Encoding: base64',
          'Content-Type: image/',
          'Content-Disposition: form-data; name="g"; filename="rnd.bin"',
          '',
          'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4',
          'OTo7PD0+P0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5fYGFiY2RlZmdoaWprbG1ub3Bx',
          'cnN0dXZ3eHl6e3x9fn+AgYKDhIWGh4iJiouMjY6PkJGSk5SVlpeYmZqbnJ2en6ChoqOkpaanqKmq',
          'q6ytrq+wsbKztLW2t7i5uru8vb6/wMHCw8TFxsc=',
          '',
        ),
        lines(
          'Content-Transfer-Encoding: base64',
          'Content-Type: text/plain',
          'Content-Disposition: form-data; name="h"; filename="empty.txt"',
          '',
          '',
        ),
      ],
    ],
    [
      'types guessed from the name; an empty field name',
      {
        '': 'empty name',
        t: { filename: 'x.tar.gz', content: 'c' },
        u: { filename: 'x.tgz', content: 'c' },
        v: { filename: '.bashrc', content: 'c' },
        w: { filename: 'a.JPG', content: 'c' },
        y: { filename: 'a.webp', content: 'c' },
        z: { filename: 'a.nosuch', content: 'c' },
      },
      [
        lines('Content-Type: text/plain', 'Content-Disposition: form-data; name', '', 'empty name'),
        lines(
          'Content-Type: application/x-tar',
          'Content-Disposition: form-data; name="t"; filename="x.tar.gz"',
          '',
          'c',
        ),
        lines('Content-Type: application/x-tar', 'Content-Disposition: form-data; name="u"; filename="x.tgz"', '', 'c'),
        lines(
          'Content-Type: application/octet-stream',
          'Content-Disposition: form-data; name="v"; filename=".bashrc"',
          '',
          'c',
        ),
        lines('Content-Type: image/jpeg', 'Content-Disposition: form-data; name="w"; filename="a.JPG"', '', 'c'),
        lines('Content-Type: image/webp', 'Content-Disposition: form-data; name="y"; filename="a.webp"', '', 'c'),
        lines(
          'Content-Type: application/octet-stream',
          'Content-Disposition: form-data; name="z"; filename="a.nosuch"',
          '',
          'c',
        ),
      ],
    ],
    ['no fields', {}, ['']],
    [
      "content that is not text written as Python's str(); the host's mime.types consulted",
      { n: { content: 5, filename: 'a.md' }, o: { content: 'x', filename: 'a.py' } },
      [
        lines('Content-Type: text/markdown', 'Content-Disposition: form-data; name="n"; filename="a.md"', '', '5'),
        lines('Content-Type: text/x-python', 'Content-Disposition: form-data; name="o"; filename="a.py"', '', 'x'),
      ],
    ],
  ])('%s', (_n, fields, parts) => {
    const r = multipartBody(fields, { files, boundary: B, mimeTables: ['# comment\ntext/markdown md markdown\n'] })
    expect(r.contentType).toBe(`multipart/form-data; boundary="${B}"`)
    expect(r.body).toBe(want(parts))
  })

  test.each([
    [{ i: 1 }, 'value must be a string, or mapping, cannot be type int'],
    [{ i: 1.5 }, 'value must be a string, or mapping, cannot be type float'],
    [{ i: null }, 'value must be a string, or mapping, cannot be type NoneType'],
    [{ i: { mime_type: 'text/plain' } }, 'at least one of filename or content must be provided'],
    [{ i: { filename: '', content: '' } }, 'at least one of filename or content must be provided'],
    [{ i: [1] }, 'value must be a string, or mapping, cannot be type list'],
    [[1], 'Mapping is required, cannot be type list'],
  ])('refused as Ansible refuses: %j', (fields, msg) => {
    expect(() => multipartBody(fields, { files, boundary: B })).toThrow(msg)
  })

  test('a boundary that occurs in a part is made unique', () => {
    const r = multipartBody({ a: `x--${B}` }, { files, boundary: B })
    expect(r.contentType).toBe(`multipart/form-data; boundary="${B}.0"`)
  })
})

describe('the pieces', () => {
  test.each([
    [
      { a: { filename: 'f' }, b: { filename: 'g', content: 'c' }, c: 'x', d: { content: 'y' }, e: { filename: 5 } },
      ['f', '5'],
    ],
    ['text', []],
  ])('fileFields: the files to read on the controller (%j)', (body, names) => expect(fileFields(body)).toEqual(names))
  test.each([
    ['name', 'a b', 'name="a b"'],
    ['name', 'q"\\', 'name="q\\"\\\\"'],
    ['name', '', 'name'],
    ['filename', 'ü ~.txt', "filename*=utf-8''%C3%BC%20~.txt"],
  ])('dispositionParam(%s, %j)', (n, v, out) => expect(dispositionParam(n, v)).toBe(out))
  test('randomBoundary: 15 =, 19 digits, ==', () => expect(randomBoundary()).toMatch(/^={15}\d{19}==$/))
  test.each([
    ['/tmp/x/notes.txt', [], 'text/plain'],
    ['a.tar.gz', [], 'application/x-tar'],
    ['a.svgz', [], 'image/svg+xml'],
    ['a.gz', [], undefined],
    ['.txt', [], undefined],
    ['..a.txt', [], 'text/plain'],
    ['a.JPG', [], 'image/jpeg'],
    ['a.jpg', ['image/x-mine jpg'], 'image/x-mine'],
    ['a.rtf', [], 'application/rtf'],
    ['a.md', ['text/markdown md #x ignored'], 'text/markdown'],
    ['a.x', ['text/a x', 'text/b x'], 'text/b'],
  ])('guessType(%s, %j) → %s', (p, tables, out) => expect(guessType(p, tables)).toBe(out))
})
