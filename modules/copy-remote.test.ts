/**
 * `copy` with `remote_src`, `follow` and `directory_mode`, run on this machine as the runner runs it, then planned
 * again (the second plan must be empty); and the folder planner's refusals.
 */
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import copy from './copy.js'
import { planTree, type TreeItem } from './lib/remotecopy.js'
import { converge, gatherOf, localIO, testCtx } from '../test/helpers/module-ctx.js'

const dir = mkdtempSync(join(tmpdir(), 'tsplay-copy-remote-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const mode = (p: string) => statSync(p).mode & 0o7777

describe('remote_src: a file', () => {
  test('copied with the source times and 0644 (mode: preserve, the source mode), into a folder dest', async () => {
    const src = join(dir, 'app.conf')
    writeFileSync(src, 'a=1\n')
    chmodSync(src, 0o640)
    utimesSync(src, 1_000_000, 1_000_000)
    mkdirSync(join(dir, 'etc'))
    const { p1, p2 } = await converge(copy, { src, dest: join(dir, 'etc'), remote_src: true })
    const out = join(dir, 'etc', 'app.conf')
    expect(p1.changes).toEqual([`create ${out}`])
    expect(p2.commands).toEqual([])
    expect(readFileSync(out, 'utf8')).toBe('a=1\n')
    expect(mode(out)).toBe(0o644)
    expect(statSync(out).mtimeMs).toBe(1_000_000_000)
    const kept = join(dir, 'kept.conf')
    await converge(copy, { src, dest: kept, remote_src: true, mode: 'preserve' })
    expect(mode(kept)).toBe(0o640)
    writeFileSync(src, 'a=2\n')
    const { p1: p3 } = await converge(copy, { src, dest: out, remote_src: true, mode: '0600' })
    expect(p3.changes).toEqual([`update ${out}`, 'mode 0644 → 0600'])
    expect(readFileSync(out, 'utf8')).toBe('a=2\n')
    expect(mode(out)).toBe(0o600)
  })

  test('a missing source fails as Ansible says it', async () => {
    const args = { src: join(dir, 'nope'), dest: join(dir, 'x'), remote_src: true }
    await expect(gatherOf(copy, args, testCtx(), localIO())).rejects.toThrow(/^Source .*nope not found$/)
  })
})

describe('remote_src: a folder', () => {
  const src = join(dir, 'tree')
  mkdirSync(join(src, 'sub', 'deep'), { recursive: true })
  writeFileSync(join(src, 'top.txt'), 'top\n')
  writeFileSync(join(src, 'sub', 'deep', 'x.sh'), '#!/bin/sh\n')
  chmodSync(join(src, 'sub', 'deep', 'x.sh'), 0o755)
  chmodSync(join(src, 'sub'), 0o700)
  symlinkSync('top.txt', join(src, 'link'))

  test('src/ copies what it holds; created folders get directory_mode; links stay links; converges', async () => {
    const dest = join(dir, 'copy1')
    const { p1, p2 } = await converge(copy, { src: `${src}/`, dest, remote_src: true, directory_mode: '0750' })
    expect(p1.changes).toContain(`create ${join(dest, 'sub', 'deep', 'x.sh')}`)
    expect(p2.commands).toEqual([])
    expect(readFileSync(join(dest, 'top.txt'), 'utf8')).toBe('top\n')
    expect(mode(join(dest, 'sub', 'deep', 'x.sh'))).toBe(0o755)
    expect(mode(join(dest, 'sub'))).toBe(0o750)
    expect(readlinkSync(join(dest, 'link'))).toBe('top.txt')
    // a changed source file is copied again; an extra file in dest stays
    writeFileSync(join(dest, 'extra'), 'mine\n')
    writeFileSync(join(src, 'top.txt'), 'top v2\n')
    const { p1: p3 } = await converge(copy, { src: `${src}/`, dest, remote_src: true })
    expect(p3.changes).toEqual([`update ${join(dest, 'top.txt')}`])
    expect(readFileSync(join(dest, 'extra'), 'utf8')).toBe('mine\n')
  })

  test('src without a slash copies the folder itself into dest/NAME, folders with their source modes', async () => {
    const dest = join(dir, 'copy2')
    mkdirSync(dest)
    const { p2 } = await converge(copy, { src, dest, remote_src: true })
    expect(p2.commands).toEqual([])
    expect(readFileSync(join(dest, 'tree', 'sub', 'deep', 'x.sh'), 'utf8')).toBe('#!/bin/sh\n')
    expect(mode(join(dest, 'tree', 'sub'))).toBe(0o700)
  })

  test('owner and group given as numeric ids converge', async () => {
    const uid = String(process.getuid?.() ?? 0)
    const gid = String(process.getgid?.() ?? 0)
    const { p2 } = await converge(copy, {
      src: `${src}/`,
      dest: join(dir, 'copy3'),
      remote_src: true,
      owner: uid,
      group: gid,
    })
    expect(p2.commands).toEqual([])
  })

  test('a folder over a file (or the reverse) is refused, nothing planned', () => {
    const item = (type: string): TreeItem => ({ type, mode: 0o755, owner: 'root', group: 'root' })
    const base = { src: '/a/', root: '/b', rootType: 'd', srcMode: 0o755, rootMode: 0o755 }
    const plan = planTree({ ...base, srcTree: new Map([['x', item('d')]]), destTree: new Map([['x', item('f')]]) }, {})
    expect(plan.fail).toMatch(/cannot copy \/a\/x over \/b\/x: one is a folder/)
    expect(plan.commands).toEqual([])
    const onFile = planTree({ ...base, rootType: 'f', srcTree: new Map(), destTree: new Map() }, {})
    expect(onFile.fail).toBe('dest /b exists and is not a folder')
  })
})

describe('follow', () => {
  test('false (the default): a symlink at dest is replaced by a file, then nothing to do', async () => {
    const target = join(dir, 'target1')
    writeFileSync(target, 'same\n')
    const dest = join(dir, 'link1')
    symlinkSync(target, dest)
    const { p1, p2 } = await converge(copy, { content: 'same\n', dest })
    expect(p1.changes).toEqual([`replace the symlink ${dest} with a file`])
    expect(p2.commands).toEqual([])
    expect(lstatSync(dest).isSymbolicLink()).toBe(false)
    expect(readFileSync(target, 'utf8')).toBe('same\n')
  })

  test('true: the link stays and the file it points to is written', async () => {
    const target = join(dir, 'target2')
    writeFileSync(target, 'old\n')
    const dest = join(dir, 'link2')
    symlinkSync(target, dest)
    const { p1, p2 } = await converge(copy, { content: 'new\n', dest, follow: true })
    expect(p1.changes).toEqual([`update ${target}`])
    expect(p2.commands).toEqual([])
    expect(lstatSync(dest).isSymbolicLink()).toBe(true)
    expect(readFileSync(target, 'utf8')).toBe('new\n')
  })
})

describe('directory_mode with a dest ending in /', () => {
  test('the folder the copy creates for the file gets it', async () => {
    const src = join(dir, 'plain.txt')
    writeFileSync(src, 'plain\n')
    const dest = `${join(dir, 'made')}/`
    const { p2 } = await converge(copy, { src, dest, directory_mode: '0700' })
    expect(p2.commands).toEqual([])
    expect(readFileSync(join(dir, 'made', 'plain.txt'), 'utf8')).toBe('plain\n')
    expect(mode(join(dir, 'made'))).toBe(0o700)
  })
})
