import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import uri from './uri.js'
import { localAsyncIO, localIO, planOf, playbookArgs, runWith, testCtx } from '../test/helpers/module-ctx.js'
import { startWeb, type Web } from '../test/helpers/web.js'

describe('plan: src', () => {
  test.each([
    ['a controller file: its text in the config', {}, { srcText: 'a\n"b"' }, 'data-binary = "a\\n\\"b\\""'],
    ['remote_src: curl reads the host file', { remote_src: true }, { srcReadable: true }, 'data-binary = "@/d/p.json"'],
  ])('%s', (_n, extra, state, line) => {
    const plan = planOf(uri, state, {
      url: 'http://x/',
      method: 'POST',
      src: '/d/p.json',
      body_format: 'json',
      ...extra,
    })
    const text = String(plan.commands[0]?.stdin)
    expect(text).toContain(line)
    expect(text).toContain('Content-Type: application/json')
    expect(text.match(/data-binary/g)).toHaveLength(1)
  })

  test('an unreadable host file fails as Ansible does, after creates is looked at', () => {
    const args = { url: 'http://x/', src: 'p.json', remote_src: true, creates: '/c' }
    expect(planOf(uri, { srcReadable: false }, args)).toMatchObject({ fail: 'Unable to open source file p.json' })
    expect(planOf(uri, { srcReadable: false, creates: true }, args)).toMatchObject({ commands: [], changed: false })
  })

  test('body and src are mutually exclusive', () => {
    expect(() => playbookArgs(uri, { url: 'http://x/', body: 'a', src: 'f' })).toThrow(/mutually exclusive/)
  })
})

const dir = mkdtempSync(join(tmpdir(), 'tsplay-uri-src-'))
let web: Web
beforeAll(async () => {
  mkdirSync(join(dir, 'files'))
  writeFileSync(join(dir, 'files', 'pass0.json'), '["é", {"k": 1}]\n')
  writeFileSync(join(dir, 'bin'), Buffer.from([0, 1, 0xff, 10]))
  writeFileSync(join(dir, 'bad.txt'), Buffer.from([0x61, 0xff]))
  web = await startWeb((req, res) => res.setHeader('Content-Type', 'text/plain').end(req.body))
})
afterAll(async () => {
  await web.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('gather and a request to a loopback server', () => {
  const ctx = testCtx({ searchPaths: [dir] })
  const post = { method: 'POST', return_content: true }

  test('a controller file found in files/ is sent as it is', async () => {
    const r = await runWith(
      uri,
      { url: web.base, src: 'pass0.json', body_format: 'json', ...post },
      ctx,
      localAsyncIO(),
    )
    expect(r.failed).toBeUndefined()
    expect(web.seen.at(-1)!.body).toBe('["é", {"k": 1}]\n')
    expect(web.seen.at(-1)!.headers['content-type']).toBe('application/json')
  })

  test('remote_src: the host file is sent byte for byte', async () => {
    const src = join(dir, 'bin')
    const r = await runWith(uri, { url: web.base, src, remote_src: true, ...post }, ctx, localAsyncIO())
    expect(r.failed).toBeUndefined()
    expect(web.seen.at(-1)!.headers['content-length']).toBe('4')
  })

  test.each([
    ['missing.json', {}, /could not find src 'missing.json'/],
    [join(dir, 'bad.txt'), {}, /only a UTF-8 text file/],
    [join(dir, 'nope'), { remote_src: true }, `Unable to open source file ${join(dir, 'nope')}`],
    [dir, { remote_src: true }, `Unable to open source file ${dir}`],
  ])('%s refused before anything is sent', async (src, extra, msg) => {
    const before = web.seen.length
    const r = runWith(uri, { url: web.base, src, ...extra }, ctx, localIO())
    await r.then(
      (res) => expect(res.msg ?? res.data.msg).toMatch(msg),
      (e: Error) => expect(e.message).toMatch(msg),
    )
    expect(web.seen.length).toBe(before)
  })
})
