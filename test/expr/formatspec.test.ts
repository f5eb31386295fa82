import { describe, expect, it } from 'vitest'
import { formatSpec } from '../../engine/expr/formatspec.js'

// value, spec, what Python's format(value, spec) gives (recorded with python3)
const PYTHON: [unknown, string, string][] = [
  ['x', '>5', '    x'],
  ['x', '<5', 'x    '],
  ['ab', '^6', '  ab  '],
  ['ab', '*^7', '**ab***'],
  [42, '05d', '00042'],
  [5, '+d', '+5'],
  [5, ' d', ' 5'],
  [255, 'x', 'ff'],
  [255, '#x', '0xff'],
  [8, '#o', '0o10'],
  [5, 'b', '101'],
  [255, 'X', 'FF'],
  [3.14159, '.2f', '3.14'],
  [3.14159, '8.3f', '   3.142'],
  [-3.14159, '08.2f', '-0003.14'],
  [0.256, '.1%', '25.6%'],
  [12345.678, 'e', '1.234568e+04'],
  [0.000123, '.2E', '1.23E-04'],
  [1.234e-5, 'g', '1.234e-05'],
  [123456789, 'g', '1.23457e+08'],
  [3.14159, '.3g', '3.14'],
  [100.5, 'g', '100.5'],
  [1234567, ',', '1,234,567'],
  [1234567, '_', '1_234_567'],
  [1234567.891, ',.2f', '1,234,567.89'],
  ['abcdef', '.3', 'abc'],
  ['abcdef', '10.3', 'abc       '],
  [42, '=+8d', '+     42'],
  [3.5, '>8', '     3.5'],
  [7, '5', '    7'],
  [true, '>6', '     1'],
  [true, 'd', '1'],
  ['x', '05', 'x0000'],
  [-0.5, '+.1f', '-0.5'],
  [2.25, '.1f', '2.2'],
  [0, 'g', '0'],
  [1e20, 'g', '1e+20'],
  [65, 'c', 'A'],
  [-42, 'x', '-2a'],
  [0.1, '%', '10.000000%'],
]

describe("Python's format spec", () => {
  it.each(PYTHON)('format(%j, %j) is %j', (value, spec, want) => expect(formatSpec(value, spec)).toBe(want))
  it('refuses what Python refuses', () => {
    expect(() => formatSpec(null, '>5')).toThrow(/unsupported format string/)
    expect(() => formatSpec(3.5, 'd')).toThrow(/integers/)
    expect(() => formatSpec('x', 'd')).toThrow(/numbers/)
    expect(() => formatSpec('x', '>>>')).toThrow(/invalid format specifier/)
  })
})
