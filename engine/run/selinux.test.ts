import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import type { HostIO } from '../module.js'
import type { Command } from '../types.js'
import { selinuxRefusal } from './selinux.js'

/** A host whose SELinux enforce file reads `enforce` (empty: no SELinux): the probe's script runs with a `cat` that
 * prints it. Records what ran. */
function host(enforce: string) {
  const ran: Command[] = []
  const io = {
    run: async (c: Command) => {
      ran.push(c)
      const r = spawnSync('/bin/sh', ['-c', `cat() { printf '${enforce}'; }\n${c.argv[2]}`])
      return { rc: r.status, stdout: String(r.stdout), stderr: '' }
    },
  } as unknown as HostIO
  return { io, ran }
}

describe('SELinux context arguments', () => {
  it('reads nothing when no context argument is given', async () => {
    const h = host('1')
    expect(await selinuxRefusal({ path: '/x', mode: '0644' }, h.io)).toBeUndefined()
    expect(h.ran).toEqual([])
  })

  it('are ignored where SELinux is off, as Ansible ignores them', async () => {
    expect(await selinuxRefusal({ path: '/x', setype: 'mysqld_db_t' }, host('').io)).toBeUndefined()
  })

  it.each([
    ['1', 'enforcing'],
    ['0', 'permissive'],
  ])('fail the task where SELinux is on (%s), naming them', async (enforce, mode) => {
    const why = await selinuxRefusal({ setype: 't', seuser: 'u', selevel: null }, host(enforce).io)
    expect(why).toMatch(new RegExp(`enables SELinux \\(${mode}\\).*not set SELinux contexts yet \\(seuser, setype\\)`))
  })
})
