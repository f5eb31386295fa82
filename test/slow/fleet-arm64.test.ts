/**
 * Slow tier: the fleet's emulated arm64 node itself (test/fleet: rootfs-bookworm-arm64, binfmt OCPF, addressed from
 * the host side). What the Hydra run on arm64 relies on, checked on its own: the node is aarch64, answers SSH on its
 * fleet address, `sudo` works for the test user (the credentials flag), apt reaches the mirror, and a reboot from
 * inside brings it back on the same address (node-loop.sh addresses every boot).
 */
import { spawnSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFleet, type Fleet } from '../helpers/fleet.js'
import { needSlowFleet, SLOW, timer } from './slow.js'

describe.runIf(SLOW)('an emulated arm64 fleet node (slow)', () => {
  let fleet: Fleet
  let node: string

  const ssh = (cmd: string) =>
    spawnSync(fleet.sshArgv(node)[0], [...fleet.sshArgv(node).slice(1), cmd], { encoding: 'utf8', timeout: 300_000 })

  beforeAll(async () => {
    needSlowFleet({ emulated: true })
    const t = timer('arm64 node up (rootfs cached or built, booted to sshd)')
    fleet = await startFleet(1, { prefix: 'a64', archs: ['arm64'] })
    t.done()
    node = fleet.nodes[0].name
  }, 3_600_000)

  afterAll(async () => {
    await fleet?.stop()
  })

  it('is aarch64, reachable over SSH, and sudo works for the test user', () => {
    const r = ssh('uname -m; dpkg --print-architecture; sudo -n id -u')
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout.trim().split('\n')).toEqual(['aarch64', 'arm64', '0'])
  })

  it('reaches the package mirror (apt-get update through the NAT)', async () => {
    const r = await fleet.exec(node, ['apt-get', 'update', '-q'])
    expect(r.rc, r.stderr).toBe(0)
  }, 600_000)

  it('comes back on the same address after a reboot from inside', async () => {
    const boot = (await fleet.exec(node, ['cat', '/proc/sys/kernel/random/boot_id'])).stdout.trim()
    const t = timer('arm64 node reboot to sshd')
    ssh('sudo -n systemctl reboot')
    let back = ''
    for (let i = 0; i < 300 && !back; i++) {
      await new Promise((r) => setTimeout(r, 2000))
      const r = ssh('cat /proc/sys/kernel/random/boot_id')
      if (r.status === 0 && r.stdout.trim() !== boot) back = r.stdout.trim()
    }
    t.done()
    expect(back, 'the node did not come back with a new boot id').toMatch(/^[0-9a-f-]{36}$/)
  }, 900_000)
})
