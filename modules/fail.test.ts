import { describe, expect, test } from 'vitest'
import fail from './fail.js'
import { planOf } from '../test/helpers/module-ctx.js'

describe('fail', () => {
  test.each([
    [{ msg: 'unsupported architecture' }, 'unsupported architecture'],
    [{}, 'Failed as requested from task'],
  ])('%j', (args, msg) => {
    const p = planOf(fail, undefined, args)
    expect(p).toMatchObject({ commands: [], fail: msg, msg })
  })
})
