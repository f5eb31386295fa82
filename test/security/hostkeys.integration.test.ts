/**
 * Security: host keys are verified by default, end to end through the CLI against real loopback sshd
 * targets. Hashed known_hosts entries (`ssh-keygen -H`) are accepted; a changed key is refused — even with
 * `--trust-new-host-keys` — with the SHA256 fingerprint `ssh-keygen -l` shows, the host unreachable (exit 4), the
 * other host done, the known_hosts file untouched and nothing run on the refused host. Ansible's
 * `host_key_checking = False` is `--trust-new-host-keys`.
 */
import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeTree } from '../helpers/cli.js'
import { canRunSshd, ed25519Pair, startSshd, type SshdFleet } from '../helpers/sshd.js'
import { bounded, explain, recapOf, resultsOf, userDir } from '../faults/util.js'

const can = canRunSshd()

/** The fingerprint OpenSSH shows for a public key line (`ssh-ed25519 AAAA…`). */
function sshKeygenFp(pub: string, dir: string): string {
  const f = join(dir, `fp-${Math.random().toString(36).slice(2)}.pub`)
  writeFileSync(f, `${pub}\n`)
  return execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', f], { encoding: 'utf8' }).split(' ')[1]
}

describe.skipIf(!can.ok)(`host keys through the CLI${can.ok ? '' : ` (skipped: ${can.why})`}`, () => {
  let fleet: SshdFleet
  let dir: string
  let base: string
  const run = (kh: string, extra: string[] = []) =>
    bounded(['run', join(dir, 'book.yml'), '-i', join(dir, 'inventory.yml'), '--known-hosts', kh, '--json', ...extra], {
      limitMs: 60_000,
    })

  beforeAll(async () => {
    fleet = await startSshd({ count: 2, sudo: 'nopasswd' })
    base = userDir(fleet.user, 'tsplay-hk-')
    dir = writeTree({
      'inventory.yml': fleet.inventoryYaml({ base }),
      'book.yml':
        '- hosts: all\n  gather_facts: false\n  tasks:\n    - { name: touch, command: "touch {{ base ' +
        '}}/ran-{{ inventory_hostname }}" }\n',
    })
  })

  afterAll(async () => {
    await fleet?.stop()
    rmSync(base, { recursive: true, force: true })
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('hashed known_hosts entries are accepted', async () => {
    const kh = join(dir, 'hashed_known_hosts')
    copyFileSync(fleet.knownHostsFile, kh)
    execFileSync('ssh-keygen', ['-H', '-f', kh], { stdio: 'ignore' })
    expect(readFileSync(kh, 'utf8')).not.toContain('127.0.0.1')
    expect(readFileSync(kh, 'utf8')).toMatch(/^\|1\|/m)
    const r = await run(kh)
    expect(r.code, explain(r)).toBe(0)
    expect(existsSync(join(base, 'ran-t1')) && existsSync(join(base, 'ran-t2'))).toBe(true)
  }, 90_000)

  it.each([false, true])(
    'a changed key is refused with its SHA256 fingerprint (hashed file: %s), even with --trust-new-host-keys',
    async (hashed) => {
      for (const h of ['t1', 't2']) rmSync(join(base, `ran-${h}`), { force: true })
      const impostor = ed25519Pair().public
      const kh = join(dir, `changed_known_hosts_${hashed}`)
      writeFileSync(
        kh,
        `[127.0.0.1]:${fleet.hosts[0].port} ${impostor}\n[127.0.0.1]:${fleet.hosts[1].port} ` +
          `${fleet.hosts[1].hostKey}\n`,
      )
      if (hashed) execFileSync('ssh-keygen', ['-H', '-f', kh], { stdio: 'ignore' })
      const before = readFileSync(kh, 'utf8')
      const r = await run(kh, ['--trust-new-host-keys'])
      expect(r.code, explain(r)).toBe(4)
      const msg = resultsOf(r, 'touch').find((e) => e.host === 't1')?.msg ?? ''
      expect(msg).toMatch(/HOST KEY CHANGED/)
      expect(msg).toContain(sshKeygenFp(fleet.hosts[0].hostKey, dir)) // what the host offers now
      expect(msg).toContain(sshKeygenFp(impostor, dir)) // what the file expected
      expect(recapOf(r, 't1').unreachable).toBe(1)
      expect(recapOf(r, 't2')).toMatchObject({ changed: 1, unreachable: 0 })
      expect(existsSync(join(base, 'ran-t1'))).toBe(false)
      expect(existsSync(join(base, 'ran-t2'))).toBe(true)
      expect(readFileSync(kh, 'utf8')).toBe(before)
    },
    90_000,
  )

  it("Ansible's host_key_checking = False records an unknown host's key, and still refuses a changed one", async () => {
    for (const h of ['t1', 't2']) rmSync(join(base, `ran-${h}`), { force: true })
    const impostor = ed25519Pair().public
    const kh = join(dir, 'unknown_known_hosts')
    writeFileSync(kh, `[127.0.0.1]:${fleet.hosts[0].port} ${impostor}\n`) // t1 changed, t2 unknown
    const strict = await run(kh)
    expect(recapOf(strict, 't2').unreachable, explain(strict)).toBe(1)
    const r = await bounded(
      ['run', join(dir, 'book.yml'), '-i', join(dir, 'inventory.yml'), '--known-hosts', kh, '--json'],
      { limitMs: 60_000, env: { ANSIBLE_HOST_KEY_CHECKING: 'False' } },
    )
    expect(recapOf(r, 't2'), explain(r)).toMatchObject({ changed: 1, unreachable: 0 })
    expect(readFileSync(kh, 'utf8')).toContain(fleet.hosts[1].hostKey.split(' ')[1])
    expect(recapOf(r, 't1').unreachable).toBe(1)
    expect(resultsOf(r, 'touch').find((e) => e.host === 't1')?.msg).toMatch(/HOST KEY CHANGED/)
    expect(existsSync(join(base, 'ran-t1'))).toBe(false)
  }, 90_000)
})
