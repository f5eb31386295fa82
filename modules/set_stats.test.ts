import { describe, expect, test } from 'vitest'
import setStats from './set_stats.js'
import { mergeMaps, updateStats, type CustomStats } from '../engine/run/stats.js'
import { planOf, playbookArgs } from '../test/helpers/module-ctx.js'

describe('set_stats plan', () => {
  test.each([
    [{ data: { a: 1 } }, { data: { a: 1 }, per_host: false, aggregate: true }],
    [
      { data: { a: 1 }, per_host: true, aggregate: false },
      { data: { a: 1 }, per_host: true, aggregate: false },
    ],
    [{}, { data: {}, per_host: false, aggregate: true }],
  ])('%j registers ansible_stats, never changed', (args, stats) => {
    const p = planOf(setStats, undefined, args)
    expect(p).toEqual({ commands: [], changed: false, data: { ansible_stats: stats } })
  })

  test('a key that is not an identifier fails, as Ansible', () => {
    expect(planOf(setStats, undefined, { data: { 'a-b': 1 } }).fail).toMatch(/variable name 'a-b' is not valid/)
  })

  test('yes/no spellings of the flags, and unknown arguments refused', () => {
    expect(playbookArgs(setStats, { data: { a: 1 }, per_host: 'yes', aggregate: 'no' })).toMatchObject({
      per_host: true,
      aggregate: false,
    })
    expect(() => playbookArgs(setStats, { data: { a: 1 }, other: 1 })).toThrow()
    expect(() => playbookArgs(setStats, { data: 'not a map' })).toThrow()
  })
})

describe('custom stats as Ansible keeps them', () => {
  type Row = [string, unknown, unknown, boolean, unknown]
  test.each<Row>([
    ['numbers add', 2, 3, true, 5],
    ['strings join', 'a', 'b', true, 'ab'],
    ['lists join', [1], [2], true, [1, 2]],
    [
      'maps merge deeply, lists replaced',
      { m: { x: 1, l: [1] } },
      { m: { y: 2, l: [2] } },
      true,
      { m: { x: 1, y: 2, l: [2] } },
    ],
    ['a value of another type is dropped', 2, 'x', true, 2],
    ['a boolean adds to a number', 2, true, true, 3],
    ['a number does not add to a boolean', true, 2, true, true],
    ['without aggregate the value is replaced', 2, 'x', false, 'x'],
  ])('%s', (_name, old, value, aggregate, want) => {
    const c: CustomStats = {}
    updateStats(c, '_run', { k: old }, aggregate)
    updateStats(c, '_run', { k: value }, aggregate)
    expect(c._run.k).toEqual(want)
  })

  test('per host and for the run are kept apart', () => {
    const c: CustomStats = {}
    updateStats(c, 'h1', { n: 1 }, true)
    updateStats(c, '_run', { n: 1 }, true)
    updateStats(c, 'h1', { n: 1 }, true)
    expect(c).toEqual({ h1: { n: 2 }, _run: { n: 1 } })
    expect(mergeMaps({ a: { b: 1 } }, { a: 2 })).toEqual({ a: 2 })
  })
})
