import { describe, expect, test } from 'vitest'
import type { Inventory } from '../engine/ast.js'
import { groupNames, groupsMap } from '../engine/inventory/vars.js'
import { selectHosts } from '../engine/inventory/patterns.js'
import { changedInventory } from '../engine/run/dyninv.js'
import { planAddHost, splitAddress } from './add_host.js'
import { planGroupBy } from './group_by.js'

const inv = (): Inventory => ({
  sources: [],
  hosts: new Map([
    ['a', { name: 'a', vars: { x: 1 }, groups: ['web'] }],
    ['b', { name: 'b', vars: {}, groups: [] }],
  ]),
  groups: new Map([
    ['all', { name: 'all', hosts: [], children: ['web'], vars: {} }],
    ['web', { name: 'web', hosts: ['a'], children: [], vars: {} }],
  ]),
})

describe('group_by', () => {
  test.each([
    { args: { key: 'os Debian', parents: ['all'] }, name: 'os-Debian', parents: ['all'] },
    { args: { key: 'g', parents: 'linux boxes' }, name: 'g', parents: ['linux-boxes'] },
  ])('$args.key', ({ args, name, parents }) => {
    const p = planGroupBy(args)
    expect(p.inventory).toEqual({ group: { name, parents } })
    expect(p.data).toEqual({ add_group: name, parent_groups: parents })
  })

  test('the host joins a new group under its parents; a second time changes nothing', () => {
    const first = changedInventory(inv(), 'b', { group: { name: 'os', parents: ['linux'] } })!
    expect(groupNames(first, 'b')).toEqual(['linux', 'os'])
    expect(groupsMap(first).os).toEqual(['b'])
    expect(selectHosts(first, 'linux').hosts).toEqual(['b'])
    expect(changedInventory(first, 'b', { group: { name: 'os', parents: ['linux'] } })).toBeUndefined()
    const second = changedInventory(first, 'a', { group: { name: 'os', parents: ['linux'] } })!
    expect(selectHosts(second, 'os').hosts).toEqual(['b', 'a']) // in the order they joined, as Ansible's
  })
})

describe('add_host', () => {
  test.each([
    { s: 'h1', want: { name: 'h1' } },
    { s: 'h1:2222', want: { name: 'h1', port: 2222 } },
    { s: '[::1]:22', want: { name: '::1', port: 22 } },
    { s: '::1', want: { name: '::1' } },
  ])('address $s', ({ s, want }) => expect(splitAddress(s)).toEqual(want))

  test.each([
    { args: { name: 'n', groups: 'g1, g2,g1' }, groups: ['g1', 'g2'], vars: {} },
    {
      args: { name: 'n:2200', groups: ['g'], ansible_user: 'pi' },
      groups: ['g'],
      vars: { ansible_user: 'pi', ansible_ssh_port: 2200 },
    },
    { args: { name: 'n' }, groups: [], vars: {} },
  ])('plan $args.name', ({ args, groups, vars }) => {
    expect(planAddHost(args).inventory).toEqual({ host: { name: 'n', groups, vars } })
  })

  test("a new host is all's own, in ungrouped until it joins a group; the one group_by moves leaves ungrouped", () => {
    const base = inv()
    base.hosts.set('b', { name: 'b', vars: {}, groups: ['ungrouped'] })
    base.groups.set('ungrouped', { name: 'ungrouped', hosts: ['b'], children: [], vars: {} })
    base.groups.set('all', { name: 'all', hosts: [], children: ['ungrouped', 'web'], vars: {} })
    const added = changedInventory(base, 'a', { host: { name: 'n', groups: [], vars: {} } })!
    expect(groupsMap(added)).toMatchObject({ all: ['n', 'b', 'a'], ungrouped: ['b', 'n'] })
    expect(groupNames(added, 'n')).toEqual(['ungrouped'])
    const joined = changedInventory(added, 'b', { group: { name: 'os', parents: ['all'] } })!
    expect(groupsMap(joined)).toMatchObject({ all: ['n', 'a', 'b'], ungrouped: ['n'], os: ['b'] })
    expect(groupNames(joined, 'b')).toEqual(['os'])
    const grouped = changedInventory(joined, 'a', { host: { name: 'n', groups: ['web'], vars: {} } })!
    expect(groupsMap(grouped)).toMatchObject({ ungrouped: [], web: ['a', 'n'] })
  })

  test('a new host with groups and variables; the same again changes nothing; a new value does', () => {
    const change = { host: { name: 'c', groups: ['new', 'web'], vars: { v: 1 } } }
    const next = changedInventory(inv(), 'a', change)!
    expect(next.hosts.get('c')).toEqual({ name: 'c', vars: { v: 1 }, groups: ['new', 'web'] })
    expect(selectHosts(next, 'web:&new').hosts).toEqual(['c'])
    expect(changedInventory(next, 'a', change)).toBeUndefined()
    expect(changedInventory(next, 'a', { host: { name: 'c', groups: [], vars: { v: 2 } } })).toBeDefined()
    expect(inv().hosts.has('c')).toBe(false)
  })
})
