/** A play's `serial` as Ansible 2.14 takes it: a number, `"N%"`, or a list of them; anything else at its position. */
import { describe, expect, it } from 'vitest'
import { load, loadErrors } from './helpers.js'

const play = (serial: string) => ({ 'playbook.yml': `- hosts: all\n  serial: ${serial}\n  tasks: []\n` })

describe('serial', () => {
  it.each([
    ['3', [3]],
    ['"3"', [3]],
    ['0', [0]],
    ['"30%"', ['30%']],
    ['"30 %"', ['30%']],
    ['[1, "50%", 10]', [1, '50%', 10]],
  ])('serial: %s', async (yaml, want) => {
    expect((await load(play(yaml))).plays[0].serial).toEqual(want)
  })

  it.each([
    ['many', /2:11 "serial" must be a whole number, a percentage \("30%"\) or a list of them, found string "many"/],
    ['[1, "x%"]', /2:15 "serial" must be a whole number/],
    ['{a: 1}', /2:11 "serial" must be a whole number/],
    ['1.5', /2:11 "serial" must be a whole number/],
  ])('refuses serial: %s at its position', async (yaml, re) => {
    expect((await loadErrors(play(yaml))).join('\n')).toMatch(re)
  })
})

describe('poll: 0', () => {
  it('is taken for command and shell; a module taking no async in Ansible fails at run time', async () => {
    const pb = (mod: string) => ({
      'playbook.yml': `- hosts: all\n  tasks:\n    - ${mod}\n      async: 60\n      poll: 0\n`,
    })
    expect(await loadErrors(pb('command: sleep 9'))).toEqual([])
    // Ansible's debug action takes no async: the task fails when it runs (a warning now); refusals: detach.test.ts
    expect(await loadErrors(pb('debug: { msg: a }'))).toEqual([])
  })
})
