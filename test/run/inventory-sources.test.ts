/** `ansible_inventory_sources`: the inventory sources made absolute (test/compat/cases/keywords.ts runs it too). */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { inventorySources } from '../../engine/run/hostvars.js'
import { MAGIC_VARS } from '../../engine/load/check.js'

describe('ansible_inventory_sources', () => {
  it.each([
    [['inv.ini'], [join(process.cwd(), 'inv.ini')]],
    [
      ['./a/../inv.ini', '/etc/hosts.yml'],
      [join(process.cwd(), 'inv.ini'), '/etc/hosts.yml'],
    ],
    [['/srv/inventory/'], ['/srv/inventory']],
    [[], []],
  ])('%j → %j', (given, want) => {
    expect(inventorySources(given)).toEqual(want)
  })

  it('is a magic variable the checker knows (never reported as undefined)', () => {
    expect(MAGIC_VARS).toContain('ansible_inventory_sources')
  })
})
