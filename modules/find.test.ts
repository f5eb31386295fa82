import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { resolveArgs } from '../engine/load/args.js'
import find, { planFind, contentMatches, type FindFacts } from './find.js'
import { fnmatchRe, parseAge, parseSize, walkOrder, type FsEntry } from './lib/findfs.js'
import { localIO, moduleArgs, testCtx } from '../test/helpers/module-ctx.js'

const NOW = 1_000_000
const e = (path: string, over: Partial<FsEntry> = {}): FsEntry => ({
  path,
  name: path.slice(path.lastIndexOf('/') + 1),
  depth: path.split('/').length - 2,
  type: 'f',
  targetType: 'f',
  mode: 0o644,
  uid: 0,
  gid: 0,
  size: 10,
  inode: 1,
  dev: 1,
  nlink: 1,
  atime: NOW - 10,
  mtime: NOW - 10,
  ctime: NOW - 10,
  owner: 'root',
  group: 'root',
  ...over,
})
// listing order as find prints it (depth first); os.walk order puts each folder's files before its folders
const TREE: FsEntry[] = [
  e('/r/sub', { type: 'd', targetType: 'd' }),
  e('/r/sub/deep.log'),
  e('/r/a.log', { size: 5000, mtime: NOW - 3 * 86400 }),
  e('/r/.hidden.log'),
  e('/r/b.txt'),
  e('/r/link', { type: 'l', targetType: 'f' }),
]
const facts = (over: Partial<FindFacts> = {}): FindFacts => ({
  now: NOW,
  listings: [{ path: '/r', isDir: true, entries: TREE, errors: '' }],
  contents: {},
  checksums: {},
  ...over,
})
const paths = (args: Parameters<typeof planFind>[1], f = facts()) =>
  (planFind(f, args).data!.files as { path: string }[]).map((x) => x.path)

describe('planFind (Ansible filters)', () => {
  test.each([
    { name: 'top level files', args: {}, want: ['/r/a.log', '/r/b.txt'] },
    { name: 'recurse: walk order', args: { recurse: true }, want: ['/r/a.log', '/r/b.txt', '/r/sub/deep.log'] },
    { name: 'hidden', args: { hidden: true }, want: ['/r/a.log', '/r/.hidden.log', '/r/b.txt'] },
    { name: 'glob', args: { patterns: '*.log', recurse: true }, want: ['/r/a.log', '/r/sub/deep.log'] },
    { name: 'comma-separated globs', args: { patterns: '*.txt,a*' }, want: ['/r/a.log', '/r/b.txt'] },
    { name: 'excludes', args: { patterns: ['*'], excludes: 'a*' }, want: ['/r/b.txt'] },
    {
      name: 'regex matches from the start',
      args: { patterns: ['[ab]\\.'], use_regex: true },
      want: ['/r/a.log', '/r/b.txt'],
    },
    { name: 'regex not anchored at the end', args: { patterns: ['b'], use_regex: true }, want: ['/r/b.txt'] },
    { name: 'directories', args: { file_type: 'directory' as const }, want: ['/r/sub'] },
    { name: 'links', args: { file_type: 'link' as const }, want: ['/r/link'] },
    { name: 'any', args: { file_type: 'any' as const }, want: ['/r/a.log', '/r/b.txt', '/r/link', '/r/sub'] },
    { name: 'age: older than 2 days', args: { age: '2d' }, want: ['/r/a.log'] },
    { name: 'negative age: newer than 1 day', args: { age: '-1d' }, want: ['/r/b.txt'] },
    { name: 'size at least 1k', args: { size: '1k' }, want: ['/r/a.log'] },
    { name: 'size at most 100 bytes', args: { size: '-100' }, want: ['/r/b.txt'] },
    { name: 'depth 1', args: { recurse: true, depth: 1 }, want: ['/r/a.log', '/r/b.txt'] },
  ])('$name', ({ args, want }) => {
    expect(paths({ paths: '/r', ...args })).toEqual(want)
  })
  test('contains: a line matching from its start; read_whole_file searches anywhere', () => {
    const f = facts({ contents: { '/r/a.log': 'x\nERROR here\n', '/r/b.txt': 'no ERROR\n' } })
    expect(paths({ paths: '/r', contains: 'ERROR' }, f)).toEqual(['/r/a.log'])
    expect(paths({ paths: '/r', contains: 'ERROR', read_whole_file: true }, f)).toEqual(['/r/a.log', '/r/b.txt'])
  })
  test('result fields, examined, skipped paths', () => {
    const f = facts({
      listings: [...facts().listings, { path: '/nope', isDir: false, entries: [], errors: '' }],
      checksums: { '/r/b.txt': 'a'.repeat(40) },
    })
    const p = planFind(f, { paths: ['/r', '/nope'], patterns: 'b*', get_checksum: true })
    expect(p.commands).toEqual([])
    expect(p.data).toMatchObject({
      matched: 1,
      examined: 5,
      skipped_paths: { '/nope': "'/nope' is not a directory" },
      files: [{ path: '/r/b.txt', mode: '0644', isreg: true, checksum: 'a'.repeat(40), pw_name: 'root' }],
    })
    expect(p.msg).toBe('Not all paths examined, check warnings for details')
  })
  test.each([
    [{ age: '2 days' }, 'failed to process age'],
    [{ size: '1x' }, 'failed to process size'],
    [{ patterns: '(', use_regex: true }, /invalid regular expression/],
  ])('refuses %j', (args, msg) => {
    expect(planFind(facts(), { paths: '/r', ...args }).fail).toMatch(msg)
  })
})

describe('helpers', () => {
  test.each([
    ['*.log', 'a.log', true],
    ['*.log', 'a.log.1', false],
    ['?.txt', 'a.txt', true],
    ['[ab].txt', 'b.txt', true],
    ['[!ab].txt', 'b.txt', false],
    ['a+b(1)', 'a+b(1)', true],
  ])('fnmatch %s %s', (p, name, want) => expect(fnmatchRe(p).test(name)).toBe(want))
  test('age and size units', () => {
    expect([parseAge('2d'), parseAge('-1h'), parseAge('30'), parseAge('1w')]).toEqual([172800, -3600, 30, 604800])
    expect([parseSize('1k'), parseSize('-2m'), parseSize('7')]).toEqual([1024, -2097152, 7])
  })
  test('walk order: files then folders, top-down', () => {
    expect(walkOrder(TREE, '/r').map((x) => x.path)).toEqual([
      '/r/a.log',
      '/r/.hidden.log',
      '/r/b.txt',
      '/r/link',
      '/r/sub',
      '/r/sub/deep.log',
    ])
  })
  test('contentMatches: $ before the newline', () => expect(contentMatches('ab\n', 'ab$', false)).toBe(true))
  test('aliases and defaults', () => {
    const pos = { file: 't.yml', line: 1, col: 1 }
    expect(resolveArgs(find, { path: '/x', pattern: '*.log' }, pos)).toMatchObject({
      paths: '/x',
      patterns: '*.log',
      file_type: 'file',
      age_stamp: 'mtime',
      recurse: false,
      hidden: false,
    })
  })
})

const dir = mkdtempSync(join(tmpdir(), 'tsplay-find-'))
beforeAll(() => {
  mkdirSync(join(dir, 'sub', '.git'), { recursive: true })
  writeFileSync(join(dir, 'a.log'), 'one\nERROR two\n')
  writeFileSync(join(dir, 'old.log'), 'x')
  utimesSync(join(dir, 'old.log'), new Date(2000, 0, 1), new Date(2000, 0, 1))
  writeFileSync(join(dir, 'sub', "we'ird $(touch pwned).log"), 'abc')
  writeFileSync(join(dir, 'sub', '.git', 'config.log'), '')
  symlinkSync(join(dir, 'sub'), join(dir, 'sublink'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('on this machine', () => {
  const run = async (args: Parameters<typeof planFind>[1]) => {
    const f = await find.gather(moduleArgs(find, args), testCtx(), localIO())
    return find.plan(f, moduleArgs(find, args), testCtx())
  }
  test('recurse, patterns, hidden folders walked, odd names as data', async () => {
    const p = await run({ paths: dir, patterns: '*.log', recurse: true })
    expect((p.data!.files as { path: string }[]).map((x) => x.path).sort()).toEqual(
      [
        join(dir, 'a.log'),
        join(dir, 'old.log'),
        join(dir, 'sub', "we'ird $(touch pwned).log"),
        join(dir, 'sub', '.git', 'config.log'),
      ].sort(),
    )
    expect(p.data!.examined).toBe(7)
  })
  test('age, contains, checksum, links followed', async () => {
    expect((await run({ paths: dir, age: '1w' })).data!.matched).toBe(1)
    const c = await run({ paths: dir, contains: 'ERROR', get_checksum: true })
    expect(c.data!.files).toMatchObject([
      { path: join(dir, 'a.log'), checksum: expect.stringMatching(/^[0-9a-f]{40}$/) },
    ])
    const l = await run({ paths: dir, recurse: true, follow: true, patterns: 'we*' })
    expect(l.data!.matched).toBe(2)
  })
  test('a missing path is skipped, not fatal', async () => {
    const p = await run({ paths: [join(dir, 'nope'), dir], patterns: 'a.log' })
    expect(p.data).toMatchObject({
      matched: 1,
      skipped_paths: { [join(dir, 'nope')]: `'${join(dir, 'nope')}' is not a directory` },
    })
  })
})
