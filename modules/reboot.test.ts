import { describe, expect, it } from 'vitest'
import reboot from './reboot.js'
import type { HostIO } from '../engine/module.js'
import type { Command } from '../engine/types.js'
import { gatherOf, moduleArgs, planOf, testCtx } from '../test/helpers/module-ctx.js'

/** A host that reboots (new boot id) `downFor` reconnects after the reboot is scheduled. */
function host(opts: { reboots: boolean; downFor?: number }): HostIO & { log: string[] } {
  let boot = 'boot-1'
  let scheduled = false
  let down = 0
  const log: string[] = []
  const run = async (cmd: Command) => {
    log.push(cmd.describe ?? cmd.argv[0])
    if (down > 0) throw new Error('connection dropped')
    if (cmd.describe === 'read boot id') return { rc: 0, stdout: `${boot}\n`, stderr: '' }
    if (cmd.describe === 'schedule the reboot') scheduled = true
    return { rc: 0, stdout: '', stderr: '' }
  }
  return {
    log,
    run,
    batch: async (cmds) => Promise.all(cmds.map(run)),
    reconnect: async () => {
      log.push('reconnect')
      if (scheduled && opts.reboots) {
        if (down === 0 && boot === 'boot-1') down = opts.downFor ?? 1
        down--
        if (down === 0) boot = 'boot-2'
        if (down > 0) throw new Error('refused')
      }
    },
  }
}

describe('reboot', () => {
  it('plans a detached reboot, always changed', async () => {
    const io = host({ reboots: true })
    const facts = await gatherOf(reboot, {}, testCtx(), io)
    const plan = planOf(reboot, facts, { pre_reboot_delay: 2, msg: 'upgrade' }, testCtx())
    expect(plan.commands[0].argv.slice(-4)).toEqual([
      '3',
      'upgrade',
      '',
      '/sbin:/bin:/usr/sbin:/usr/bin:/usr/local/sbin',
    ])
    expect(plan.changes).toEqual(['reboot node1'])
    // Ansible's reading: whole seconds, a negative delay is none
    const odd = planOf(reboot, facts, { pre_reboot_delay_sec: -61, post_reboot_delay: -0.5 } as never, testCtx())
    expect(odd.commands[0].argv.slice(-4)[0]).toBe('1')
  })
  it('waits for a new boot id', async () => {
    const io = host({ reboots: true, downFor: 2 })
    const facts = await gatherOf(reboot, {}, testCtx(), io)
    const plan = planOf(reboot, facts, {}, testCtx())
    const r = await reboot.apply!(plan, moduleArgs(reboot, { reboot_timeout: 30 }), testCtx(), io)
    expect(r).toMatchObject({ changed: true, data: { rebooted: true, boot_id: 'boot-2' } })
    expect(io.log.filter((l) => l === 'reconnect').length).toBeGreaterThanOrEqual(2)
  }, 20_000)
  it('takes Ansible reboot_command, search_paths, boot_time_command and connect_timeout', async () => {
    const io = host({ reboots: true, downFor: 2 })
    const args = {
      reboot_command: 'shutdown -r now',
      search_paths: ['/opt/bin'],
      boot_time_command: 'cat /proc/sys/kernel/random/boot_id',
      connect_timeout: 5,
    }
    const facts = await gatherOf(reboot, args, testCtx(), io)
    expect(facts).toEqual({ bootId: 'boot-1' })
    const plan = planOf(reboot, facts, args, testCtx())
    expect(plan.commands[0].argv.slice(-2)).toEqual(['shutdown -r now', '/opt/bin'])
    const timeouts: number[] = []
    const r = await reboot.apply!(plan, moduleArgs(reboot, { ...args, reboot_timeout: 30 }), testCtx(), {
      ...io,
      reconnect: (s: number) => (timeouts.push(s), io.reconnect(s)),
    })
    expect(r).toMatchObject({ changed: true, data: { boot_id: 'boot-2' } })
    expect(Math.max(...timeouts)).toBe(5)
  }, 20_000)
  it('fails when the boot id never changes', async () => {
    const io = host({ reboots: false })
    const facts = await gatherOf(reboot, {}, testCtx(), io)
    const r = await reboot.apply!(
      planOf(reboot, facts, {}, testCtx()),
      moduleArgs(reboot, { reboot_timeout: 3 }),
      testCtx(),
      io,
    )
    expect(r.fail).toMatch(/did not come back with a new boot id within 3s/)
  }, 20_000)
})
