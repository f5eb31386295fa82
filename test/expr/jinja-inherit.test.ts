/**
 * Jinja's `{% extends %}` and `{% block %}` in template files (with `super()`, `self.name()`, `scoped`), with the
 * outputs Jinja2 3.1 (trim_blocks, as Ansible sets it) gives for the same templates.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { compileJinja } from '../../engine/expr/jinja/run.js'
import { jinjaNames } from '../../engine/expr/jinja/names.js'
import { renderTemplateFile } from '../../engine/template.js'

const dir = mkdtempSync(join(tmpdir(), 'jinja-inherit-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const tdir = join(dir, 'roles/web/templates')
mkdirSync(tdir, { recursive: true })
const files: Record<string, string> = {
  'base.j2':
    '<title>{% block title %}Site{% endblock %}</title>\n{% block body %}\ndefault body {{ who }}\n{% endblock %}\n' +
    '{% for x in [1, 2] %}{% block item scoped %}[{{ x }}]{% endblock %}{% endfor %}\n\nfooter {{ self.title() }}\n',
  'page.j2':
    "before\n{% extends 'base.j2' %}\n{% set extra = 'E' %}\nignored text\n" +
    '{% block title %}Page - {{ super() }}{% endblock %}\n{% block item %}<{{ x }}{{ extra }}>{% endblock %}\n',
}
for (const [f, text] of Object.entries(files)) writeFileSync(join(tdir, f), text)

/** Render `text` as the file roles/web/templates/t.j2 of a role task. */
function render(text: string): string {
  const file = join(tdir, 't.j2')
  writeFileSync(file, text)
  const vars = { who: 'w', ansible_search_path: [join(dir, 'roles/web'), join(dir, 'roles/web/tasks')] }
  return renderTemplateFile(text, file, vars)
}

describe('Jinja template inheritance', () => {
  it('a child fills its parent blocks; super() and self.name() render the chain; text after extends is dropped', () => {
    expect(render(files['page.j2'])).toBe(
      'before\n<title>Page - Site</title>\ndefault body w\n<1E><2E>\nfooter Page - Site\n',
    )
  })
  it('three levels: a block a grandchild overrides, named on endblock, with super() through the middle', () => {
    const mid = "{% extends 'page.j2' %}\n{% block body %}mid {{ super() }}{% endblock body %}\n"
    expect(render(mid)).toBe('before\n<title>Page - Site</title>\nmid default body w\n<1E><2E>\nfooter Page - Site\n')
  })
  it('without extends blocks render in place; an unscoped block does not see the loop it sits in', () => {
    expect(render('{% for x in [1] %}{% block b %}{{ x is defined }}{% endblock %}{% endfor %}\n')).toBe('False\n')
    expect(render('{% block c %}c{% endblock %}{{ self.c() }}')).toBe('cc')
  })
  it('the parent is a template name from an expression; an included template may extend too', () => {
    expect(render("{% extends 'ba' ~ 'se.j2' %}{% block body %}B{% endblock %}")).toBe(
      '<title>Site</title>\nB[1][2]\nfooter Site',
    )
    writeFileSync(join(tdir, 'child.j2'), "{% extends 'base.j2' %}{% block title %}T{% endblock %}")
    expect(render("x {% include 'child.j2' %} y")).toBe('x <title>T</title>\ndefault body w\n[1][2]\nfooter T y')
  })
  it('an imported template that extends another gives its names; the importer keeps its own blocks', () => {
    writeFileSync(join(tdir, 'mod.j2'), "{% extends 'base.j2' %}{% macro m() %}M{% endmacro %}{% set v = 2 %}")
    expect(render("{% import 'mod.j2' as x %}{{ x.m() }}{{ x.v }}|{% block b %}own{% endblock %}")).toBe('M2|own')
  })
  it('mistakes are errors', () => {
    expect(() => render('{% block a %}{% endblock %}{% block a %}{% endblock %}')).toThrow(/block "a" defined twice/)
    expect(() => render('{% block a %}{{ super() }}{% endblock %}')).toThrow(/no parent block called "a"/)
    expect(() => render("{% extends 'base.j2' %}{% extends 'base.j2' %}")).toThrow(/extended multiple times/)
    expect(() => render('{% block a %}x{% endblock b %}')).toThrow(/names another block/)
    expect(() => render("{% extends 'missing.j2' %}")).toThrow(/not found/)
  })
  it("static checks see what blocks and extends read (not in a child's blocks: the parent may give it)", () => {
    expect(jinjaNames(compileJinja('{% block a %}{{ y }}{{ super() }}{{ self.a() }}{% endblock %}').nodes)).toEqual([
      'y',
    ])
    expect(jinjaNames(compileJinja('{% extends base %}{% block a %}{{ y }}{% endblock %}').nodes)).toEqual(['base'])
  })
})
