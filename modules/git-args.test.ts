import { describe, expect, it } from 'vitest'
import git, { type GitState } from './git.js'
import { parseDestProbe, type DestState } from './lib/git-state.js'
import { archiveFormat } from './lib/git-steps.js'
import { gatherOf, ok, planOf, scriptedIO, testCtx, type WrittenArgs } from '../test/helpers/module-ctx.js'

const SUB = ['sh', '-c', expect.stringContaining('git submodule update -q --init --recursive'), 'sh']
const A = 'a'.repeat(40)
const B = 'b'.repeat(40)
const base = { repo: '/srv/r.git', dest: '/opt/r' }
const empty: DestState = { state: 'empty', dirty: [] }
const repo = (over: Partial<DestState> = {}): DestState => ({
  state: 'repo',
  head: A,
  url: '/srv/r.git',
  branch: 'main',
  dirty: [],
  gitDir: '/opt/r/.git',
  ...over,
})
const main = { sha: A, kind: 'branch', short: 'main' } as const
const moved = { sha: B, kind: 'branch', short: 'main' } as const
const clone = (...extra: string[]) => [
  'git',
  'clone',
  '-q',
  '--origin',
  'origin',
  ...extra,
  '--',
  '/srv/r.git',
  '/opt/r',
]
const fetchMain = (...extra: string[]) => [
  ...['git', '-C', '/opt/r', 'fetch', '-q', '--', 'origin', '+refs/heads/main:refs/remotes/origin/main', ...extra],
]
const checkoutB = ['git', '-C', '/opt/r', 'checkout', '-q', '--force', '-B', 'main', B]
const script = (has: string, ...args: string[]) => ['sh', '-c', expect.stringContaining(has), 'sh', ...args]
const verify = (...fps: string[]) => script('verify-commit', '/opt/r', 'main', ...fps)
const archive = (fmt: string, prefix = ['', '']) =>
  script('git -C "$d" archive', '/opt/r', '/t/a.' + fmt, fmt, 'main', ...prefix)

type Row = [string, WrittenArgs<typeof git>, GitState, { argv?: unknown[]; fail?: RegExp; data?: object }]
const masked = (argv: unknown[]) => ['sh', '-c', 'umask "$1" && shift && exec "$@"', 'sh', '0027', ...argv]
const rows: Row[] = [
  [
    'reference: the first clone borrows its objects',
    { ...base, version: 'main', recursive: false, reference: '/srv/mirror' },
    { dest: empty, target: main },
    { argv: [clone('--reference', '/srv/mirror', '--branch', 'main')] },
  ],
  [
    'umask: every command that changes something runs with it',
    { ...base, version: 'main', umask: '0027' },
    { dest: repo({ head: B }), target: main },
    {
      argv: [
        masked([
          ...['git', '-C', '/opt/r', 'fetch', '-q', '--', 'origin'],
          '+refs/heads/main:refs/remotes/origin/main',
        ]),
        masked(['git', '-C', '/opt/r', 'checkout', '-q', '--force', '-B', 'main', A]),
        masked(SUB),
      ],
    },
  ],
  [
    'umask: nothing to do is still nothing',
    { ...base, version: 'main', umask: '0027' },
    { dest: repo(), target: main },
    { argv: [] },
  ],
  [
    'recursive: false clones without submodules',
    { ...base, version: 'main', recursive: false },
    { dest: empty, target: main },
    { argv: [clone('--branch', 'main')] },
  ],
  [
    'track_submodules updates with --remote',
    { ...base, version: 'main', track_submodules: true },
    { dest: empty, target: main },
    { argv: [clone('--branch', 'main'), [...SUB, '--remote']] },
  ],
  [
    'submodules behind on an up-to-date clone',
    { ...base, version: 'main' },
    { dest: repo({ submodules: 'stale' }), target: main },
    { argv: [SUB], data: { submodules_changed: true } },
  ],
  [
    'submodules in place',
    { ...base, version: 'main' },
    { dest: repo({ submodules: 'ok' }), target: main },
    { argv: [] },
  ],
  [
    'single_branch',
    { ...base, version: 'main', single_branch: true, recursive: false },
    { dest: empty, target: main },
    { argv: [clone('--single-branch', '--branch', 'main')] },
  ],
  [
    'refspec on clone',
    { ...base, version: 'main', refspec: 'refs/meta/config', recursive: false },
    { dest: empty, target: main },
    { argv: [clone('--branch', 'main'), ['git', '-C', '/opt/r', 'fetch', '-q', '--', 'origin', 'refs/meta/config']] },
  ],
  [
    'refspec on update',
    { ...base, version: 'main', refspec: 'refs/meta/config', recursive: false },
    { dest: repo(), target: moved },
    { argv: [fetchMain('refs/meta/config'), checkoutB] },
  ],
  [
    'separate_git_dir on clone',
    { ...base, version: 'main', separate_git_dir: 'g', recursive: false },
    { dest: { ...empty, sgd: '/home/u/g' }, target: main },
    { argv: [clone('--branch', 'main', '--separate-git-dir=/home/u/g')] },
  ],
  [
    'separate_git_dir moves an existing repository',
    { ...base, separate_git_dir: '/g' },
    { dest: repo({ sgd: '/g' }), target: main },
    {
      argv: [script('mv --', '/opt/r', '/opt/r/.git', '/g')],
      data: { git_dir_before: '/opt/r/.git', git_dir_now: '/g' },
    },
  ],
  [
    'separate_git_dir already in place',
    { ...base, separate_git_dir: '/g' },
    { dest: repo({ sgd: '/g', gitDir: '/g' }), target: main },
    { argv: [] },
  ],
  [
    'separate_git_dir taken',
    { ...base, separate_git_dir: '/g' },
    { dest: repo({ sgd: '/g', sgdExists: true }), target: main },
    { fail: /^Separate-git-dir path \/g already exists\.$/ },
  ],
  [
    'verify_commit after a move',
    { ...base, version: 'main', verify_commit: true, recursive: false },
    { dest: repo(), target: moved },
    { argv: [fetchMain(), checkoutB, verify()] },
  ],
  [
    'verify_commit checks before the submodules, as Ansible',
    { ...base, version: 'main', verify_commit: true },
    { dest: repo(), target: moved },
    { argv: [fetchMain(), checkoutB, verify(), SUB] },
  ],
  [
    'verify_commit with a whitelist string',
    { ...base, version: 'main', verify_commit: true, recursive: false, gpg_whitelist: 'F1, F2' },
    { dest: empty, target: main },
    { argv: [clone('--branch', 'main'), verify('F1', 'F2')] },
  ],
  [
    'verify_commit failing in place',
    { ...base, version: 'main', verify_commit: true },
    { dest: repo(), target: main, verifyError: 'Failed to verify GPG signature of commit/tag "main"' },
    { fail: /^Failed to verify GPG signature of commit\/tag "main"$/ },
  ],
  [
    'archive written on clone',
    { ...base, version: 'main', archive: '/t/a.zip', recursive: false },
    { dest: empty, target: main },
    { argv: [clone('--branch', 'main'), archive('zip')] },
  ],
  [
    'archive the same',
    { ...base, version: 'main', archive: '/t/a.tgz' },
    { dest: repo(), target: main, archive: 'same' },
    { argv: [] },
  ],
  [
    'archive differs, with prefix',
    { ...base, version: 'main', archive: '/t/a.tar', archive_prefix: 'p/' },
    { dest: repo(), target: main, archive: 'differs' },
    { argv: [archive('tar', ['1', 'p/'])] },
  ],
  [
    'archive with update: false',
    { ...base, version: 'main', archive: '/t/a.zip', update: false },
    { dest: repo(), target: moved, archive: 'differs' },
    { argv: [archive('zip')] },
  ],
  [
    'key_file wraps the clone',
    { ...base, version: 'main', key_file: '/k', recursive: false },
    { dest: empty, target: main },
    { argv: [script('GIT_SSH_COMMAND=', ...clone('--branch', 'main'))] },
  ],
]

describe('git plan with the extra arguments', () => {
  it.each(rows)('%s', (_n, args, facts, want) => {
    const plan = planOf(git, facts, args, testCtx())
    if (want.fail) return expect(plan.fail).toMatch(want.fail)
    expect(plan.fail).toBeUndefined()
    expect(plan.commands.map((c) => c.argv)).toEqual(want.argv)
    if (want.data) expect(plan.data).toMatchObject(want.data)
  })
  it.each([
    [{ accept_hostkey: true, accept_newhostkey: true }, /mutually exclusive: accept_hostkey\|accept_newhostkey/],
    [{ archive_prefix: 'p/' }, /required by 'archive_prefix': archive/],
    [{ archive: '/t/a.rar' }, /Unable to get file extension/],
  ])('refuses %j', async (extra, want) => {
    await expect(gatherOf(git, { ...base, ...extra }, testCtx(), scriptedIO([]))).rejects.toThrow(want)
  })
})

describe('git extra facts', () => {
  it('parses the separate git dir and submodule lines', () => {
    expect(
      parseDestProbe('sgd /g\nsgdexists\nstate repo\ngitdir /opt/r/.git\nhead x\nsubmodules stale\n'),
    ).toMatchObject({
      sgd: '/g',
      sgdExists: true,
      gitDir: '/opt/r/.git',
      submodules: 'stale',
    })
  })
  it.each([
    ['/t/a.zip', 'zip'],
    ['/t/a.tar.gz', 'tar.gz'],
    ['/t/a.tgz', 'tgz'],
    ['/t/a.tar', 'tar'],
    ['/t/a.rar', undefined],
    ['/t.d/zip', undefined],
  ])('archive format of %s', (p, want) => expect(archiveFormat(p)).toBe(want))
  it('probes tracked submodules with the ssh settings', async () => {
    const io = scriptedIO([[/^sh -c GIT_SSH_COMMAND=/, ok('state empty\n')]])
    await gatherOf(git, { ...base, version: A, track_submodules: true, key_file: '/k' }, testCtx(), io)
    expect(io.seen[0]!.env).toEqual({ TSPLAY_GIT_SSH_OPTS: "'-o' 'BatchMode=yes' '-i' '/k' '-o' 'IdentitiesOnly=yes'" })
    expect(io.seen[0]!.argv.slice(4, 7)).toEqual(['sh', '-c', expect.stringContaining('submodule foreach')])
  })
  it('reads the archive and the signature in the same round trip, not the signature in check mode', async () => {
    const io = scriptedIO([
      [/^sh -c d=\$1; r=\$2/, ok(`state repo\nhead ${A}\nurl /srv/r.git\n`)],
      [/^git ls-remote/, ok(`${A}\trefs/heads/main\n`)],
      [/archive/, ok('same\n')],
      [/verify/, { rc: 1, stdout: '', stderr: 'Failed to verify GPG signature of commit/tag "main"\n' }],
    ])
    const args = { ...base, version: 'main', archive: '/t/a.zip', verify_commit: true }
    const f = await gatherOf(git, args, testCtx(), io)
    expect(f).toMatchObject({ archive: 'same', verifyError: 'Failed to verify GPG signature of commit/tag "main"' })
    const checked = await gatherOf(git, args, testCtx({ checkMode: true }), io)
    expect(checked.verifyError).toBeUndefined()
  })
})
