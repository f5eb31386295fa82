import { describe, expect, test } from 'vitest'
import debug, { NOT_DEFINED } from './debug.js'
import { planOf, testCtx, type WrittenArgs } from '../test/helpers/module-ctx.js'

const vars = { result: { stdout: 'hi', rc: 0 }, list: [1, 2], ansible_verbosity: 1 }
const plan = (args: WrittenArgs<typeof debug>) => planOf(debug, undefined, args, testCtx({ vars }))

describe('debug', () => {
  test.each([
    [{ msg: 'hello' }, 'hello', { msg: 'hello' }],
    [{}, 'Hello world!', { msg: 'Hello world!' }],
    [{ msg: [1, 2] }, '[\n  1,\n  2\n]', { msg: [1, 2] }],
    [{ var: 'result.stdout' }, 'result.stdout: hi', { 'result.stdout': 'hi' }],
    [{ var: 'list' }, 'list: [\n  1,\n  2\n]', { list: [1, 2] }],
    [{ var: 'nope' }, `nope: ${NOT_DEFINED}`, { nope: NOT_DEFINED }],
    [{ var: 'result.nope[0]' }, `result.nope[0]: ${NOT_DEFINED}`, { 'result.nope[0]': NOT_DEFINED }],

    [{ msg: 'shown', verbosity: 1 }, 'shown', { msg: 'shown' }],
  ])('%j', (args, msg, data) => {
    const p = plan(args)
    expect(p).toMatchObject({ commands: [], changed: false })
    expect(p.msg).toBe(msg)
    expect(p.data).toEqual(data)
    expect(debug.controllerOnly).toBe(true)
  })

  test("a message above the run's verbosity is skipped, as Ansible counts it", () => {
    const p = plan({ msg: 'quiet', verbosity: 2 })
    expect(p).toMatchObject({
      skip: 'Verbosity threshold not met.',
      data: { skipped_reason: 'Verbosity threshold not met.' },
    })
  })

  test('an error other than something undefined fails the task, as in Ansible', () => {
    expect(() => plan({ var: "'http://a/' | urlsplit('bad')" })).toThrow(/unknown URL component: bad/)
  })
})
