/** `extendVars`: a view of a task's variables with a result on top that renders nothing before it is read. */
import { describe, expect, it } from 'vitest'
import { extendVars, resolveVars } from '../../engine/run/vars.js'

describe('extendVars', () => {
  it('adds layers (later wins) without rendering the variables below', () => {
    const vars = resolveVars({ word: 'hi', greeting: '{{ word }} there', broken: '{{ nope }}', r: 'old' })
    const v = extendVars(vars, { r: { rc: 0 } }, { rc: 0 })
    expect(v.r).toEqual({ rc: 0 })
    expect(v.rc).toBe(0)
    expect(v.greeting).toBe('hi there')
    expect(() => v.broken).toThrow(/nope/)
    expect(Object.keys(v).sort()).toEqual(['broken', 'greeting', 'r', 'rc', 'word'])
  })

  it('a layer may replace a variable that is still a template', () => {
    const vars = resolveVars({ h: '{{ nope }}' })
    expect(extendVars(vars, { h: 'registered' }).h).toBe('registered')
  })

  it('leaves the variables it was given alone', () => {
    const vars = resolveVars({ a: 1 })
    extendVars(vars, { a: 2, b: 3 })
    expect(vars).toEqual({ a: 1 })
  })
})
