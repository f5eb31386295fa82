/**
 * Jinja's delimiters as the template module sets them (`variable_start_string`, …, also in a `#jinja2:` line):
 * the lexer finds the given ones and leaves Jinja's own as text; the load-time reading of a task's arguments
 * gives no options while a delimiter is still a template.
 */
import { describe, expect, it } from 'vitest'
import { JINJA_DELIMITERS } from '../../engine/expr/jinja/lex.js'
import { jinjaOptionsOf, renderTemplateFile, templateVariables } from '../../engine/template.js'

const square = { ...JINJA_DELIMITERS, variableStart: '[[', variableEnd: ']]', blockStart: '[%', blockEnd: '%]' }

describe('Jinja delimiters', () => {
  it("renders with the given delimiters; Jinja's own are text", () => {
    const out = renderTemplateFile(
      '[[ x ]] {{ y }} [% if x %]on[% endif %]\n',
      '/t.j2',
      { x: 1 },
      {
        delimiters: square,
      },
    )
    expect(out).toBe('1 {{ y }} on\n')
    const comments = { ...JINJA_DELIMITERS, commentStart: '[#', commentEnd: '#]' }
    expect(renderTemplateFile('a[# c #]b {# not #}\n', '/t.j2', {}, { delimiters: comments })).toBe('ab {# not #}\n')
  })

  it('takes them from a #jinja2: line', () => {
    const text = "#jinja2: variable_start_string: '<<', variable_end_string: '>>'\n<< x >> {{ x }}\n"
    expect(renderTemplateFile(text, '/t.j2', { x: 2 })).toBe('2 {{ x }}\n')
  })

  it('reads the variables of a file with them', () => {
    expect(templateVariables('[[ a ]] {{ b }}', 'jinja', { delimiters: square })).toEqual(['a'])
  })

  it("reads a task's arguments; a templated delimiter is known only when the task runs", () => {
    expect(jinjaOptionsOf({ comment_start_string: '[#', trim_blocks: false })).toEqual({
      trimBlocks: false,
      delimiters: { ...JINJA_DELIMITERS, commentStart: '[#' },
    })
    expect(jinjaOptionsOf({ variable_start_string: '{{ open }}' })).toBeUndefined()
    expect(jinjaOptionsOf({ variable_start_string: '{{' })).toEqual({ delimiters: JINJA_DELIMITERS })
    expect(jinjaOptionsOf({ variable_start_string: '{{x' }, true)).toMatchObject({
      delimiters: { variableStart: '{{x' },
    })
  })
})
