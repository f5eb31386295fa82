import { describe, expect, test } from 'vitest'
import fail from './fail.js'
import { localContext } from '../test/modules/localio.js'

describe('fail', () => {
  test.each([
    [{ msg: 'unsupported architecture' }, 'unsupported architecture'],
    [{}, 'Failed as requested from task'],
  ])('%j', (args, msg) => {
    const p = fail.plan(undefined, args, localContext())
    expect(p).toMatchObject({ commands: [], fail: msg, msg })
  })
})
