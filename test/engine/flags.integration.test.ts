/**
 * Familiar run flags that need no host (controller-only tasks): --start-at-task, --step, NO_COLOR/FORCE_COLOR, and a
 * list of hosts given to -i (`-i 'a,b,'`).
 */
import { describe, expect, it } from 'vitest'
import { tsplay, writeTree, type CliResult } from '../helpers/cli.js'

const dir = writeTree({
  'inv.yml': 'all:\n  hosts:\n    a: {}\n',
  'pb.yml':
    '- hosts: all\n  gather_facts: false\n  tasks:\n    - { name: first, debug: { msg: one } }\n    - { ' +
    'name: second, debug: { msg: two } }\n    - { name: third, debug: { msg: three } }\n',
})
const tasksRun = (r: CliResult) => r.events.filter((e) => e.type === 'task').map((e) => e.task)

describe('run flags', () => {
  it('--start-at-task skips the tasks before the named one', async () => {
    const r = await tsplay(['run', 'pb.yml', '-i', 'inv.yml', '--json', '--start-at-task', 'second'], { cwd: dir })
    expect(r.code).toBe(0)
    expect(tasksRun(r)).toEqual(['second', 'third'])
  })

  it('--step asks before each task: n skips, y runs, c runs the rest without asking', async () => {
    const r = await tsplay(['run', 'pb.yml', '-i', 'inv.yml', '--json', '--step'], { cwd: dir, input: 'n\nc\n' })
    expect(r.code).toBe(0)
    expect(tasksRun(r)).toEqual(['second', 'third'])
    expect(r.stderr.match(/Perform task: /g)?.length).toBe(2)
  })

  it('FORCE_COLOR colors status lines; NO_COLOR keeps them plain', async () => {
    const colored = await tsplay(['run', 'pb.yml', '-i', 'inv.yml', '--output', 'plain'], {
      cwd: dir,
      env: { FORCE_COLOR: '1', NO_COLOR: '' },
    })
    expect(colored.stdout).toContain('\x1b[32mok: [a]')
    const plain = await tsplay(['run', 'pb.yml', '-i', 'inv.yml', '--output', 'plain'], { cwd: dir })
    expect(plain.stdout).not.toContain('\x1b[')
    expect(plain.stdout).toContain('ok: [a] => one')
  })

  it("-i 'a,b,' is a list of hosts, as Ansible's host list; a command that contacts none runs on both", async () => {
    const r = await tsplay(['run', 'pb.yml', '-i', 'a, b,', '--json'], { cwd: dir })
    expect(r.code, r.stderr).toBe(0)
    expect(Object.keys(r.recap ?? {}).sort()).toEqual(['a', 'b'])
    const v = await tsplay(['validate', 'pb.yml', '-i', 'a,'], { cwd: dir })
    expect(v.code, v.stderr).toBe(0)
  })
})
