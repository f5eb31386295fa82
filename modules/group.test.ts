import { describe, expect, it } from 'vitest'
import group, { type GroupState } from './group.js'
import { gatherOf, planOf, scriptedIO, testCtx, type WrittenArgs } from '../test/helpers/module-ctx.js'

const g = (gid: number): GroupState => ({ group: { name: 'nixbld', gid, members: [] } })
type Row = [string, WrittenArgs<typeof group>, GroupState, string[][]]
const rows: Row[] = [
  ['create', { name: 'nixbld', gid: 30000, system: true }, {}, [['groupadd', '-g', '30000', '-r', 'nixbld']]],
  ['create plain', { name: 'nixbld' }, {}, [['groupadd', 'nixbld']]],
  ['exists', { name: 'nixbld', gid: 30000 }, g(30000), []],
  ['exists, gid not asked', { name: 'nixbld' }, g(123), []],
  ['gid differs', { name: 'nixbld', gid: 30000 }, g(123), [['groupmod', '-g', '30000', 'nixbld']]],
  ['absent', { name: 'nixbld', state: 'absent' }, g(1), [['groupdel', 'nixbld']]],
  ['absent, missing', { name: 'nixbld', state: 'absent' }, {}, []],
]

describe('group plan', () => {
  it.each(rows)('%s', (_n, args, facts, argv) => {
    expect(planOf(group, facts, args, testCtx()).commands.map((c) => c.argv)).toEqual(argv)
  })
  it.each(['-r', 'a b', '$(id)'])('refuses %j as a name', async (name) => {
    await expect(gatherOf(group, { name }, testCtx(), scriptedIO([]))).rejects.toThrow(/not a valid group name/)
  })
})
