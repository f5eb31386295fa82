import { WRITE_END } from '../engine/commands.js'
import { describe, expect, test } from 'vitest'
import deb822_repository, { parseDeb822, renderSources, slug, sourcesPath } from './deb822_repository.js'
import { gatherOf, ok, planOf, playbookArgs, scriptedIO, testCtx } from '../test/helpers/module-ctx.js'

const KEY =
  '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEYCQjIxYJKwYBBAHaRw8BAQdAD\n=IE0r\n-----END PGP PUBLIC KEY BLOCK-----\n'

describe('the .sources file as the documentation describes it', () => {
  test('slug and path', () => {
    expect(slug('My_Repo  Name!')).toBe('my-repo-name')
    expect(sourcesPath('Debian Backports')).toBe('/etc/apt/sources.list.d/debian-backports.sources')
  })
  test('fields in the order of the argument names, lists joined, booleans yes/no, a key block indented', () => {
    const a = playbookArgs(deb822_repository, {
      name: 'debian',
      uris: 'https://deb.debian.org',
      suites: ['stable'],
      components: 'main,contrib',
      signed_by: KEY,
      enabled: true,
      trusted: false,
      date_max_future: 10,
      allow_downgrade_to_insecure: false,
      inrelease_path: 'x/InRelease',
    })
    expect(renderSources(a)).toBe(
      [
        'Allow-Downgrade-To-Insecure: no',
        'Components: main contrib',
        'Date-Max-Future: 10',
        'Enabled: yes',
        'Inrelease-Path: x/InRelease',
        'X-Repolib-Name: debian',
        'Signed-By:',
        '    -----BEGIN PGP PUBLIC KEY BLOCK-----',
        '    .',
        '    mDMEYCQjIxYJKwYBBAHaRw8BAQdAD',
        '    =IE0r',
        '    -----END PGP PUBLIC KEY BLOCK-----',
        'Suites: stable',
        'Trusted: no',
        'Types: deb',
        'URIs: https://deb.debian.org',
        '',
      ].join('\n'),
    )
  })
})

const REPO = { name: 'local', uris: ['file:/srv/repo'], suites: ['./'], trusted: true }
const TEXT = 'X-Repolib-Name: local\nSuites: ./\nTrusted: yes\nTypes: deb\nURIs: file:/srv/repo\n'
const P = '/etc/apt/sources.list.d/local.sources'
describe('plan: args + state → commands', () => {
  test.each([
    { name: 'new file', file: undefined, want: [`write ${P} 0644`] },
    { name: 'same file: nothing', file: { mode: '644', text: TEXT }, want: [] },
    { name: 'other content', file: { mode: '644', text: 'Types: deb\n' }, want: [`write ${P} 0644`] },
    { name: 'only the mode differs', file: { mode: '600', text: TEXT }, want: [`chmod -- 0644 ${P}`] },
  ])('$name', ({ file, want }) => {
    const p = planOf(deb822_repository, { file, keys: [] }, REPO)
    const got = p.commands.map((c) => (c.argv[0] === 'sh' ? `write ${c.argv[4]} ${c.argv[5]}` : c.argv.join(' ')))
    expect(got).toEqual(want)
    if (want.length && want[0].startsWith('write')) expect(p.commands[0].stdin).toBe(`${TEXT}${WRITE_END}\n`)
    expect(p.data).toMatchObject({ repo: TEXT, dest: P })
  })
  test('a numeric mode reads as octal digits (an unquoted 0640 is the number 640), as in the file modules', () => {
    const p = planOf(deb822_repository, { file: { mode: '644', text: TEXT }, keys: [] }, { ...REPO, mode: 640 })
    expect(p.commands.map((c) => c.argv.join(' '))).toEqual([`chmod -- 0640 ${P}`])
    expect(
      planOf(deb822_repository, { file: { mode: '640', text: TEXT }, keys: [] }, { ...REPO, mode: 640 }).commands,
    ).toEqual([])
  })
  test('absent removes the file and the keyrings named after it', () => {
    const keys = ['/etc/apt/keyrings/local.asc']
    const p = planOf(deb822_repository, { file: { mode: '644', text: TEXT }, keys }, { ...REPO, state: 'absent' })
    expect(p.commands.map((c) => c.argv.join(' '))).toEqual([`rm -f -- ${P}`, 'rm -f -- /etc/apt/keyrings/local.asc'])
    expect(planOf(deb822_repository, { keys: [] }, { ...REPO, state: 'absent' }).commands).toEqual([])
  })
  test('types are deb or deb-src', () => {
    expect(() => playbookArgs(deb822_repository, { name: 'x', types: ['rpm'] })).toThrow(/types/)
  })
  test('a signed_by URL: the fetched key is written first, and Signed-By names its file', () => {
    const key = {
      dir: { mode: 0o755, owner: 'root', group: 'root', uid: 0, gid: 0 },
      keys: {},
      fetched: Buffer.from(KEY),
    }
    const p = planOf(deb822_repository, { keys: [], key }, { ...REPO, signed_by: 'https://x/key' })
    expect(p.commands.map((c) => c.argv[4])).toEqual(['/etc/apt/keyrings/local.asc', P])
    expect(p.data).toMatchObject({ key_filename: '/etc/apt/keyrings/local.asc' })
    expect(p.commands[1].stdin).toContain('Signed-By: /etc/apt/keyrings/local.asc\n')
    const failed = planOf(
      deb822_repository,
      { keys: [], key: { keys: {}, error: 'E' } },
      { ...REPO, signed_by: 'http://x' },
    )
    expect(failed.fail).toBe('Could not fetch signed_by key: E')
    // a path that is a file on the host stays a path, even one with a scheme
    const file = planOf(deb822_repository, { keys: [], key: { keys: {}, isFile: true } }, { ...REPO, signed_by: 'a:b' })
    expect(file.commands.map((c) => c.argv[4])).toEqual([P])
    expect(file.data).toMatchObject({ key_filename: 'a:b' })
  })
})

describe('gather', () => {
  test.each([
    ['\n644\nTypes: deb\n', { keys: [], file: { mode: '644', text: 'Types: deb\n' } }],
    ['/etc/apt/keyrings/local.gpg\n\n', { keys: ['/etc/apt/keyrings/local.gpg'] }],
    ['\n', { keys: [] }],
  ])('%j', async (out, want) => {
    expect(parseDeb822(ok(out))).toEqual(want)
    const io = scriptedIO([[/^sh -c/, ok(out)]])
    expect(await gatherOf(deb822_repository, REPO, testCtx(), io)).toEqual(want)
    expect(io.seen[0].argv.slice(-3)).toEqual([P, '/etc/apt/keyrings/local.asc', '/etc/apt/keyrings/local.gpg'])
  })
  test('signed_by: a URL fetched in the same round trip, a path tested for a file, an inline key neither', async () => {
    const io = scriptedIO([[/^sh -c/, ok('\n')]])
    await gatherOf(deb822_repository, { ...REPO, signed_by: 'https://x/k' }, testCtx(), io)
    await gatherOf(deb822_repository, { ...REPO, signed_by: '/usr/share/keyrings/k.gpg' }, testCtx(), io)
    await gatherOf(deb822_repository, { ...REPO, signed_by: KEY }, testCtx(), io)
    expect(io.seen.map((c) => c.describe)).toEqual([
      `read ${P}`,
      'fetch the signed_by key https://x/k',
      `read ${P}`,
      'test -f /usr/share/keyrings/k.gpg',
      `read ${P}`,
    ])
  })
})
