/**
 * Ctrl-C end to end: SIGINT sent to the real CLI process while tasks run on real loopback sshd targets.
 * Once: the running task finishes on every host, no new task starts, the recap is printed, exit 130.
 * Twice: tsplay stops at once (bounded well below the task's length), the running command is cancelled on the
 * host, exit 130; a file being written when the second Ctrl-C lands is either the old or the whole new content,
 * never half of it, and no temp file is left beside it.
 */
import { randomBytes, randomInt } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeTree } from '../helpers/cli.js'
import { canRunSshd, startSshd, type SshdFleet } from '../helpers/sshd.js'
import { background, explain, killMatching, pids, userDir, waitFor } from './util.js'

const can = canRunSshd()
const NEW = `${randomBytes(1536 * 1024).toString('base64')}\n` // ~2 MiB of text
const OLD = 'the old content\n'

describe.skipIf(!can.ok)(`Ctrl-C${can.ok ? '' : ` (skipped: ${can.why})`}`, () => {
  let fleet: SshdFleet
  let dir: string
  let base: string
  const args = (book: string, extra: string[] = []) => [
    'run',
    join(dir, book),
    '-i',
    join(dir, 'inventory.yml'),
    '--known-hosts',
    fleet.knownHostsFile,
    '--output',
    'plain',
    ...extra,
  ]
  /** Start a run and resolve once its output shows `text` (e.g. a task header). */
  const startUntil = async (book: string, text: string, extra: string[] = []) => {
    let out = ''
    const bg = background(args(book, extra), {
      limitMs: 60_000,
      onSpawn: (c) => c.stdout?.on('data', (d) => (out += d)),
    })
    await waitFor(() => out.includes(text), `"${text}" in the output`, 30_000)
    return bg
  }

  beforeAll(async () => {
    fleet = await startSshd({ count: 2, sudo: 'nopasswd' })
    base = userDir(fleet.user, 'tsplay-sigint-')
    dir = writeTree({
      'inventory.yml': fleet.inventoryYaml({ base }),
      'new.txt': NEW,
      'steps.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - name: slow
      command:
        argv:
          - sh
          - -c
          - 'echo start >> "$1"; sleep "$2"; echo end >> "$1"'
          - sh
          - "{{ base }}/slow-{{ inventory_hostname }}"
          - "{{ secs }}"
    - name: next
      command: { argv: [touch, "{{ base }}/next-{{ inventory_hostname }}"] }
`,
      'copy.yml': `
- hosts: t1
  gather_facts: false
  tasks:
    - name: big copy
      copy: { src: new.txt, dest: "{{ base }}/target/file.txt" }
`,
    })
  })

  afterAll(async () => {
    killMatching(fleet.user, base)
    await fleet?.stop()
    rmSync(base, { recursive: true, force: true })
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('once: the running task finishes, no new task starts, the recap is printed, exit 130', async () => {
    const bg = await startUntil('steps.yml', 'TASK [slow]', ['-e', 'secs=3'])
    await waitFor(
      () => ['t1', 't2'].every((h) => existsSync(join(base, `slow-${h}`))),
      'the slow task to start on both hosts',
    )
    bg.child.kill('SIGINT')
    const r = await bg.done
    expect(r.killed, explain(r)).toBe(false)
    expect(r.code, explain(r)).toBe(130)
    for (const h of ['t1', 't2']) {
      expect(readFileSync(join(base, `slow-${h}`), 'utf8')).toBe('start\nend\n') // finished, not cut
      expect(existsSync(join(base, `next-${h}`))).toBe(false)
    }
    expect(r.stdout).not.toContain('TASK [next]')
    expect(r.stdout).toMatch(/PLAY RECAP \*+\nt1\s+: ok=1 +changed=1 /)
    expect(r.stdout).toMatch(/\nt2\s+: ok=1 +changed=1 /)
    expect(r.stderr).toContain('Interrupted')
  }, 90_000)

  it('twice: stops now, the running command is cancelled on the host, exit 130', async () => {
    const secs = String(randomInt(100_000, 999_999))
    for (const h of ['t1', 't2']) rmSync(join(base, `slow-${h}`), { force: true })
    const bg = await startUntil('steps.yml', 'TASK [slow]', ['-e', `secs=${secs}`])
    await waitFor(() => pids(fleet.user, `sleep ${secs}`).length === 2, 'the slow command to run on both hosts')
    bg.child.kill('SIGINT')
    await new Promise((r) => setTimeout(r, 300))
    bg.child.kill('SIGINT')
    const r = await bg.done
    expect(r.killed, `did not stop: ${explain(r)}`).toBe(false)
    expect(r.code, explain(r)).toBe(130)
    expect(r.stderr).toContain('Stopping now')
    expect(r.stdout).not.toContain('TASK [next]')
    await waitFor(
      () => pids(fleet.user, `sleep ${secs}`).length === 0,
      'the command to be cancelled on the host',
      15_000,
    )
    for (const h of ['t1', 't2']) expect(readFileSync(join(base, `slow-${h}`), 'utf8')).toMatch(/^start\n/)
  }, 90_000)

  it.each([0, 20, 50, 100, 200, 400])(
    'twice during a 2 MiB copy (second Ctrl-C %i ms in): old or whole new file, no temp file',
    async (ms) => {
      const target = join(base, 'target')
      rmSync(target, { recursive: true, force: true })
      const { mkdirSync, chownSync } = await import('node:fs')
      mkdirSync(target)
      const uid = Number(
        (await import('node:child_process')).execFileSync('id', ['-u', fleet.user], { encoding: 'utf8' }),
      )
      chownSync(target, uid, -1)
      writeFileSync(join(target, 'file.txt'), OLD)
      chownSync(join(target, 'file.txt'), uid, -1)
      const bg = await startUntil('copy.yml', 'TASK [big copy]')
      bg.child.kill('SIGINT')
      await new Promise((r) => setTimeout(r, ms))
      bg.child.kill('SIGINT')
      const r = await bg.done
      expect(r.killed, explain(r)).toBe(false)
      // 0/130: it ran to the end or stopped; -1: the Ctrl-C landed after tsplay let go of SIGINT, on its way out
      expect([0, 130, -1], explain(r)).toContain(r.code)
      expect(r.stderr).not.toContain('INTERNAL ERROR')
      await new Promise((r) => setTimeout(r, 500)) // let the host side finish whatever it was doing
      const now = readFileSync(join(target, 'file.txt'), 'utf8')
      expect(now === OLD || now === NEW, `half-written: ${now.length} of ${NEW.length} bytes`).toBe(true)
      expect(readdirSync(target)).toEqual(['file.txt'])
    },
    90_000,
  )
})
