import { describe, expect, test } from 'vitest'
import { ModeError, resolveMode } from './mode.js'

describe('resolveMode', () => {
  test.each([
    ['0644', undefined, false, '0644'],
    ['644', undefined, false, '0644'],
    ['0o755', undefined, true, '0755'],
    [644, undefined, false, '0644'],
    [1777, undefined, true, '1777'],
    ['u=rw,g=r,o=', 0o777, false, '0640'],
    ['a+X', 0o600, true, '0711'],
    ['a+X', 0o600, false, '0600'],
    ['a+X', 0o700, false, '0711'],
    ['go-w', 0o666, false, '0644'],
    ['u+s', 0o755, false, '4755'],
    ['+t', 0o777, true, '1777'],
    ['g=u', 0o750, false, '0770'],
    ['u=rwx,g=rx,o=rx', undefined, true, '0755'],
    ['preserve', 0o600, false, undefined],
    [undefined, 0o600, false, undefined],
  ] as const)('%j from %s (dir %s) → %s', (spec, cur, dir, want) => expect(resolveMode(spec, cur, dir)).toBe(want))
  test.each(['rwx', 'u=rwq', '99999', 'x+'])('%j is refused', (spec) =>
    expect(() => resolveMode(spec, 0, false)).toThrow(ModeError),
  )
  test('a number that is not octal is refused', () =>
    expect(() => resolveMode(999, 0, false)).toThrow(/not an octal number/))
})
