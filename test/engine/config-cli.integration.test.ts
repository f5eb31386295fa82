/** `tsplay.yml` in the working folder gives the CLI its defaults; flags win; a bad file is exit 5 with its position. */
import { describe, expect, it } from 'vitest'
import { tsplay, writeTree } from '../helpers/cli.js'

const PB = '- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: { msg: "hi {{ inventory_hostname }}" }\n'

describe('tsplay.yml', () => {
  it('supplies the inventory and forks; -i on the command line wins', async () => {
    const dir = writeTree({
      'pb.yml': PB,
      'a.yml': 'all:\n  hosts:\n    from-config: {}\n',
      'b.yml': 'all:\n  hosts:\n    from-flag: {}\n',
      'tsplay.yml': 'inventory: a.yml\nforks: 2\n',
    })
    const hosts = await tsplay(['hosts', '--json'], { cwd: dir })
    expect(JSON.parse(hosts.stdout)).toEqual([{ host: 'from-config', groups: ['ungrouped'] }])
    const run = await tsplay(['run', 'pb.yml', '--json'], { cwd: dir })
    expect(run.code).toBe(0)
    expect(Object.keys(run.recap!)).toEqual(['from-config'])
    const flag = await tsplay(['run', 'pb.yml', '-i', 'b.yml', '--json'], { cwd: dir })
    expect(Object.keys(flag.recap!)).toEqual(['from-flag'])
  })

  it('a misspelt setting is an error with file, line and a suggestion', async () => {
    const dir = writeTree({ 'pb.yml': PB, 'tsplay.yml': 'forks: 2\ntrust_new_hostkeys: true\n' })
    const r = await tsplay(['run', 'pb.yml'], { cwd: dir })
    expect(r.code).toBe(5)
    expect(r.stderr).toMatch(/tsplay\.yml:2:1: .*trust_new_hostkeys.*did you mean "trust_new_host_keys"/)
  })
})
