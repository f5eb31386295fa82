import { describe, expect, it } from 'vitest'
import { convertRendered, pyLiteral, renderedText } from '../../engine/expr/pyliteral.js'

describe("Ansible's conversion of rendered text", () => {
  it.each([
    ['{{ x }}', "['a', 'b']", ['a', 'b']],
    ['{{ x }}', '["a", true, null]', ['a', true, null]],
    ['{{ x }}', "{'a': 1, 'b': [2, -3.5]}", { a: 1, b: [2, -3.5] }],
    ['{{ x }}', 'True', true],
    ['{{ x }}', 'False', false],
    ['{{ x }}', '(1, 2)', '(1, 2)'], // a tuple's text does not start with [ or {
    ['{{ x }}', '[main]', '[main]'], // a name is not a literal
    ['{{ x }}', '[1, 2', '[1, 2'],
    ['{{ x }}', '[1] + [2]', '[1] + [2]'],
    ['{{ x }}', 'true', 'true'], // only True and False by themselves
    ['{{ x }}', '{{ y }}', '{{ y }}'],
    ['{{ d | to_json }}', '{"a": 1}', '{"a": 1}'],
    ['{{ d | to_nice_json(indent=2) }}\n', '{"a": 1}\n', '{"a": 1}\n'],
    ['{{ l | string }}', '[1]', '[1]'],
    ['[{{ port }}]', '[80]', [80]],
  ])('%j rendered to %j is %j', (tpl, text, want) => expect(convertRendered(tpl, text)).toEqual(want))

  it('remembers the text a list or map came from, for an argument that takes text', () => {
    const v = convertRendered('[{{ port }}]', '[80]')
    expect(renderedText(v)).toBe('[80]')
    expect(renderedText([80])).toBeUndefined()
    expect(pyLiteral('nope')).toBeUndefined()
  })
})
