import { describe, expect, test } from 'vitest'
import assert from './assert.js'
import { planOf, testCtx, type WrittenArgs } from '../test/helpers/module-ctx.js'

const vars = { facts: { memtotal_mb: 900, architecture: 'aarch64' }, x: 'a' }
const plan = (args: WrittenArgs<typeof assert>) => planOf(assert, undefined, args, testCtx({ vars }))

describe('assert', () => {
  test.each([
    [{ that: 'facts.memtotal_mb >= 512' }, undefined, 'All assertions passed'],
    [{ that: ["facts.architecture in ['aarch64', 'armv7l']", 'x == "a"'] }, undefined, 'All assertions passed'],
    [{ that: ['x == "a"', 'facts.memtotal_mb > 2000'] }, 'Assertion failed', 'Assertion failed'],
    [{ that: 'facts.memtotal_mb > 2000', fail_msg: 'too small' }, 'too small', 'too small'],
    [{ that: 'facts.memtotal_mb > 2000', msg: 'alias' }, 'alias', 'alias'],
    [{ that: 'x == "a"', success_msg: 'fine', quiet: true }, undefined, undefined],
    [{ that: 'x == "a"', success_msg: 'fine' }, undefined, 'fine'],
    // YAML booleans and empty items, as Ansible takes them
    [{ that: true }, undefined, 'All assertions passed'],
    [{ that: ['x == "a"', null, true] }, undefined, 'All assertions passed'],
    [{ that: [true, false] }, 'Assertion failed', 'Assertion failed'],
  ])('%j', (args, fail, msg) => {
    const p = plan(args)
    expect(p.commands).toEqual([])
    expect(p.fail).toBe(fail)
    expect(p.msg).toBe(msg)
  })
  test('the failing assertion is registered', () => {
    expect(plan({ that: ['x == "a"', 'x == "b"'] }).data).toMatchObject({ assertion: 'x == "b"', evaluated_to: false })
  })
  test('an undefined variable fails with the error, not a crash', () => {
    expect(plan({ that: 'nope == 1' }).fail).toMatch(/could not be evaluated: .*nope/)
  })
})
