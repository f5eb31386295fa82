import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import command, { commandArgv, notFound, resolveCommand } from './command.js'
import { afterRun, ansibleDelta, gatherRun, lines, planRun } from './lib/run.js'
import type { Command } from '../engine/types.js'
import { localIO, moduleArgs, planOf, runLocal } from '../test/helpers/module-ctx.js'

const dir = mkdtempSync(join(tmpdir(), 'tsplay-cmd-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('hostile strings never reach a shell', () => {
  const pwned = join(dir, 'pwned')
  const hostile = [
    `'; touch ${pwned} #`,
    `$(touch ${pwned})`,
    `\`touch ${pwned}\``,
    `"; touch ${pwned}; echo "`,
    `x && touch ${pwned}`,
  ]
  test.each(hostile)('cmd with %j', (value) => {
    // A value templated into the free form: split into words, then run through the real quoting path.
    for (const cmd of [`echo ${value}`, `echo '${value.replaceAll("'", '')}'`]) {
      const r = commandArgv(moduleArgs(command, { cmd }))
      if ('fail' in r) continue // an unbalanced quote is refused, which is also safe
      const res = runLocal(planRun({ startedAt: 0 }, r.argv, {}, r.argv).commands[0])
      expect(res.rc).toBe(0)
      expect(existsSync(pwned)).toBe(false)
    }
    const res = runLocal(planRun({ startedAt: 0 }, ['echo', value], {}, []).commands[0])
    expect(res.stdout).toBe(`${value}\n`)
    expect(existsSync(pwned)).toBe(false)
  })
})

describe('plan', () => {
  const rows: {
    name: string
    facts: { createsExists?: boolean; removesExists?: boolean }
    args: Parameters<typeof planRun>[2]
    run: boolean
    msg?: string
  }[] = [
    { name: 'runs without creates/removes', facts: {}, args: {}, run: true },
    {
      name: 'creates exists: skipped',
      facts: { createsExists: true },
      args: { creates: '/x' },
      run: false,
      msg: 'skipped, since /x exists',
    },
    { name: 'creates missing: runs', facts: { createsExists: false }, args: { creates: '/x' }, run: true },
    {
      name: 'removes missing: skipped',
      facts: { removesExists: false },
      args: { removes: '/y' },
      run: false,
      msg: 'skipped, since /y does not exist',
    },
    { name: 'removes exists: runs', facts: { removesExists: true }, args: { removes: '/y' }, run: true },
  ]
  test.each(rows)('$name', ({ facts, args, run, msg }) => {
    const plan = planRun({ startedAt: 0, ...facts }, ['true'], args, ['true'])
    expect(plan.commands.length).toBe(run ? 1 : 0)
    expect(plan.msg).toBe(msg)
    if (!run) expect(plan.data).toMatchObject({ rc: 0, changed: false, stdout: msg })
  })
  test.each([
    [{ creates: '/x' }, { createsExists: true }, "Did not run command since '/x' exists", 'skipped, since /x exists'],
    [{ removes: '/y' }, {}, "Did not run command since '/y' does not exist", 'skipped, since /y does not exist'],
  ])("command's and shell's skip: Ansible's message, its output, no times (%j)", (args, facts, msg, stdout) => {
    const plan = planRun({ startedAt: 0, ...facts }, ['true'], args, ['true'], 'Did')
    expect(plan.msg).toBe(msg)
    expect(plan.data).toMatchObject({ msg, stdout, stdout_lines: [stdout], start: null, end: null, delta: null })
  })
  test('chdir, stdin with and without the added newline', () => {
    const a = planRun({ startedAt: 0 }, ['cat'], { chdir: '/srv', stdin: 'pw' }, ['cat']).commands[0]
    expect(a).toMatchObject({ argv: ['cat'], cwd: '/srv', stdin: 'pw\n' })
    const b = planRun({ startedAt: 0 }, ['cat'], { stdin: 'pw', stdin_add_newline: false }, ['cat']).commands[0]
    expect(b.stdin).toBe('pw')
  })
  test.each([
    [{ cmd: '   ' }, 'no command given'],
    [{ argv: [] }, 'argv is empty'],
  ])('refuses %j', (args, fail) => {
    expect(planOf(command, { startedAt: 0 }, args).fail).toBe(fail)
  })
  test.each([{}, { cmd: 'a', argv: ['a'] }])('the schema refuses %j before any plan', (args) => {
    expect(() => moduleArgs(command, args)).toThrow(/"cmd".*"argv"/)
  })
})

describe('gather and result on this machine', () => {
  test('creates/removes with globs and chdir, in one round trip', async () => {
    writeFileSync(join(dir, 'built.tar'), '')
    const log: Command[][] = []
    const f = await gatherRun(localIO({ log }), { creates: '*.tar', removes: 'nothing-*', chdir: dir })
    expect(f).toMatchObject({ createsExists: true, removesExists: false })
    expect(log.length).toBe(1)
    const g = await gatherRun(localIO(), { creates: `${dir}/$(touch ${dir}/pwned2)` })
    expect(g.createsExists).toBe(false)
    expect(existsSync(join(dir, 'pwned2'))).toBe(false)
  })
  test('rc, stdout_lines, stderr and the non-zero failure', () => {
    const args = moduleArgs(command, { cmd: 'sh -c "echo out; echo err >&2; exit 3"' })
    const argv = (commandArgv(args) as { argv: string[] }).argv
    const res = planRun({ startedAt: 0 }, argv, args, argv).commands.map((c) => runLocal(c))
    const a = afterRun({ startedAt: Date.now() }, args, res, argv)
    expect(a.data).toMatchObject({
      rc: 3,
      stdout: 'out',
      stderr: 'err',
      stdout_lines: ['out'],
      cmd: argv,
      msg: 'non-zero return code',
    })
    expect(a.fail).toBe('non-zero return code (rc 3): err')
    const ok = afterRun({ startedAt: 0 }, {}, [{ rc: 0, stdout: 'a\nb\n\n', stderr: '' }], ['x'], 1500)
    expect(ok.fail).toBeUndefined()
    expect(ok.data).toMatchObject({ stdout: 'a\nb', stdout_lines: ['a', 'b'], delta: '0:00:01.500000', changed: true })
    expect(afterRun({ startedAt: 0 }, {}, [], ['x'])).toEqual({})
  })
  test('a program that is not there: rc 2 and the OS error, as Ansible reports it', () => {
    const argv = ['no-such-program-here', '--flag']
    const res = planRun({ startedAt: 0 }, argv, {}, argv).commands.map((c) => runLocal(c))
    const a = notFound(argv, res[0])
    expect(a).toMatchObject({ changed: false, fail: "[Errno 2] No such file or directory: b'no-such-program-here'" })
    expect(a?.data).toMatchObject({ rc: 2, stdout: '', stderr: '' })
    expect(notFound(['sh'], { rc: 127, stdout: '', stderr: 'other: not found' })).toBeUndefined()
  })
  test('helpers', () => {
    expect(lines('a\r\nb\rc\n')).toEqual(['a', 'b', 'c'])
    expect(ansibleDelta(3_723_004)).toBe('1:02:03.004000')
  })
})

describe('inline options (Ansible free form)', () => {
  test.each([
    ['make all creates=/opt/app/built chdir=/src', ['make', 'all'], { creates: '/opt/app/built', chdir: '/src' }],
    ["touch 'creates=x'", ['touch'], { creates: 'x' }],
    ['dd if=/dev/zero of=x count=1', ['dd', 'if=/dev/zero', 'of=x', 'count=1'], {}],
    ['stdin=hello cat', ['cat'], { stdin: 'hello' }],
  ])('%j', (cmd, argv, extra) => {
    const r = resolveCommand(moduleArgs(command, { cmd }))
    expect(r).toEqual({ argv, args: moduleArgs(command, { cmd, ...extra }) })
  })
  test('explicit arguments win', () => {
    const r = resolveCommand(moduleArgs(command, { cmd: 'x creates=/a', creates: '/b' }))
    expect('args' in r && r.args.creates).toBe('/b')
  })
})
