/**
 * The path probe on a real `/bin/sh`: a small file is read by the shell itself and hashed on the controller, a larger
 * one by the checksum program; a small file whose bytes do not arrive as they are (NUL bytes, not UTF-8) is hashed
 * on the host after all. Every checksum must equal the file's real one.
 *
 * @example
 * ```sh
 * npx vitest run modules/lib/probe.test.ts
 * ```
 */
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import type { Command } from '../../engine/types.js'
import { localIO } from '../../test/helpers/module-ctx.js'
import {
  arrivedWhole,
  completeChecksum,
  parsePathProbe,
  pathProbe,
  probedContent,
  READ_IN_SHELL_MAX,
  type ChecksumAlgorithm,
} from './probe.js'

const dir = mkdtempSync(join(tmpdir(), 'tsplay-probe-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Run commands locally, keeping their argv for the assertions. */
function io(): { io: ReturnType<typeof localIO>; ran: Command[][] } {
  const ran: Command[][] = []
  return { io: localIO({ log: ran }), ran }
}

const sum = (algo: string, bytes: Buffer) => createHash(algo).update(bytes).digest('hex')

describe('pathProbe checksums', () => {
  const cases: [string, Buffer, ChecksumAlgorithm][] = [
    ['empty', Buffer.alloc(0), 'sha1'],
    ['text', Buffer.from('setting1 = on\n'), 'sha1'],
    ['no final newline, backslashes, blanks', Buffer.from('  a\\b  \n\tx\\n\r\nlast \\'), 'sha1'],
    ['blank lines only', Buffer.from('\n\n\n'), 'sha256'],
    ['UTF-8', Buffer.from('grüße ✓\n'), 'md5'],
    ['at the limit', Buffer.from('x'.repeat(READ_IN_SHELL_MAX - 1) + '\n'), 'sha1'],
    ['over the limit', Buffer.from('y\n'.repeat(READ_IN_SHELL_MAX)), 'sha512'],
    ['NUL bytes', Buffer.from('a\0b\n'), 'sha1'],
    ['not UTF-8', Buffer.from([0x61, 0xff, 0xfe, 0x0a]), 'sha1'],
  ]
  test.each(cases)("%s: the checksum is the file's", async (name, bytes, algo) => {
    const file = join(dir, `sum-${name.replace(/\W+/g, '-')}`)
    writeFileSync(file, bytes)
    const t = io()
    const [r] = await t.io.batch([pathProbe(file, { checksum: algo })])
    const info = await completeChecksum(t.io, file, parsePathProbe(r.stdout))
    expect(info.exists && info.checksum).toBe(sum(algo, bytes))
    expect(info.exists && info.unhashed).toBeUndefined()
    // the shell reads small files itself; a second command only when the bytes did not arrive whole
    const small = bytes.length <= READ_IN_SHELL_MAX
    const second = small && (bytes.includes(0) || name === 'not UTF-8')
    expect(t.ran.length, name).toBe(second ? 2 : 1)
    if (small) expect(r.stdout.split('\n')[5]).toBe(`=${algo}`)
    if (bytes.length > READ_IN_SHELL_MAX) expect(r.stdout.split('\n')[5]).toBe(`${sum(algo, bytes)}  -`)
  })

  test('a symlink is hashed by the program, through the link only when following', async () => {
    const target = join(dir, 'link-target')
    writeFileSync(target, 'linked\n')
    const link = join(dir, 'link')
    const t = io()
    await t.io.run({ argv: ['ln', '-sf', target, link] })
    const [followed, notFollowed] = await t.io.batch([
      pathProbe(link, { checksum: 'sha1' }),
      pathProbe(link, { checksum: 'sha1', follow: false }),
    ])
    const a = parsePathProbe(followed.stdout)
    expect(a.exists && a.checksum).toBe(sum('sha1', Buffer.from('linked\n')))
    expect(a.exists && a.linkTarget).toBe(target)
    const b = parsePathProbe(notFollowed.stdout)
    expect(b.exists && b.checksum).toBeUndefined()
  })

  test('the content asked along arrives whole, or says it did not', async () => {
    const t = io()
    const good = join(dir, 'content-good')
    writeFileSync(good, 'a\n  b  \nc')
    const bad = join(dir, 'content-nul')
    writeFileSync(bad, 'a\0b\n')
    const [g, b] = await t.io.batch([pathProbe(good, { content: true }), pathProbe(bad, { content: true })])
    expect(arrivedWhole(probedContent(g.stdout)!, 9)).toBe(true)
    expect(probedContent(g.stdout)).toBe('a\n  b  \nc')
    expect(arrivedWhole(probedContent(b.stdout)!, 4)).toBe(false)
  })

  test("a probe line naming an unknown algorithm is not a probe's output", () => {
    const line = 'regular file\t644\t0\t0\troot\troot\t2\t1\t2\t3\t4\t5\t1'
    expect(() => parsePathProbe(`exists\nrw-\n${line}\n-\n-\n=crc32\n-\n+\nx\n`)).toThrow(/unexpected output/)
    const info = parsePathProbe(`exists\nrw-\n${line}\n-\n-\n=sha1\n-\n+\nx\n`)
    expect(info.exists && info.checksum).toBe(sum('sha1', Buffer.from('x\n')))
  })
})
