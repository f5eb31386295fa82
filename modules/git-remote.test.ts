import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import git, { type GitState } from './git.js'
import {
  gatherOf,
  localIO,
  ok,
  planOf,
  playbookArgs,
  runWith,
  scriptedIO,
  testCtx,
  type WrittenArgs,
} from '../test/helpers/module-ctx.js'

const A = 'a'.repeat(40)

describe('clone: false reads the remote only', () => {
  it.each([
    ['no dest, HEAD', { repo: '/srv/r.git', clone: false }, `${A}\tHEAD\n`, { target: { sha: A, kind: 'head' } }],
    [
      'no dest, a branch',
      { repo: '/srv/r.git', clone: false, version: 'main' },
      `${A}\trefs/heads/main\n`,
      { target: { sha: A, kind: 'branch', short: 'main' } },
    ],
    [
      'no dest, a name the remote lacks passes through as a commit id (as Ansible)',
      { repo: '/srv/r.git', clone: false, version: 'abc123' },
      '',
      { target: { sha: 'abc123', kind: 'commit' } },
    ],
  ])('gather: %s → only git ls-remote runs', async (_n, args: WrittenArgs<typeof git>, out, want) => {
    const io = scriptedIO([[/^git ls-remote -- \/srv\/r\.git/, ok(out)]])
    const state = await gatherOf(git, args, testCtx(), io)
    expect(state).toMatchObject({ remoteOnly: true, ...want })
    expect(io.seen).toHaveLength(1)
  })
  it('gather: a full commit id needs no remote at all', async () => {
    const io = scriptedIO([])
    expect(await gatherOf(git, { repo: '/srv/r.git', clone: false, version: A }, testCtx(), io)).toMatchObject({
      remoteOnly: true,
      target: { sha: A, kind: 'commit' },
    })
  })
  it('gather: an unreadable remote', async () => {
    const io = scriptedIO([[/^git ls-remote/, { rc: 128, stdout: '', stderr: "fatal: '/x' does not appear\n" }]])
    expect((await gatherOf(git, { repo: '/x', clone: false }, testCtx(), io)).remoteError).toBe(
      "cannot read repository /x: fatal: '/x' does not appear",
    )
  })

  type Row = [string, GitState, { changed?: boolean; fail?: string; data?: object }]
  it.each<Row>([
    [
      'changed, nothing run, the remote commit as after',
      { dest: { state: 'empty', dirty: [] }, remoteOnly: true, target: { sha: A, kind: 'head' } },
      { changed: true, data: { before: null, after: A } },
    ],
    [
      'an unreadable remote fails',
      { dest: { state: 'empty', dirty: [] }, remoteOnly: true, remoteError: 'cannot read repository /x: no' },
      { fail: 'cannot read repository /x: no' },
    ],
  ])('plan: %s', (_n, state, want) => {
    for (const checkMode of [false, true]) {
      const plan = planOf(git, state, { repo: '/srv/r.git', clone: false }, testCtx({ checkMode }))
      expect(plan).toMatchObject({ commands: [], ...want })
    }
  })
  it('dest is needed unless clone is false', () => {
    expect(() => playbookArgs(git, { repo: '/srv/r.git' })).toThrow(
      'module git needs the argument "dest" when "clone" is true',
    )
    expect(() => playbookArgs(git, { repo: '/srv/r.git', clone: 'no' })).not.toThrow()
  })
})

describe('against a local repository', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-git-remote-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const src = join(dir, 'src')
  const sh = (...argv: string[]) => execFileSync(argv[0], argv.slice(1), { encoding: 'utf8' }).trim()
  sh('git', 'init', '-q', '-b', 'main', src)
  sh('git', '-C', src, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', 'a')
  const head = sh('git', '-C', src, 'rev-parse', 'HEAD')

  it.each([
    ['no dest', {}],
    ['a dest that does not exist: left alone', { dest: join(dir, 'never') }],
  ])('%s: changed, after is the remote HEAD, nothing cloned', async (_n, extra) => {
    const r = await runWith(git, { repo: src, clone: false, update: false, ...extra }, testCtx(), localIO())
    expect(r.failed).toBeUndefined()
    expect(r.changed).toBe(true)
    expect(r.data).toMatchObject({ before: null, after: head })
    expect(existsSync(join(dir, 'never'))).toBe(false)
  })
  it('an existing clone is read as with clone: true', async () => {
    const dest = join(dir, 'clone')
    sh('git', 'clone', '-q', src, dest)
    const r = await runWith(git, { repo: src, dest, clone: false }, testCtx(), localIO())
    expect(r).toMatchObject({ changed: false, failed: undefined })
  })
})
