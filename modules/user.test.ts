import { describe, expect, it } from 'vitest'
import user, { type UserState } from './user.js'
import { parseGroup, parsePasswd, parseShadowHash } from './lib/accounts.js'
import { gatherOf, ok, planOf, scriptedIO, testCtx, type WrittenArgs } from '../test/helpers/module-ctx.js'

const HASH = '$y$j9T$abc$def'
const exists = (o: Partial<UserState> = {}): UserState => ({
  user: { name: 'hy', uid: 998, gid: 997, comment: 'Hydra', home: '/var/lib/hydra', shell: '/bin/sh' },
  primary: 'hydra',
  groups: ['hydra', 'nix-users'],
  hash: HASH,
  ownGroup: false,
  ...o,
})
const none: UserState = { groups: [], ownGroup: false }
type Row = [string, WrittenArgs<typeof user>, UserState, { argv?: string[][]; fail?: RegExp; stdin?: string }]
const rows: Row[] = [
  [
    'create with everything',
    {
      name: 'hy',
      uid: 998,
      group: 'hydra',
      groups: 'nix-users, wheel',
      home: '/var/lib/hydra',
      shell: '/bin/sh',
      system: true,
      comment: 'Hydra',
    },
    none,
    {
      argv: [
        [
          'useradd',
          '-u',
          '998',
          '-g',
          'hydra',
          '-G',
          'nix-users,wheel',
          '-d',
          '/var/lib/hydra',
          '-m',
          '-s',
          '/bin/sh',
          '-r',
          '-c',
          'Hydra',
          'hy',
        ],
      ],
    },
  ],
  ['create without home folder', { name: 'hy', create_home: false }, none, { argv: [['useradd', '-M', 'hy']] }],
  [
    'create into an existing same-named group',
    { name: 'hy' },
    { ...none, ownGroup: true },
    { argv: [['useradd', '-g', 'hy', '-m', 'hy']] },
  ],
  [
    'create with a password: on stdin',
    { name: 'hy', password: HASH },
    none,
    {
      argv: [
        ['useradd', '-m', 'hy'],
        ['chpasswd', '-e'],
      ],
      stdin: `hy:${HASH}\n`,
    },
  ],
  [
    'nothing differs',
    {
      name: 'hy',
      uid: 998,
      group: 'hydra',
      groups: ['nix-users'],
      home: '/var/lib/hydra',
      shell: '/bin/sh',
      comment: 'Hydra',
      password: HASH,
    },
    exists(),
    { argv: [] },
  ],
  ['primary group by gid', { name: 'hy', group: '997' }, exists(), { argv: [] }],
  [
    'shell and home differ',
    { name: 'hy', shell: '/bin/bash', home: '/home/hy' },
    exists(),
    { argv: [['usermod', '-d', '/home/hy', '-s', '/bin/bash', 'hy']] },
  ],
  [
    'append a group',
    { name: 'hy', groups: ['wheel'], append: true },
    exists(),
    { argv: [['usermod', '-a', '-G', 'wheel', 'hy']] },
  ],
  ['append an existing group is ok', { name: 'hy', groups: ['nix-users'], append: true }, exists(), { argv: [] }],
  ['set groups exactly', { name: 'hy', groups: ['wheel'] }, exists(), { argv: [['usermod', '-G', 'wheel', 'hy']] }],
  ['empty groups removes all', { name: 'hy', groups: [] }, exists(), { argv: [['usermod', '-G', '', 'hy']] }],
  [
    'password differs',
    { name: 'hy', password: '$y$other' },
    exists(),
    { argv: [['chpasswd', '-e']], stdin: 'hy:$y$other\n' },
  ],
  [
    'password on_create leaves an existing user',
    { name: 'hy', password: '$y$other', update_password: 'on_create' },
    exists(),
    { argv: [] },
  ],
  [
    'unreadable shadow fails',
    { name: 'hy', password: '$y$other' },
    exists({ hash: undefined }),
    { fail: /needs become/ },
  ],
  ['absent deletes', { name: 'hy', state: 'absent', remove: true }, exists(), { argv: [['userdel', '-r', 'hy']] }],
  [
    'absent with force deletes a logged-in user (userdel -f)',
    { name: 'hy', state: 'absent', force: true },
    exists(),
    { argv: [['userdel', '-f', 'hy']] },
  ],
  ['absent when missing is ok', { name: 'hy', state: 'absent' }, none, { argv: [] }],
  ['bad group name fails', { name: 'hy', groups: ['$(id)'] }, exists(), { fail: /not a valid group name/ }],
]

describe('user plan', () => {
  it.each(rows)('%s', (_n, args, facts, want) => {
    const plan = planOf(user, facts, args, testCtx())
    if (want.fail) return expect(plan.fail).toMatch(want.fail)
    expect(plan.fail).toBeUndefined()
    expect(plan.commands.map((c) => c.argv)).toEqual(want.argv)
    const pw = plan.commands.find((c) => c.argv[0] === 'chpasswd')
    if (want.stdin) expect(pw).toMatchObject({ stdin: want.stdin, secretStdin: true })
    for (const c of plan.commands) expect(c.argv.join(' ')).not.toContain('$y$')
  })
})

describe('user facts', () => {
  it('parses getent lines', () => {
    expect(parsePasswd('hy:x:998:997:Hydra,,,:/var/lib/hydra:/bin/sh\n')).toEqual({
      name: 'hy',
      uid: 998,
      gid: 997,
      comment: 'Hydra,,,',
      home: '/var/lib/hydra',
      shell: '/bin/sh',
    })
    expect(parseGroup('nixbld:x:30000:nixbld1,nixbld2\n')).toEqual({
      name: 'nixbld',
      gid: 30000,
      members: ['nixbld1', 'nixbld2'],
    })
    expect(parseShadowHash(`hy:${HASH}:19000:0:99999:7:::\n`)).toBe(HASH)
    expect(parsePasswd('')).toBeUndefined()
  })
  it('gathers in one batch', async () => {
    const io = scriptedIO([
      [/^getent passwd/, ok('hy:x:998:997:Hydra:/var/lib/hydra:/bin/sh\n')],
      [/^id -Gn/, ok('hydra nix-users\n')],
      [/^id -gn/, ok('hydra\n')],
      [/^getent group/, { rc: 2, stdout: '', stderr: '' }],
      [/^getent shadow/, ok(`hy:${HASH}:1::::::\n`)],
    ])
    expect(await gatherOf(user, { name: 'hy', password: HASH }, testCtx(), io)).toEqual(exists())
  })
})
