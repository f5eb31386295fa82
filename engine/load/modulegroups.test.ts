import { describe, expect, it } from 'vitest'
import { groupDefaults, resolveGroup } from './modulegroups.js'

describe('module_defaults groups', () => {
  it.each([
    ['testgroup', { key: 'group/ansible.builtin.testgroup' }],
    ['ansible.builtin.aws', { key: 'group/ansible.builtin.aws' }],
    ['ansible.legacy.docker', { key: 'group/ansible.builtin.docker' }],
    ['amazon.aws.aws', { collection: 'amazon.aws' }],
    ['files', { unknown: 'ansible.builtin.files' }],
    ['a.b', { unknown: 'ansible.builtin.a.b' }],
    ['constructor', { unknown: 'ansible.builtin.constructor' }],
  ])('resolves %s as Ansible does', (name, want) => {
    expect(resolveGroup(name)).toEqual(want)
  })

  it("gives a module the defaults of the groups holding it, in the map's order", () => {
    const m = new Map<string, Record<string, unknown>>([
      ['group/ansible.builtin.testgroup', { data: 'g' }],
      ['ping', { data: 'own' }],
      ['group/ansible.builtin.aws', { region: 'x' }],
    ])
    expect(groupDefaults(m, 'ping')).toEqual([{ data: 'g' }])
    expect(groupDefaults(m, 'copy')).toEqual([])
    expect(groupDefaults(undefined, 'ping')).toEqual([])
  })
})
