import { describe, expect, it } from 'vitest'
import user, { type UserState } from './user.js'
import { parseGroup, parsePasswd, parseShadowHash } from './lib/accounts.js'
import { parseShadow } from './lib/useraging.js'
import {
  gatherOf,
  ok,
  planOf,
  playbookArgs,
  scriptedIO,
  testCtx,
  type WrittenArgs,
} from '../test/helpers/module-ctx.js'

const HASH = '$y$j9T$abc$def'
const exists = (o: Partial<UserState> = {}): UserState => ({
  user: { name: 'hy', uid: 998, gid: 997, comment: 'Hydra', home: '/var/lib/hydra', shell: '/bin/sh' },
  primary: 'hydra',
  groups: ['hydra', 'nix-users'],
  hash: HASH,
  aging: { min: 0, max: 99999, warn: 7, expire: -1 },
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
  // expires: epoch seconds, compared by UTC day; negative removes the expiry
  [
    'create with an expiry (2050-03-03)',
    { name: 'hy', expires: 2529881062 },
    none,
    { argv: [['useradd', '-m', '-e', '2050-03-03', 'hy']] },
  ],
  ['create with a negative expiry', { name: 'hy', expires: -1 }, none, { argv: [['useradd', '-m', '-e', '', 'hy']] }],
  ['expiry differs', { name: 'hy', expires: 2529881062 }, exists(), { argv: [['usermod', '-e', '2050-03-03', 'hy']] }],
  [
    'expiry on the same UTC day is ok',
    { name: 'hy', expires: 2529881062 },
    exists({ aging: { min: 0, max: 99999, warn: 7, expire: 29281 } }),
    { argv: [] },
  ],
  [
    'negative expiry removes a set one',
    { name: 'hy', expires: -1 },
    exists({ aging: { min: 0, max: 99999, warn: 7, expire: 29281 } }),
    { argv: [['usermod', '-e', '', 'hy']] },
  ],
  ['negative expiry without one is ok', { name: 'hy', expires: -1 }, exists(), { argv: [] }],
  [
    'expiry of an unreadable shadow fails',
    { name: 'hy', expires: 1 },
    exists({ hash: undefined, aging: undefined }),
    { fail: /needs become/ },
  ],
  // password_lock: usermod -L/-U by the stored hash's '!'; with a new password the hash carries the '!'
  ['lock', { name: 'hy', password_lock: true }, exists(), { argv: [['usermod', '-L', 'hy']] }],
  ['lock a locked one is ok', { name: 'hy', password_lock: true }, exists({ hash: `!${HASH}` }), { argv: [] }],
  ['unlock', { name: 'hy', password_lock: false }, exists({ hash: `!${HASH}` }), { argv: [['usermod', '-U', 'hy']] }],
  ['unlock an unlocked one is ok', { name: 'hy', password_lock: false }, exists(), { argv: [] }],
  [
    'lock with the same password: usermod -L only',
    { name: 'hy', password_lock: true, password: HASH },
    exists(),
    { argv: [['usermod', '-L', 'hy']] },
  ],
  [
    'lock with a new password: a locked hash on stdin',
    { name: 'hy', password_lock: true, password: '$y$other' },
    exists(),
    { argv: [['chpasswd', '-e']], stdin: 'hy:!$y$other\n' },
  ],
  [
    'a locked hash equal but for the lock keeps it',
    { name: 'hy', password: HASH },
    exists({ hash: `!${HASH}` }),
    { argv: [] },
  ],
  [
    'create locked with a password',
    { name: 'hy', password: HASH, password_lock: true },
    none,
    {
      argv: [
        ['useradd', '-m', 'hy'],
        ['chpasswd', '-e'],
      ],
      stdin: `hy:!${HASH}\n`,
    },
  ],
  // password aging: chage for the values that differ
  [
    'aging differs',
    { name: 'hy', password_expire_min: 5, password_expire_max: 99999 },
    exists(),
    { argv: [['chage', '-m', '5', 'hy']] },
  ],
  ['aging the same is ok', { name: 'hy', password_expire_min: 0, password_expire_max: 99999 }, exists(), { argv: [] }],
  ['warning days differ', { name: 'hy', password_expire_warn: 14 }, exists(), { argv: [['chage', '-W', '14', 'hy']] }],
  ['warning days the same is ok', { name: 'hy', password_expire_warn: 7 }, exists(), { argv: [] }],
  [
    'create with aging',
    { name: 'hy', password_expire_min: 1, password_expire_max: 10, password_expire_warn: 3 },
    none,
    {
      argv: [
        ['useradd', '-m', 'hy'],
        ['chage', '-m', '1', '-M', '10', '-W', '3', 'hy'],
      ],
    },
  ],
  // umask: only when the home folder is created
  ['create with a umask', { name: 'hy', umask: '0077' }, none, { argv: [['useradd', '-m', '-K', 'UMASK=0077', 'hy']] }],
  [
    'umask without a home folder',
    { name: 'hy', umask: '0077', create_home: false },
    none,
    { argv: [['useradd', '-M', 'hy']] },
  ],
  ['umask with local fails', { name: 'hy', umask: '0077', local: true }, none, { fail: /umask.*local/ }],
  // local: the libuser tools
  [
    'local create: groups and expiry by lgroupmod/lchage',
    { name: 'hy', local: true, groups: ['wheel', 'users'], expires: 2529881062 },
    none,
    {
      argv: [
        ['luseradd', 'hy'],
        ['lchage', '-E', '29281', 'hy'],
        ['lgroupmod', '-M', 'hy', 'wheel'],
        ['lgroupmod', '-M', 'hy', 'users'],
      ],
    },
  ],
  [
    'local create without home',
    { name: 'hy', local: true, create_home: false },
    none,
    { argv: [['luseradd', '-M', 'hy']] },
  ],
  [
    'local modify: lusermod, lchage, lgroupmod add and remove',
    { name: 'hy', local: true, shell: '/bin/bash', groups: ['wheel'], expires: -5 },
    exists({ aging: { min: 0, max: 99999, warn: 7, expire: 29281 } }),
    {
      argv: [
        ['lusermod', '-s', '/bin/bash', 'hy'],
        ['lchage', '-E', '-1', 'hy'],
        ['lgroupmod', '-M', 'hy', 'wheel'],
        ['lgroupmod', '-m', 'hy', 'nix-users'],
      ],
    },
  ],
  [
    'local append adds only',
    { name: 'hy', local: true, groups: ['wheel'], append: true },
    exists(),
    { argv: [['lgroupmod', '-M', 'hy', 'wheel']] },
  ],
  ['local lock', { name: 'hy', local: true, password_lock: true }, exists(), { argv: [['lusermod', '-L', 'hy']] }],
  [
    'local absent: luserdel (no -f)',
    { name: 'hy', local: true, state: 'absent', force: true, remove: true },
    exists(),
    { argv: [['luserdel', '-r', 'hy']] },
  ],
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

describe('user arguments', () => {
  it('a failed command is no change, as in Ansible', async () => {
    const failed = [{ rc: 4, stdout: '', stderr: 'useradd: UID 1000 is not unique' }]
    const a = playbookArgs(user, { name: 'hy' }) as never
    expect(await user.after!(none, a, failed, testCtx(), scriptedIO([]))).toEqual({ changed: false })
  })
  it('createhome is an alias of create_home', () => {
    const p = planOf(user, none, playbookArgs(user, { name: 'hy', createhome: false }) as never)
    expect(p.commands.map((c) => c.argv)).toEqual([['useradd', '-M', 'hy']])
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
    expect(parseShadow(`hy:${HASH}:19000:0:99999:7::29281:\n`)).toEqual({
      hash: HASH,
      min: 0,
      max: 99999,
      warn: 7,
      expire: 29281,
    })
    expect(parseShadow(`hy:!:19000::::::\n`)).toEqual({ hash: '!', min: -1, max: -1, warn: -1, expire: -1 })
    expect(parsePasswd('')).toBeUndefined()
  })
  it('gathers in one batch', async () => {
    const io = scriptedIO([
      [/^getent passwd/, ok('hy:x:998:997:Hydra:/var/lib/hydra:/bin/sh\n')],
      [/^id -Gn/, ok('hydra nix-users\n')],
      [/^id -gn/, ok('hydra\n')],
      [/^getent group/, { rc: 2, stdout: '', stderr: '' }],
      [/^getent shadow/, ok(`hy:${HASH}:1:0:99999:7:::\n`)],
      [/^sh -c e=\$\(getent passwd "\$1"\)/, ok('home /var/lib/hydra\nexists /var/lib/hydra\n')],
    ])
    const want = exists({ homesExisting: ['/var/lib/hydra'] })
    expect(await gatherOf(user, { name: 'hy', password: HASH }, testCtx(), io)).toEqual(want)
    expect(await gatherOf(user, { name: 'hy', password: HASH, create_home: false }, testCtx(), io)).toEqual(exists())
  })
  it("makes a missing home of an existing user, as Ansible's user does (create_home, the default)", () => {
    const cmds = (a: WrittenArgs<typeof user>, found: string[]) =>
      planOf(user, exists({ homesExisting: found }), a).commands.map((c) =>
        c.argv[0] === 'sh' ? ['sh', ...c.argv.slice(4)] : c.argv,
      )
    expect(cmds({ name: 'hy' }, [])).toEqual([['sh', '/var/lib/hydra', '/etc/skel', 'hy']])
    expect(cmds({ name: 'hy' }, ['/var/lib/hydra'])).toEqual([])
    expect(cmds({ name: 'hy', create_home: false }, [])).toEqual([])
    expect(cmds({ name: 'hy', home: '/srv/h', skeleton: '/srv/skel' }, ['/var/lib/hydra'])).toEqual([
      ['usermod', '-d', '/srv/h', 'hy'],
      ['sh', '/srv/h', '/srv/skel', 'hy'],
    ])
    // moved there by usermod -m: nothing to make
    expect(cmds({ name: 'hy', home: '/srv/h', move_home: true }, ['/var/lib/hydra'])).toEqual([
      ['usermod', '-d', '/srv/h', '-m', 'hy'],
    ])
  })
  it('with local, looks the user up in the files only', async () => {
    const io = scriptedIO([
      [/^getent -s files passwd/, { rc: 2, stdout: '', stderr: '' }],
      [/^id /, { rc: 1, stdout: '', stderr: '' }],
      [/^getent group/, { rc: 2, stdout: '', stderr: '' }],
      [/^sh -c e=/, ok('')],
    ])
    expect(await gatherOf(user, { name: 'hy', local: true }, testCtx(), io)).toMatchObject({ user: undefined })
  })
})
