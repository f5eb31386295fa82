import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import uri from './uri.js'
import { multipartBody } from './lib/multipart.js'
import { localAsyncIO, localIO, planOf, runWith, testCtx, type WrittenArgs } from '../test/helpers/module-ctx.js'
import { startWeb, type Web } from '../test/helpers/web.js'

const B = '===============0000000000000000042=='
const cfg = (args: WrittenArgs<typeof uri>, state = {}) =>
  String(planOf(uri, { boundary: B, files: new Map(), ...state }, args).commands[0]?.stdin ?? '')

describe('plan: body_format form-multipart', () => {
  test.each([
    [
      'text fields: the multipart type with its boundary, the body in the config',
      { url: 'http://x/', method: 'POST', body_format: 'form-multipart' as const, body: { a: 'x' } },
      [
        `header = "Content-Type: multipart/form-data; boundary=\\"${B}\\""`,
        `data-binary = "--${B}\\r\\nContent-Type: text/plain\\r\\nContent-Disposition: form-data; name=\\"a\\"`,
      ],
      [],
    ],
    [
      "the caller's Content-Type replaced, whatever its case",
      {
        url: 'http://x/',
        method: 'POST',
        body_format: 'form-multipart' as const,
        body: { a: 'x' },
        headers: { 'content-TYPE': 'text/x', 'X-A': 'b' },
      },
      ['multipart/form-data', 'header = "X-A: b"'],
      ['text/x'],
    ],
  ])('%s', (_n, args, has, hasNot) => {
    const text = cfg(args)
    for (const h of has) expect(text).toContain(h)
    for (const h of hasNot) expect(text).not.toContain(h)
  })

  test.each([
    [{ i: 1 }, {}, 'failed to parse body as form-multipart: value must be a string, or mapping, cannot be type int'],
    [
      { i: {} },
      { creates: true },
      'failed to parse body as form-multipart: at least one of filename or content must be provided',
    ],
  ])('%j fails before creates is looked at', (body, state, msg) => {
    const plan = planOf(
      uri,
      { boundary: B, ...state },
      { url: 'u', body_format: 'form-multipart', body, creates: '/c' },
    )
    expect(plan).toMatchObject({ commands: [], fail: msg })
  })
})

const dir = mkdtempSync(join(tmpdir(), 'tsplay-uri-mp-'))
let web: Web
beforeAll(async () => {
  mkdirSync(join(dir, 'files'))
  writeFileSync(join(dir, 'files', 'formdata.txt'), '_multipart/form-data_\n')
  web = await startWeb((req, res) => res.setHeader('Content-Type', 'text/plain').end(req.body))
})
afterAll(async () => {
  await web.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('gather and a request to a loopback server', () => {
  const ctx = testCtx({ searchPaths: [dir] })
  test.each([
    [[1], 'body must be mapping, cannot be type list'],
    ['a=b', 'body must be mapping, cannot be type str'],
    [undefined, 'body must be mapping, cannot be type NoneType'],
    [{ f: { filename: 'nope.txt' } }, /could not find src 'nope.txt'/],
  ])('body %j refused before anything is sent', async (body, msg) => {
    const before = web.seen.length
    const args = { url: web.base, method: 'POST', body_format: 'form-multipart' as const, body }
    await expect(runWith(uri, args, ctx, localIO())).rejects.toThrow(msg)
    expect(web.seen.length).toBe(before)
  })

  test('the server receives the body built from the files/ file, the content and the text fields', async () => {
    const body = {
      file1: { filename: 'formdata.txt' },
      file2: { content: 'text based file content\n', filename: 'fake.txt', mime_type: 'text/plain' },
      text: 'é',
    }
    const r = await runWith(
      uri,
      { url: web.base, method: 'POST', body_format: 'form-multipart', body, return_content: true },
      ctx,
      localAsyncIO(),
    )
    expect(r.failed).toBeUndefined()
    const seen = web.seen.at(-1)!
    const boundary = /boundary="(={15}\d{19}==)"$/.exec(String(seen.headers['content-type']))?.[1]
    expect(boundary).toBeDefined()
    const files = new Map([['formdata.txt', Buffer.from('_multipart/form-data_\n')]])
    expect(seen.body).toBe(multipartBody(body, { files, boundary: boundary! }).body)
    expect(seen.body).toContain('filename="formdata.txt"\r\n\r\nX211bHRpcGFydC9mb3JtLWRhdGFfCg==\r\n')
    expect(r.data.content).toBe(seen.body)
  })
})
