import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { runModule } from '../engine/run/module-call.js'
import { execFileSync } from 'node:child_process'
import stat, { statResult } from './stat.js'
import { parsePathProbe, pathProbe, probedContent, probedFolder } from './lib/probe.js'
import { localIO, playbookArgs, testCtx } from '../test/helpers/module-ctx.js'

const dir = mkdtempSync(join(tmpdir(), 'tsplay-stat-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
writeFileSync(join(dir, 'f'), 'hello\n', { mode: 0o640 })
symlinkSync('f', join(dir, 'l'))
symlinkSync('nowhere', join(dir, 'dangling'))
execFileSync('mkfifo', [join(dir, 'fifo')])

const run = async (written: Record<string, unknown>) => {
  const { plan: p } = await runModule(stat, playbookArgs(stat, written), testCtx(), localIO()) // as the runner does
  expect(p.commands).toEqual([])
  expect(p.changed).toBe(false)
  return (p.data as { stat: Record<string, unknown> }).stat
}

describe('stat on this machine', () => {
  test.each([
    [
      { path: join(dir, 'f') },
      {
        exists: true,
        isreg: true,
        isdir: false,
        islnk: false,
        mode: '0640',
        size: 6,
        checksum: 'f572d396fae9206628714fb2ce00f72e94f2258f',
        rusr: true,
        roth: false,
        mimetype: 'text/plain',
        charset: 'us-ascii',
      },
    ],
    [
      { path: join(dir, 'f'), checksum_algorithm: 'sha256' },
      { checksum: '5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03' },
    ],
    [{ path: join(dir, 'f'), get_checksum: false }, { checksum: undefined }],
    [
      { dest: join(dir, 'l') },
      { islnk: true, isreg: false, lnk_target: 'f', lnk_source: join(dir, 'f'), checksum: undefined },
    ],
    [
      { name: join(dir, 'l'), follow: true },
      { islnk: false, isreg: true, mode: '0640' },
    ],
    [
      { path: join(dir, 'dangling'), follow: true },
      { exists: true, islnk: true, lnk_target: 'nowhere' },
    ],
    [{ path: dir }, { isdir: true, isreg: false, executable: true, mimetype: 'inode/directory' }],
    [
      { path: join(dir, 'f'), get_mime: false },
      { exists: true, mimetype: undefined },
    ],
    [{ path: join(dir, 'fifo') }, { isfifo: true }],
    [{ path: join(dir, 'missing') }, { exists: false, mimetype: undefined }],
    [{ path: join(dir, "$(touch pwned)'") }, { exists: false }],
  ] as [Record<string, unknown>, Record<string, unknown>][])('%j', async (args, want) => {
    const s = await run(args)
    const defined = Object.fromEntries(Object.entries(want).filter(([, v]) => v !== undefined))
    expect(s).toMatchObject(defined)
    for (const [k, v] of Object.entries(want)) if (v === undefined) expect(s[k]).toBeUndefined()
    if (want.exists !== false) expect(s.path).toBe(Object.values(args)[0])
  })
  test('owner names and ids come from the host', async () => {
    const s = await run({ path: join(dir, 'f') })
    expect(s.uid).toBe(process.getuid!())
    expect(typeof s.pw_name).toBe('string')
  })
})

describe('probe parsing', () => {
  test.each([
    ['absent\n', { exists: false }],
    ['garbage', 'throws'],
  ])('%j', (out, want) => {
    if (want === 'throws') expect(() => parsePathProbe(out)).toThrow(/unexpected output/)
    else expect(parsePathProbe(out)).toEqual(want)
  })
  test('the folder asked along rides on the first line', () => {
    expect(probedFolder('absent d\n')).toBe(true)
    expect(probedFolder('absent -\n')).toBe(false)
    expect(probedFolder('absent\n')).toBeUndefined()
    expect(parsePathProbe('absent -\n')).toEqual({ exists: false })
  })
  test.each([
    ['text', 'a\n+\nexists\n', 'a\n+\nexists\n'],
    ['no final newline', 'x\ny', 'x\ny'],
    ['empty', '', ''],
  ])('content asked along comes back byte for byte: %s', (name, text, want) => {
    const file = join(dir, `content-${name.replace(/ /g, '-')}`)
    writeFileSync(file, text)
    const out = execFileSync('/bin/sh', pathProbe(file, { content: true }).argv.slice(1), { encoding: 'utf8' })
    expect(probedContent(out)).toBe(want)
    expect(parsePathProbe(out)).toMatchObject({ exists: true, self: { size: Buffer.byteLength(text) } })
  })
  test('content is not read through a symlink, nor from a folder', () => {
    for (const p of [join(dir, 'l'), dir]) {
      const out = execFileSync('/bin/sh', pathProbe(p, { content: true }).argv.slice(1), { encoding: 'utf8' })
      expect(probedContent(out)).toBeUndefined()
    }
    const out = execFileSync('/bin/sh', pathProbe(join(dir, 'l'), { content: true }).argv.slice(1), {
      encoding: 'utf8',
    })
    expect(parsePathProbe(out)).toMatchObject({ exists: true, linkTarget: 'f' })
  })
  test('a link target with tabs and newlines survives', () => {
    const line = 'symbolic link\t777\t0\t0\troot\troot\t5\t1\t2\t3\t4\t5\t1'
    const info = parsePathProbe(`exists\nrwx\n${line}\n-\n/x/ab\n-\n-\na\tb\nc\n`)
    expect(info.exists && info.linkTarget).toBe('a\tb\nc')
    expect(statResult('/p', { exists: false }, false)).toEqual({ exists: false })
  })
})
