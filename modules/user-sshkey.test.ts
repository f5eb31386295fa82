import { describe, expect, it } from 'vitest'
import user, { type UserState } from './user.js'
import { keyDue, keyPath, keygenCommand, type KeyState } from './lib/usersshkey.js'
import { gatherOf, planOf, scriptedIO, testCtx, type WrittenArgs } from '../test/helpers/module-ctx.js'

const hy = { name: 'hy', uid: 998, gid: 997, comment: '', home: '/home/hy', shell: '/bin/sh' }
const key = (o: Partial<KeyState> = {}): KeyState => ({
  path: '/home/hy/.ssh/id_rsa',
  noHome: false,
  exists: true,
  pubExists: true,
  fingerprint: '3072 SHA256:abc c (RSA)',
  publicKey: 'ssh-rsa AAAA c',
  ...o,
})
const state = (k?: KeyState): UserState => ({ user: hy, primary: 'hy', groups: ['hy'], ownGroup: true, key: k })
const none: UserState = { groups: [], ownGroup: false }
const args = (o: Partial<WrittenArgs<typeof user>> = {}) => ({ name: 'hy', generate_ssh_key: true, ...o })

/** The positional arguments of the keygen script (after `sh -c SCRIPT sh`). */
const keygenArgs = (s: UserState, o: Partial<WrittenArgs<typeof user>> = {}) =>
  planOf(user, s, args(o))
    .commands.find((c) => c.describe?.startsWith('generate'))
    ?.argv.slice(4)

describe('user ssh key', () => {
  it.each<[string, string, string]>([
    ['relative to the home', '.ssh/id_rsa', '/home/hy/.ssh/id_rsa'],
    ['a home with a trailing slash', 'k', '/home/hy/k'],
    ['absolute', '/srv/keys/k', '/srv/keys/k'],
  ])('key path: %s', (_, file, want) => expect(keyPath(file, file === 'k' ? '/home/hy/' : '/home/hy')).toBe(want))

  it.each<[string, Partial<WrittenArgs<typeof user>>, KeyState | undefined, boolean]>([
    ['a new user', {}, undefined, true],
    ['no key yet', {}, key({ exists: false, pubExists: false }), true],
    ['an existing key is left alone', {}, key(), false],
    ['a public key alone is left alone too', {}, key({ exists: false }), false],
    ['force overwrites', { force: true }, key(), true],
    ['force with a passphrase keeps an existing key', { force: true, ssh_key_passphrase: 'x' }, key(), false],
    [
      'force with a passphrase replaces a lone public key',
      { force: true, ssh_key_passphrase: 'x' },
      key({ exists: false }),
      true,
    ],
  ])('due: %s', (_, o, k, want) => {
    const a = { name: 'hy', force: false, ssh_key_type: 'rsa', ...o }
    expect(keyDue(a, k)).toBe(want)
  })

  it('plans the defaults: .ssh/id_<type>, no -b, the default comment', () => {
    expect(keygenArgs(state(key({ exists: false, pubExists: false })))).toEqual([
      'hy',
      '.ssh/id_rsa',
      'rsa',
      '0',
      '',
      '',
      '',
      '',
    ])
    expect(keygenArgs(none, { ssh_key_type: 'ed25519', ssh_key_bits: 256, ssh_key_comment: 'c', force: true })).toEqual(
      ['hy', '.ssh/id_ed25519', 'ed25519', '256', '1', 'c', '', '1'],
    )
  })

  it('an existing key: ok, and its fingerprint, path and public key are registered', () => {
    const p = planOf(user, state(key()), args())
    expect(p.commands).toEqual([])
    expect(p.data).toMatchObject({
      ssh_fingerprint: '3072 SHA256:abc c (RSA)',
      ssh_key_file: '/home/hy/.ssh/id_rsa',
      ssh_public_key: 'ssh-rsa AAAA c',
    })
  })

  it('the passphrase goes on stdin (twice, secret), never in argv', () => {
    const secret = 'p4ss -N word'
    const c = keygenCommand({ name: 'hy', force: false, ssh_key_type: 'rsa', ssh_key_passphrase: secret })
    expect(c.argv.join('\0')).not.toContain(secret)
    expect(c.stdin).toBe(`${secret}\n${secret}\n`)
    expect(c.secretStdin).toBe(true)
    const plain = keygenCommand({ name: 'hy', force: true, ssh_key_type: 'rsa' })
    expect([plain.stdin, plain.secretStdin]).toEqual(['y\n', undefined])
  })

  it('refuses a passphrase the askpass helper cannot pass on whole', () => {
    for (const pass of ['a\nb', 'a\rb', 'a\0b'])
      expect(planOf(user, none, args({ ssh_key_passphrase: pass }))).toMatchObject({ commands: [], fail: /line break/ })
  })

  it('gathers the key of an existing user in one more round trip', async () => {
    const r = (rc: number, stdout = '', stderr = '') => ({ rc, stdout, stderr })
    const io = scriptedIO([
      [/^getent passwd hy/, r(0, 'hy:x:998:997::/home/hy:/bin/sh\n')],
      [/^id -Gn/, r(0, 'hy\n')],
      [/^id -gn/, r(0, 'hy\n')],
      [/^getent group/, r(0, 'hy:x:997:\n')],
      [/^sh -c e=\$\(getent passwd/, r(0, 'home /home/hy\nexists /home/hy\n')],
      [/^test -d \/home\/hy$/, r(0)],
      [/^test -e \/home\/hy\/.ssh\/id_ed25519$/, r(1)],
      [/^ssh-keygen -l/, r(255, '', 'no such file')],
      [/^cat -- \/home\/hy\/.ssh\/id_ed25519.pub$/, r(1)],
    ])
    const s = await gatherOf(user, args({ ssh_key_type: 'ed25519' }), testCtx(), io)
    expect(s.key).toEqual({
      path: '/home/hy/.ssh/id_ed25519',
      noHome: false,
      exists: false,
      pubExists: false,
      fingerprint: '',
      publicKey: null,
    })
  })
})
