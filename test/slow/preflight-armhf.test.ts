/**
 * Slow tier: the preflight's refusal of 32-bit ARM on a real armv7l host — a Debian bookworm armhf node emulated by
 * qemu-user-static (qemu-arm reports `armv7l`, as Raspberry Pi OS 32-bit does on a Pi 2/3/4). The fast tier tests
 * the same refusal with the architecture fact overridden on x86_64 nodes; here the fact comes from the host itself.
 *
 * Checked: a real run (not --check) exits 2 with the reason and the way out, and changes nothing on the node
 * (no task changed, no Nix packages, no /etc/nix).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFleet, type Fleet } from '../helpers/fleet.js'
import { explain, PLAYBOOK, tsplay } from '../hydra/cli.js'
import { needSlowFleet, SLOW, timer } from './slow.js'

// The node only runs the preflight, so it needs no security updates; the mirror of the machines this was measured
// on serves a broken armhf index of bookworm-security ("File has unexpected size"). See test/fleet/rootfs.sh.
process.env.TSPLAY_FLEET_SKIP_SECURITY ??= 'armhf'

describe.runIf(SLOW)('preflight refuses an armhf (armv7l) node (slow)', () => {
  let fleet: Fleet
  let dir: string
  let node: string

  beforeAll(async () => {
    needSlowFleet({ emulated: true })
    const t = timer('armhf fleet up (rootfs cached or built, 1 node booted to sshd)')
    fleet = await startFleet(1, { prefix: 'armhf', archs: ['armhf'] })
    t.done()
    node = fleet.nodes[0].name
    dir = mkdtempSync(join(tmpdir(), 'tsplay-armhf-'))
    writeFileSync(
      join(dir, 'hosts.yml'),
      fleet.inventoryYaml({ hydra_server: [node] }, { nix_install_method: 'debian' }),
    )
    writeFileSync(join(dir, 'secrets.yml'), 'hydra_admin_password: slow-armhf-admin\n', { mode: 0o600 })
  }, 3_600_000)

  afterAll(async () => {
    await fleet?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('the node really is armv7l', async () => {
    expect((await fleet.exec(node, ['uname', '-m'])).stdout.trim()).toBe('armv7l')
    expect((await fleet.exec(node, ['dpkg', '--print-architecture'])).stdout.trim()).toBe('armhf')
  })

  it('a real run stops in the preflight with exit code 2 and the reason, and changes nothing', async () => {
    const before = (await fleet.exec(node, ['sh', '-c', 'dpkg-query -W -f "\\${Package}\\n" | sort | sha256sum']))
      .stdout
    const t = timer('hydra-pi.yml on the armhf node (refused in the preflight)')
    const r = await tsplay([
      'run',
      PLAYBOOK,
      '-i',
      join(dir, 'hosts.yml'),
      '--known-hosts',
      fleet.knownHostsFile,
      '--json',
      '-e',
      `@${join(dir, 'secrets.yml')}`,
    ])
    t.done()
    expect(r.rc, explain(r)).toBe(2)
    const failed = r.tasks.filter((x) => x.status === 'failed')
    expect(failed.map((x) => x.task)).toEqual(['preflight : No Nix binary cache for 32-bit ARM'])
    expect(failed[0].msg).toMatch(
      new RegExp(
        `^${node} is armv7l \\(armv7l-linux\\)\\. No Nix binary cache serves that system.*takes days.*` +
          'nix_allow_source_build_without_cache: true',
        's',
      ),
    )
    expect(r.recap[node].changed).toBe(0)
    expect(r.tasks.some((x) => x.task.startsWith('base :') || x.task.startsWith('nix :'))).toBe(false)
    expect((await fleet.exec(node, ['sh', '-c', 'dpkg-query -W -f "\\${Package}\\n" | sort | sha256sum'])).stdout).toBe(
      before,
    )
    expect((await fleet.exec(node, ['test', '-e', '/etc/nix'])).rc).not.toBe(0)
  }, 3_600_000)
})
