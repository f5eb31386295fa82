/** `serial` batches as Ansible 2.14's playbook executor cuts them (percentages rounded down, at least 1). */
import { describe, expect, it } from 'vitest'
import { batchSizes, batches, entrySize } from './batches.js'

describe('serial batches', () => {
  it('no serial, 0 or less: one batch of every host', () => {
    expect(batchSizes(undefined, 5)).toEqual([5])
    expect(batchSizes([0], 5)).toEqual([5])
    expect(batchSizes([-1], 5)).toEqual([5])
    expect(batchSizes([2, 0], 5)).toEqual([2, 3])
  })

  it('a number: batches of that many, the last one shorter', () => {
    expect(batchSizes([2], 5)).toEqual([2, 2, 1])
    expect(batchSizes(['3'], 5)).toEqual([3, 2])
  })

  it('a percentage of the hosts, rounded down, at least 1', () => {
    expect(entrySize('30%', 10)).toBe(3)
    expect(entrySize('25%', 3)).toBe(1)
    expect(entrySize('99%', 10)).toBe(9)
    expect(entrySize('0%', 10)).toBe(1)
    expect(batchSizes(['30%'], 10)).toEqual([3, 3, 3, 1])
    expect(batchSizes(['50%'], 2)).toEqual([1, 1])
    expect(batchSizes(['100%'], 2)).toEqual([2])
  })

  it('a list: each entry in turn, the last one repeating', () => {
    expect(batchSizes([1, '50%', 10], 10)).toEqual([1, 5, 4])
    expect(batchSizes([1, '20%'], 12)).toEqual([1, 2, 2, 2, 2, 2, 1])
    expect(batchSizes([1, 2, 3], 2)).toEqual([1, 1])
  })

  it("percentages are of the play's hosts, even when fewer are left to run", () => {
    expect(batchSizes(['50%'], 3, 4)).toEqual([2, 1])
  })

  it('cuts the hosts in order', () => {
    expect(batches(['a', 'b', 'c', 'd'], [1, '50%'])).toEqual([['a'], ['b', 'c'], ['d']])
    expect(batches([], [1])).toEqual([])
  })
})
