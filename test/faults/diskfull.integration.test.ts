/**
 * Disk full on the target while writing a file, end to end through the CLI against a real loopback sshd:
 * a 1 MiB tmpfs owned by the login user holds an old file and a filler that takes the rest; `copy`, `template`
 * and `lineinfile` onto the old file each fail clearly, the old file is byte for byte intact and no temp file is
 * left beside it. A control run after freeing the space proves the same tasks do write.
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeTree } from '../helpers/cli.js'
import { canRunSshd, startSshd, type SshdFleet } from '../helpers/sshd.js'
import { track } from '../helpers/leftovers.js'
import { bounded, explain, resultsOf, userDir } from './util.js'

const can = canRunSshd()
const OLD = `old content ${'o'.repeat(100)}\n`.repeat(1000) // ~110 KiB
const BIG = 'n'.repeat(300 * 1024)

/** Fill the rest of the filesystem of `dir` (as the login user would). */
function fill(dir: string): void {
  try {
    execFileSync('dd', ['if=/dev/zero', `of=${join(dir, 'filler')}`, 'bs=4096'], { stdio: 'ignore' })
  } catch {
    /* dd stops with ENOSPC: that is the point */
  }
}

describe.skipIf(!can.ok)(`disk full while writing a file${can.ok ? '' : ` (skipped: ${can.why})`}`, () => {
  let fleet: SshdFleet
  let dir: string
  let mnt: string
  let mounted = false
  const uid = () => execFileSync('id', ['-u', fleet.user], { encoding: 'utf8' }).trim()

  beforeAll(async () => {
    fleet = await startSshd({ count: 1, sudo: 'nopasswd' })
    mnt = userDir(fleet.user, 'tsplay-full-')
    track({ mounts: [mnt] }) // unmounted with this process if afterAll never runs
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=1m,mode=0755,uid=${uid()}`, 'tsplay-full', mnt])
    mounted = true
    dir = writeTree({
      'inventory.yml': fleet.inventoryYaml({ mnt }),
      'big.j2': `{{ filler }}\n${BIG}\n`,
      'write.yml': `
- hosts: all
  gather_facts: false
  vars: { filler: template }
  tasks:
    - { name: copy, copy: { content: ${JSON.stringify(BIG)}, dest: "{{ mnt }}/old.conf" }, ignore_errors: true }
    - { name: template, template: { src: big.j2, dest: "{{ mnt }}/old.conf" }, ignore_errors: true }
    - { name: lineinfile, lineinfile: { path: "{{ mnt }}/old.conf", line: "one more line" }, ignore_errors: true }
`,
    })
  })

  afterAll(async () => {
    if (mounted) execFileSync('umount', ['-l', mnt])
    rmSync(mnt, { recursive: true, force: true })
    await fleet?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('each write fails clearly; the old file is intact; no temp file is left', async () => {
    writeFileSync(join(mnt, 'old.conf'), OLD)
    execFileSync('chown', [`${fleet.user}:`, join(mnt, 'old.conf')]) // user and login group
    fill(mnt)
    const before = readdirSync(mnt).sort()
    const r = await bounded(
      [
        'run',
        join(dir, 'write.yml'),
        '-i',
        join(dir, 'inventory.yml'),
        '--known-hosts',
        fleet.knownHostsFile,
        '--json',
      ],
      { limitMs: 60_000 },
    )
    expect(r.killed, explain(r)).toBe(false)
    for (const task of ['copy', 'template', 'lineinfile']) {
      const res = resultsOf(r, task)[0]
      expect(res?.status, `${task}: ${explain(r)}`).toBe('failed')
      expect(res?.msg, task).toMatch(/No space left on device/)
      expect(res?.msg, task).not.toMatch(/\n\s+at .*\.js:\d+/)
    }
    expect(readFileSync(join(mnt, 'old.conf'), 'utf8')).toBe(OLD)
    expect(readdirSync(mnt).sort()).toEqual(before) // no .tsplay-tmp.* left
  }, 90_000)

  it('control: with the space freed, the same tasks write the new content', async () => {
    rmSync(join(mnt, 'filler'), { force: true })
    const r = await bounded(
      [
        'run',
        join(dir, 'write.yml'),
        '-i',
        join(dir, 'inventory.yml'),
        '--known-hosts',
        fleet.knownHostsFile,
        '--json',
      ],
      { limitMs: 60_000 },
    )
    expect(r.code, explain(r)).toBe(0)
    expect(resultsOf(r, 'lineinfile')[0]?.status, explain(r)).toBe('changed')
    expect(readFileSync(join(mnt, 'old.conf'), 'utf8')).toBe(`template\n${BIG}\none more line\n`)
    expect(readdirSync(mnt).sort()).toEqual(['old.conf'])
  }, 90_000)
})
