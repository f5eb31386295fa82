import type { ModuleArgs } from '../engine/argtypes.js'
import { describe, expect, it } from 'vitest'
import { resolveArgs } from '../engine/load/args.js'
import ping from './ping.js'
import { ok, scriptedIO, testCtx } from '../test/helpers/module-ctx.js'

const args = (raw: Record<string, unknown>) =>
  resolveArgs(ping, raw, { file: 'pb.yml', line: 1, col: 1 }) as ModuleArgs<typeof ping.schema>

describe('ping', () => {
  it.each([
    ['no arguments', {}, { data: { ping: 'pong' } }],
    ['data', { data: 'hello' }, { data: { ping: 'hello' } }],
    ['data: crash fails as in Ansible', { data: 'crash' }, { fail: /boom/ }],
  ] as const)('%s', async (_n, raw, want) => {
    const io = scriptedIO([[/^true$/, ok()]])
    const a = args(raw)
    await ping.gather(a, testCtx(), io)
    expect(io.seen.map((c) => c.argv)).toEqual([['true']])
    const plan = ping.plan(undefined, a, testCtx())
    expect(plan.commands).toEqual([])
    if ('fail' in want) {
      // the registered result reads as Ansible's MODULE FAILURE, the exception on stderr
      expect(plan.data).toMatchObject({
        module_stderr: 'Exception: boom\n',
        msg: expect.stringMatching(/^MODULE FAILURE/),
      })
      return expect(plan.fail).toMatch(want.fail)
    }
    expect(plan.fail).toBeUndefined()
    expect(plan.changed).toBe(false)
    expect(plan.data).toEqual(want.data)
  })
  it('fails when the host cannot run a command', async () => {
    const io = scriptedIO([[/^true$/, { rc: 127, stdout: '', stderr: 'sh: true: not found' }]])
    await expect(ping.gather(args({}), testCtx(), io)).rejects.toThrow(/cannot run commands: sh: true: not found/)
  })
  it('refuses a data that is not a string before any host is contacted', () => {
    expect(() => args({ data: { a: 1 } })).toThrow(/data/)
  })
})
