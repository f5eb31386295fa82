/**
 * `writeFile` through a real `/bin/sh` reading its frame, as the persistent shell runs it: the file ends up with
 * exactly the content's bytes, whether the shell copies it (small ASCII content, no program) or `head` does, with
 * its end line or as bare stdin; a short stdin never replaces the old file.
 *
 * @example
 * ```sh
 * npx vitest run --project unit test/engine/write-file.test.ts
 * ```
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { writeFile, WRITE_END } from '../../engine/commands.js'
import { renderCommand, renderFrame } from '../../engine/ssh/quote.js'

const dir = mkdtempSync(join(tmpdir(), 'tsplay-write-'))
const dest = join(dir, 'f')
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Run the write with `stdin` (default: what `writeFile` sends); the rc and what is in `dest` after it. */
function write(content: Buffer, stdin?: Buffer): { rc: number; got: Buffer; stderr: string } {
  writeFileSync(dest, 'old\n')
  const cmd = writeFile(dest, content, { mode: '0640' })
  const input = stdin ?? Buffer.from(cmd.stdin as Uint8Array)
  const frame = `${renderFrame('n0nce', 1, renderCommand(cmd), input)}`
  const r = spawnSync('/bin/sh', [], { input: frame })
  const marker = '\x1eTSPn0nce:1:'
  const out = r.stdout.toString('latin1')
  const rc = out.includes(marker) ? parseInt(out.slice(out.indexOf(marker) + marker.length), 10) : -1
  expect(readdirSync(dir)).toEqual(['f']) // no temp file left
  const stderr = r.stderr.toString()
  return { rc, got: readFileSync(dest), stderr: stderr.slice(0, stderr.indexOf(marker)) }
}

/** Whether the shell copies the content itself (the `text` argument after the temp file's). */
const inShell = (content: Buffer) => writeFile(dest, content).argv[11] === '1'

describe('writeFile writes every byte, by the shell or by head', () => {
  const cases: [string, Buffer, boolean][] = [
    ['empty', Buffer.alloc(0), true],
    ['one line', Buffer.from('setting1 = on\n'), true],
    ['no final newline', Buffer.from('a\nb'), true],
    ['blank lines, blanks, backslashes, CR', Buffer.from('\n  a\\nb \t\r\n\n\\'), true],
    ['the end text inside', Buffer.from(`${WRITE_END}\nx ${WRITE_END}\n${WRITE_END}`), true],
    ['shell syntax', Buffer.from('$(touch pwned) `x` $HOME %s %n\n'), true],
    ['at the limit', Buffer.from('x'.repeat(2047) + '\n'), true],
    ['over the limit', Buffer.from('y'.repeat(2048) + '\n'), false],
    ['UTF-8', Buffer.from('grüße ✓\n'), false],
    ['a NUL byte', Buffer.from('a\0b\n'), false],
    ['not UTF-8', Buffer.from([0x61, 0xff, 0x0a]), false],
  ]
  it.each(cases)('%s', (_, content, shell) => {
    expect(inShell(content)).toBe(shell)
    const r = write(content)
    expect(r.stderr).toBe('')
    expect(r.rc).toBe(0)
    expect(r.got).toEqual(content)
  })

  it.each(cases.filter(([, c]) => !c.includes(0)))('%s, bare stdin (no end line)', (_, content) => {
    const r = write(content, content)
    expect([r.rc, r.got]).toEqual([0, content])
  })

  it.each([
    ['small text', Buffer.from('line 1\nline 2\n')],
    ['big text', Buffer.from('z\n'.repeat(2000))],
  ])('%s: a short stdin leaves the old file', (_, content) => {
    const r = write(content, content.subarray(0, content.length - 3))
    expect(r.rc).toBe(4)
    expect(r.got.toString()).toBe('old\n')
    expect(r.stderr).toContain('short write')
  })
})

describe('backup', () => {
  it('names each backup as Ansible does, a new one for each write in the same second, and says which', () => {
    const bdir = mkdtempSync(join(tmpdir(), 'tsplay-backup-'))
    try {
      const file = join(bdir, 'conf')
      writeFileSync(file, 'v0\n')
      const made: string[] = []
      for (const v of ['v1\n', 'v2\n', 'v3\n']) {
        const cmd = writeFile(file, v, { backup: true })
        expect(cmd.reportsBackup).toBe(true)
        const r = spawnSync('/bin/sh', [], {
          input: renderFrame('n0nce', 1, renderCommand(cmd), Buffer.from(cmd.stdin as Uint8Array)),
        })
        made.push(/^backup_file=(.+)$/m.exec(r.stdout.toString())?.[1] ?? '')
      }
      expect(made.every((p) => /\/conf\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$/.test(p))).toBe(true)
      expect(new Set(made).size).toBe(3)
      expect(made.map((p) => readFileSync(p, 'utf8'))).toEqual(['v0\n', 'v1\n', 'v2\n'])
      expect(readFileSync(file, 'utf8')).toBe('v3\n')
      expect(writeFile(file, 'x').reportsBackup).toBeUndefined()
    } finally {
      rmSync(bdir, { recursive: true, force: true })
    }
  })
})
