import { describe, expect, it } from 'vitest'
import user, { type UserState } from './user.js'
import { planOf, type WrittenArgs } from '../test/helpers/module-ctx.js'

const hy = { name: 'hy', uid: 998, gid: 997, comment: '', home: '/home/hy', shell: '/bin/sh' }
const exists: UserState = { user: hy, primary: 'hy', groups: ['hy'], ownGroup: true }
const none: UserState = { groups: [], ownGroup: false }

describe('user skeleton, move_home, non_unique', () => {
  it.each<[string, WrittenArgs<typeof user>, UserState, string[][]]>([
    ['skeleton on create', { name: 'hy', skeleton: '/etc/skel2' }, none, [['useradd', '-m', '-k', '/etc/skel2', 'hy']]],
    [
      'skeleton without a home folder',
      { name: 'hy', skeleton: '/s', create_home: false },
      none,
      [['useradd', '-M', 'hy']],
    ],
    [
      'non_unique on create',
      { name: 'hy', uid: 0, non_unique: true },
      none,
      [['useradd', '-u', '0', '-o', '-m', 'hy']],
    ],
    ['non_unique on change', { name: 'hy', uid: 5, non_unique: true }, exists, [['usermod', '-u', '5', '-o', 'hy']]],
    ['non_unique with the same uid', { name: 'hy', uid: 998, non_unique: true }, exists, []],
    ['move_home', { name: 'hy', home: '/srv/hy', move_home: true }, exists, [['usermod', '-d', '/srv/hy', '-m', 'hy']]],
    ['move_home with the same home', { name: 'hy', home: '/home/hy', move_home: true }, exists, []],
    ['a new home, not moved', { name: 'hy', home: '/srv/hy' }, exists, [['usermod', '-d', '/srv/hy', 'hy']]],
  ])('%s', (_, a, s, want) => {
    expect(planOf(user, s, a).commands.map((c) => [...c.argv])).toEqual(want)
  })
})
