import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import git, { type GitState } from './git.js'
import { withGitExecutable } from './lib/git-exe.js'
import { parseDestProbe, remoteBranchesAndTags, type DestState } from './lib/git-state.js'
import { withUmask } from './lib/umask.js'
import {
  gatherOf,
  localIO,
  planOf,
  runWith,
  scriptedIO,
  testCtx,
  type WrittenArgs,
} from '../test/helpers/module-ctx.js'

const A = 'a'.repeat(40)
const B = 'b'.repeat(40)
const T = 'c'.repeat(40)
const base = { repo: '/srv/r.git', dest: '/srv/m.git', bare: true }
const empty: DestState = { state: 'empty', dirty: [] }
const mirror = (over: Partial<DestState> = {}): DestState => ({
  state: 'repo',
  head: A,
  url: '/srv/r.git',
  branch: 'main',
  dirty: [],
  gitDir: '/srv/m.git',
  refs: { 'refs/heads/main': A, 'refs/tags/v1': T },
  ...over,
})
const remote = { 'refs/heads/main': A, 'refs/tags/v1': T }
const head = { sha: A, kind: 'head' } as const
const SPECS = ['+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*']
const fetch = (...extra: string[]) => ['git', '-C', '/srv/m.git', 'fetch', '-q', ...extra, '--', 'origin', ...SPECS]

type Row = [string, WrittenArgs<typeof git>, GitState, { argv: unknown[]; changes?: number; data?: object }]
const rows: Row[] = [
  [
    'an empty dest: a bare clone of the remote HEAD',
    base,
    { dest: empty, target: head, remoteRefs: remote, remoteHead: A },
    { argv: [['git', 'clone', '-q', '--bare', '--', '/srv/r.git', '/srv/m.git']], data: { before: null, after: A } },
  ],
  [
    'version picks the branch only with depth or single_branch; another remote name is added',
    { ...base, version: 'dev', depth: 1, remote: 'up', refspec: 'refs/meta/*:refs/meta/*' },
    { dest: empty, target: { sha: B, kind: 'branch', short: 'dev' }, remoteRefs: {}, remoteHead: A },
    {
      argv: [
        ['git', 'clone', '-q', '--bare', '--depth', '1', '--branch', 'dev', '--', '/srv/r.git', '/srv/m.git'],
        ['git', '-C', '/srv/m.git', 'remote', 'add', '--', 'up', '/srv/r.git'],
        ['git', '-C', '/srv/m.git', 'fetch', '-q', '--depth', '1', '--', 'up', 'refs/meta/*:refs/meta/*'],
      ],
      data: { after: B },
    },
  ],
  [
    'a version the remote lacks is no error: the clone takes HEAD',
    { ...base, version: 'nope' },
    { dest: empty, target: { sha: 'nope', kind: 'commit' }, remoteRefs: remote, remoteHead: A },
    { argv: [['git', 'clone', '-q', '--bare', '--', '/srv/r.git', '/srv/m.git']], data: { after: A } },
  ],
  [
    'the same branches and tags: nothing to do',
    base,
    { dest: mirror(), target: head, remoteRefs: remote },
    { argv: [], changes: 0, data: { before: A, after: A, remote_url_changed: false } },
  ],
  [
    'a branch moved or new, or a tag: one fetch of all, HEAD follows its branch',
    { ...base, force: true },
    { dest: mirror(), target: head, remoteRefs: { ...remote, 'refs/heads/main': B, 'refs/heads/dev': A } },
    { argv: [fetch('--force')], changes: 1, data: { before: A, after: B } },
  ],
  [
    'another url: set, then fetched',
    { ...base, repo: '/srv/new.git' },
    { dest: mirror(), target: head, remoteRefs: remote },
    {
      argv: [
        ['git', '-C', '/srv/m.git', 'remote', 'set-url', '--', 'origin', '/srv/new.git'],
        ['git', '-C', '/srv/m.git', 'fetch', '-q', '--', 'origin', ...SPECS],
      ],
      changes: 1,
      data: { remote_url_changed: true },
    },
  ],
  [
    'update: false leaves a moved remote alone',
    { ...base, update: false },
    { dest: mirror(), target: head, remoteRefs: { 'refs/heads/main': B } },
    { argv: [], changes: 0 },
  ],
]

describe('git bare: plans', () => {
  it.each(rows)('%s', (_n, args, state, want) => {
    for (const checkMode of [false, true]) {
      const plan = planOf(git, state, args, testCtx({ checkMode }))
      expect(plan.fail).toBeUndefined()
      expect(plan.commands.map((c) => c.argv)).toEqual(want.argv)
      if (want.changes !== undefined) expect(plan.changes ?? []).toHaveLength(want.changes)
      if (want.data) expect(plan.data).toMatchObject(want.data)
    }
  })
  it('bare and separate_git_dir are refused together, as Ansible refuses them', async () => {
    const args = { ...base, separate_git_dir: '/srv/g' }
    await expect(gatherOf(git, args, testCtx(), scriptedIO([]))).rejects.toThrow(
      'parameters are mutually exclusive: separate_git_dir|bare',
    )
  })
  it('parses the probe of a bare repository and the remote listing', () => {
    expect(
      parseDestProbe(`state repo\ngitdir /m\nhead ${A}\nref ${A} refs/heads/main\nref ${T} refs/tags/v1\n`),
    ).toMatchObject({ head: A, refs: { 'refs/heads/main': A, 'refs/tags/v1': T } })
    const ls = `${A}\tHEAD\n${A}\trefs/heads/main\n${T}\trefs/tags/v1\n${B}\trefs/tags/v1^{}\n${B}\trefs/pull/1\n`
    expect(remoteBranchesAndTags(ls)).toEqual({ 'refs/heads/main': A, 'refs/tags/v1': T })
  })
})

describe('git executable', () => {
  const exe = '/opt/git/bin/git'
  it.each([
    ['a git command', { argv: ['git', '-C', '/d', 'rev-parse', 'HEAD'] }, [exe, '-C', '/d', 'rev-parse', 'HEAD']],
    [
      'a script',
      { argv: ['sh', '-c', 'git status', 'sh', 'git'] },
      ['sh', '-c', expect.stringMatching(/^git\(\) \{.*\ngit status$/), 'sh', 'git'],
    ],
    [
      'a wrapper that execs what it wraps',
      { argv: ['sh', '-c', 'X=1; exec "$@"', 'sh', 'git', 'fetch'] },
      ['sh', '-c', 'X=1; exec "$@"', 'sh', exe, 'fetch'],
    ],
    ['another program', { argv: ['tar', 'git'] }, ['tar', 'git']],
  ])('%s', (_n, cmd, want) => {
    const out = withGitExecutable(cmd, exe)
    expect(out.argv).toEqual(want)
    expect(out.env).toEqual({ TSPLAY_GIT: exe })
  })
  it('under umask, the wrapped git is the executable', () => {
    const p = withUmask({ commands: [withGitExecutable({ argv: ['git', 'fetch'] }, exe)] }, '0027')
    expect(p.commands[0]!.argv).toEqual(['sh', '-c', 'umask "$1" && shift && exec "$@"', 'sh', '0027', exe, 'fetch'])
  })
})

describe('bare mirrors and executable, against local repositories', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-git-bare-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const src = join(dir, 'src')
  const mirrorDir = join(dir, 'mirror.git')
  const sh = (...argv: string[]) => execFileSync(argv[0]!, argv.slice(1), { encoding: 'utf8' }).trim()
  const commit = (m: string) =>
    sh('git', '-C', src, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', m)
  sh('git', 'init', '-q', '-b', 'main', src)
  commit('a')
  sh('git', '-C', src, 'tag', 'v1')
  // a git that counts its calls, then runs the real one
  const wrapper = join(dir, 'counting-git')
  writeFileSync(wrapper, `#!/bin/sh\necho x >> ${JSON.stringify(join(dir, 'calls'))}\nexec git "$@"\n`)
  chmodSync(wrapper, 0o755)
  const args = { repo: src, dest: mirrorDir, bare: true, executable: wrapper }
  const run = () => runWith(git, args, testCtx({ diffMode: false }), localIO())

  it('clones bare, then is ok; a moved branch is fetched and changed; every git call went to executable', async () => {
    const first = await run()
    expect(first).toMatchObject({ changed: true, failed: undefined })
    expect(sh('git', '-C', mirrorDir, 'rev-parse', '--is-bare-repository')).toBe('true')
    expect(first.data).toMatchObject({ after: sh('git', '-C', src, 'rev-parse', 'HEAD') })
    expect(await run()).toMatchObject({ changed: false, failed: undefined })
    commit('b')
    sh('git', '-C', src, 'branch', 'dev')
    const moved = await run()
    expect(moved).toMatchObject({ changed: true, failed: undefined })
    expect(sh('git', '-C', mirrorDir, 'rev-parse', 'main', 'dev')).toBe(
      sh('git', '-C', src, 'rev-parse', 'main', 'dev'),
    )
    expect(await run()).toMatchObject({ changed: false })
    const calls = readFileSync(join(dir, 'calls'), 'utf8').split('\n').length - 1
    expect(calls).toBeGreaterThanOrEqual(8)
    expect(existsSync(join(mirrorDir, 'config'))).toBe(true)
  })
})
