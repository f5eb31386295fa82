/**
 * File attributes planned as Ansible plans them: flags compared as written, `-` always runs, a path the task
 * creates is read on the host.
 */
import { describe, expect, it } from 'vitest'
import { parseLsattr, planChattr } from './chattr.js'

describe('parseLsattr', () => {
  it.each([
    ['--------------e------- /srv/x\n', 'e'],
    ['-------A------e------- /srv/x\n', 'Ae'],
    ['', ''],
  ])('%j → %j', (out, flags) => expect(parseLsattr(out)).toBe(flags))
})

describe('planChattr', () => {
  it.each([
    ['e', 'A', ['chattr', '=A', '/x']],
    ['A', 'A', undefined],
    ['A', '+A', undefined],
    ['Ae', '+A', ['chattr', '+A', '/x']],
    ['', '-A', ['chattr', '-A', '/x']],
    ['', '=A', ['chattr', '==A', '/x']],
  ])('flags %j, asked %j → %j', (existing, wanted, argv) => {
    const p = planChattr('/x', existing, wanted)
    expect(p.commands.map((c) => c.argv)).toEqual(argv ? [argv] : [])
    expect(p.changes.length).toBe(argv ? 1 : 0)
  })

  it('reads the flags on the host for a path the task creates, and keeps a leading dash off chattr', () => {
    const p = planChattr('-odd', undefined, '+i')
    expect(p.commands[0].argv.slice(-3)).toEqual(['+', 'i', './-odd'])
    expect(planChattr('-odd', '', 'i').commands[0].argv).toEqual(['chattr', '=i', './-odd'])
  })
})
