/** `register`: a name, or a false value (YAML 1.1's `off`, `no`, …) that registers nothing, as Ansible's. */
import { describe, expect, it } from 'vitest'
import type { Task } from '../../engine/ast.js'
import { load, loadErrors } from './helpers.js'

const play = (value: string) => `- hosts: all\n  tasks:\n    - debug: { msg: x }\n      register: ${value}\n`

describe('register', () => {
  it.each([
    ['off', undefined],
    ['no', undefined],
    ['false', undefined],
    ['0', undefined],
    ['""', undefined],
    ['result', 'result'],
    ['"off"', 'off'],
    ['Off', undefined],
    ['oFF', 'oFF'],
  ])('register: %s registers %s', async (value, name) => {
    const pb = await load({ 'playbook.yml': play(value) })
    expect((pb.plays[0].tasks[0] as Task).register).toBe(name)
  })

  it.each(['yes', 'true', 'on'])('register: %s is refused as Ansible refuses it', async (value) => {
    expect(await loadErrors({ 'playbook.yml': play(value) })).toEqual([
      expect.stringMatching(/4:17 Invalid variable name in 'register' specified: 'True'/),
    ])
  })

  it('an include_tasks with register: off registers nothing', async () => {
    const pb = await load({
      'playbook.yml': '- hosts: all\n  tasks:\n    - include_tasks: t.yml\n      register: off\n',
      't.yml': '- debug: { msg: x }\n',
    })
    expect((pb.plays[0].tasks[0] as Task).register).toBeUndefined()
  })
})
