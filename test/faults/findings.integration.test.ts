/**
 * Bugs the reliability tests found, kept as regression tests. They run the real shell text tsplay sends
 * (quote.ts, commands.ts) through a real `/bin/sh`, and a real CLI run over loopback sshd.
 *
 * 1. Fixed (befd44a, d3a26c2): a file upload cut off by a lost link. The persistent shell used to run a frame's
 *    here-doc cut short at EOF, writing the truncated content over the old file; an exec channel's `cat` saw EOF
 *    early the same way.
 * 2. Fixed (9e59fa3): a non-root login user could not update its own file when the file's group is not one of the
 *    user's groups: the atomic write copied owner and group onto the temp file even when neither was asked for.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { chownSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeFile } from '../../engine/commands.js'
import { renderCommand, renderExec, renderFrame } from '../../engine/ssh/quote.js'
import { writeTree } from '../helpers/cli.js'
import { canRunSshd, startSshd, type SshdFleet } from '../helpers/sshd.js'
import { bounded, explain, resultsOf, userDir } from './util.js'

const OLD = 'old content\n'
const NEW = `${'new content line\n'.repeat(20_000)}` // 340 KB

describe('a write cut off in transit never replaces the old file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-cut-'))
  const dest = join(dir, 'file.txt')
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  const frame = renderFrame('n0nce', 1, renderCommand(writeFile(dest, NEW)), Buffer.from(NEW))
  it.each([0.1, 0.5, 0.9])('persistent shell: the frame cut at %d of its length (link lost), then EOF', (at) => {
    writeFileSync(dest, OLD)
    spawnSync('/bin/sh', [], { input: frame.slice(0, Math.floor(frame.length * at)) })
    const now = readFileSync(dest, 'utf8')
    expect(now === OLD || now === NEW, `half-written: ${now.length} of ${NEW.length} bytes`).toBe(true)
    expect(readdirSync(dir)).toEqual(['file.txt'])
  })

  it('control: the whole frame writes the new content', () => {
    writeFileSync(dest, OLD)
    spawnSync('/bin/sh', [], { input: frame })
    expect(readFileSync(dest, 'utf8')).toBe(NEW)
  })

  it('control: the whole stdin over an exec channel writes the new content', () => {
    writeFileSync(dest, OLD)
    spawnSync('/bin/sh', ['-c', renderExec(writeFile(dest, NEW), undefined, Buffer.byteLength(NEW))], { input: NEW })
    expect(readFileSync(dest, 'utf8')).toBe(NEW)
  })

  it('exec channel: stdin that ends early (connection lost) does not replace the file', () => {
    writeFileSync(dest, OLD)
    const text = renderExec(writeFile(dest, NEW), undefined, Buffer.byteLength(NEW))
    spawnSync('/bin/sh', ['-c', text], { input: NEW.slice(0, NEW.length / 2) })
    const now = readFileSync(dest, 'utf8')
    expect(now === OLD || now === NEW, `half-written: ${now.length} of ${NEW.length} bytes`).toBe(true)
  })
})

const can = canRunSshd()

describe.skipIf(!can.ok)(`writing as a non-root user${can.ok ? '' : ` (skipped: ${can.why})`}`, () => {
  let fleet: SshdFleet
  let dir: string
  let base: string
  beforeAll(async () => {
    fleet = await startSshd({ count: 1, sudo: 'nopasswd' })
    base = userDir(fleet.user, 'tsplay-group-')
    dir = writeTree({
      'inventory.yml': fleet.inventoryYaml({ base }),
      'book.yml':
        '- hosts: all\n  gather_facts: false\n  tasks:\n    - { name: update, copy: { content: "new\\n", ' +
        'dest: "{{ base }}/mine.conf" } }\n',
    })
  })
  afterAll(async () => {
    await fleet?.stop()
    rmSync(base, { recursive: true, force: true })
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it("updates its own file whose group it is not in (as Ansible does), keeping the file's owner", async () => {
    const f = join(base, 'mine.conf')
    writeFileSync(f, 'old\n')
    // owner: the user, group: root
    chownSync(f, Number(execFileSync('id', ['-u', fleet.user], { encoding: 'utf8' })), 0)
    const r = await bounded(
      ['run', join(dir, 'book.yml'), '-i', join(dir, 'inventory.yml'), '--known-hosts', fleet.knownHostsFile, '--json'],
      { limitMs: 60_000 },
    )
    expect(resultsOf(r, 'update')[0]?.status, explain(r)).toBe('changed')
    expect(readFileSync(f, 'utf8')).toBe('new\n')
  }, 90_000)
})
