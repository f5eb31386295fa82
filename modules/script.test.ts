import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { LocalConnector } from '../engine/local/connector.js'
import { taskIO } from '../engine/run/hosts.js'
import { testCtx } from '../test/helpers/module-ctx.js'
import { afterRaw } from './raw.js'
import script, { planScript, scriptWords } from './script.js'

type Args = Parameters<typeof script.plan>[1]
const dir = mkdtempSync(join(tmpdir(), 'tsplay-script-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
writeFileSync(join(dir, 'args.sh'), '#!/bin/sh\nprintf "[%s]" "$@"; pwd >&2\n')
writeFileSync(join(dir, 'noshebang.sh'), 'echo "$# args"\n')
writeFileSync(join(dir, 'fail.sh'), '#!/bin/sh\nexit 4\n')
const io = taskIO(new LocalConnector('localhost'), {}, () => undefined)
const ctx = testCtx({ searchPaths: [dir] })

describe('script', () => {
  const cases: Array<{ name: string; args: Args; rc?: number; stdout?: string; stderr?: string; skip?: boolean }> = [
    {
      name: 'arguments as words, quotes kept',
      args: { free_form: `args.sh a "b c" '$HOME'` },
      stdout: '[a][b c][$HOME]',
    },
    { name: 'cmd instead of free form', args: { cmd: 'args.sh x' }, stdout: '[x]' },
    { name: 'chdir', args: { free_form: 'args.sh', chdir: '/usr' }, stdout: '[]', stderr: '/usr\n' },
    { name: 'executable', args: { free_form: 'noshebang.sh 1 2', executable: 'sh' }, stdout: '2 args\n' },
    { name: 'non-zero fails', args: { free_form: 'fail.sh' }, rc: 4 },
    { name: 'creates: skipped', args: { free_form: 'fail.sh', creates: dir }, skip: true },
    { name: 'removes: skipped', args: { free_form: 'fail.sh', removes: join(dir, 'nope') }, skip: true },
  ]
  test.each(cases)('$name', async ({ args, rc = 0, stdout, stderr, skip }) => {
    const plan = script.plan(await script.gather(args, ctx, io), args, ctx)
    if (skip) return expect([plan.commands, typeof plan.skip]).toEqual([[], 'string'])
    expect(plan.commands).toHaveLength(1)
    const r = afterRaw([await io.run(plan.commands[0])])
    expect(r.data?.rc).toBe(rc)
    if (stdout !== undefined) expect(r.data?.stdout).toBe(stdout)
    if (stderr !== undefined) expect(r.data?.stderr).toBe(stderr)
  })

  test('the temp copy is removed, also after a failure', async () => {
    const count = async () =>
      (await io.run({ argv: ['sh', '-c', 'ls "${TMPDIR:-/tmp}" | grep -c "^tsplay-script" || true'] })).stdout
    const before = await count()
    for (const free_form of ['noshebang.sh', 'fail.sh']) {
      const args: Args = { free_form, executable: 'sh' }
      await io.run(script.plan(await script.gather(args, ctx, io), args, ctx).commands[0])
    }
    expect(await count()).toBe(before)
  })

  test('check mode: skipped unless creates/removes decide', async () => {
    const f = await script.gather({ free_form: 'fail.sh' }, ctx, io)
    expect(planScript(f, { free_form: 'fail.sh' }, true).skip).toBe('Check mode is not supported for this task.')
    const withRemoves = { free_form: 'fail.sh', removes: dir }
    const g = await script.gather(withRemoves, ctx, io)
    expect(planScript(g, withRemoves, true)).toMatchObject({ changes: ['run script fail.sh'] })
  })

  test('words: unclosed quote is a clear failure', () => {
    expect(scriptWords({ free_form: 'a.sh b c' })).toEqual(['a.sh', 'b', 'c'])
    expect(() => scriptWords({ free_form: 'a.sh "b' })).toThrow(/cannot split/)
  })
})
