import { describe, expect, it } from 'vitest'
import make, { type MakeState } from './make.js'
import { gatherOf, moduleArgs, planOf, scriptedIO, testCtx, type WrittenArgs } from '../test/helpers/module-ctx.js'

const f = (questionRc: number, created = false): MakeState => ({ created, questionRc, questionOut: '' })
type Row = [string, WrittenArgs<typeof make>, MakeState, { argv?: string[][]; fail?: RegExp; check?: boolean }]
const rows: Row[] = [
  ['up to date', { chdir: '/src' }, f(0), { argv: [] }],
  ['out of date', { chdir: '/src' }, f(1), { argv: [['make']] }],
  ['make -q cannot tell', { chdir: '/src', target: 'all' }, f(2), { argv: [['make', 'all']] }],
  ['creates exists', { chdir: '/src', creates: '/usr/bin/x' }, f(0, true), { argv: [] }],
  [
    'jobs, file, params, targets',
    {
      chdir: '/src',
      target: 'all',
      targets: ['install'],
      jobs: 4,
      file: 'GNUmakefile',
      params: { PREFIX: '/usr/local', V: 1 },
    },
    f(1),
    { argv: [['make', '-j', '4', '-f', 'GNUmakefile', 'PREFIX=/usr/local', 'V=1', 'all', 'install']] },
  ],
  ['chdir missing fails', { chdir: '/nope' }, f(97), { fail: /\/nope does not exist/ }],
  ['chdir missing in check mode predicts a run', { chdir: '/nope' }, f(97), { argv: [['make']], check: true }],
  ['make missing fails', { chdir: '/src' }, f(127), { fail: /make is not installed/ }],
]

describe('make plan', () => {
  it.each(rows)('%s', (_n, args, facts, want) => {
    const plan = planOf(make, facts, args, testCtx({ checkMode: !!want.check }))
    if (want.fail) return expect(plan.fail).toMatch(want.fail)
    expect(plan.commands.map((c) => c.argv)).toEqual(want.argv)
    for (const c of plan.commands) {
      expect(c).toMatchObject({ cwd: args.chdir, stream: true })
      expect(c.timeoutSec).toBeUndefined()
    }
  })
  it.each([
    [{ target: '-f/etc/passwd' }, /not a make target/],
    [{ params: { 'A=B': 1 } }, /not a make variable/],
    [{ params: { '$(id)': 1 } }, /not a make variable/],
  ])('refuses %j', (extra, msg) =>
    expect(() => planOf(make, f(1), { chdir: '/src', ...extra }, testCtx())).toThrow(msg),
  )
})

describe('make gather/after', () => {
  it('asks make -q in chdir, and skips it when creates exists', async () => {
    const io = scriptedIO([[/make -q/, { rc: 1, stdout: '', stderr: '' }]])
    expect(await gatherOf(make, { chdir: '/src', target: 'all', creates: '/x' }, testCtx(), io)).toEqual(f(1))
    expect(io.seen[0].argv.slice(3)).toEqual(['sh', '/x', '/src', 'all'])
    const io2 = scriptedIO([[/make -q/, { rc: 0, stdout: 'created\n', stderr: '' }]])
    expect((await gatherOf(make, { chdir: '/src' }, testCtx(), io2)).created).toBe(true)
  })
  it('fails with the last lines of a failed build', async () => {
    const out = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n')
    const a = await make.after!(
      f(1),
      moduleArgs(make, { chdir: '/src' }),
      [{ rc: 2, stdout: '', stderr: out }],
      testCtx(),
      scriptedIO([]),
    )
    expect(a.fail).toMatch(/make failed with exit code 2:\nline 10\n[^]*line 29$/)
    expect(a.fail).not.toMatch(/line 9\n/)
  })
})
