import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import debconf, { MASKED, parseShow, type DebconfState } from './debconf.js'
import { renderCommand } from '../engine/ssh/quote.js'
import { gatherOf, moduleArgs, planOf, scriptedIO, testCtx, ok } from '../test/helpers/module-ctx.js'

const SHOW = '* tzdata/Areas: Europe\n  tzdata/Zones/Europe: Berlin\n  mysql/pw: (password omitted)\n  x/flag: false\n'
const st = (over: Partial<DebconfState> = {}): DebconfState => ({ selections: parseShow(SHOW), ...over })

describe('debconf-show output', () => {
  test('the seen mark is dropped', () => {
    expect(parseShow(SHOW)).toEqual({
      'tzdata/Areas': 'Europe',
      'tzdata/Zones/Europe': 'Berlin',
      'mysql/pw': '(password omitted)',
      'x/flag': 'false',
    })
  })
})

describe('plan: args + state → commands', () => {
  test.each([
    { name: 'same answer: nothing', args: { question: 'tzdata/Areas', vtype: 'select', value: 'Europe' }, stdin: '' },
    {
      name: 'other answer',
      args: { question: 'tzdata/Areas', vtype: 'select', value: 'Asia' },
      stdin: 'tzdata tzdata/Areas select Asia\n',
    },
    {
      name: 'a new question',
      args: { question: 'tzdata/new', vtype: 'string', value: 'v w', unseen: true },
      stdin: 'tzdata tzdata/new string v w\n',
      argv: ['debconf-set-selections', '-u'],
    },
    { name: 'boolean compares lower-cased', args: { question: 'x/flag', vtype: 'boolean', value: 'False' }, stdin: '' },
    {
      name: 'a YAML boolean becomes true/false',
      args: { question: 'x/flag', vtype: 'boolean', value: true },
      stdin: 'tzdata x/flag boolean true\n',
    },
  ] as const)('$name', ({ args, stdin, ...rest }) => {
    const p = planOf(debconf, st(), { name: 'tzdata', ...args })
    expect(p.commands.map((c) => c.stdin ?? '').join('')).toBe(stdin)
    if ('argv' in rest) expect(p.commands[0].argv).toEqual(rest.argv)
    if (!stdin) expect(p.data).toEqual({ current: parseShow(SHOW) })
  })

  test('a password: stdin only, marked secret, masked in data, changes and diff', () => {
    const args = { name: 'mysql', question: 'mysql/pw', vtype: 'password', value: 'hunter2' } as const
    expect(planOf(debconf, st({ passwordSame: true }), args).commands).toEqual([])
    const p = planOf(debconf, st({ passwordSame: false }), args)
    expect(p.commands[0].argv).toEqual(['debconf-set-selections'])
    expect(p.commands[0].secretStdin).toBe(true)
    expect(p.commands[0].stdin).toBe('mysql mysql/pw password hunter2\n')
    const shown = JSON.stringify({ ...p, commands: p.commands.map((c) => ({ ...c, stdin: undefined })) })
    expect(shown).not.toContain('hunter2')
    expect(p.data).toEqual({ current: { 'mysql/pw': MASKED }, previous: { 'mysql/pw': '(password omitted)' } })
  })

  test('question, vtype and value go together; without question only reads', () => {
    expect(() => moduleArgs(debconf, { name: 'x', question: 'x/q' })).toThrow(/vtype|value/)
    expect(planOf(debconf, st(), { name: 'tzdata' })).toEqual({ commands: [], data: { current: parseShow(SHOW) } })
  })
})

describe('gather', () => {
  test('debconf-show, and for a password the comparison with the value on stdin', async () => {
    const io = scriptedIO([
      [/^debconf-show mysql$/, ok(SHOW)],
      [/^sh -c/, ok('same\n')],
    ])
    const s = await gatherOf(
      debconf,
      { name: 'mysql', question: 'mysql/pw', vtype: 'password', value: 's3' },
      testCtx(),
      io,
    )
    expect(s.passwordSame).toBe(true)
    expect(io.seen[1].stdin).toBe('s3')
    expect(io.seen[1].secretStdin).toBe(true)
    expect(io.seen.flatMap((c) => c.argv).join(' ')).not.toContain('s3')
  })
  test('debconf-show failing fails the task', async () => {
    const io = scriptedIO([[/^debconf-show/, { rc: 1, stdout: '', stderr: 'debconf: not root' }]])
    await expect(gatherOf(debconf, { name: 'x' }, testCtx(), io)).rejects.toThrow('debconf: not root')
  })
})

describe('the password comparison script, on a copy of a debconf database (read-only, this machine)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-debconf-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const db = join(dir, 'passwords.dat')
  writeFileSync(
    db,
    'Name: a/pw\nTemplate: a/pw\nValue: right one\nOwners: a\n\nName: b/pw\nTemplate: b/pw\nValue: other\nOwners: b\n',
  )
  const compare = (question: string, value: string, file = db) => {
    const io = scriptedIO([
      [/^debconf-show/, ok('')],
      [/^sh -c/, ok()],
    ])
    return gatherOf(debconf, { name: 'a', question, vtype: 'password', value }, testCtx(), io).then(() => {
      const cmd = io.seen[1]
      const argv = [...cmd.argv.slice(0, -1), file]
      const r = spawnSync('/bin/sh', ['-c', renderCommand({ ...cmd, argv })], { input: cmd.stdin, encoding: 'utf8' })
      return r.stdout.trim()
    })
  }
  test.each([
    ['a/pw', 'right one', 'same'],
    ['a/pw', 'other', 'differs'],
    ['b/pw', 'other', 'same'],
    ['c/pw', 'other', 'differs'],
  ])('%s = %j: %s', async (q, v, want) => expect(await compare(q, v)).toBe(want))
  test('no database: differs', async () => expect(await compare('a/pw', 'x', join(dir, 'none'))).toBe('differs'))
})
