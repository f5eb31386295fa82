import { execFileSync } from 'node:child_process'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Command } from '../engine/types.js'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import unarchive, { planUnarchive, type UnarchiveState } from './unarchive.js'
import { handlerOf, parseSteps, runSteps, tarName } from './lib/archive.js'
import { attrPaths, membersOf, parseFound, parseZipinfo, tarDiffers, urlFileName, zipDiffers } from './lib/unpacked.js'
import {
  gatherOf,
  localIO,
  moduleArgs,
  ok,
  runWith,
  scriptedIO,
  testCtx,
  type WrittenArgs,
} from '../test/helpers/module-ctx.js'

const base: UnarchiveState = { files: ['d/', 'd/a.txt'], differs: [], found: new Map() }
const tgz: UnarchiveState = { ...base, handler: 'TgzArchive', source: { remote: '/srv/a.tgz' } }
const plan = (s: UnarchiveState, a: WrittenArgs<typeof unarchive>, checkMode = false) =>
  planUnarchive(s, moduleArgs(unarchive, a), { checkMode, searchPaths: [] })
const found = (mode: number, type = 'f') => ({
  type,
  size: 1,
  mode,
  uid: 0,
  gid: 0,
  owner: 'root',
  group: 'root',
  time: '',
})

describe('plan: state + arguments → commands', () => {
  test.each([
    ['unpacked already: ok', tgz, {}, 0],
    ['differs: one unpack command', { ...tgz, differs: ['d/a.txt: Mod time differs'] }, {}, 1],
    ['creates exists: skipped', { ...base, skip: 'skipped, since /x exists' }, {}, 0],
    ['unpacked, flags as asked: ok', { ...tgz, attrFlags: new Map([['/opt/d', 'A']]) }, { attributes: 'A' }, 0],
    ['unpacked, other flags: one chattr', { ...tgz, attrFlags: new Map([['/opt/d', 'e']]) }, { attributes: 'A' }, 1],
    ['differs, with flags: unpack, then chattr', { ...tgz, differs: ['d/a.txt'] }, { attributes: 'A' }, 2],
  ])('%s', (_n, s, extra, n) => {
    expect(plan(s, { src: '/srv/a.tgz', dest: '/opt', remote_src: true, ...extra }).commands).toHaveLength(n)
  })
  test('the unpack step: tar flags as Ansible builds them, the archive by placeholder, then attributes', () => {
    const s = { ...tgz, differs: ['x'] }
    const p = plan(s, {
      src: '/srv/a.tgz',
      dest: '/opt',
      remote_src: true,
      extra_opts: ['--strip-components=1'],
      exclude: ['d/b*'],
      keep_newer: true,
      mode: '0750',
    })
    const argv = p.commands[0].argv
    expect(argv.slice(4)).toEqual([
      '/srv/a.tgz',
      '11',
      'tar',
      '--extract',
      '-C',
      '/opt',
      '-z',
      '--show-transformed-names',
      '--strip-components=1',
      '--keep-newer-files',
      '--exclude=d/b*',
      '-f',
      '@ARCHIVE@',
      '5',
      'chmod',
      '--',
      '0750',
      '/opt/d',
      '/opt/d/a.txt',
    ])
  })
  test('unpacked, attributes differ: only chmod/chown of the paths that differ', () => {
    const s = {
      ...tgz,
      found: new Map([
        ['/opt/d', found(0o755, 'd')],
        ['/opt/d/a.txt', found(0o644)],
      ]),
    }
    const p = plan(s, { src: '/srv/a.tgz', dest: '/opt', remote_src: true, mode: '0755' })
    expect(p.commands.map((c) => c.argv)).toEqual([['chmod', '--', '0755', '/opt/d/a.txt']])
  })
  test('check mode: tar skipped as Ansible does, zip predicted', () => {
    expect(plan({ ...tgz, differs: ['x'] }, { src: 'a', dest: '/o' }, true).skip).toMatch(/when using gtar/)
    const zip = { ...tgz, handler: 'ZipArchive' as const, differs: ['d/a.txt'] }
    expect(plan(zip, { src: 'a', dest: '/o' }, true).commands).toHaveLength(1)
  })
  test('a zip without unzip on the host: the task says what is missing, as Ansible', async () => {
    const io = scriptedIO([[/^sh -c/, ok('dir\n1000\ntar\nsize 22\n504b0506' + '00'.repeat(18) + '\n')]])
    const s = await gatherOf(unarchive, { src: '/srv/a.zip', dest: '/o', remote_src: true }, testCtx(), io)
    expect(s.fail).toBe(
      'Failed to find handler for "/srv/a.zip". Make sure the required command to extract the file is installed.\n' +
        "Unable to find required 'unzip' binary in the path.",
    )
    expect(io.seen).toHaveLength(1)
  })
  test('failures are the task’s', () => {
    expect(plan({ ...base, fail: "dest '/o' must be an existing dir" }, { src: 'a', dest: '/o' }).fail).toMatch(/dir/)
  })
  test('list_files registers the members', () => {
    expect(plan(tgz, { src: 'a', dest: '/o', list_files: true }).data).toMatchObject({
      files: ['d/', 'd/a.txt'],
      handler: 'TgzArchive',
    })
  })
})

describe('a URL src (downloaded on the host)', () => {
  const fetched = { file: '/tmp/tsplay-fetch.X/a.tgz', dir: '/tmp/tsplay-fetch.X' }
  const url = { ...tgz, source: { remote: fetched.file }, fetched, differs: ['x'] }
  const args = { src: 'http://10.0.0.1/a.tgz', dest: '/opt', remote_src: true }
  test('the unpack step removes the download after it, keeping the exit code', () => {
    const argv = plan(url, args).commands[0].argv
    expect(argv.slice(0, 5)).toEqual([
      'sh',
      '-c',
      'd=$1; shift; "$@"; rc=$?; rm -rf -- "$d"; exit $rc',
      'sh',
      fetched.dir,
    ])
    expect(argv.slice(5, 9)).toEqual(['sh', '-c', expect.any(String), 'sh'])
    expect(argv).toContain(fetched.file)
  })
  test('nothing to unpack: no step (gather removed the download)', () => {
    expect(plan({ ...url, differs: [] }, args).commands).toEqual([])
  })
  test.each([
    ['http://h/x/app-1.2.tar.gz?token=1#frag', 'app-1.2.tar.gz'],
    ['https://h/', 'archive'],
    ['https://h/x/..', 'archive'],
    ['https://h', 'h'],
  ])('file name of %s: %s', (u, want) => {
    expect(urlFileName(u)).toBe(want)
  })
})

describe('pure parts', () => {
  const head = (...b: number[]) => Uint8Array.from(b)
  test.each([
    [head(0x50, 0x4b, 0x03, 0x04), 'ZipArchive'],
    [head(0x1f, 0x8b, 8), 'TgzArchive'],
    [head(0x42, 0x5a, 0x68, 0x39), 'TarArchive'],
    [head(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00), 'TarArchive'],
    [Uint8Array.from([...new Array<number>(257).fill(0), ...Buffer.from('ustar')]), 'TarArchive'],
    [head(1, 2, 3), undefined],
  ])('handlerOf %#', (bytes, want) => expect(handlerOf(bytes)).toBe(want))
  test('tar --diff lines as Ansible filters them', () => {
    const out =
      'a: Mod time differs\nb: Mode differs\nc: Uid differs\nd: Warning: Cannot stat: No such file or directory\n'
    expect(tarDiffers(out, { root: false })).toEqual(['a: Mod time differs', 'b: Mode differs', out.split('\n')[3]])
    expect(tarDiffers(out, { root: true, mode: '0644' })).toHaveLength(3)
    expect(tarDiffers('x: : Warning: Cannot stat: No such file or directory', { root: false })).toEqual([])
  })
  test('members: escapes decoded, leading / dropped, excludes left out', () => {
    expect(tarName('caf\\303\\251 \\\\x')).toBe('café \\x')
    expect(membersOf('/abs\nd/\nd/skip.log\n', 'TarArchive', ['*.log'])).toEqual(['abs', 'd/'])
    expect(attrPaths('/o/', ['d/', 'd/x', 'top'])).toEqual(['/o/d', '/o/d/x', '/o/top'])
  })
  test('zip listing against find output', () => {
    const info = parseZipinfo(
      'Archive:  a.zip\ndrwxr-xr-x  3.0 unx        0 bx stor 20240101.120000 d/\n' +
        '-rw-r--r--  3.0 unx        5 tx stor 20240101.120000 d/a b.txt\n2 files\n',
    )
    expect(info).toEqual([
      { kind: 'd', size: 0, time: '20240101.120000', name: 'd/' },
      { kind: 'f', size: 5, time: '20240101.120000', name: 'd/a b.txt' },
    ])
    const f = parseFound(
      'd 4096 755 0 0 20240101.1200000000000000 root root\t/o/d\n' +
        'f 5 644 0 0 20240101.1200000000000000 root root\t/o/d/a b.txt\n',
    )
    expect(zipDiffers('/o', info, f, false)).toEqual([])
    f.get('/o/d/a b.txt')!.time = '20250101.000000'
    expect(zipDiffers('/o', info, f, false)).toEqual(['d/a b.txt'])
    expect(zipDiffers('/o', info, f, true)).toEqual([])
    f.delete('/o/d')
    expect(zipDiffers('/o', info, f, true)).toEqual(['d/'])
  })
  test('the step runner: each step’s output and exit code, values never parsed as shell', () => {
    const cmd = runSteps(
      [
        ['echo', '$(id)', ';'],
        ['sh', '-c', 'exit 3'],
        ['cat', '@ARCHIVE@'],
      ],
      { bytes: Buffer.from('AR') },
    )
    const out = execFileSync('sh', ['-c', 'exec "$@"', 'sh', ...cmd.argv], { input: cmd.stdin, encoding: 'utf8' })
    expect(parseSteps(out)).toEqual([
      { out: '$(id) ;\n', rc: 0 },
      { out: '', rc: 3 },
      { out: 'AR', rc: 0 },
    ])
  })
})

const dir = mkdtempSync(join(tmpdir(), 'tsplay-unarchive-'))
const src = join(dir, 'src')
beforeAll(() => {
  mkdirSync(join(src, 'app/bin'), { recursive: true })
  writeFileSync(join(src, 'app/README'), 'read me\n')
  writeFileSync(join(src, 'app/bin/run'), '#!/bin/sh\n')
  writeFileSync(join(src, 'app/skip.log'), 'log\n')
  chmodSync(join(src, 'app/bin/run'), 0o755)
  const t = new Date('2024-01-01T12:00:00Z')
  for (const p of ['app', 'app/bin', 'app/README', 'app/bin/run', 'app/skip.log']) utimesSync(join(src, p), t, t)
  const tar = (name: string, flag: string[]) =>
    execFileSync('tar', ['-c', ...flag, '-f', join(dir, name), '-C', src, 'app'])
  tar('a.tgz', ['-z'])
  tar('a.tar', [])
  tar('a.tar.bz2', ['-j'])
  tar('a.tar.xz', ['-J'])
  execFileSync('zip', ['-q', '-r', join(dir, 'a.zip'), 'app'], { cwd: src })
  writeFileSync(join(dir, 'empty.tgz'), '')
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let n = 0
const fresh = () => {
  const d = join(dir, `out${n++}`)
  mkdirSync(d)
  return d
}
const run = (args: WrittenArgs<typeof unarchive>, checkMode = false) =>
  runWith(unarchive, args, testCtx({ checkMode, searchPaths: [dir] }), localIO())

describe('on this machine', () => {
  test.each(['a.tgz', 'a.tar', 'a.tar.bz2', 'a.tar.xz', 'a.zip'])(
    '%s from the controller: unpacked, then ok; a changed file unpacks again',
    async (name) => {
      const dest = fresh()
      const r = await run({ src: name, dest, list_files: true })
      expect(r.failed).toBeUndefined()
      expect(r.changed).toBe(true)
      expect(r.data.files).toEqual(expect.arrayContaining(['app/README', 'app/bin/run']))
      expect(statSync(join(dest, 'app/bin/run')).mode & 0o777).toBe(0o755)
      const again = await run({ src: name, dest })
      expect([again.changed, again.failed]).toEqual([false, undefined])
      writeFileSync(join(dest, 'app/README'), 'edited, longer\n')
      expect((await run({ src: name, dest })).changed).toBe(true)
      expect((await run({ src: name, dest })).changed).toBe(false)
    },
  )
  test('remote_src, exclude, extra_opts, mode: applied to every member; second run ok', async () => {
    const dest = fresh()
    const args = {
      src: join(dir, 'a.tgz'),
      dest,
      remote_src: true,
      exclude: ['*.log'],
      extra_opts: ['--strip-components=1'],
      mode: 'u=rwX,g=rX,o=',
    }
    const r = await run(args)
    expect(r.failed).toBeUndefined()
    expect(readdirSync(dest).sort()).toEqual(['README', 'bin'])
    expect(statSync(join(dest, 'README')).mode & 0o777).toBe(0o640)
    expect(statSync(join(dest, 'bin')).mode & 0o777).toBe(0o750)
    expect((await run(args)).changed).toBe(false)
    chmodSync(join(dest, 'README'), 0o600)
    const fix = await run(args)
    expect(fix.changed).toBe(true)
    expect(fix.plan.commands.map((c) => c.argv[0])).toEqual(['chmod'])
  })
  test('gather only reads: probe, list, compare, find (no extract, no attribute change)', async () => {
    const dest = fresh()
    const log: Command[][] = []
    for (const name of ['a.tgz', 'a.zip'])
      await gatherOf(unarchive, { src: name, dest, mode: '0700' }, testCtx({ searchPaths: [dir] }), localIO({ log }))
    const words = log.flat().flatMap((c) => c.argv.slice(3))
    expect(words).toEqual(expect.arrayContaining(['--list', '--diff', '-Z1', '-T']))
    expect(words.filter((w) => ['--extract', 'chmod', 'chown', '-o'].includes(w))).toEqual([])
    expect(readdirSync(dest)).toEqual([])
  })
  test('check mode: tar skipped, zip predicted; nothing written', async () => {
    const dest = fresh()
    expect((await run({ src: 'a.tgz', dest }, true)).skipped).toMatch(/gtar/)
    const z = await run({ src: 'a.zip', dest }, true)
    expect([z.changed, z.skipped]).toEqual([true, undefined])
    expect(readdirSync(dest)).toEqual([])
  })
  test('creates, a missing dest, an empty or unknown archive, a missing remote file', async () => {
    const dest = fresh()
    expect((await run({ src: 'a.tgz', dest, creates: dir })).skipped).toBe(`skipped, since ${dir} exists`)
    expect((await run({ src: 'a.tgz', dest: join(dir, 'none') })).failed).toMatch(/must be an existing dir/)
    expect((await run({ src: 'empty.tgz', dest })).failed).toMatch(/the file is 0 bytes/)
    writeFileSync(join(dir, 'junk.bin'), 'not an archive')
    expect((await run({ src: 'junk.bin', dest })).failed).toMatch(/^Failed to find handler for "junk.bin"/)
    expect((await run({ src: '/no/such.tgz', dest, remote_src: true })).failed).toMatch(/does not exist/)
    expect(existsSync(join(dest, 'app'))).toBe(false)
  })
})
