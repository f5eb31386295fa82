import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import getUrl from './get_url.js'
import uri from './uri.js'
import { localAsyncIO, playbookArgs, runWith, testCtx } from '../test/helpers/module-ctx.js'
import { selfSignedCert, startWeb, type Web } from '../test/helpers/web.js'

/** The curl config of each module's request, the arguments read as a playbook's. */
const configs = (written: Record<string, unknown>) =>
  [
    uri.plan({}, playbookArgs(uri, { url: 'https://x/', ...written }), testCtx()),
    getUrl.plan(
      { info: { exists: false } } as never,
      playbookArgs(getUrl, { url: 'https://x/', dest: '/tmp/x', ...written }),
      testCtx(),
    ),
  ].map((p) => String(p.commands.at(-1)?.stdin ?? ''))

describe('ciphers: a list or a comma-joined string, joined with ":" in the curl config', () => {
  test.each([
    ['a list', ['ECDHE-RSA-AES128-SHA256', 'AES256-SHA'], 'ciphers = "ECDHE-RSA-AES128-SHA256:AES256-SHA"'],
    ['a comma-joined string', 'ECDHE-RSA-AES128-SHA256,AES256-SHA', 'ciphers = "ECDHE-RSA-AES128-SHA256:AES256-SHA"'],
    ['an OpenSSL list as one string', '@SECLEVEL=2:ECDH+AESGCM:!aNULL', 'ciphers = "@SECLEVEL=2:ECDH+AESGCM:!aNULL"'],
    ['an empty list: curl chooses', [], undefined],
    ['none: curl chooses', undefined, undefined],
  ])('%s', (_n, ciphers, line) => {
    for (const text of configs(ciphers ? { ciphers } : {})) {
      if (line) expect(text).toContain(`${line}\n`)
      else expect(text).not.toContain('ciphers')
    }
  })
})

const dir = mkdtempSync(join(tmpdir(), 'tsplay-ciphers-'))
let web: Web
beforeAll(async () => {
  // an RSA certificate, TLS 1.2 at most: an ECDSA-only cipher list has nothing in common with it
  web = await startWeb((_req, res) => res.end('secure\n'), { ...selfSignedCert(), maxVersion: 'TLSv1.2' })
})
afterAll(async () => {
  await web.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('against a loopback HTTPS server (RSA certificate, TLS 1.2)', () => {
  const ctx = testCtx()
  test.each([
    ['good cipher', 'ECDHE-RSA-AES128-SHA256', true],
    ['good cipher among others, as a list', ['ECDHE-ECDSA-AES128-SHA', 'ECDHE-RSA-AES128-SHA256'], true],
    ['bad cipher', 'ECDHE-ECDSA-AES128-SHA', false],
    ['no such cipher', 'NO-SUCH-CIPHER', false],
  ])('%s: uri and get_url succeed = %s', async (_n, ciphers, ok) => {
    const u = await runWith(
      uri,
      { url: web.base, validate_certs: false, ciphers: [ciphers].flat() },
      ctx,
      localAsyncIO(),
    )
    expect(u.failed === undefined, String(u.failed)).toBe(ok)
    if (ok) expect(u.data.status).toBe(200)
    else expect(u.data.status).toBe(-1)
    const dest = join(dir, `${String(ciphers)}.txt`)
    const g = await runWith(
      getUrl,
      { url: web.base, dest, validate_certs: false, ciphers: [ciphers].flat() },
      ctx,
      localAsyncIO(),
    )
    expect(g.failed === undefined, String(g.failed)).toBe(ok)
  })
})
