/**
 * A `multipart/form-data` request body built as Ansible's `uri` builds it for `body_format: form-multipart` (with
 * Python's `email` package, HTTP policy): fields in name order; a text field is a `text/plain` part; a map field
 * is a part of its `content`, or else of the file `filename` (base64, `Content-Transfer-Encoding: base64`), typed
 * `mime_type` or by the file name's extension; `filename` names the part's file (its last path element). Lines of
 * text parts end with CRLF. The boundary is Python's: 15 `=`, 19 digits, `==`.
 *
 * @example
 * ```ts
 * const { contentType, body } = multipartBody({ a: 'x', f: { filename: 'n.txt' } }, {
 *   files: new Map([['n.txt', Buffer.from('hi\n')]]), boundary: randomBoundary() })
 * // contentType: 'multipart/form-data; boundary="===============0123456789012345678=="'
 * ```
 */
import { randomBytes } from 'node:crypto'
import { pyStr } from '../../engine/expr/pystr.js'
import { guessType } from './mimetypes.js'

/** What building the body needs besides the fields. */
export interface MultipartInput {
  /** The bytes of each file a field names (by its `filename` as written), read on the controller. */
  files: ReadonlyMap<string, Buffer>
  boundary: string
  /** The host's `mime.types` texts, for a file part with no `mime_type`. */
  mimeTables?: readonly string[]
}

/** Python's `bool(v)`. */
const truthy = (v: unknown): boolean =>
  v !== undefined && v !== null && v !== false && v !== 0 && v !== '' && !(Array.isArray(v) && !v.length)

/** Python's name of a value's type, for Ansible's messages. */
export function pyTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType'
  if (typeof v === 'boolean') return 'bool'
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float'
  if (typeof v === 'string') return 'str'
  return Array.isArray(v) ? 'list' : 'dict'
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** The fields whose part is a controller file: a map with a `filename` and no `content` (Ansible reads those). */
export function fileFields(body: unknown): string[] {
  if (!isMap(body)) return []
  return Object.values(body)
    .filter((v) => isMap(v) && truthy(v.filename) && !truthy(v.content))
    .map((v) => pyStr((v as Record<string, unknown>).filename))
}

/** A random boundary in Python's form. */
export function randomBoundary(): string {
  const n = randomBytes(8).readBigUInt64BE() % 0x7fffffffffffffffn
  return `===============${n.toString().padStart(19, '0')}==`
}

/** `urllib.parse.quote(s, safe='')` over UTF-8. */
const percent = (s: string) =>
  Array.from(Buffer.from(s, 'utf8'))
    .map((b) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${hex(b)}`))
    .join('')
const hex = (b: number) => b.toString(16).toUpperCase().padStart(2, '0')

/** A `Content-Disposition` parameter as Python's `email` writes it (RFC 2231 form for non-ASCII values). */
export function dispositionParam(name: string, value: string): string {
  if (value === '') return name
  if ([...value].some((c) => c.charCodeAt(0) > 0x7f)) return `${name}*=utf-8''${percent(value)}`
  return `${name}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
}

/** Python's `base64.encodebytes`: lines of 76 characters, each ending with a newline. */
const base64Lines = (data: Buffer): string =>
  (data.toString('base64').match(/.{1,76}/g) ?? []).map((l) => `${l}\n`).join('')

/** One part: its header lines and its payload (line ends still to normalise). */
function part(field: string, value: unknown, input: MultipartInput): { headers: string[]; payload: string } {
  const disposition = (filename?: string) =>
    `Content-Disposition: form-data; ${dispositionParam('name', field)}` +
    (filename !== undefined ? `; ${dispositionParam('filename', filename)}` : '')
  if (typeof value === 'string') return { headers: ['Content-Type: text/plain', disposition()], payload: value }
  if (!isMap(value)) throw new Error(`value must be a string, or mapping, cannot be type ${pyTypeName(value)}`)
  const { filename, content } = value
  if (!truthy(filename) && !truthy(content)) throw new Error('at least one of filename or content must be provided')
  const name = truthy(filename) ? pyStr(filename) : undefined
  const mime = truthy(value.mime_type)
    ? pyStr(value.mime_type)
    : (guessType(name ?? '', input.mimeTables) ?? 'application/octet-stream')
  const slash = mime.indexOf('/')
  const type = slash < 0 ? `${mime}/` : mime
  const base = name === undefined ? undefined : name.slice(name.lastIndexOf('/') + 1)
  if (truthy(content)) return { headers: [`Content-Type: ${type}`, disposition(base)], payload: pyStr(content) }
  const data = input.files.get(name!)
  if (!data) throw new Error(`[Errno 2] No such file or directory: '${name!}'`)
  return {
    headers: ['Content-Transfer-Encoding: base64', `Content-Type: ${type}`, disposition(base)],
    payload: base64Lines(data),
  }
}

/** The Content-Type header and the body. Throws Ansible's message (after "failed to parse body as …: "). */
export function multipartBody(fields: unknown, input: MultipartInput): { contentType: string; body: string } {
  if (!isMap(fields)) throw new Error(`Mapping is required, cannot be type ${pyTypeName(fields)}`)
  const names = Object.keys(fields).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const texts = names.map((f) => {
    const p = part(f, fields[f], input)
    return `${p.headers.map((h) => `${h}\r\n`).join('')}\r\n${p.payload.replace(/\r\n|\r|\n/g, '\r\n')}`
  })
  let b = input.boundary
  for (let n = 0; texts.some((t) => t.includes(`--${b}`)); n++) b = `${input.boundary}.${n}`
  const body = `--${b}\r\n${texts.join(`\r\n--${b}\r\n`)}\r\n--${b}--\r\n`
  return { contentType: `multipart/form-data; boundary="${b}"`, body }
}
