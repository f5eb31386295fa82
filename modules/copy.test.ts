import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createHash } from 'node:crypto'
import { afterAll, describe, expect, test } from 'vitest'
import copy from './copy.js'
import template from './template.js'
import { planPut, type PutState } from './lib/put.js'
import type { InodeInfo } from './lib/probe.js'
import type { Static, TSchema } from '@sinclair/typebox'
import type { ModuleDef } from '../engine/module.js'
import { WRITE_END } from '../engine/commands.js'
import type { Command } from '../engine/types.js'
import { gatherOf, localIO, planOf, runWith, testCtx } from '../test/helpers/module-ctx.js'

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex')
const node = (over: Partial<InodeInfo> = {}): InodeInfo => ({
  type: 'regular file',
  mode: 0o644,
  uid: 0,
  gid: 0,
  owner: 'root',
  group: 'root',
  size: 3,
  mtime: 0,
  atime: 0,
  ctime: 0,
  inode: 1,
  dev: 1,
  nlink: 1,
  ...over,
})
const facts = (over: Partial<PutState> & { old?: string; self?: InodeInfo } = {}): PutState => {
  const content = Buffer.from('new\n')
  const exists = over.old !== undefined
  return {
    dest: '/etc/x',
    info: exists
      ? {
          exists: true,
          self: over.self ?? node(),
          readable: true,
          writeable: true,
          executable: false,
          checksum: sha1(over.old!),
        }
      : { exists: false },
    parentExists: true,
    makeParent: false,
    before: over.old,
    content,
    sha1: sha1('new\n'),
    nonce: 'n0nce',
    ...over,
  }
}

describe('planPut', () => {
  const rows = [
    { name: 'absent → create', f: facts(), a: {}, argv0: ['sh'], changes: ['create /etc/x'] },
    {
      name: 'same content, same attrs → ok',
      f: facts({ old: 'new\n' }),
      a: { mode: '0644', owner: 'root' },
      argv0: [],
      changes: [],
    },
    {
      name: 'same content, other mode → chmod only',
      f: facts({ old: 'new\n' }),
      a: { mode: '0600' },
      argv0: ['chmod'],
      changes: ['mode 0644 → 0600'],
    },
    {
      name: 'same content, symbolic mode that holds → ok',
      f: facts({ old: 'new\n' }),
      a: { mode: 'u=rw,g=r,o=r' },
      argv0: [],
      changes: [],
    },
    {
      name: 'same content, numeric owner matching uid → ok',
      f: facts({ old: 'new\n' }),
      a: { owner: '0', group: 'root' },
      argv0: [],
      changes: [],
    },
    {
      name: 'same content, other owner → chown',
      f: facts({ old: 'new\n' }),
      a: { owner: 'pi' },
      argv0: ['chown'],
      changes: ['owner root → pi'],
    },
    {
      name: 'other content → write',
      f: facts({ old: 'old\n' }),
      a: { mode: 644 },
      argv0: ['sh'],
      changes: ['update /etc/x'],
    },
    {
      name: 'other content, force false → ok',
      f: facts({ old: 'old\n' }),
      a: { force: false },
      argv0: [],
      changes: undefined,
    },
    {
      name: 'missing parent → mkdir when dest ends in /',
      f: facts({ parentExists: false, makeParent: true }),
      a: {},
      argv0: ['mkdir', 'sh'],
      changes: ['create /etc/x'],
    },
  ]
  test.each(rows)('$name', ({ f, a, argv0, changes }) => {
    const plan = planPut(f, a)
    expect(plan.fail).toBeUndefined()
    expect(plan.commands.map((c) => c.argv[0])).toEqual(argv0)
    expect(plan.changes).toEqual(changes)
    expect(plan.data).toMatchObject({ dest: '/etc/x', checksum: sha1('new\n') })
  })
  test.each([
    { name: 'missing parent', f: facts({ parentExists: false }), fail: 'Destination directory /etc does not exist' },
    {
      name: 'dest is a folder',
      f: facts({ old: 'x', self: node({ type: 'directory' }) }),
      fail: 'dest /etc/x exists and is a directory, not a file',
    },
  ])('fails: $name', ({ f, fail }) => expect(planPut(f, {}).fail).toBe(fail))
  test('check mode: a missing folder is predicted, not failed', () => {
    const p = planPut(facts({ parentExists: false }), {}, true)
    expect(p.fail).toBeUndefined()
    expect(p.commands.map((c) => c.argv[0])).toEqual(['sh'])
    expect(p.changes?.[1]).toMatch(/assuming an earlier task creates it/)
  })
  test('diff: before and after', () => {
    expect(planPut(facts({ old: 'old\n' }), {}).diff).toEqual([{ path: '/etc/x', before: 'old\n', after: 'new\n' }])
    expect(planPut(facts(), {}).diff).toEqual([{ path: '/etc/x', before: '', after: 'new\n' }])
  })
  test('the write carries mode/owner/group and backup as arguments, content on stdin', () => {
    const [cmd] = planPut(facts({ old: 'old\n' }), { mode: '0640', owner: 'pi', group: 'adm', backup: true }).commands
    expect(cmd.argv.slice(4, 9)).toEqual(['/etc/x', '0640', 'pi', 'adm', '1'])
    expect(Buffer.from(cmd.stdin as Uint8Array).toString()).toBe(`new\n${WRITE_END}\n`)
  })
})

const dir = mkdtempSync(join(tmpdir(), 'tsplay-copy-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Run the module as the runner does, then plan again: the second plan must be empty. */
async function converge<S extends TSchema, F>(
  mod: ModuleDef<S, F>,
  args: Static<S> & Record<string, unknown>,
  ctx = testCtx(),
) {
  const first = await runWith(mod, args, ctx, localIO())
  expect(first.failed).toBeUndefined()
  expect(first.results.every((r) => r.rc === 0)).toBe(true)
  const p2 = planOf(mod, await gatherOf(mod, args, ctx, localIO()), args, ctx)
  return { p1: first.plan, p2, res: first.results }
}

describe('on this machine', () => {
  test('content: create, then nothing to do; mode applied', async () => {
    const dest = join(dir, 'motd')
    const { p1, p2 } = await converge(copy, { content: 'hi\n', dest, mode: '0600' })
    expect(p1.changes).toEqual([`create ${dest}`])
    expect(p2.commands).toEqual([])
    expect(readFileSync(dest, 'utf8')).toBe('hi\n')
    expect(statSync(dest).mode & 0o777).toBe(0o600)
  })
  test('src into a folder dest, found on the search path under files/', async () => {
    mkdirSync(join(dir, 'pb', 'files'), { recursive: true })
    mkdirSync(join(dir, 'out'))
    writeFileSync(join(dir, 'pb', 'files', 'app.conf'), 'a=1\n')
    chmodSync(join(dir, 'pb', 'files', 'app.conf'), 0o640)
    const ctx = testCtx({ searchPaths: [join(dir, 'pb')], diffMode: false })
    const { p2 } = await converge(copy, { src: 'app.conf', dest: join(dir, 'out'), mode: 'preserve' }, ctx)
    expect(p2.commands).toEqual([])
    expect(readFileSync(join(dir, 'out', 'app.conf'), 'utf8')).toBe('a=1\n')
    expect(statSync(join(dir, 'out', 'app.conf')).mode & 0o777).toBe(0o640)
  })
  test('one probe where dest is a file or missing; dest/name in a second trip where dest is a folder', async () => {
    mkdirSync(join(dir, 'pb2', 'files'), { recursive: true })
    writeFileSync(join(dir, 'pb2', 'files', 'one.conf'), 'b=2\n')
    mkdirSync(join(dir, 'out2'))
    const ctx = testCtx({ searchPaths: [join(dir, 'pb2')], diffMode: false })
    for (const [dest, trips, into] of [
      [join(dir, 'out2', 'named.conf'), 1, join(dir, 'out2', 'named.conf')],
      [join(dir, 'out2'), 2, join(dir, 'out2', 'one.conf')],
    ] as const) {
      const log: Command[][] = []
      const f = (await gatherOf(copy, { src: 'one.conf', dest }, ctx, localIO({ log }))) as PutState
      expect(log.map((b) => b.length)).toEqual(Array(trips).fill(1))
      expect(f.dest).toBe(into)
    }
  })
  test("dest's folder is probed with dest: a missing one fails the plan, an existing one does not", async () => {
    const missing = await gatherOf(copy, { content: 'x\n', dest: join(dir, 'nofolder', 'f') }, testCtx(), localIO())
    expect(missing).toMatchObject({ parentExists: false })
    const there = await gatherOf(copy, { content: 'x\n', dest: join(dir, 'f-in-dir') }, testCtx(), localIO())
    expect(there).toMatchObject({ parentExists: true })
  })
  test('a missing src fails with the places looked in', async () => {
    await expect(
      gatherOf(copy, { src: 'nope.conf', dest: '/tmp/x' }, testCtx({ searchPaths: [dir] }), localIO()),
    ).rejects.toThrow(/could not find src 'nope.conf'/)
  })
  test('validate: a failing check leaves the old file and no temp file', async () => {
    const dest = join(dir, 'validated')
    writeFileSync(dest, 'old\n')
    const args = { content: 'bad\n', dest, validate: 'grep -q good %s' }
    const res = (await runWith(copy, args, testCtx(), localIO())).results
    expect(res[0].rc).toBe(3)
    expect(res[0].stderr).toContain('failed to validate')
    expect(readFileSync(dest, 'utf8')).toBe('old\n')
    expect(readdirSync(dir).filter((n) => n.startsWith('.tsplay'))).toEqual([])
    const good = { content: 'good\n', dest, validate: 'grep -q good %s' }
    await converge(copy, good)
    expect(readFileSync(dest, 'utf8')).toBe('good\n')
  })
  test('template renders with the context and converges', async () => {
    mkdirSync(join(dir, 'tpl', 'templates'), { recursive: true })
    writeFileSync(join(dir, 'tpl', 'templates', 'motd.hbs'), 'host={{ name }}\n')
    const ctx = testCtx({ searchPaths: [join(dir, 'tpl')], render: (t) => t.replace('{{ name }}', 'pi1') })
    const dest = join(dir, 'motd2')
    const { p1, p2 } = await converge(template, { src: 'motd.hbs', dest }, ctx)
    expect(p1.diff).toEqual([{ path: dest, before: '', after: 'host=pi1\n' }])
    expect(p2.commands).toEqual([])
    expect(readFileSync(dest, 'utf8')).toBe('host=pi1\n')
  })
})
