/** Ansible's implicit localhost: added when a play names it, selected only by its own name, reading `all`'s vars. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Inventory } from '../../engine/ast.js'
import { addImplicitLocalhost } from '../../engine/inventory/implicit.js'
import { loadInventory } from '../../engine/inventory/load.js'
import { selectHosts } from '../../engine/inventory/patterns.js'
import { groupNames, groupsMap, hostVars } from '../../engine/inventory/vars.js'

/** An inventory with pi1 in group `pis` and `all` vars. */
function inventory(): Inventory {
  return {
    sources: ['hosts.yml'],
    hosts: new Map([['pi1', { name: 'pi1', vars: { ansible_host: '10.0.0.1' }, groups: ['pis'] }]]),
    groups: new Map([
      ['all', { name: 'all', hosts: [], children: ['pis'], vars: { site: 'lab', ansible_connection: 'ssh' } }],
      ['pis', { name: 'pis', hosts: ['pi1'], children: [], vars: {} }],
    ]),
  }
}

describe('implicit localhost', () => {
  it('is one host, named by the first localhost name a pattern writes as a term; the others select it', () => {
    const inv = inventory()
    expect(addImplicitLocalhost(inv, ['pis', 'web:&pis:127.0.0.1', 'localhost', '::1'])).toEqual(['127.0.0.1'])
    expect(selectHosts(inv, 'localhost').hosts).toEqual(['127.0.0.1'])
    expect(selectHosts(inv, '::1').hosts).toEqual(['127.0.0.1'])
    expect(addImplicitLocalhost(inv, ['localhost'])).toEqual([])
    expect(addImplicitLocalhost(inventory(), ['pi*', 'all', 'mylocalhost'])).toEqual([])
  })

  it('is not added when the inventory lists a localhost name', () => {
    const inv = inventory()
    inv.hosts.set('localhost', { name: 'localhost', vars: {}, groups: [] })
    expect(addImplicitLocalhost(inv, ['127.0.0.1'])).toEqual([])
  })

  it('is selected by its own name only: not by all, *, globs, regexes or groups', () => {
    const inv = inventory()
    addImplicitLocalhost(inv, ['localhost'])
    expect(selectHosts(inv, 'localhost').hosts).toEqual(['localhost'])
    expect(selectHosts(inv, 'all').hosts).toEqual(['pi1'])
    expect(selectHosts(inv, '*').hosts).toEqual(['pi1'])
    expect(selectHosts(inv, 'local*').hosts).toEqual([])
    expect(selectHosts(inv, '~local').hosts).toEqual([])
    expect(selectHosts(inv, '!pi1').hosts).toEqual([])
    expect(selectHosts(inv, 'pis:localhost').hosts).toEqual(['pi1', 'localhost'])
    expect(groupsMap(inv).all).toEqual(['pi1'])
    expect(groupNames(inv, 'localhost')).toEqual([])
  })

  it("reads the all group's variables, with the local connection winning over all's", () => {
    const inv = inventory()
    addImplicitLocalhost(inv, ['localhost'])
    expect(hostVars(inv, 'localhost')).toEqual({ site: 'lab', ansible_connection: 'local' })
  })

  it('reads its own host_vars file beside the inventory or the playbook; other unlisted hosts do not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsplay-implicit-'))
    try {
      mkdirSync(join(dir, 'inv/host_vars'), { recursive: true })
      mkdirSync(join(dir, 'play/host_vars'), { recursive: true })
      writeFileSync(join(dir, 'inv/hosts.yml'), 'all:\n  hosts:\n    pi1:\n')
      writeFileSync(join(dir, 'inv/host_vars/localhost.yml'), 'a: inventory\nb: inventory\n')
      writeFileSync(join(dir, 'play/host_vars/localhost'), 'b: playbook\n')
      writeFileSync(join(dir, 'play/host_vars/ghost.yml'), 'c: 1\n')
      const inv = await loadInventory([join(dir, 'inv')], { varDirs: [join(dir, 'play')] })
      expect(inv.hosts.has('localhost')).toBe(false) // not until a play names it
      expect(addImplicitLocalhost(inv, ['localhost'])).toEqual(['localhost'])
      expect(hostVars(inv, 'localhost')).toMatchObject({ a: 'inventory', b: 'playbook', ansible_connection: 'local' })
      expect(inv.hosts.has('ghost')).toBe(false)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
