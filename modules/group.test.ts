import { describe, expect, it } from 'vitest'
import group, { type GroupState } from './group.js'
import { gatherOf, moduleArgs, ok, planOf, scriptedIO, testCtx, type WrittenArgs } from '../test/helpers/module-ctx.js'

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
  [
    'non_unique: -o after the gid',
    { name: 'nixbld', gid: 0, non_unique: true },
    {},
    [['groupadd', '-g', '0', '-o', 'nixbld']],
  ],
  [
    'non_unique on a change',
    { name: 'nixbld', gid: 5, non_unique: true },
    g(1),
    [['groupmod', '-g', '5', '-o', 'nixbld']],
  ],
  ['local create', { name: 'nixbld', local: true, system: true }, {}, [['lgroupadd', '-r', 'nixbld']]],
  ['local gid change', { name: 'nixbld', local: true, gid: 7 }, g(1), [['lgroupmod', '-g', '7', 'nixbld']]],
  ['local absent', { name: 'nixbld', local: true, state: 'absent' }, g(1), [['lgroupdel', 'nixbld']]],
  ['local, its own gid is fine', { name: 'nixbld', local: true, gid: 1 }, { ...g(1), gidOwner: g(1).group }, []],
]

describe('group plan', () => {
  it.each(rows)('%s', (_n, args, facts, argv) => {
    expect(planOf(group, facts, args, testCtx()).commands.map((c) => c.argv)).toEqual(argv)
  })
  it('local: a gid another local group has fails, as Ansible checks it', () => {
    const other = { name: 'users', gid: 100, members: [] }
    const p = planOf(group, { gidOwner: other }, { name: 'nixbld', local: true, gid: 100 }, testCtx())
    expect(p.fail).toBe("GID '100' already exists with group 'users'")
  })
  it('local: looks the group up in the files only, and the gid among all', async () => {
    const io = scriptedIO([
      [/^getent -s files group nixbld/, { rc: 2, stdout: '', stderr: '' }],
      [/^getent group 100/, ok('users:x:100:\n')],
    ])
    const f = await gatherOf(group, { name: 'nixbld', local: true, gid: 100 }, testCtx(), io)
    expect(f).toEqual({ group: undefined, gidOwner: { name: 'users', gid: 100, members: [] } })
  })
  it('a failed command is no change, as in Ansible', async () => {
    const failed = [{ rc: 4, stdout: '', stderr: "groupadd: GID '100' already exists" }]
    expect(await group.after!({}, moduleArgs(group, { name: 'x' }), failed, testCtx(), scriptedIO([]))).toEqual({
      changed: false,
    })
  })
  it.each(['-r', 'a b', '$(id)'])('refuses %j as a name', async (name) => {
    await expect(gatherOf(group, { name }, testCtx(), scriptedIO([]))).rejects.toThrow(/not a valid group name/)
  })
})
