/**
 * Jinja in tsplay beyond what ansible-agree.test.ts compares: which engine renders what, playbook strings with
 * statements, shell quoting in the Jinja engine, `!unsafe`, the static variable scan, keyword-argument errors and
 * the messages of malformed templates.
 */
import { describe, expect, it } from 'vitest'
import { UserError } from '../../engine/errors.js'
import { parseYaml } from '../../engine/source/yaml.js'
import {
  checkTemplateSyntax,
  engineForFile,
  renderString,
  renderValue,
  templateVariables,
} from '../../engine/template.js'
import { evalCondition, evalExpr, exprVariables } from '../../engine/expr.js'

const vars = { xs: ['a', 'b'], n: 3, flag: 'no', users: [{ name: 'al', admin: true }, { name: 'bo' }], d: { k: 'v' } }

function error(f: () => unknown): string {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(UserError)
    return (e as Error).message
  }
  throw new Error('expected an error')
}

describe('engines', () => {
  it('picks Jinja for template files unless they are .hbs', () => {
    expect(engineForFile('/r/templates/motd.j2')).toBe('jinja')
    expect(engineForFile('/r/templates/motd')).toBe('jinja')
    expect(engineForFile('/r/templates/motd.hbs')).toBe('hbs')
  })

  it('keeps .hbs files on handlebars and refuses Jinja statements there', () => {
    expect(renderString('{{#each xs}}{{ this }};{{/each}}', vars, { engine: 'hbs' })).toBe('a;b;')
    expect(checkTemplateSyntax('{% if x %}y{% endif %}', 'hbs')).toMatch(/not supported/)
  })

  it('renders playbook strings that use Jinja syntax with Jinja, others as before', () => {
    expect(renderValue('{% for x in xs %}{{ x }}{% endfor %}', vars)).toBe('ab')
    expect(renderValue('{{ xs }}', vars)).toEqual(['a', 'b'])
    expect(renderValue('{% if n > 2 %}{{ xs }}{% endif %}', vars)).toEqual(['a', 'b']) // read back as Ansible does
    expect(renderValue('x{# note #}', vars)).toBe('x')
    expect(renderValue('a  {{- n -}}  b', vars)).toBe('a3b')
    expect(renderValue('{{#if n}}yes{{/if}}', vars)).toBe('yes')
    // a }} inside brackets does not end the tag
    expect(renderValue("{{ {'a': {'b': n}} }}", vars)).toEqual({ a: { b: 3 } })
  })

  it("uses Python's truthiness inside Jinja statements, tsplay's in conditions", () => {
    expect(renderValue('{% if flag %}on{% else %}off{% endif %}', vars)).toBe('on')
    expect(evalCondition('flag', vars)).toBe(false)
  })

  it('shell-quotes every {{ }} value in the Jinja engine too', () => {
    const s = renderString('{% for x in xs %}echo {{ x ~ "\'; rm -rf /" }}\n{% endfor %}', vars, { escape: 'shell' })
    expect(s).toBe("echo 'a'\\''; rm -rf /'\necho 'b'\\''; rm -rf /'\n")
  })
})

describe('expressions', () => {
  it.each<[string, unknown]>([
    ["xs | join(d='-')", 'a-b'],
    ["'2.14.1' is version('2.14', operator='>=')", true],
    ["'1.0' is version('1.0.0', '<')", true],
    ["'1.2.3-rc1' is version('1.2.3', '<', version_type='semver')", true],
    ["users | selectattr('admin', 'defined') | map(attribute='name') | list", ['al']],
    ["users | map(attribute='admin', default=false) | list", [true, false]],
    ['range(2, 8, 3)', [2, 5]],
    ["missing | default(omit_me | default('z'))", 'z'],
    ['xs[-1:]', ['b']],
    ["d | combine({'j': 1}) | dict2items | map(attribute='key') | list", ['k', 'j']],
    ["lookup('env', 'TSPLAY_SURELY_UNSET', default='dflt')", 'dflt'],
    ['n is divisibleby 3', true],
    ["'abc' | ansible.builtin.upper", 'ABC'],
  ])('%s', (src, want) => {
    expect(evalExpr(src, vars)).toEqual(want)
  })

  it('names unknown or doubled keyword arguments', () => {
    expect(error(() => evalExpr("xs | join(sep=',')", vars))).toMatch(/join.*unexpected keyword argument "sep"/)
    expect(error(() => evalExpr("xs | join(',', d='-')", vars))).toMatch(/two values for argument "d"/)
    expect(() => exprVariables('x | f(a=1, a=2)')).toThrow(/given twice/)
    expect(() => exprVariables('x | f(a=1, 2)')).toThrow(/positional argument cannot follow/)
  })

  it('keeps undefined semantics: errors on use, default and is defined work, attributes of undefined error', () => {
    expect(error(() => renderValue('{% if nope %}x{% endif %}', vars))).toMatch(/undefined variable "nope"/)
    expect(error(() => renderValue('{{ d.nope.deeper }}x{# #}', vars))).toMatch(/undefined variable "d\.nope\.deeper"/)
    expect(renderValue("{{ d.nope.deeper | default('ok') }}{# #}", vars)).toBe('ok')
    expect(renderValue('{{ nope is defined }}{{ d.k is defined }}{# #}', vars)).toBe('FalseTrue')
    expect(error(() => renderValue('{% for x in nope %}{% endfor %}', vars))).toMatch(/undefined variable "nope"/)
  })
})

describe('static scan', () => {
  it('reports names read, leaving out what the template defines', () => {
    const t =
      '{% set total = n * 2 %}{% for u in users if u.name != skip %}{{ u.name }} {{ loop.index }} {{ total ' +
      '}}{% endfor %}{{ after }}'
    expect(templateVariables(t)).toEqual(['n', 'users', 'skip', 'after'])
    expect(templateVariables('{% with a = b %}{{ a }}{{ c }}{% endwith %}', 'jinja')).toEqual(['b', 'c'])
    expect(
      templateVariables('{% set ns = namespace(x=1) %}{% for i in xs %}{% set ns.x = i %}{% endfor %}{{ ns.x }}'),
    ).toEqual(['xs'])
    expect(templateVariables('{{ u }}{% for u in xs %}{% endfor %}')).toEqual(['u', 'xs'])
  })

  it('leaves out a name where an {% if %} test showed it defined (Jinja reads the branch only then)', () => {
    const v = (t: string) => templateVariables(t, 'jinja')
    expect(v('{% if x is defined %}{{ x }}{{ y }}{% endif %}')).toEqual(['y'])
    expect(v('{% if x is undefined %}none{% elif x.a is defined %}{{ x.a }}{% else %}{{ x }}{% endif %}')).toEqual([])
    expect(v('{% if x is defined and x %}{{ x }}{% else %}{{ x }}{% endif %}')).toEqual(['x'])
    expect(v('{% if x is defined %}{% set s = 1 %}{% endif %}{{ s }}{{ x }}')).toEqual(['x'])
  })
})

describe('{% do %}, {% break %} and {% continue %} (jinja2.ext.do and loopcontrols)', () => {
  const r = (t: string, v: Record<string, unknown> = vars) => renderString(t, v, { engine: 'jinja' })
  it('do runs an expression: the methods change lists and maps the template made', () => {
    expect(r('{% set x = [] %}{% for u in users %}{% do x.append(u.name) %}{% endfor %}{{ x | join(",") }}')).toBe(
      'al,bo',
    )
    expect(
      r(
        '{% set d = {} %}{% do d.update({"a": 1}, b=2) %}{% do d.setdefault("a", 9) %}' +
          '{% do d.update([["c", 3]]) %}{{ d }}',
      ),
    ).toBe("{'a': 1, 'b': 2, 'c': 3}")
    expect(r('{% set x = [1, 2, 3] %}{% do x.insert(0, 0) %}{% do x.remove(2) %}{{ x.pop() }} {{ x }}')).toBe(
      '3 [0, 1]',
    )
  })
  it("refuses to change a variable's own list or map in place", () => {
    expect(error(() => r('{% do xs.append("c") %}'))).toMatch(/"append" would change a variable's list in place/)
    expect(error(() => r('{% do d.update({}) %}'))).toMatch(/"update" would change a variable's map in place/)
    expect(vars.xs).toEqual(['a', 'b'])
  })
  it('break and continue act on the innermost loop; outside one they fail', () => {
    const t =
      '{% for i in [1,2,3,4,5] %}{% if i == 2 %}{% continue %}{% endif %}{% if i == 4 %}{% break %}' +
      '{% endif %}{% for j in "ab" %}{% if j == "b" %}{% break %}{% endif %}{{ i }}{{ j }}{% endfor %}{% endfor %}'
    expect(r(t)).toBe('1a3a')
    expect(error(() => r('a{% break %}'))).toMatch(/"\{% break %\}" outside a "\{% for %\}" loop/)
  })
})

// Checked with ansible-playbook 2.14 (template module and a debug msg): its Jinja escapes nothing in these blocks
describe('{% autoescape %}, as Ansible renders it', () => {
  const av = { s: '<b>&\'"', n: 5 }
  it.each([
    ['{% autoescape true %}{{ s }} {{ "<x>" }} {{ s | upper }} {{ n }}{% endautoescape %}', '<b>&\'" <x> <B>&\'" 5'],
    ['{% autoescape false %}{{ s | e }}{% endautoescape %}', '&lt;b&gt;&amp;&#39;&#34;'],
    ['a{% autoescape true %}{% autoescape false %}{{ s }}{% endautoescape %}{% endautoescape %}b', 'a<b>&\'"b'],
    ['{%- autoescape true -%}  x  {%- endautoescape %}|', 'x|'],
  ])('%s', (src, out) => {
    expect(renderString(src, av, { engine: 'jinja' })).toBe(out)
  })

  it('evaluates its value (an undefined one fails when the block has text), and what it sets stays inside', () => {
    const r = (src: string) => renderString(src, av, { engine: 'jinja' })
    expect(error(() => r('{% autoescape nosuch %}x{{ s }}{% endautoescape %}'))).toMatch(/nosuch/)
    expect(error(() => r('{% autoescape nosuch %}{% if n %}x{% endif %}{% endautoescape %}'))).toMatch(/nosuch/)
    expect(error(() => r('{% autoescape 1/0 %}{{ s }}{% endautoescape %}'))).toMatch(/division by zero/)
    expect(r('{% autoescape nosuch %}{{ s }}{% endautoescape %}|{% autoescape nosuch %}{% endautoescape %}')).toBe(
      '<b>&\'"|',
    )
    expect(
      error(() =>
        renderString('{% autoescape true %}{% set y = 1 %}{% endautoescape %}{{ y }}', av, { engine: 'jinja' }),
      ),
    ).toMatch(/undefined variable "y"/)
    // the value is required only where the block's text makes Jinja test it
    expect(templateVariables('{% autoescape flag %}x{{ s }}{% endautoescape %}', 'jinja').sort()).toEqual(['flag', 's'])
    expect(templateVariables('{% autoescape flag %}{{ s }}{% endautoescape %}', 'jinja')).toEqual(['s'])
  })
})

describe('malformed templates', () => {
  it.each<[string, RegExp]>([
    ['{% if x %}a', /"\{% if %\}" is never closed \(no "\{% endif %\}"\)/],
    ['{% endfor %}', /unknown statement "\{% endfor %\}" \(no block is open here\)/],
    ['{% filter %}x{% endfilter %}', /expected a filter after "\{% filter"/],
    ['{% filter upper %}x', /"\{% filter %\}" is never closed/],
    ['{% do %}', /expected/],
    ['{% break x %}', /expected the end of "\{% break %\}"/],
    ['{% autoescape %}x{% endautoescape %}', /expected/],
    ['{% autoescape true %}x', /"\{% autoescape %\}" is never closed/],
    ['{% block a %}x', /"\{% block %\}" is never closed/],
    ['{{ x', /unclosed "\{\{"/],
    ['{# x', /unclosed comment/],
    ['{% raw %}x', /unclosed "\{% raw %\}"/],
    ['{% for x xs %}{% endfor %}', /expected "in"/],
    ['{% set %}', /expected a variable name/],
  ])('%s', (src, msg) => {
    expect(checkTemplateSyntax(src, 'jinja')).toMatch(msg)
  })
})

describe('!unsafe', () => {
  it('keeps a tagged string from ever being templated', () => {
    const { value } = parseYaml(
      'a: !unsafe "p{{w%}{#"\nb: !unsafe "{{ x }}"\nc: !unsafe "[1, 2]"\nd: !unsafe plain\n',
      'v.yml',
    )
    const v = value as Record<string, unknown>
    const rendered = renderValue(v, { x: 1 }) as Record<string, unknown>
    expect(rendered).toEqual({ a: 'p{{w%}{#', b: '{{ x }}', c: '[1, 2]', d: 'plain' })
    expect(renderValue('{{ b }}', v)).toBe('{{ x }}')
    expect(renderValue('{{ b }} and {{ a }}', v)).toBe('{{ x }} and p{{w%}{#')
  })
})
