import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { resolveArgs } from '../engine/load/args.js'
import lineinfile, { planLine } from './lineinfile.js'
import { editLines, expand, LineError, pyRegex, type LineEdit } from './lib/lines.js'
import { localIO, moduleArgs, runWith, testCtx } from '../test/helpers/module-ctx.js'

const rows: { name: string; before: string; edit: LineEdit; after: string; msg: string }[] = [
  { name: 'append at EOF', before: 'a\nb\n', edit: { line: 'c' }, after: 'a\nb\nc\n', msg: 'line added' },
  { name: 'already present', before: 'a\nc\nb\n', edit: { line: 'c' }, after: 'a\nc\nb\n', msg: '' },
  {
    name: 'append when the last line has no newline',
    before: 'a',
    edit: { line: 'c' },
    after: 'a\nc\n',
    msg: 'line added',
  },
  { name: 'empty file', before: '', edit: { line: 'c' }, after: 'c\n', msg: 'line added' },
  {
    name: 'regexp replaces the last match',
    before: 'x=1\ny=2\nx=3\n',
    edit: { line: 'x=9', regexp: '^x=' },
    after: 'x=1\ny=2\nx=9\n',
    msg: 'line replaced',
  },
  {
    name: 'regexp with firstmatch replaces the first',
    before: 'x=1\nx=3\n',
    edit: { line: 'x=9', regexp: '^x=', firstmatch: true },
    after: 'x=9\nx=3\n',
    msg: 'line replaced',
  },
  {
    name: 'regexp matches the line already',
    before: 'x=9\n',
    edit: { line: 'x=9', regexp: '^x=' },
    after: 'x=9\n',
    msg: '',
  },
  {
    name: 'regexp no match: append',
    before: 'a\n',
    edit: { line: 'x=9', regexp: '^x=' },
    after: 'a\nx=9\n',
    msg: 'line added',
  },
  {
    name: '$ matches before the newline (Python)',
    before: 'port 22\n',
    edit: { line: 'port 2222', regexp: 'port 22$' },
    after: 'port 2222\n',
    msg: 'line replaced',
  },
  {
    name: 'search_string',
    before: 'PermitRootLogin yes\n',
    edit: { line: 'PermitRootLogin no', search_string: 'PermitRootLogin' },
    after: 'PermitRootLogin no\n',
    msg: 'line replaced',
  },
  {
    name: 'insertafter regex',
    before: '[main]\nx=1\n[other]\n',
    edit: { line: 'y=2', insertafter: '^\\[main\\]' },
    after: '[main]\ny=2\nx=1\n[other]\n',
    msg: 'line added',
  },
  {
    name: 'insertafter regex, line already after it',
    before: '[main]\ny=2\n',
    edit: { line: 'y=2', insertafter: '^\\[main\\]' },
    after: '[main]\ny=2\n',
    msg: '',
  },
  {
    name: 'insertafter: last matching line',
    before: 'a\n#\nb\n#\nc\n',
    edit: { line: 'n', insertafter: '^#' },
    after: 'a\n#\nb\n#\nn\nc\n',
    msg: 'line added',
  },
  {
    name: 'insertafter with firstmatch',
    before: 'a\n#\nb\n#\nc\n',
    edit: { line: 'n', insertafter: '^#', firstmatch: true },
    after: 'a\n#\nn\nb\n#\nc\n',
    msg: 'line added',
  },
  {
    name: 'insertafter matching the last line',
    before: 'a\n#',
    edit: { line: 'n', insertafter: '^#' },
    after: 'a\n#\nn\n',
    msg: 'line added',
  },
  {
    name: 'insertafter no match: EOF',
    before: 'a\n',
    edit: { line: 'n', insertafter: '^zzz' },
    after: 'a\nn\n',
    msg: 'line added',
  },
  {
    name: 'insertbefore regex',
    before: 'a\nb\n',
    edit: { line: 'n', insertbefore: '^b' },
    after: 'a\nn\nb\n',
    msg: 'line added',
  },
  {
    name: 'insertbefore BOF',
    before: 'a\n',
    edit: { line: '#!/bin/sh', insertbefore: 'BOF' },
    after: '#!/bin/sh\na\n',
    msg: 'line added',
  },
  {
    name: 'insertafter BOF',
    before: 'a\n',
    edit: { line: 'n', insertafter: 'BOF' },
    after: 'n\na\n',
    msg: 'line added',
  },
  {
    name: 'regexp match wins over insertafter',
    before: 'x=1\n[s]\n',
    edit: { line: 'x=2', regexp: '^x=', insertafter: '^\\[s\\]' },
    after: 'x=2\n[s]\n',
    msg: 'line replaced',
  },
  {
    name: 'backrefs expand',
    before: 'host=old.example\n',
    edit: { line: '\\1new.example', regexp: '^(host=).*', backrefs: true },
    after: 'host=new.example\n',
    msg: 'line replaced',
  },
  {
    name: 'backrefs named group (Python syntax)',
    before: 'port: 80\n',
    edit: { line: '\\g<k>: 8080', regexp: '^(?P<k>port):', backrefs: true },
    after: 'port: 8080\n',
    msg: 'line replaced',
  },
  {
    name: 'backrefs without a match: unchanged',
    before: 'a\n',
    edit: { line: '\\1', regexp: '^(zzz)', backrefs: true },
    after: 'a\n',
    msg: '',
  },
  {
    name: 'absent by line',
    before: 'a\nb\na\n',
    edit: { state: 'absent', line: 'a' },
    after: 'b\n',
    msg: '2 line(s) removed',
  },
  {
    name: 'absent by regexp',
    before: 'x=1\ny\nx=2\n',
    edit: { state: 'absent', regexp: '^x=' },
    after: 'y\n',
    msg: '2 line(s) removed',
  },
  {
    name: 'absent by search_string',
    before: 'foo bar\nbaz\n',
    edit: { state: 'absent', search_string: 'bar' },
    after: 'baz\n',
    msg: '1 line(s) removed',
  },
  { name: 'absent: nothing to remove', before: 'a\n', edit: { state: 'absent', line: 'z' }, after: 'a\n', msg: '' },
  {
    name: 'CRLF line is rewritten with LF (as Ansible)',
    before: 'a\r\nb\r\n',
    edit: { line: 'b' },
    after: 'a\r\nb\n',
    msg: 'line replaced',
  },
]

describe('editLines (Ansible algorithm)', () => {
  test.each(rows)('$name', ({ before, edit, after, msg }) => {
    const r = editLines(before, edit)
    expect(r.content).toBe(after)
    expect(r.msg).toBe(msg)
    expect(r.changed).toBe(before !== after)
  })
  test.each([
    [{}, 'line is required with state=present'],
    [{ line: 'x', backrefs: true }, 'regexp is required with backrefs=true'],
    [{ state: 'absent' }, 'one of line, search_string, or regexp is required with state=absent'],
    [{ line: 'x', regexp: '(' }, /invalid regular expression/],
  ] as const)('refuses %j', (edit, msg) => {
    expect(() => editLines('a\n', edit as LineEdit)).toThrow(LineError)
    expect(() => editLines('a\n', edit as LineEdit)).toThrow(msg)
  })
  test('expand escapes', () => {
    const m = pyRegex('(a)(?P<n>b)').exec('ab')!
    expect(expand(m, '\\2-\\1-\\g<n>-\\g<1>\\n\\\\')).toBe('b-a-b-a\n\\')
  })
})

describe('planLine', () => {
  const absent = { exists: false } as const
  test.each([
    {
      name: 'missing without create',
      info: absent,
      args: { path: '/x', line: 'a' },
      fail: 'Destination /x does not exist !',
    },
    {
      name: 'missing, absent wanted',
      info: absent,
      args: { path: '/x', line: 'a', state: 'absent' as const },
      fail: undefined,
    },
  ])('$name', ({ info, args, fail }) => {
    const p = planLine({ path: '/x', info, nonce: 'n' }, moduleArgs(lineinfile, args))
    expect(p.fail).toBe(fail)
    expect(p.commands).toEqual([])
  })
  test('aliases reach the module as canonical names; two paths that differ are refused', () => {
    const pos = { file: 't.yml', line: 1, col: 1 }
    expect(resolveArgs(lineinfile, { dest: '/x', value: 'a', regex: '^a' }, pos)).toMatchObject({
      path: '/x',
      line: 'a',
      regexp: '^a',
    })
    expect(resolveArgs(lineinfile, { dest: '/x', value: 'a' }, pos)).not.toHaveProperty('dest')
    expect(() => resolveArgs(lineinfile, { path: '/x', dest: '/y', line: 'a' }, pos)).toThrow(
      /"dest" of module lineinfile is an alias of "path"/,
    )
  })
  test('check mode: a missing file is predicted to get the line', () => {
    const args = moduleArgs(lineinfile, { path: '/x', line: 'a' })
    const p = planLine({ path: '/x', info: { exists: false }, nonce: 'n' }, args, true)
    expect(p.fail).toBeUndefined()
    expect(p.msg).toBe('line added')
  })
})

const dir = mkdtempSync(join(tmpdir(), 'tsplay-lif-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('on this machine', () => {
  test('create, replace, then nothing; diff and atomic write', async () => {
    const path = join(dir, 'sub', 'nix.conf')
    const steps = [
      {
        args: { path, line: 'max-jobs = 4', regexp: '^max-jobs', create: true },
        want: 'max-jobs = 4\n',
        changed: true,
      },
      {
        args: { path, line: 'max-jobs = 4', regexp: '^max-jobs', create: true },
        want: 'max-jobs = 4\n',
        changed: false,
      },
      { args: { path, line: 'max-jobs = 2', regexp: '^max-jobs' }, want: 'max-jobs = 2\n', changed: true },
      {
        args: { path, line: 'cores = 0', insertbefore: 'BOF', mode: '0600' },
        want: 'cores = 0\nmax-jobs = 2\n',
        changed: true,
      },
      {
        args: { path, line: 'cores = 0', insertbefore: 'BOF', mode: '0600' },
        want: 'cores = 0\nmax-jobs = 2\n',
        changed: false,
      },
    ]
    for (const s of steps) {
      const r = await runWith(lineinfile, s.args, testCtx(), localIO())
      expect(r.failed).toBeUndefined()
      expect(r.changed).toBe(s.changed)
      expect(r.results.every((x) => x.rc === 0)).toBe(true)
      expect(readFileSync(path, 'utf8')).toBe(s.want)
    }
  })
  test('a new file in a folder that is there: no command makes the folder; in a missing one, one does', async () => {
    for (const [path, made] of [
      [join(dir, 'here.conf'), false],
      [join(dir, 'new', 'deep', 'here.conf'), true],
    ] as const) {
      const args = moduleArgs(lineinfile, { path, line: 'a', create: true })
      const p = planLine(await lineinfile.gather!(args, testCtx(), localIO()), args)
      expect(p.commands.map((c) => c.describe)).toEqual([
        ...(made ? [`create ${dirname(path)}/`] : []),
        `write ${path}`,
      ])
    }
  })
  test('a folder is refused', async () => {
    expect((await runWith(lineinfile, { path: dir, line: 'x' }, testCtx(), localIO())).failed).toBe(
      `Path ${dir} is a directory !`,
    )
  })
  test('hostile line and path text is data, not shell', async () => {
    const path = join(dir, "it's; $(touch pwned)")
    writeFileSync(path, '')
    const args = { path, line: "'; touch /tmp/pwned-lif #" }
    await runWith(lineinfile, args, testCtx(), localIO())
    expect(readFileSync(path, 'utf8')).toBe("'; touch /tmp/pwned-lif #\n")
    expect(() => readFileSync('/tmp/pwned-lif')).toThrow()
  })
})
