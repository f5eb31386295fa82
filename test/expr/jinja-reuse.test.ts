/**
 * Jinja's macros, `{% call %}`, `{% include %}` and `{% import %}`/`{% from … import %}` in template files, with
 * the outputs Jinja2 (trim_blocks, as Ansible sets it) gives for the same templates.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { renderTemplateFile } from '../../engine/template.js'

const dir = mkdtempSync(join(tmpdir(), 'jinja-reuse-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
mkdirSync(join(dir, 'roles/web/templates'), { recursive: true })
writeFileSync(
  join(dir, 'roles/web/templates/m.j2'),
  "{% macro line(k, v='x', sep=' = ') %}{{ k }}{{ sep }}{{ v }}{% endmacro %}\n{% set version = 3 %}\n" +
    '{% macro wrap(tag) %}<{{ tag }}>{{ caller() }}</{{ tag }}>{% endmacro %}\n',
)
writeFileSync(join(dir, 'roles/web/templates/part.j2'), 'part {{ who }}\n')

/** Render `text` as the file roles/web/templates/t.j2 of a role task. */
function render(text: string): string {
  const file = join(dir, 'roles/web/templates/t.j2')
  writeFileSync(file, text)
  const vars = { who: 'w', ansible_search_path: [join(dir, 'roles/web'), join(dir, 'roles/web/tasks')] }
  return renderTemplateFile(text, file, vars)
}

describe('Jinja reuse in template files', () => {
  it('macros take defaults, keyword arguments, varargs and kwargs', () => {
    const m = "{% macro greet(name, punct='!') %}hi {{ name }}{{ punct }}{% endmacro %}"
    expect(render(`${m}{{ greet('a') }} {{ greet('b', punct='?') }}`)).toBe('hi a! hi b?')
    expect(render('{% macro m(a) %}{{ a }}|{{ varargs }}|{{ kwargs }}{% endmacro %}{{ m(1, 2, z=3) }}')).toBe(
      "1|(2,)|{'z': 3}",
    )
  })
  it('call blocks give the macro caller(), with arguments too', () => {
    expect(render('{% macro box() %}[{{ caller() }}]{% endmacro %}{% call box() %}in {{ who }}{% endcall %}')).toBe(
      '[in w]',
    )
    const rows = '{% macro rows(xs) %}{% for x in xs %}{{ caller(x) }};{% endfor %}{% endmacro %}'
    expect(render(`${rows}{% call(x) rows([1,2]) %}<{{ x }}>{% endcall %}`)).toBe('<1>;<2>;')
  })
  it('import and from-import find templates beside the template, on the search path', () => {
    expect(render("{% import 'm.j2' as m %}{{ m.line('port', 80) }} {{ m.version }}")).toBe('port = 80 3')
    expect(render("{% from 'm.j2' import line, wrap as w %}{{ line('a') }}{% call w('b') %}c{% endcall %}")).toBe(
      'a = x<b>c</b>',
    )
    expect(() => render("{% from 'm.j2' import nope %}")).toThrow(/does not export "nope"/)
  })
  it('include renders another template with the same variables (its last newline dropped, as Jinja)', () => {
    expect(render("A\n{% include 'part.j2' %}\nB")).toBe('A\npart wB')
    expect(render("{% include ['nope.j2', 'part.j2'] %}")).toBe('part w')
    expect(render("{% include 'nope.j2' ignore missing %}x")).toBe('x')
    expect(render("{% for who in ['p', 'q'] %}{% include 'part.j2' %}{% endfor %}")).toBe('part ppart q')
    expect(() => render("{% include 'nope.j2' %}")).toThrow(/template "nope.j2" not found/)
  })
})

describe('variables a template with macros reads', () => {
  it('leaves out macros, their parameters and imported names', async () => {
    const { templateVariables } = await import('../../engine/template.js')
    const t =
      "{% from 'm.j2' import line %}{% macro m(a, b=dflt) %}{{ a }}{{ caller() }}{{ outer }}{% endmacro %}" +
      "{% call(x) m(1) %}{{ x }}{{ inner }}{% endcall %}{{ line('k') }}{% include inc %}"
    expect(templateVariables(t, 'jinja')).toEqual(['dflt', 'outer', 'inner', 'inc'])
  })
})
