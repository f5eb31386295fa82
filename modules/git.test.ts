import { describe, expect, it } from 'vitest'
import git, { type GitState } from './git.js'
import { parseDestProbe, resolveRemote, type DestState } from './lib/git-state.js'
import { gatherOf, ok, planOf, scriptedIO, testCtx, type WrittenArgs } from '../test/helpers/module-ctx.js'

/** The submodule step that follows every checkout (`recursive` defaults to true, as in Ansible). */
const SUB = ['sh', '-c', expect.stringContaining('git submodule update -q --init --recursive'), 'sh']
const A = 'a'.repeat(40)
const B = 'b'.repeat(40)
const C = 'c'.repeat(40)
// Real `git ls-remote REPO refs/heads/v1 refs/tags/v1 'refs/tags/v1^{}'` style output.
const LS = `${A}\tHEAD\n${A}\trefs/heads/main\n${B}\trefs/tags/v1\n${C}\trefs/tags/v1^{}\n${B}\trefs/tags/light\n`

describe('git fact parsers', () => {
  it.each([
    ['HEAD', { sha: A, kind: 'head' }],
    ['main', { sha: A, kind: 'branch', short: 'main' }],
    ['v1', { sha: C, kind: 'tag', short: 'v1' }],
    ['light', { sha: B, kind: 'tag', short: 'light' }],
    ['refs/heads/main', { sha: A, kind: 'branch', short: 'main' }],
    ['nosuch', undefined],
  ])('resolves %s', (v, want) => expect(resolveRemote(LS, v)).toEqual(want))

  it('parses the dest probe', () => {
    expect(
      parseDestProbe(`state repo\nhead ${A}\nurl /srv/r.git\nbranch main\ndirty  M README\ndirty M  x.c\n`),
    ).toEqual({
      state: 'repo',
      head: A,
      url: '/srv/r.git',
      branch: 'main',
      dirty: [' M README', 'M  x.c'],
    })
    expect(parseDestProbe('state repo\nerror fatal: detected dubious ownership \nurl \nbranch \n')).toMatchObject({
      error: 'fatal: detected dubious ownership',
      url: '',
      branch: undefined,
    })
    expect(parseDestProbe('state empty\n').state).toBe('empty')
  })
})

const repo = (over: Partial<DestState> = {}): DestState => ({
  state: 'repo',
  head: A,
  url: '/srv/r.git',
  branch: 'main',
  dirty: [],
  ...over,
})
type Row = [
  string,
  WrittenArgs<typeof git>,
  GitState,
  { argv?: string[][]; fail?: RegExp; data?: Record<string, unknown> },
]
const base = { repo: '/srv/r.git', dest: '/opt/r' }
const rows: Row[] = [
  [
    'first clone of a branch',
    { ...base, version: 'main' },
    { dest: { state: 'empty', dirty: [] }, target: { sha: A, kind: 'branch', short: 'main' } },
    {
      argv: [['git', 'clone', '-q', '--origin', 'origin', '--branch', 'main', '--', '/srv/r.git', '/opt/r'], SUB],
      data: { before: null, after: A },
    },
  ],
  [
    'shallow clone of HEAD',
    { ...base, depth: 1 },
    { dest: { state: 'empty', dirty: [] }, target: { sha: A, kind: 'head' } },
    { argv: [['git', 'clone', '-q', '--origin', 'origin', '--depth', '1', '--', '/srv/r.git', '/opt/r'], SUB] },
  ],
  [
    'clone at a commit',
    { ...base, version: C },
    { dest: { state: 'empty', dirty: [] }, target: { sha: C, kind: 'commit' } },
    {
      argv: [
        ['git', 'clone', '-q', '--origin', 'origin', '--no-checkout', '--', '/srv/r.git', '/opt/r'],
        ['git', '-C', '/opt/r', 'checkout', '-q', '--force', '--detach', C],
        SUB,
      ],
    },
  ],
  [
    'up to date',
    { ...base, version: 'main' },
    { dest: repo(), target: { sha: A, kind: 'branch', short: 'main' } },
    { argv: [], data: { before: A, after: A, remote_url_changed: false } },
  ],
  [
    'branch moved',
    { ...base, version: 'main' },
    { dest: repo(), target: { sha: B, kind: 'branch', short: 'main' } },
    {
      argv: [
        ['git', '-C', '/opt/r', 'fetch', '-q', '--', 'origin', '+refs/heads/main:refs/remotes/origin/main'],
        ['git', '-C', '/opt/r', 'checkout', '-q', '--force', '-B', 'main', B],
        SUB,
      ],
      data: { before: A, after: B, remote_url_changed: false },
    },
  ],
  [
    'tag checkout',
    { ...base, version: 'v1' },
    { dest: repo(), target: { sha: C, kind: 'tag', short: 'v1' } },
    {
      argv: [
        ['git', '-C', '/opt/r', 'fetch', '-q', '--', 'origin', '+refs/tags/v1:refs/tags/v1'],
        ['git', '-C', '/opt/r', 'checkout', '-q', '--force', '--detach', C],
        SUB,
      ],
    },
  ],
  [
    'update: false leaves it',
    { ...base, update: false },
    { dest: repo(), target: { sha: B, kind: 'head' } },
    { argv: [] },
  ],
  [
    'local changes fail without force',
    { ...base },
    { dest: repo({ dirty: [' M README'] }), target: { sha: A, kind: 'head' } },
    { fail: /local modifications in \/opt\/r \(README\); set force: true/ },
  ],
  [
    'force discards local changes',
    { ...base, force: true },
    { dest: repo({ dirty: [' M README'] }), target: { sha: A, kind: 'head' } },
    { argv: [['git', '-C', '/opt/r', 'reset', '-q', '--hard']] },
  ],
  [
    'remote url changed',
    { ...base, repo: '/srv/other.git' },
    { dest: repo(), target: { sha: A, kind: 'head' } },
    {
      argv: [['git', '-C', '/opt/r', 'remote', 'set-url', '--', 'origin', '/srv/other.git']],
      data: { before: A, after: A, remote_url_changed: true },
    },
  ],
  [
    'bad ref fails',
    { ...base, version: 'nope' },
    { dest: repo(), remoteError: 'version nope not found in /srv/r.git (no such branch or tag)' },
    { fail: /version nope not found/ },
  ],
  [
    'not a repository',
    { ...base },
    { dest: { state: 'other', dirty: [] }, target: { sha: A, kind: 'head' } },
    { fail: /exists and is not a git repository/ },
  ],
  ['no git installed', { ...base }, { dest: { state: 'no-git', dirty: [] } }, { fail: /git is not installed/ }],
]

describe('git plan', () => {
  it.each(rows)('%s', (_n, args, facts, want) => {
    const plan = planOf(git, facts, args, testCtx())
    if (want.fail) return expect(plan.fail).toMatch(want.fail)
    expect(plan.fail).toBeUndefined()
    expect(plan.commands.map((c) => c.argv)).toEqual(want.argv)
    if (want.data) expect(plan.data).toEqual(want.data)
  })
  it('check mode predicts a clone when git is not installed yet', () => {
    expect(
      planOf(git, { dest: { state: 'no-git', dirty: [] } }, base, testCtx({ checkMode: true })).commands,
    ).toHaveLength(1)
  })
})

describe('git gather', () => {
  it('passes a full commit id through without asking the remote', async () => {
    const io = scriptedIO([[/^sh -c/, ok('state empty\n')]])
    const f = await gatherOf(git, { ...base, version: C }, testCtx(), io)
    expect(f.target).toEqual({ sha: C, kind: 'commit' })
    expect(io.seen).toHaveLength(1)
  })
  it('reports an unreadable remote', async () => {
    const io = scriptedIO([
      [/^sh -c/, ok('state empty\n')],
      [/^git ls-remote/, { rc: 128, stdout: '', stderr: "fatal: '/srv/x' does not appear to be a git repository\n" }],
    ])
    const f = await gatherOf(git, base, testCtx(), io)
    expect(planOf(git, f, base, testCtx()).fail).toMatch(
      /cannot read repository \/srv\/r.git: fatal: '\/srv\/x' does not appear/,
    )
  })
  it.each(['-x', 'a..b', 'a b'])('refuses version %j', async (version) => {
    await expect(gatherOf(git, { ...base, version }, testCtx(), scriptedIO([]))).rejects.toThrow(
      /not a branch, tag or commit/,
    )
  })
})

describe('git in check mode', () => {
  it('predicts a clone of a repository an earlier task would create', () => {
    const f: GitState = {
      dest: { state: 'empty', dirty: [] },
      remoteError: "cannot read repository /srv/r.git: fatal: '/srv/r.git' does not appear to be a git repository",
    }
    expect(planOf(git, f, base, testCtx({ checkMode: true })).changes).toEqual(['clone /srv/r.git at HEAD into /opt/r'])
    expect(planOf(git, f, base, testCtx()).fail).toMatch(/cannot read repository/)
  })
})
