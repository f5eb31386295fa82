/** A `.hbs` template file sees the task's variables as its own: `{{#each}}` over a role variable renders. */
import { describe, expect, it } from 'vitest'
import { renderTemplateFile } from '../../engine/template.js'

describe('renderTemplateFile (.hbs)', () => {
  it('iterates a map variable with #each and still adds the template_* variables', () => {
    const text = '{{#each opts}}{{@key}} = {{this}}\n{{/each}}{{ template_path }}\n'
    expect(renderTemplateFile(text, '/r/nix.conf.hbs', { opts: { a: 1, b: 'x' } })).toBe(
      'a = 1\nb = x\n/r/nix.conf.hbs\n',
    )
  })
})
