/**
 * The request body of `uri` and what building it needs, as Ansible's `uri` encodes it: `json` (Python's
 * `json.dumps`), `form-urlencoded`, `form-multipart` (modules/lib/multipart.ts: the files its fields name are read
 * on the controller, looked up as `files/` sources as Ansible's action does, and the host's `mime.types` files read
 * for a part that names no `mime_type`) or `raw`. With `src` the body is a file instead: a controller file (looked up
 * as `copy`'s `src`, sent as UTF-8 text) or, with `remote_src`, a file on the host that curl reads itself.
 *
 * @example
 * ```ts
 * encodeBody({ body: { a: 1 }, body_format: 'json' }, {})  // { text: '{"a": 1}', type: 'application/json' }
 * ```
 */
import { readFile } from 'node:fs/promises'
import { sh } from '../../engine/commands.js'
import { pyJson } from '../../engine/expr/pystr.js'
import { ModuleFailure, type HostIO, type ModuleContext } from '../../engine/module.js'
import { findSource } from './files.js'
import { MIME_FILES } from './mimetypes.js'
import { fileFields, multipartBody, pyTypeName, randomBoundary } from './multipart.js'
import { formUrlencoded } from './pyfmt.js'

/** What a `form-multipart` body needs besides the arguments (read by `gatherMultipart`). */
export interface MultipartState {
  /** The controller files the fields name, by `filename` as written. */
  files?: Map<string, Buffer>
  mimeTables?: string[]
  boundary?: string
}

/** The arguments the body comes from. */
export interface BodyArgs {
  body?: unknown
  body_format: string
  src?: string
  remote_src?: boolean
}

/** What a `src` body needs: the controller file's text, or whether the host's file can be read. */
export interface SrcState {
  srcText?: string
  srcReadable?: boolean
}

const READABLE = 'if [ -f "$1" ] && [ -r "$1" ]; then echo 1; else echo 0; fi'

const MIME = 'for f; do if [ -f "$f" ]; then cat -- "$f"; echo; fi; done'

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** A map field that names no `mime_type` (its type is guessed from the host's tables). */
const guesses = (body: Record<string, unknown>) => Object.values(body).some((v) => isMap(v) && !v.mime_type)

/**
 * For `form-multipart`: the controller files the fields name, the host's `mime.types` texts when a part's type is
 * guessed, a fresh boundary. Fails as Ansible's action does when the body is not a map or a file is missing.
 */
export async function gatherMultipart(a: BodyArgs, ctx: ModuleContext, io: HostIO): Promise<MultipartState> {
  if (a.body_format !== 'form-multipart' || a.src !== undefined) return {}
  if (!isMap(a.body)) throw new ModuleFailure(`body must be mapping, cannot be type ${pyTypeName(a.body)}`)
  const files = new Map<string, Buffer>()
  for (const name of fileFields(a.body))
    files.set(name, await readFile(await findSource(name, ctx.searchPaths, 'files')))
  const mimeTables = guesses(a.body) ? [(await io.batch([sh(MIME, [...MIME_FILES])]))[0].stdout] : []
  return { files, mimeTables, boundary: randomBoundary() }
}

/**
 * For `src`: the controller file's text (looked up in `files/` as `copy`'s `src`), or with `remote_src` whether
 * the host's file is a readable file. Fails on a controller file that is not UTF-8 text (curl's config carries it).
 */
export async function gatherSrc(a: BodyArgs, ctx: ModuleContext, io: HostIO): Promise<SrcState> {
  if (a.src === undefined) return {}
  if (a.remote_src) return { srcReadable: (await io.batch([sh(READABLE, [a.src])]))[0].stdout.trim() === '1' }
  const bytes = await readFile(await findSource(a.src, ctx.searchPaths, 'files'))
  const text = bytes.toString('utf8')
  if (text.includes('\0') || !Buffer.from(text, 'utf8').equals(bytes))
    throw new ModuleFailure(`src ${a.src}: only a UTF-8 text file without NUL bytes can be sent from the controller`)
  return { srcText: text }
}

/** The body (with `src`: the file's) and the Content-Type it implies. Throws Ansible's message. */
export function encodeBody(a: BodyArgs, s: MultipartState & SrcState): Body {
  const body = encodeArgs(a, s)
  if (a.src === undefined) return body
  if (a.remote_src) return { ...body, text: undefined, file: a.src }
  return { ...body, text: s.srcText ?? '' }
}

/** A request body: its text, or a file on the host; the Content-Type it implies (`force`: it replaces the caller's). */
export interface Body {
  text?: string
  file?: string
  type?: string
  force?: boolean
}

function encodeArgs(a: BodyArgs, s: MultipartState): Body {
  const b = a.body
  if (a.body_format === 'json') return { text: typeof b === 'string' ? b : pyJson(b ?? null), type: 'application/json' }
  if (a.body_format === 'form-urlencoded') {
    const text = typeof b === 'string' ? b : formUrlencoded(b ?? {})
    return { text, type: 'application/x-www-form-urlencoded' }
  }
  if (a.body_format === 'form-multipart') {
    try {
      const m = multipartBody(b, { ...s, files: s.files ?? new Map(), boundary: s.boundary ?? randomBoundary() })
      return { text: m.body, type: m.contentType, force: true }
    } catch (e) {
      throw new Error(`failed to parse body as form-multipart: ${(e as Error).message}`, { cause: e })
    }
  }
  if (b === undefined || b === null) return {}
  return { text: typeof b === 'string' ? b : JSON.stringify(b) }
}
