/**
 * Role argument specs as Ansible writes them: the `json`/`jsonarg`/`bytes`/`bits` types converted as Ansible
 * converts them, and nested `options`, deprecation notes and rules accepted.
 */
import { describe, expect, it } from 'vitest'
import { convert } from '../../engine/argspec.js'
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
