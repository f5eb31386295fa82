/** Module arguments: coercion, defaults in one place, run-time errors with positions; "did you mean". */
import { describe, expect, it } from 'vitest'
import { UserError } from '../../engine/errors.js'
import { cloneData, coerce, resolveArgs, validateArgs } from '../../engine/load/args.js'
import { closest, didYouMean, editDistance } from '../../engine/source/suggest.js'
import { apt, copy } from './fixtures.js'
import assertModule from '../../modules/assert.js'

const pos = { file: 'p.yml', line: 4, col: 7 }

describe('resolveArgs', () => {
  it('fills defaults without changing the input', () => {
    const input = { name: 'git' }
    expect(resolveArgs(apt, input, pos)).toEqual({
      name: 'git',
      state: 'present',
      update_cache: false,
      cache_valid_time: 0,
    })
    expect(input).toEqual({ name: 'git' })
  })

  it.each([
    [{ name: 'git', update_cache: 'yes' }, { update_cache: true }],
    [{ name: 'git', update_cache: 'False' }, { update_cache: false }],
    [{ name: 'git', update_cache: 'on' }, { update_cache: true }],
    [{ name: 'git', cache_valid_time: '3600' }, { cache_valid_time: 3600 }],
    [{ name: ['a', 'b'] }, { name: ['a', 'b'] }],
  ])('coerces %j the way Ansible does', (args, expected) => {
    expect(resolveArgs(apt, args, pos)).toMatchObject(expected)
  })

  it.each([
    [
      { name: 'git', state: 'gone' },
      /argument "state" of apt must be one of "present", "absent", "latest", found string "gone"/,
    ],
    [{ name: 'git', update_cache: 'perhaps' }, /argument "update_cache" of apt must be true or false/],
    [{ name: 'git', colour: 1 }, /unknown argument "colour" for module apt/],
    [{}, /missing required argument "name" for module apt/],
    // after templating, a template left over is wrong
    [{ name: 'git', state: '{{ s }}' }, /found string "\{\{ s \}\}"/],
  ])('rejects %j with the task position', (args, re) => {
    try {
      resolveArgs(apt, args, pos)
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(UserError)
      expect((e as UserError).message).toMatch(re)
      expect((e as UserError).pos).toEqual(pos)
    }
  })

  it('takes an argument written with no value as not given (its default applies), as Ansible does', () => {
    expect(resolveArgs(apt, { name: 'git', state: null, cache_valid_time: null }, pos)).toMatchObject({
      state: 'present',
      cache_valid_time: 0,
    })
    expect(validateArgs(apt, { name: 'git', update_cache: null }, pos)).toEqual([])
    // a required one given no value is missing
    expect(() => resolveArgs(apt, { name: null }, pos)).toThrow(/missing required argument "name" for module apt/)
  })

  it("never prints a secret argument's value", () => {
    const errs = validateArgs(copy, { dest: '/x', pin: 'hunter2' }, pos)
    expect(errs).toHaveLength(1)
    expect(errs[0].format()).not.toContain('hunter2')
    expect(errs[0].format()).toContain('hidden')
  })

  it('validateArgs skips templated values, resolveArgs does not', () => {
    expect(validateArgs(apt, { name: 'git', update_cache: '{{ u }}' }, pos)).toEqual([])
    expect(() => resolveArgs(apt, { name: 'git', update_cache: '{{ u }}' }, pos)).toThrow(UserError)
  })

  it('coerce leaves values alone when the schema accepts them', () => {
    const s = { anyOf: [{ type: 'string' }, { type: 'boolean' }] }
    expect(coerce(s, 'yes')).toBe('yes')
    expect(coerce({ type: 'string' }, 644)).toBe('644')
    expect(coerce({ type: 'integer' }, 'x1')).toBe('x1')
    expect(coerce(s, true)).toBe(true)
  })

  it("coerce splits a string at commas where a list is wanted, each element coerced, as Ansible's list type", () => {
    const codes = { anyOf: [{ type: 'integer' }, { type: 'array', items: { type: 'integer' } }] }
    expect(coerce(codes, '200,403')).toEqual([200, 403])
    expect(coerce(codes, '200')).toBe(200)
    expect(coerce({ type: 'array', items: { type: 'string' } }, 'a, b,')).toEqual(['a', 'b'])
    expect(coerce({ type: 'array', items: { type: 'boolean' } }, 'yes,no')).toEqual([true, false])
  })

  it("coerce gives a boolean where only text is taken as Python's str() of it, as Ansible (creates: yes)", () => {
    expect(coerce({ type: 'string' }, true)).toBe('True')
    expect(coerce({ type: 'string' }, false)).toBe('False')
  })
})

describe('suggestions', () => {
  it.each([
    ['nmae', 'name', 1],
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
    ['abc', 'abc', 0],
    ['ab', 'ba', 1],
  ])('editDistance(%j, %j) = %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d)
    expect(editDistance(b, a)).toBe(d)
  })

  it('suggests only close names', () => {
    expect(didYouMean('hosst', ['hosts', 'tasks', 'handlers'])).toBe('(did you mean "hosts"?)')
    expect(didYouMean('xyzzy', ['hosts', 'tasks'])).toBeUndefined()
    // the name itself is no suggestion; another spelling of it is
    expect(didYouMean('ungrouped', ['ungrouped', 'all'])).toBeUndefined()
    expect(didYouMean('Web', ['web'])).toBe('(did you mean "web"?)')
    expect(closest('ansible.builtin.aptt', ['ansible.builtin.apt', 'apt'])).toEqual(['ansible.builtin.apt'])
  })
})

describe('union messages', () => {
  it('names a union once and says which item of a list it refuses', () => {
    const errs = validateArgs(assertModule, { that: ['x', { 'y|select("a", "b': 'c")' }] }, pos)
    expect(errs.map((e) => e.message)).toEqual([
      'argument "that" of assert must be a string, true or false, or an empty value or a list of those, ' +
        'found a list (item 2 is a map)',
    ])
    expect(validateArgs(apt, { name: ['git', { a: 1 }] }, pos).map((e) => e.message)).toEqual([
      'argument "name" of apt must be a string or a list of strings, found a list (item 2 is a map)',
    ])
  })
})

describe('cloneData', () => {
  it.each([
    [{ a: 1, b: ['x', { c: null, d: true }], e: 'text' }],
    [[1, 'two', [3]]],
    ['plain'],
    [42],
    [null],
    [Object.assign(Object.create(null) as object, { k: 'v' })],
    [{ when: new Date(0), bytes: new Uint8Array([1, 2]), m: new Map([['k', 1]]) }],
  ])('gives what structuredClone gives for %j', (v) => {
    const c = cloneData(v)
    expect(c).toEqual(structuredClone(v))
    if (typeof v === 'object' && v !== null) expect(c).not.toBe(v)
  })

  it('copies deeply: changing the copy leaves the original', () => {
    const v = { list: [{ x: 1 }] }
    const c = cloneData(v)
    c.list[0].x = 2
    c.list.push({ x: 3 })
    expect(v).toEqual({ list: [{ x: 1 }] })
  })

  it('keeps an object met twice (a YAML alias) shared, and a cycle, as structuredClone does', () => {
    const shared = { x: 1 }
    const v = { a: shared, b: shared }
    const c = cloneData(v)
    expect(c.a).toBe(c.b)
    expect(c.a).not.toBe(shared)
    const cyc: Record<string, unknown> = { n: 1 }
    cyc.self = cyc
    const cc = cloneData(cyc)
    expect(cc.self).toBe(cc)
  })

  it('refuses a function as structuredClone does', () => {
    expect(() => cloneData({ f: () => 1 })).toThrow()
  })
})
