import { describe, expect, test } from 'vitest'
import setFact from './set_fact.js'
import { planOf, testCtx, type WrittenArgs } from '../test/helpers/module-ctx.js'

const plan = (args: WrittenArgs<typeof setFact>) => planOf(setFact, undefined, args, testCtx())

describe('set_fact', () => {
  test.each([
    [{ a: 1, b: [1, 2], c: { d: 'x' } }, { a: 1, b: [1, 2], c: { d: 'x' } }, undefined],
    [{ a: 'x', cacheable: true }, { a: 'x' }, undefined],
    [{ cacheable: true }, undefined, 'set_fact needs at least one variable'],
    [{ 'bad-name': 1 }, undefined, 'not valid variable names: bad-name'],
  ])('%j', (args, facts, fail) => {
    const p = plan(args)
    expect(p.setVars).toEqual(facts)
    expect(p.fail).toBe(fail)
    expect(p.commands).toEqual([])
    if (!fail) expect(p.changed).toBe(false)
  })
})
