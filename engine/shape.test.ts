/**
 * `extend`: the same fields as an object spread with keys after it, the base left as it was, and one hidden class
 * for every object of one shape (read with V8's natives syntax, turned on for this file's own functions only).
 */
import v8 from 'node:v8'
import { describe, expect, it } from 'vitest'
import { extend } from './shape.js'

v8.setFlagsFromString('--allow-natives-syntax')
// compiled after the flag: V8 reads natives syntax only in code parsed while it is set
const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean
v8.setFlagsFromString('--no-allow-natives-syntax')

describe('extend', () => {
  it.each([
    [{ a: 1 }, { b: 2 }, { a: 1, b: 2 }],
    [{ a: 1, b: 1 }, { b: 2 }, { a: 1, b: 2 }],
    [undefined, { b: 2 }, { b: 2 }],
    [{ a: 1 }, undefined, { a: 1 }],
    [{ a: 1 }, { a: undefined }, { a: undefined }],
  ])('%j with %j → %j, as a spread gives', (base, props, want) => {
    const got = extend(base as object | undefined, props as object | undefined)
    expect(got).toStrictEqual(want)
    expect(got).toStrictEqual({ ...base, ...props })
  })

  it('leaves the base as it was and returns a new object', () => {
    const base = { argv: ['true'] }
    const got = extend(base, { env: { A: '1' } })
    expect(base).toStrictEqual({ argv: ['true'] })
    expect(got).not.toBe(base)
    expect(got.argv).toBe(base.argv) // a shallow copy, as a spread
  })

  it('gives every object of one shape the same hidden class', () => {
    const made = Array.from({ length: 50 }, (_, i) => extend({ argv: [String(i)], describe: 'x' }, { env: {}, n: i }))
    expect(made.every((o) => sameMap(o, made[0]))).toBe(true)
  })
})
