/**
 * `with_sequence` terms, and Ansible's refusals word for word: `k=v` words read by the one splitter (quoted formats
 * keep their spaces), or `N-M/S:fmt`.
 */
import { describe, expect, it } from 'vitest'
import { UserError } from '../../engine/errors.js'
import { sequence } from '../../engine/run/sequence.js'

describe('with_sequence', () => {
  it.each<[string, string[]]>([
    ['start=2 end=6 stride=2 format=n%02d', ['n02', 'n04', 'n06']],
    ['count=3', ['1', '2', '3']],
    [`start=1 end=2 format="item %d"`, ['item 1', 'item 2']],
    ['3-5', ['3', '4', '5']],
    ['1-5/2:x%d', ['x1', 'x3', 'x5']],
    ['start=1 count=3 stride=2', ['1', '3', '5']],
    ['start=5 end=1 stride=-2', ['5', '3', '1']],
    ['count=0', []],
    ['start=1 end=3 stride=0', []],
    ['start=0x0f00 count=2 format=%04x', ['0f00', '0f01']],
    ['0x3-0x5', ['3', '4', '5']],
  ])('%j', (term, want) => expect(sequence(term)).toEqual(want))

  it.each([
    ['start=1 end', /with_sequence: cannot read "start=1 end": "end" is not key=value/],
    [`start=1 format="x`, /with_sequence: cannot read .*unterminated double quote/],
    // Ansible's own messages
    ['start=1 end=0', /^to count backwards make stride negative$/],
    ['start=1 end=3 stride=-1', /^to count forward don't make stride negative$/],
    ['start=1', /^must specify count or end in with_sequence$/],
    ['count=2 end=3', /^can't specify both count and end in with_sequence$/],
    ['end=3 format=x', /^bad formatting string: x$/],
    ['start=0 junk=3', /^unrecognized arguments to with_sequence: \['junk'\]$/],
    ['start=A end=3', /^can't parse start=A as integer$/],
    ['A-4/2', /^can't parse start=A as integer$/],
    ['1-B/2', /^can't parse end=B as integer$/],
    ['1-4/C', /^can't parse stride=C as integer$/],
  ])('%j is refused', (term, want) => {
    expect(() => sequence(term)).toThrow(UserError)
    expect(() => sequence(term)).toThrow(want)
  })
})
