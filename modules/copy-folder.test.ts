/**
 * `copy` of a folder on the controller, run on this machine as the runner runs it, then planned again (the second
 * plan must be empty): `src/` and `src`, `mode`, `directory_mode`, `force: false`, `local_follow`, and the refusal
 * of a file where a folder must go.
 */
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs'
import { symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import copy from './copy.js'
import { NO_PATH_INFO } from './lib/pathinfo.js'
import { converge, gatherOf, localIO, planOf, testCtx } from '../test/helpers/module-ctx.js'

const dir = mkdtempSync(join(tmpdir(), 'tsplay-copy-folder-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const src = join(dir, 'conf')

beforeAll(() => {
  mkdirSync(join(src, 'sub', 'deeper'), { recursive: true })
  mkdirSync(join(src, 'only-dirs', 'x'), { recursive: true })
  writeFileSync(join(src, 'a.txt'), 'a\n')
  writeFileSync(join(src, 'sub', 'b.sh'), '#!/bin/sh\n')
  chmodSync(join(src, 'sub', 'b.sh'), 0o750)
  writeFileSync(join(src, 'sub', 'deeper', 'c.txt'), 'c\n')
  symlinkSync('a.txt', join(src, 'link'))
})

const mode = (p: string) => statSync(p).mode & 0o7777

describe('copy: a folder on the controller', () => {
  test('src/ copies what it holds into dest; symlinks followed; a second plan is empty', async () => {
    const dest = join(dir, 'contents')
    const { p1, p2 } = await converge(copy, { src: `${src}/`, dest })
    expect(p1.changes).toContain(`create ${dest}/`)
    expect(p1.changes).toContain(`create ${join(dest, 'sub', 'deeper', 'c.txt')}`)
    expect(p2.commands).toEqual([])
    expect(readFileSync(join(dest, 'link'), 'utf8')).toBe('a\n')
    expect(lstatSync(join(dest, 'link')).isSymbolicLink()).toBe(false)
    expect(mode(join(dest, 'sub', 'b.sh'))).toBe(0o644) // a new file gets the umask's mode, as in Ansible
    expect(statSync(join(dest, 'only-dirs', 'x')).isDirectory()).toBe(true)
  })

  test("what it registers, as Ansible's copy: a lone file's result; for several, dest (a folder) and src", async () => {
    const one = join(dir, 'one')
    mkdirSync(one)
    writeFileSync(join(one, 'only.txt'), 'only\n')
    const dest = join(dir, 'one-out')
    const { p1, p2 } = await converge(copy, { src: `${one}/`, dest })
    const file = join(dest, 'only.txt')
    const sums = { checksum: 'adbe42f6622082df65ec226a06dee15359ce0c85', size: 5 }
    expect(p1.data).toEqual({
      dest: file,
      ...sums,
      src: join(one, 'only.txt'),
      md5sum: '14bc4a711d82fd75b0b781bd678398d2',
    })
    expect(p2.data).toEqual({ dest: file, ...sums, path: file })
    const many = (await converge(copy, { src, dest: join(dir, 'many') })).p1.data as Record<string | symbol, unknown>
    // marked: no path info is added
    expect(many).toEqual({ dest: `${join(dir, 'many')}/`, src, [NO_PATH_INFO]: true })
  })

  test('src without a slash: the folder itself, mode on files, directory_mode on every folder made', async () => {
    const dest = join(dir, 'made', 'deep')
    const { p1, p2 } = await converge(copy, { src, dest, mode: '0600', directory_mode: '0750' })
    expect(p1.changes?.[0]).toBe(`create ${join(dest, 'conf')}/`)
    expect(p2.commands).toEqual([])
    for (const d of ['made', 'made/deep', 'made/deep/conf', 'made/deep/conf/sub/deeper'])
      expect(mode(join(dir, d)), d).toBe(0o750)
    expect(mode(join(dest, 'conf', 'sub', 'b.sh'))).toBe(0o600)
  })

  test('an existing file that differs is updated and keeps its mode; force: false keeps it; preserve', async () => {
    const dest = join(dir, 'update')
    await converge(copy, { src: `${src}/`, dest })
    writeFileSync(join(dest, 'a.txt'), 'old\n')
    chmodSync(join(dest, 'a.txt'), 0o640)
    const kept = await converge(copy, { src: `${src}/`, dest, force: false })
    expect(kept.p1.commands).toEqual([])
    expect(readFileSync(join(dest, 'a.txt'), 'utf8')).toBe('old\n')
    const { p1 } = await converge(copy, { src: `${src}/`, dest })
    expect(p1.changes).toEqual([`update ${join(dest, 'a.txt')}`]) // link was a copy of the old a.txt
    expect(mode(join(dest, 'a.txt'))).toBe(0o640)
    await converge(copy, { src: `${src}/`, dest: join(dir, 'preserved'), mode: 'preserve' })
    expect(mode(join(dir, 'preserved', 'sub', 'b.sh'))).toBe(0o750)
  })

  test('local_follow: false copies symlinks as symlinks', async () => {
    const dest = join(dir, 'links')
    const { p2 } = await converge(copy, { src: `${src}/`, dest, local_follow: false })
    expect(p2.commands).toEqual([])
    expect(readlinkSync(join(dest, 'link'))).toBe('a.txt')
  })

  test('a file where a folder of the source must go is refused, and nothing is written', async () => {
    const dest = join(dir, 'clash')
    mkdirSync(dest)
    writeFileSync(join(dest, 'sub'), 'a file\n')
    const ctx = testCtx({ diffMode: false })
    const args = { src: `${src}/`, dest }
    const plan = planOf(copy, await gatherOf(copy, args, ctx, localIO()), args, ctx)
    expect(plan.fail).toMatch(/cannot copy sub over .*clash\/sub: one is a folder, the other is not/)
    expect(plan.commands).toEqual([])
  })
})
