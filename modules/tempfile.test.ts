import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { resolveArgs } from '../engine/load/args.js'
import tempfile, { planTempfile } from './tempfile.js'
import { localIO, runWith, testCtx } from '../test/helpers/module-ctx.js'

describe('planTempfile', () => {
  test.each([
    { args: {}, argv: ['mktemp', '--tmpdir', '--suffix=', '--', 'ansible.XXXXXXXX'] },
    {
      args: { state: 'directory' as const, path: '/srv/t', prefix: '-x', suffix: '.d' },
      argv: ['mktemp', '-d', '--tmpdir=/srv/t', '--suffix=.d', '--', '-xXXXXXXXX'],
    },
  ])('$args', ({ args, argv }) => {
    expect(planTempfile(args).commands.map((c) => c.argv)).toEqual([argv])
  })
  test('a slash in prefix or suffix fails', () => {
    expect(planTempfile({ prefix: 'a/b' }).fail).toMatch(/may not contain/)
  })
  test('defaults', () => {
    expect(resolveArgs(tempfile, {}, { file: 't.yml', line: 1, col: 1 })).toEqual({
      state: 'file',
      prefix: 'ansible.',
      suffix: '',
    })
  })
})

const dir = mkdtempSync(join(tmpdir(), 'tsplay-tempfile-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('on this machine', () => {
  test.each([
    ['file', 0o600],
    ['directory', 0o700],
  ] as const)('a new %s each time, registered with its path and mode', async (state, mode) => {
    const args = { state, path: dir, prefix: "p'$(x)", suffix: '.tmp' }
    const seen = new Set<string>()
    for (let i = 0; i < 2; i++) {
      const r = await runWith(tempfile, args, testCtx(), localIO())
      const path = r.data.path as string
      expect(dirname(path)).toBe(dir)
      expect(basename(path)).toMatch(/^p'\$\(x\)\w{8}\.tmp$/)
      expect(statSync(path).mode & 0o777).toBe(mode)
      expect(r.data).toMatchObject({ state, mode: `0${mode.toString(8)}` })
      seen.add(path)
    }
    expect(seen.size).toBe(2)
  })
  test('a missing folder fails', async () => {
    const args = { path: join(dir, 'nope') }
    expect((await runWith(tempfile, args, testCtx(), localIO())).failed).toMatch(/nope/)
  })
})
