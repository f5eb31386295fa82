import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { resolveArgs } from '../engine/load/args.js'
import replace, { planReplace, replaceIn } from './replace.js'
import { localIO, runWith, testCtx } from '../test/helpers/module-ctx.js'

type Row = { name: string; before: string; args: Parameters<typeof replaceIn>[1]; after?: string; msg: string }
const rows: Row[] = [
  {
    name: 'every match, multiline anchors',
    before: 'port=1\nx\nport=2\n',
    args: { regexp: '^port=\\d+$', replace: 'port=9' },
    after: 'port=9\nx\nport=9\n',
    msg: '2 replacements made',
  },
  { name: 'no match', before: 'a\n', args: { regexp: 'zzz', replace: 'y' }, after: 'a\n', msg: '' },
  {
    name: 'match replaced by itself is no change',
    before: 'a\n',
    args: { regexp: 'a', replace: 'a' },
    after: 'a\n',
    msg: '',
  },
  {
    name: 'numbered and named groups (Python spelling)',
    before: 'host=old\n',
    args: { regexp: '^(?P<k>host)=(\\w+)$', replace: '\\g<k>=new (was \\2)' },
    after: 'host=new (was old)\n',
    msg: '1 replacements made',
  },
  {
    name: 'empty replace removes',
    before: 'a # c\nb\n',
    args: { regexp: ' #.*' },
    after: 'a\nb\n',
    msg: '1 replacements made',
  },
  {
    name: '. does not match newlines',
    before: 'a\nb\n',
    args: { regexp: 'a.b', replace: 'X' },
    after: 'a\nb\n',
    msg: '',
  },
  {
    name: 'after: only the part after the first match',
    before: 'x=1\n[s]\nx=1\n',
    args: { regexp: '^x=1$', replace: 'x=2', after: '\\[s\\]' },
    after: 'x=1\n[s]\nx=2\n',
    msg: '1 replacements made',
  },
  {
    name: 'before: only the part before the last match',
    before: 'x=1\n[s]\nx=1\n',
    args: { regexp: '^x=1$', replace: 'x=2', before: '\\[s\\]' },
    after: 'x=2\n[s]\nx=1\n',
    msg: '1 replacements made',
  },
  {
    name: 'after and before: the section between (non-greedy)',
    before: 'x\n<a>\nx\n</a>\nx\n</a>\n',
    args: { regexp: 'x', replace: 'y', after: '<a>', before: '</a>' },
    after: 'x\n<a>\ny\n</a>\nx\n</a>\n',
    msg: '1 replacements made',
  },
  {
    name: 'after that does not match',
    before: 'x\n',
    args: { regexp: 'x', replace: 'y', after: 'nope' },
    after: undefined,
    msg: 'Pattern for before/after params did not match the given file: nope(?P<subsection>.*)',
  },
  {
    name: '\\Z is the end of the text',
    before: 'a\na',
    args: { regexp: 'a\\Z', replace: 'b' },
    after: 'a\nb',
    msg: '1 replacements made',
  },
]

describe('replaceIn (Ansible algorithm)', () => {
  test.each(rows)('$name', ({ before, args, after, msg }) => {
    const r = replaceIn(before, args)
    expect(r.content).toBe(after)
    expect(r.msg).toBe(msg)
  })
  test('bad regexp', () => expect(() => replaceIn('a', { regexp: '(' })).toThrow(/invalid regular expression/))
})

describe('planReplace', () => {
  test.each([
    { check: false, fail: 'Path /x does not exist !' },
    { check: true, fail: undefined },
  ])('missing file, check mode $check', ({ check, fail }) => {
    const p = planReplace({ path: '/x', info: { exists: false }, nonce: 'n' }, { path: '/x', regexp: 'a' }, check)
    expect(p.fail).toBe(fail)
    expect(p.commands).toEqual([])
  })
  test('aliases and defaults; regexp is required', () => {
    const pos = { file: 't.yml', line: 1, col: 1 }
    expect(resolveArgs(replace, { destfile: '/x', regexp: 'a' }, pos)).toMatchObject({
      path: '/x',
      replace: '',
      encoding: 'utf-8',
      backup: false,
    })
    expect(() => resolveArgs(replace, { path: '/x' }, pos)).toThrow(/regexp/)
  })
})

const dir = mkdtempSync(join(tmpdir(), 'tsplay-replace-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('on this machine', () => {
  test('replace, then nothing; backup keeps the old file', async () => {
    const path = join(dir, 'sshd_config')
    writeFileSync(path, '#PasswordAuthentication yes\nPort 22\n')
    const args = { path, regexp: '^#?PasswordAuthentication .*$', replace: 'PasswordAuthentication no', backup: true }
    for (const changed of [true, false]) {
      const run = await runWith(replace, args, testCtx(), localIO())
      expect(run.plan.commands.length > 0).toBe(changed)
      expect(run.failed).toBeUndefined()
      expect(readFileSync(path, 'utf8')).toBe('PasswordAuthentication no\nPort 22\n')
    }
  })
  test('hostile replacement is data', async () => {
    const path = join(dir, "x'$(touch pwned)")
    writeFileSync(path, 'a\n')
    const args = { path, regexp: 'a', replace: "'; touch /tmp/pwned-replace #" }
    await runWith(replace, args, testCtx(), localIO())
    expect(readFileSync(path, 'utf8')).toBe("'; touch /tmp/pwned-replace #\n")
    expect(() => readFileSync('/tmp/pwned-replace')).toThrow()
  })
})
