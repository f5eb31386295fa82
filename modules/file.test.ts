import { existsSync, lstatSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { runModule } from '../engine/run/module-call.js'
import file, { ancestors } from './file.js'
import { defaultState, parseTree, planFile, type PathState } from './lib/filestate.js'
import type { InodeInfo, PathInfo } from './lib/probe.js'
import { parseTimestamp, wantedTime } from './lib/times.js'
import { gatherOf, localIO, playbookArgs, testCtx } from '../test/helpers/module-ctx.js'

const inode = (type: string, over: Partial<InodeInfo> = {}): InodeInfo => ({
  type,
  mode: type === 'directory' ? 0o755 : 0o644,
  uid: 0,
  gid: 0,
  owner: 'root',
  group: 'root',
  size: 0,
  mtime: 100,
  atime: 100,
  ctime: 100,
  inode: 7,
  dev: 1,
  nlink: 1,
  ...over,
})
const at = (type: string, over: Partial<InodeInfo> = {}, linkTarget?: string): PathInfo => ({
  exists: true,
  self: inode(type, over),
  readable: true,
  writeable: true,
  executable: false,
  linkTarget,
})
const NONE: PathInfo = { exists: false }
const facts = (state: PathState['state'], info: PathInfo, over: Partial<PathState> = {}): PathState => ({
  path: '/p',
  state,
  info,
  atime: { kind: 'preserve' },
  mtime: { kind: 'preserve' },
  ...over,
})
const opts = { force: false, follow: true, recurse: false }

describe('planFile', () => {
  const rows: {
    name: string
    f: PathState
    o?: Partial<typeof opts> & { mode?: string; owner?: string }
    argv: string[][]
    fail?: string
  }[] = [
    { name: 'absent: nothing there', f: facts('absent', NONE), argv: [] },
    { name: 'absent: removes recursively', f: facts('absent', at('directory')), argv: [['rm', '-rf', '--', '/p']] },
    { name: 'file: missing fails', f: facts('file', NONE), argv: [], fail: 'file (/p) is absent, cannot continue' },
    {
      name: 'file: a folder fails',
      f: facts('file', at('directory')),
      argv: [],
      fail: 'file (/p) is directory, cannot continue',
    },
    {
      name: 'file: mode fixed',
      f: facts('file', at('regular file')),
      o: { mode: '0600' },
      argv: [['chmod', '--', '0600', '/p']],
    },
    { name: 'file: mode already right', f: facts('file', at('regular file')), o: { mode: '0644' }, argv: [] },
    {
      name: 'directory: created with mode',
      f: facts('directory', NONE),
      o: { mode: '0750' },
      argv: [['mkdir', '-p', '-m', '0750', '--', '/p']],
    },
    {
      name: 'directory: created parents get the attributes too (Ansible)',
      f: facts('directory', NONE, { missingParents: ['/a', '/a/b'] }),
      o: { owner: 'pi' },
      argv: [
        ['mkdir', '-p', '--', '/p'],
        ['chown', '--', 'pi', '/a'],
        ['chown', '--', 'pi', '/a/b'],
        ['chown', '--', 'pi', '/p'],
      ],
    },
    {
      name: 'directory: created parents named to the one mkdir -m; owner by chown, as before',
      f: facts('directory', NONE, { missingParents: ['/a', '/a/b'] }),
      o: { mode: '0750', owner: 'pi' },
      argv: [
        ['mkdir', '-p', '-m', '0750', '--', '/a', '/a/b', '/p'],
        ['chown', '--', 'pi', '/a'],
        ['chown', '--', 'pi', '/a/b'],
        ['chown', '--', 'pi', '/p'],
      ],
    },
    { name: 'directory: exists', f: facts('directory', at('directory')), o: { mode: '0755', owner: 'root' }, argv: [] },
    {
      name: 'directory: a file is in the way',
      f: facts('directory', at('regular file')),
      argv: [],
      fail: '/p already exists as a regular file',
    },
    {
      name: 'link: created',
      f: facts('link', NONE, { src: '/t', srcInfo: at('regular file') }),
      argv: [['ln', '-sfn', '--', '/t', '/p']],
    },
    {
      name: 'link: already right',
      f: facts('link', at('symbolic link', {}, '/t'), { src: '/t', srcInfo: at('regular file') }),
      argv: [],
    },
    {
      name: 'link: re-pointed',
      f: facts('link', at('symbolic link', {}, '/old'), { src: '/t', srcInfo: at('regular file') }),
      argv: [['ln', '-sfn', '--', '/t', '/p']],
    },
    {
      name: 'link: missing src without force',
      f: facts('link', NONE, { src: '/t', srcInfo: NONE }),
      argv: [],
      fail: 'src file does not exist, use force=yes if you really want to create the link: /t',
    },
    {
      name: 'link: missing src with force',
      f: facts('link', NONE, { src: '/t', srcInfo: NONE }),
      o: { force: true },
      argv: [['ln', '-sfn', '--', '/t', '/p']],
    },
    {
      name: 'link: no src, an existing link keeps its target (owner set on it)',
      f: facts('link', at('symbolic link', {}, '/t')),
      o: { owner: 'pi' },
      argv: [['chown', '-h', '--', 'pi', '/p']],
    },
    {
      name: 'link: no src and no link yet',
      f: facts('link', NONE),
      argv: [],
      fail: 'src is required for creating new symlinks',
    },
    {
      name: 'hard: no src, an existing hard link gets its mode',
      f: facts('hard', at('regular file', { nlink: 2 })),
      o: { mode: '0600' },
      argv: [['chmod', '--', '0600', '/p']],
    },
    {
      name: 'hard: no src and a file with one link',
      f: facts('hard', at('regular file')),
      argv: [],
      fail: 'src is required for creating new hardlinks',
    },
    {
      name: 'link: a file in the way',
      f: facts('link', at('regular file'), { src: '/t', srcInfo: at('regular file') }),
      argv: [],
      fail: 'refusing to convert from regular file to symlink for /p',
    },
    {
      name: 'link: owner set on the link itself',
      f: facts('link', NONE, { src: '/t', srcInfo: at('regular file') }),
      o: { owner: 'pi' },
      argv: [
        ['ln', '-sfn', '--', '/t', '/p'],
        ['chown', '-h', '--', 'pi', '/p'],
      ],
    },
    {
      name: 'hard: same inode',
      f: facts('hard', at('regular file', { inode: 9, nlink: 2 }), {
        src: '/t',
        srcInfo: at('regular file', { inode: 9 }),
      }),
      argv: [],
    },
    {
      // Ansible's: a file with one name is a file, even when it is src itself
      name: 'hard: src itself fails',
      f: facts('hard', at('regular file', { inode: 9 }), { src: '/p', srcInfo: at('regular file', { inode: 9 }) }),
      argv: [],
      fail: 'Cannot link, file exists at destination /p (force: true replaces it)',
    },
    {
      name: 'hard: created',
      f: facts('hard', NONE, { src: '/t', srcInfo: at('regular file', { inode: 9 }) }),
      argv: [['ln', '-f', '--', '/t', '/p']],
    },
    {
      name: 'hard: another file needs force',
      f: facts('hard', at('regular file'), { src: '/t', srcInfo: at('regular file', { inode: 9 }) }),
      argv: [],
      fail: 'Cannot link, file exists at destination /p (force: true replaces it)',
    },
    {
      name: 'touch: creates',
      f: facts('touch', NONE, { atime: { kind: 'now' }, mtime: { kind: 'now' } }),
      argv: [['touch', '--', '/p']],
    },
    {
      name: 'touch: existing, times now',
      f: facts('touch', at('regular file'), { atime: { kind: 'now' }, mtime: { kind: 'now' } }),
      argv: [
        ['touch', '-a', '--', '/p'],
        ['touch', '-m', '--', '/p'],
      ],
    },
    { name: 'touch: existing, times preserve', f: facts('touch', at('regular file')), argv: [] },
    {
      name: 'mtime: already at the time',
      f: facts('file', at('regular file'), { mtime: { kind: 'at', text: 't', epoch: 100 } }),
      argv: [],
    },
    {
      name: 'mtime: set',
      f: facts('file', at('regular file'), { mtime: { kind: 'at', text: 't', epoch: 200 } }),
      argv: [['touch', '-m', '-d', '@200', '--', '/p']],
    },
    {
      name: 'recurse: one entry off',
      f: facts('directory', at('directory'), {
        tree: parseTree('644\tf\troot\troot\t0\t0\n600\tf\troot\troot\t0\t0\n'),
      }),
      o: { mode: '0644', recurse: true },
      argv: [
        ['chmod', '--', '0644', '/p'],
        ['chmod', '-R', '--', '0644', '/p'],
      ],
    },
    {
      name: 'recurse: symbolic u+rwX, all fine',
      f: facts('directory', at('directory'), {
        tree: parseTree('755\td\troot\troot\t0\t0\n644\tf\troot\troot\t0\t0\n'),
      }),
      o: { mode: 'u+rwX', recurse: true },
      argv: [],
    },
  ]
  test.each(rows)('$name', ({ f, o, argv, fail }) => {
    const p = planFile(f, { ...opts, ...o })
    expect(p.fail).toBe(fail)
    expect(p.commands.map((c) => c.argv)).toEqual(argv)
    if (!fail) expect(p.changes?.length ?? 0).toBe(argv.length === 0 ? 0 : p.changes!.length)
  })
  test('a new folder and its missing parents: each named once in the changes, the mode once', () => {
    const f = facts('directory', NONE, { missingParents: ['/a', '/a/b'] })
    expect(planFile(f, { ...opts, mode: '0750' }).changes).toEqual([
      'create directory /a',
      'create directory /a/b',
      'create directory /p',
      'mode 0750',
    ])
    expect(planFile(f, opts).changes).toEqual(['create directory /a', 'create directory /a/b', 'create directory /p'])
  })
  test.each([
    { name: 'file missing', f: facts('file', NONE), o: { mode: '0600' }, n: 1 },
    { name: 'hard link src missing', f: facts('hard', NONE, { src: '/t', srcInfo: NONE }), o: {}, n: 1 },
    { name: 'symlink src missing', f: facts('link', NONE, { src: '/t', srcInfo: NONE }), o: {}, n: 1 },
  ])('check mode predicts instead of failing: $name', ({ f, o, n }) => {
    const p = planFile(f, { ...opts, ...o, checkMode: true })
    expect(p.fail).toBeUndefined()
    expect(p.commands.length).toBe(n)
    expect(planFile(f, { ...opts, ...o }).fail).toBeDefined()
  })
  test.each([
    [NONE, false, 'file'],
    [NONE, true, 'directory'],
    [at('directory'), false, 'directory'],
    [at('symbolic link'), false, 'link'],
    [at('regular file'), false, 'file'],
  ] as const)('default state of %j (recurse %s) is %s', (info, recurse, want) =>
    expect(defaultState(info, recurse)).toBe(want),
  )
})

describe('times', () => {
  test.each([
    ['202401311200.30', '%Y%m%d%H%M.%S', '2024-01-31 12:00:30'],
    ['2024-01-31 08:05', '%Y-%m-%d %H:%M', '2024-01-31 08:05:00'],
    ['31/01/99', '%d/%m/%y', '1999-01-31 00:00:00'],
  ])('%s with %s', (v, f, want) => expect(parseTimestamp(v, f)).toBe(want))
  test.each([
    ['2024', '%Y%m'],
    ['202413011200.00', '%Y%m%d%H%M.%S'],
    ['x', '%j'],
  ])('refuses %s with %s', (v, f) => expect(() => parseTimestamp(v, f)).toThrow())
  test('defaults', () => {
    expect(wantedTime(undefined, undefined, true)).toEqual({ kind: 'now' })
    expect(wantedTime(undefined, undefined, false)).toEqual({ kind: 'preserve' })
  })
})

const dir = mkdtempSync(join(tmpdir(), 'tsplay-file-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** As the runner does: aliases resolved, defaults filled, then the module. */
async function step(written: Record<string, unknown>) {
  const r = await runModule(file, playbookArgs(file, written), testCtx(), localIO())
  expect(r.failed).toBeUndefined()
  expect(r.results.map((x) => x.stderr).join('')).toBe('')
  return r.plan.commands.length
}

describe('on this machine: each state converges in one run', () => {
  test.each([
    [
      { path: join(dir, 'd/e'), state: 'directory', mode: '0750' },
      () => expect(statSync(join(dir, 'd/e')).mode & 0o777).toBe(0o750),
    ],
    [
      { path: join(dir, 't'), state: 'touch', modification_time: '202001010000.00', access_time: 'preserve' },
      () => expect(statSync(join(dir, 't')).mtime.getFullYear()).toBe(2020),
    ],
    [{ dest: join(dir, 'l'), src: 't', state: 'link' }, () => expect(readlinkSync(join(dir, 'l'))).toBe('t')],
    [
      { name: join(dir, 'h'), src: join(dir, 't'), state: 'hard' },
      () => expect(statSync(join(dir, 'h')).ino).toBe(statSync(join(dir, 't')).ino),
    ],
    [
      { path: join(dir, 'd'), state: 'directory', recurse: true, mode: 'u=rwX,g=rX,o=' },
      () => expect(statSync(join(dir, 'd/e')).mode & 0o777).toBe(0o750),
    ],
    [{ path: join(dir, 't'), mode: '0600' }, () => expect(statSync(join(dir, 't')).mode & 0o777).toBe(0o600)],
    [{ path: join(dir, 'd'), state: 'absent' }, () => expect(existsSync(join(dir, 'd'))).toBe(false)],
  ] as [Record<string, unknown>, () => void][])('%j', async (args, check) => {
    if (String(args.path ?? '').endsWith('/d') && args.recurse) writeFileSync(join(dir, 'd', 'x'), '')
    expect(await step(args)).toBeGreaterThan(0)
    check()
    expect(await step(args)).toBe(0)
  })
  test('missing parents are found in the same round trip and get the mode', async () => {
    const path = join(dir, 'p1/p2/p3')
    const f = await gatherOf(file, { path, state: 'directory', mode: '0700' }, testCtx(), localIO())
    expect((f as PathState).missingParents).toEqual([join(dir, 'p1'), join(dir, 'p1/p2')])
    // one mkdir -m names the two parents and the folder: each gets the mode from it, whatever the umask
    expect(await step({ path, state: 'directory', mode: '0700' })).toBe(1)
    for (const p of ['p1', 'p1/p2', 'p1/p2/p3']) expect(statSync(join(dir, p)).mode & 0o7777).toBe(0o700)
  })
  test.each(['2777', 'u=rwx,g=rwxs,o=rx'])(
    'a new folder gets mode %s exactly from mkdir, umask aside',
    async (mode) => {
      const path = join(dir, `m-${mode.replace(/\W/g, '')}`)
      expect(await step({ path, state: 'directory', mode })).toBe(1)
      expect(statSync(path).mode & 0o7777).toBe(mode === '2777' ? 0o2777 : 0o2775)
      expect(await step({ path, state: 'directory', mode })).toBe(0)
    },
  )
  test('touch with default times is always changed', async () => {
    mkdirSync(join(dir, 'tt'))
    const args = { path: join(dir, 'tt', 'f'), state: 'touch' }
    expect(await step(args)).toBe(1)
    expect(await step(args)).toBe(2)
    expect(lstatSync(args.path).isFile()).toBe(true)
  })
})

describe('ancestors', () => {
  test.each([
    ['/srv/a/b', ['/srv/a', '/srv']],
    ['a/b/c', ['a/b', 'a']],
    ['/a/b/', ['/a']],
    ['/a', []],
    ['a', []],
  ])('%s, as dirname(1) names them', (path, want) => expect(ancestors(path)).toEqual(want))
})
