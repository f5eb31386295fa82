/**
 * Role argument specs as Ansible writes them: the `json`/`jsonarg`/`bytes`/`bits` types converted as Ansible
 * converts them, nested `options` checked as Ansible checks them, deprecation notes and rules accepted.
 */
import { describe, expect, it } from 'vitest'
import { checkOption, convert, type OptionSpec } from '../../engine/argspec.js'
import { join } from 'node:path'
import { loadPlaybook } from '../../engine/load/playbook.js'
import { loadAllModules } from '../../modules/registry.js'
import { tree } from './helpers.js'

describe('argument spec types', () => {
  it.each([
    ['json', { a: 1 }, '{"a":1}'],
    ['jsonarg', '[1, 2]', '[1, 2]'],
    ['bytes', '10M', 10 * 1024 * 1024],
    ['bytes', '1.5K', 1536],
    ['bytes', 512, 512],
    ['bits', '2Mb', 2 * 1024 * 1024],
    // Ansible turns anything into its Python text for str and path (robertdebock.ntp's list of maps as list of str)
    ['str', { address: '127.0.0.1' }, "{'address': '127.0.0.1'}"],
    ['str', null, 'None'],
    ['path', [1, true], '[1, True]'],
  ] as const)('%s of %j is %j', (type, value, want) => {
    expect(convert(type, value)).toEqual({ value: want })
  })

  it('refuses a size that is not one', () => {
    expect(convert('bytes', 'ten')).toEqual({ error: 'must be a size (10M, or a number), found "ten"' })
    expect(convert('bits', '2MB')).toHaveProperty('error')
  })

  it('loads a spec with nested options, deprecation notes and rules', async () => {
    const spec = `argument_specs:
  main:
    options:
      conf:
        type: dict
        options: { port: { type: int } }
        apply_defaults: true
      limit: { type: bytes, default: 1M, removed_in_version: "3.0", removed_from_collection: ns.c }
      blob: { type: json }
`
    const dir = tree({
      'playbook.yml': '- hosts: all\n  roles: [web]\n',
      'roles/web/tasks/main.yml': '- debug: { msg: "{{ limit }}" }\n',
      'roles/web/meta/argument_specs.yml': spec,
    })
    const pb = await loadPlaybook(join(dir, 'playbook.yml'), { modules: await loadAllModules() })
    expect(pb.plays[0].tasks.length).toBeGreaterThan(0)
  })
})

describe('nested options', () => {
  const server: OptionSpec = {
    type: 'dict',
    options: {
      host: { type: 'str', required: true, aliases: ['name'] },
      port: { type: 'int' },
      tags: { type: 'list', elements: 'str' },
    },
  }
  const users: OptionSpec = {
    type: 'list',
    elements: 'dict',
    options: { name: { type: 'str', required: true }, admin: { type: 'bool' } },
  }
  it.each<[string, OptionSpec, unknown, string | undefined]>([
    ['a right map', server, { host: 'a', port: '22', tags: ['x'] }, undefined],
    ['an alias', server, { name: 'a' }, undefined],
    ['a wrong type inside', server, { host: 'a', port: 'nope' }, 'has key "port" must be an int, found "nope"'],
    ['a missing required key', server, { port: 1 }, 'has key "host" missing (required)'],
    [
      'an unknown key',
      server,
      { host: 'a', colour: 'red' },
      'has unsupported key(s) "colour" (supported: host, name, port, tags)',
    ],
    ['a right list of maps', users, [{ name: 'ann', admin: 'yes' }, { name: 'bob' }], undefined],
    [
      'a wrong element',
      users,
      [{ name: 'ann' }, { admin: 'maybe' }],
      'has an element (item 2) whose key "name" missing (required)',
    ],
  ])('%s', (_n, spec, value, want) => {
    expect(checkOption(spec, value)).toBe(want)
  })

  it('refuses a nested option of an unknown type, naming its path', async () => {
    const dir = tree({
      'playbook.yml': '- hosts: all\n  roles: [web]\n',
      'roles/web/tasks/main.yml': '- debug: { msg: hi }\n',
      'roles/web/meta/argument_specs.yml':
        'argument_specs:\n  main:\n    options:\n      conf:\n' +
        '        type: dict\n        options: { port: { type: integer } }\n',
    })
    await expect(loadPlaybook(join(dir, 'playbook.yml'), { modules: await loadAllModules() })).rejects.toThrow(
      /option "conf\.port": type must be one of/,
    )
  })
})
