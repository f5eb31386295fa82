import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { resolveArgs } from '../engine/load/args.js'
import blockinfile, { planBlock } from './blockinfile.js'
import { editBlock, type BlockEdit } from './lib/block.js'
import { localIO, moduleArgs, runWith, testCtx } from '../test/helpers/module-ctx.js'

const M = { marker: '# {mark} ANSIBLE MANAGED BLOCK', markerBegin: 'BEGIN', markerEnd: 'END' }
const B = '# BEGIN ANSIBLE MANAGED BLOCK\n'
const E = '# END ANSIBLE MANAGED BLOCK\n'

const rows: { name: string; before?: string; edit: Partial<BlockEdit>; after?: string; msg: string }[] = [
  { name: 'append at EOF', before: 'a\n', edit: { block: 'x' }, after: `a\n${B}x\n${E}`, msg: 'Block inserted' },
  { name: 'already there', before: `a\n${B}x\n${E}`, edit: { block: 'x' }, after: `a\n${B}x\n${E}`, msg: '' },
  {
    name: 'replaced in place',
    before: `a\n${B}old\nold2\n${E}z\n`,
    edit: { block: 'new\n' },
    after: `a\n${B}new\n${E}z\n`,
    msg: 'Block inserted',
  },
  {
    name: 'last line without a newline gets one',
    before: 'a',
    edit: { block: 'x' },
    after: `a\n${B}x\n${E}`,
    msg: 'Block inserted',
  },
  { name: 'new file', before: undefined, edit: { block: 'x' }, after: `${B}x\n${E}`, msg: 'File created' },
  { name: 'new file, empty block', before: undefined, edit: { block: '' }, after: '', msg: 'File created' },
  {
    name: 'BOF',
    before: 'a\n',
    edit: { block: 'x', insertbefore: 'BOF' },
    after: `${B}x\n${E}a\n`,
    msg: 'Block inserted',
  },
  {
    name: 'after the last matching line',
    before: '[s]\na\n[s]\nb\n',
    edit: { block: 'x', insertafter: '^\\[s\\]' },
    after: `[s]\na\n[s]\n${B}x\n${E}b\n`,
    msg: 'Block inserted',
  },
  {
    name: 'before the last matching line',
    before: 'a\nb\nb\n',
    edit: { block: 'x', insertbefore: '^b$' },
    after: `a\nb\n${B}x\n${E}b\n`,
    msg: 'Block inserted',
  },
  {
    name: 'no match: EOF',
    before: 'a\n',
    edit: { block: 'x', insertafter: '^zzz' },
    after: `a\n${B}x\n${E}`,
    msg: 'Block inserted',
  },
  {
    name: 'multiline regexp searches the whole file',
    before: 'a\nb\nc\n',
    edit: { block: 'x', insertafter: '(?m)^a\\nb$' },
    after: `a\nb\n${B}x\n${E}c\n`,
    msg: 'Block inserted',
  },
  {
    name: 'markers found: insertafter ignored',
    before: `${B}x\n${E}a\n`,
    edit: { block: 'y', insertafter: '^a' },
    after: `${B}y\n${E}a\n`,
    msg: 'Block inserted',
  },
  {
    name: 'absent removes it',
    before: `a\n${B}x\n${E}b\n`,
    edit: { state: 'absent', block: 'x' },
    after: 'a\nb\n',
    msg: 'Block removed',
  },
  { name: 'empty block removes it', before: `a\n${B}x\n${E}`, edit: { block: '' }, after: 'a\n', msg: 'Block removed' },
  { name: 'absent, nothing there', before: 'a\n', edit: { state: 'absent' }, after: 'a\n', msg: '' },
  { name: 'absent, no file', before: undefined, edit: { state: 'absent' }, after: undefined, msg: 'File not present' },
  {
    name: 'custom marker and marks',
    before: '',
    edit: { block: 'x', marker: '// {mark} m', markerBegin: 'START', markerEnd: 'STOP' },
    after: '// START m\nx\n// STOP m\n',
    msg: 'Block inserted',
  },
  {
    name: 'markers in reverse order: the span between them is replaced',
    before: `${E}mid\n${B}z\n`,
    edit: { block: 'x' },
    after: `${B}x\n${E}z\n`,
    msg: 'Block inserted',
  },
  {
    name: 'only a begin marker: inserted again at EOF',
    before: `${B}a\n`,
    edit: { block: 'x' },
    after: `${B}a\n${B}x\n${E}`,
    msg: 'Block inserted',
  },
]

describe('editBlock (Ansible algorithm)', () => {
  test.each(rows)('$name', ({ before, edit, after, msg }) => {
    const r = editBlock(before, { ...M, block: '', ...edit })
    expect(r.content ?? before).toBe(after)
    expect(r.msg).toBe(msg)
  })
})

describe('planBlock', () => {
  const absent = { exists: false } as const
  test.each([
    {
      name: 'missing without create',
      args: { path: '/x', block: 'a' },
      check: false,
      fail: 'Path /x does not exist !',
    },
    { name: 'missing, check mode: predicted', args: { path: '/x', block: 'a' }, check: true, fail: undefined },
    {
      name: 'missing, absent wanted, no create',
      args: { path: '/x', state: 'absent' as const },
      check: false,
      fail: 'Path /x does not exist !',
    },
    {
      name: 'missing, absent wanted, create',
      args: { path: '/x', state: 'absent' as const, create: true },
      check: false,
      fail: undefined,
    },
  ])('$name', ({ args, check, fail }) => {
    const p = planBlock({ path: '/x', info: absent, nonce: 'n' }, args, check)
    expect(p.fail).toBe(fail)
    if (!fail && args.state !== 'absent') expect(p.msg).toBe('File created')
    if (args.state === 'absent' && !fail) expect([p.commands, p.msg]).toEqual([[], 'File /x not present'])
  })
  test('a bad regexp fails the task', () => {
    const p = planBlock(
      { path: '/x', info: absent, nonce: 'n' },
      { path: '/x', block: 'a', create: true, insertafter: '(' },
    )
    expect(p.fail).toMatch(/invalid regular expression/)
  })
  test('aliases and defaults', () => {
    const pos = { file: 't.yml', line: 1, col: 1 }
    expect(resolveArgs(blockinfile, { dest: '/x', content: 'a' }, pos)).toMatchObject({
      path: '/x',
      block: 'a',
      state: 'present',
      marker: '# {mark} ANSIBLE MANAGED BLOCK',
      marker_begin: 'BEGIN',
      marker_end: 'END',
      create: false,
      backup: false,
    })
    expect(() => resolveArgs(blockinfile, { path: '/x', insertafter: 'a', insertbefore: 'b' }, pos)).toThrow(
      /insertafter|insertbefore/,
    )
  })
})

const dir = mkdtempSync(join(tmpdir(), 'tsplay-block-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('on this machine', () => {
  const run = async (args: Parameters<typeof planBlock>[1]) => {
    const run = await runWith(blockinfile, args, testCtx(), localIO())
    expect(run.failed).toBeUndefined()
    const p = run.plan
    return p
  }
  test('create, then nothing, then change; mode; through a symlink to the real file', async () => {
    const path = join(dir, 'sub', 'hosts')
    let p = await run({ path, block: '10.0.0.2 pi2', create: true, mode: '0640' })
    expect(p.msg).toBe('File created')
    expect(readFileSync(path, 'utf8')).toBe(`${B}10.0.0.2 pi2\n${E}`)
    expect(statSync(path).mode & 0o777).toBe(0o640)
    p = await run({ path, block: '10.0.0.2 pi2', mode: '0640' })
    expect(p.commands).toEqual([])
    p = await run({ path, block: '10.0.0.2 pi2', mode: '0600' })
    expect(p.msg).toBe('ownership, perms or SE linux context changed')
    const link = join(dir, 'link')
    symlinkSync(path, link)
    p = await run({ path: link, block: '10.0.0.3 pi3' })
    expect(p.msg).toBe('Block inserted')
    expect(p.diff).toEqual([{ path: link, before: `${B}10.0.0.2 pi2\n${E}`, after: `${B}10.0.0.3 pi3\n${E}` }])
    expect(readFileSync(path, 'utf8')).toBe(`${B}10.0.0.3 pi3\n${E}`)
    expect(statSync(path).mode & 0o777).toBe(0o600)
  })
  test('a folder is refused', async () => {
    const args = moduleArgs(blockinfile, { path: dir, block: 'x' })
    const f = await blockinfile.gather(args, testCtx(), localIO())
    expect(blockinfile.plan(f, args, testCtx()).fail).toBe(`Path ${dir} is a directory !`)
  })
  test('hostile block and marker text is data, not shell', async () => {
    const path = join(dir, "it's; $(touch pwned)")
    writeFileSync(path, '')
    await run({ path, block: "'; touch /tmp/pwned-block #", marker: '$(touch /tmp/pwned-block) {mark}' })
    expect(readFileSync(path, 'utf8')).toContain("'; touch /tmp/pwned-block #\n")
    expect(() => readFileSync('/tmp/pwned-block')).toThrow()
  })
})
