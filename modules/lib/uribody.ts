/**
 * The request body of `uri` and what building it needs, as Ansible's `uri` encodes it: `json` (Python's
 * `json.dumps`), `form-urlencoded`, `form-multipart` (modules/lib/multipart.ts: the files its fields name are read
 * on the controller, looked up as `files/` sources as Ansible's action does, and the host's `mime.types` files read
 * for a part that names no `mime_type`) or `raw`.
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
}

const MIME = 'for f; do if [ -f "$f" ]; then cat -- "$f"; echo; fi; done'

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** A map field that names no `mime_type` (its type is guessed from the host's tables). */
const guesses = (body: Record<string, unknown>) => Object.values(body).some((v) => isMap(v) && !v.mime_type)

/**
 * For `form-multipart`: the controller files the fields name, the host's `mime.types` texts when a part's type is
 * guessed, a fresh boundary. Fails as Ansible's action does when the body is not a map or a file is missing.
 */
export async function gatherMultipart(a: BodyArgs, ctx: ModuleContext, io: HostIO): Promise<MultipartState> {
  if (a.body_format !== 'form-multipart') return {}
  if (!isMap(a.body)) throw new ModuleFailure(`body must be mapping, cannot be type ${pyTypeName(a.body)}`)
  const files = new Map<string, Buffer>()
  for (const name of fileFields(a.body))
    files.set(name, await readFile(await findSource(name, ctx.searchPaths, 'files')))
  const mimeTables = guesses(a.body) ? [(await io.batch([sh(MIME, [...MIME_FILES])]))[0].stdout] : []
  return { files, mimeTables, boundary: randomBoundary() }
}

/** The body and the Content-Type it implies; `force`: that type replaces the caller's. Throws Ansible's message. */
export function encodeBody(a: BodyArgs, s: MultipartState): { text?: string; type?: string; force?: boolean } {
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
