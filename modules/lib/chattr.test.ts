/**
 * File attributes planned as Ansible plans them: flags compared as written, `-` always runs, a path the task
 * creates is read on the host.
 */
import { describe, expect, it } from 'vitest'
import { attributeWords, parseLsattr, parseLsattrLines, pathsToChattr, planChattr } from './chattr.js'

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

describe('paths unpacked or written by a script', () => {
  it('reads lsattr lines per path, and picks those whose flags differ (every one for -)', () => {
    const seen = parseLsattrLines('-------A------e------- /o/d\n--------------e------- /o/d/a b\n')
    expect([...seen]).toEqual([
      ['/o/d', 'Ae'],
      ['/o/d/a b', 'e'],
    ])
    expect(pathsToChattr(seen, 'Ae')).toEqual(['/o/d/a b'])
    expect(pathsToChattr(seen, '+A')).toEqual(['/o/d', '/o/d/a b'])
    expect(pathsToChattr(seen, '-A')).toEqual(['/o/d', '/o/d/a b'])
    expect(pathsToChattr(new Map([['/o/d', 'e']]), 'e')).toEqual([])
  })
  it('gives a script the operator and flags as two words, none when not asked', () => {
    expect(attributeWords('+i')).toEqual(['+', 'i'])
    expect(attributeWords('Ae')).toEqual(['=', 'Ae'])
    expect(attributeWords(undefined)).toEqual(['', ''])
  })
})
