import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import copy from './copy.js'
import fileModule from './file.js'
import lineinfile from './lineinfile.js'
import { planChattrTree } from './lib/chattr.js'
import { planPut, type PutState } from './lib/put.js'
import { planText, type TextFacts } from './lib/textedit.js'
import type { PathInfo } from './lib/probe.js'
import type { Command } from '../engine/types.js'
import { gatherOf, localIO, planOf, testCtx } from '../test/helpers/module-ctx.js'

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex')
const file = (text: string): PathInfo => ({
  exists: true,
  self: {
    ...{ type: 'regular file', mode: 0o644, uid: 0, gid: 0, owner: 'root', group: 'root', size: text.length },
    ...{ mtime: 0, atime: 0, ctime: 0, inode: 1, dev: 1, nlink: 1 },
  },
  readable: true,
  writeable: true,
  executable: false,
  checksum: sha1(text),
})
const put = (old: string | undefined, attrFlags?: string): PutState => ({
  dest: '/etc/x',
  info: old === undefined ? { exists: false } : file(old),
  parentExists: true,
  makeParent: false,
  content: Buffer.from('new\n'),
  sha1: sha1('new\n'),
  nonce: 'n',
  ...(attrFlags !== undefined && { attrFlags }),
})
const CHATTR_ON_HOST = ['sh', '-c', expect.stringContaining('lsattr -d'), 'sh']

describe('attributes on the modules that write a file (copy, template, assemble)', () => {
  it.each([
    ['same content, same flags: nothing', put('new\n', 'Ae'), 'Ae', []],
    ['same content, other flags: chattr', put('new\n', 'e'), 'Ae', [['chattr', '=Ae', '/etc/x']]],
    [
      'same content, removing a flag runs every time (as Ansible)',
      put('new\n', 'e'),
      '-A',
      [['chattr', '-A', '/etc/x']],
    ],
    [
      'a write: the new file is read on the host, then chattr',
      put('old\n', 'Ae'),
      'Ae',
      ['write', [...CHATTR_ON_HOST, '=', 'Ae', '/etc/x']],
    ],
    ['a new file: the same', put(undefined), '+A', ['write', [...CHATTR_ON_HOST, '+', 'A', '/etc/x']]],
  ])('%s', (_n, state, attributes, want) => {
    const argv = planPut(state, { attributes }).commands.map((c) => c.argv)
    expect(argv.length).toBe(want.length)
    want.forEach((w, i) => {
      if (w !== 'write') expect(argv[i]).toEqual(w)
    })
  })
  it('gather reads the flags in the same round trip (a link followed), only when attributes are given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsplay-attrs-'))
    try {
      writeFileSync(join(dir, 'f'), 'x')
      symlinkSync('f', join(dir, 'l'))
      const log: Command[][] = []
      const ctx = testCtx({ diffMode: false })
      const without = await gatherOf(copy, { content: 'x', dest: join(dir, 'f') }, ctx, localIO({ log }))
      expect((without as PutState).attrFlags).toBeUndefined()
      expect(log.flat().some((c) => c.argv.join(' ').includes('lsattr'))).toBe(false)
      for (const name of ['f', 'l']) {
        log.length = 0
        const dest = join(dir, name)
        const state = await gatherOf(copy, { content: 'x', dest, attr: 'A', follow: true }, ctx, localIO({ log }))
        expect(log).toHaveLength(1)
        // lsattr's own answer for the file (none on a file system without flags, as tmpfs)
        const lsattr = spawnSync('lsattr', ['-d', join(dir, 'f')], { encoding: 'utf8' }).stdout
        expect((state as PutState).attrFlags).toBe((lsattr.split(' ')[0] ?? '').replaceAll('-', ''))
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
  // as Ansible's: the flags go to the folder the entries go into, not to the entries
  const tree = (rootType: string | undefined, rootFlags?: string) =>
    ({
      src: '/opt/d',
      root: '/srv/d',
      rootType,
      srcMode: 0o755,
      srcTree: new Map(),
      destTree: new Map(),
      rootFlags,
    }) as never
  it.each([
    ['the folder is there with other flags', tree('d', 'e'), 'A', [['chattr', '=A', '/srv/d']], ['attributes e → =A']],
    ['the folder has them', tree('d', 'A'), 'A', [], []],
    ['- runs each time, as in Ansible', tree('d', ''), '-A', [['chattr', '-A', '/srv/d']], ['attributes (none) → -A']],
  ])('a folder copied with remote_src: %s', (_, state, attributes, argv, changes) => {
    const plan = planOf(copy, state, { src: '/opt/d', dest: '/srv', remote_src: true, attributes }, testCtx())
    expect([plan.commands.map((c) => c.argv), plan.changes]).toEqual([argv, changes])
  })
  it('a folder copied with remote_src that the copy makes gets the flags read and set on the host', () => {
    const plan = planOf(
      copy,
      tree(undefined),
      { src: '/opt/d', dest: '/srv', remote_src: true, attributes: '+A' },
      testCtx(),
    )
    expect(plan.commands.map((c) => c.argv?.[0] ?? c.describe)).toEqual(['mkdir', 'chmod', 'sh'])
    expect(plan.commands[2].describe).toBe('chattr +A /srv/d')
  })
})

describe('attributes on the modules that edit a file (lineinfile, blockinfile, replace)', () => {
  const facts = (attrFlags: string): TextFacts => ({
    path: '/etc/x',
    info: file('a\n'),
    content: 'a\n',
    nonce: 'n',
    attrFlags,
  })
  it("unchanged text, other flags: chattr, with Ansible's message", () => {
    const p = planText(facts('e'), { attributes: 'Ae' }, { msg: '' })
    expect(p.commands.map((c) => c.argv)).toEqual([['chattr', '=Ae', '/etc/x']])
    expect(p.msg).toBe('ownership, perms or SE linux context changed')
  })
  it('unchanged text and flags: nothing', () => {
    expect(planText(facts('Ae'), { attributes: 'Ae' }, { msg: '' }).commands).toEqual([])
  })
  it('a written line: chattr on the host after the write', () => {
    const p = planOf(lineinfile, facts('Ae'), { path: '/etc/x', line: 'b', attributes: 'Ae' }, testCtx())
    expect(p.commands.at(-1)!.argv).toEqual([...CHATTR_ON_HOST, '=', 'Ae', '/etc/x'])
  })
})

describe('attributes under a file recurse folder', () => {
  it.each([
    ['every path already has them: nothing', ['Ae'], 'Ae', []],
    ['one path lacks them: one chattr -R', ['Ae', 'e'], 'Ae', ['=Ae']],
    ['+ compares as written, as Ansible does', ['Ae'], '+A', ['+A']],
    ['- runs every time', ['e'], '-A', ['-A']],
    ['nothing under the folder: nothing', [], 'A', []],
  ])('%s', (_n, seen, wanted, ops) => {
    const p = planChattrTree('/srv/d', seen, wanted)
    expect(p.commands.map((c) => c.argv)).toEqual(ops.map((op) => ['chattr', '-R', op, '/srv/d']))
  })
  it('gather reads the flags under the folder only with recurse and attributes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsplay-attrs-'))
    try {
      writeFileSync(join(dir, 'f'), 'x')
      const log: Command[][] = []
      const ctx = testCtx({ diffMode: false })
      const args = { path: dir, state: 'directory', recurse: true, attributes: 'A' } as const
      const state = (await gatherOf(fileModule, args, ctx, localIO({ log }))) as { treeFlags?: string[] }
      const lsattr = spawnSync('lsattr', ['-d', join(dir, 'f')], { encoding: 'utf8' }).stdout
      expect(state.treeFlags).toEqual(lsattr ? [lsattr.split(' ')[0]!.replaceAll('-', '')] : [])
      const none = (await gatherOf(fileModule, { ...args, recurse: false }, ctx, localIO())) as { treeFlags?: string[] }
      expect(none.treeFlags).toBeUndefined()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
