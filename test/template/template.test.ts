/** Table-driven tests for templating: rendering, kept types, handlebars blocks, shell escaping, errors. */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { UserError } from '../../engine/errors.js'
import {
  checkTemplateSyntax,
  isTemplated,
  markUnsafe,
  renderString,
  renderValue,
  templateVariables,
} from '../../engine/template.js'

const vars = {
  host: 'pi1',
  port: 3000,
  ports: [80, 443],
  conf: { a: { b: 'c' }, list: ['x', 'y'] },
  flag: true,
  off: false,
  nothing: null,
  path: '/etc/nix/nix.conf',
  padded: '  hi  ',
  url: 'http://{{ host }}:{{ port }}',
  urls: ['{{ url }}/a', 'plain'],
  builders: [
    { host: 'b1', system: 'aarch64-linux', jobs: 4 },
    { host: 'b2', jobs: 2 },
  ],
  evil: "'; touch /tmp/pwned #",
  self: '{{ self }}',
  ping: '{{ pong }}',
  pong: '{{ ping }}',
}

describe('renderValue', () => {
  it.each<[unknown, unknown]>([
    ['plain text', 'plain text'],
    ['{{ port }}', 3000],
    ['{{ ports }}', [80, 443]],
    ['{{ conf.a }}', { b: 'c' }],
    ['{{ flag }}', true],
    ['{{ nothing }}', null],
    [' {{ port }}', ' 3000'],
    ['{{ port }}{{ port }}', '30003000'],
    ['{{ host }}:{{ port }}', 'pi1:3000'],
    ["{{ conf['a']['b'] }}", 'c'],
    ['{{ conf.list[1] }}', 'y'],
    ['{{ ports[0] }}', 80],
    ["{{ missing | default('d') }}", 'd'],
    ['{{ host | upper }}', 'PI1'],
    ["{{ 'ABC' | lower }}", 'abc'],
    ["{{ conf.list | join(',') }}", 'x,y'],
    ["{{ '12' | int }}", 12],
    ['{{ port | string }}', '3000'],
    ['{{ conf.a | to_json }}', '{"b":"c"}'],
    ['{{ ports | length }}', 2],
    ['{{ "it\'s" | quote }}', `'it'"'"'s'`],
    ['{{ padded | trim }}', 'hi'],
    ['{{ path | basename }}', 'nix.conf'],
    ['{{ path | dirname }}', '/etc/nix'],
    ['{{ flag }}/{{ off }}/{{ nothing }}/{{ ports }}', 'true/false//[80,443]'],
    ['{{ url }}', 'http://pi1:3000'],
    ['{{ urls }}', ['http://pi1:3000/a', 'plain']],
    ['{{ urls[0] }}', 'http://pi1:3000/a'],
    [
      ['{{ port }}', { k: '{{ host }}', n: 5 }],
      [3000, { k: 'pi1', n: 5 }],
    ],
    ['{{ "}}" }}', '}}'],
    ['{{#if flag}}on{{else}}off{{/if}}', 'on'],
    ['{{#if off}}on{{else}}off{{/if}}', 'off'],
    [
      "{{#each builders as |b|}}{{ b.host }}={{ b.system | default('x86_64-linux') }};{{/each}}",
      'b1=aarch64-linux;b2=x86_64-linux;',
    ],
    ['{{#each builders}}{{ host }}:{{ jobs * 2 }} {{/each}}', 'b1:8 b2:4 '],
    ['{{#each conf.list}}{{ loop.index }}{{ this | upper }}{{/each}}', '1X2Y'],
    ['{{#each ports}}{{@index}}={{this}} {{/each}}', '0=80 1=443 '],
    ['{{#each urls}}[{{ this }}]{{/each}}', '[http://pi1:3000/a][plain]'],
    ['{{#if (eq port 3000)}}yes{{/if}}', 'yes'],
    ['{{join conf.list "+"}}', 'x+y'],
    ['{{! a comment }}x', 'x'],
    ['\\{{ host }} {{ host }}', '{{ host }} pi1'],
    ['a  {{~ host ~}}  b', 'api1b'],
  ])('%j', (input, want) => {
    expect(renderValue(input, vars)).toEqual(want)
  })

  it('does not copy values without templates', () => {
    const v = { a: [1, 2], b: 'x' }
    expect(renderValue(v, vars)).toBe(v)
  })
})

describe('renderString', () => {
  it.each<[string, string]>([
    ['{{ ports }}', '[80,443]'],
    ['{{ port }}', '3000'],
    ['{{ conf.a }}', '{"b":"c"}'],
    ['{{ nothing }}', ''],
  ])('%s → %s', (input, want) => {
    expect(renderString(input, vars)).toBe(want)
  })
})

describe("escape: 'shell'", () => {
  const hostile = [
    "'; touch PWNED #",
    '$(touch PWNED)',
    '`touch PWNED`',
    'a"b\\c',
    "x'y",
    '',
    '*',
    '\n touch PWNED',
    '; touch PWNED',
  ]

  it.each(hostile)('a variable holding %j reaches sh as one literal word', (value) => {
    const dir = mkdtempSync(join(tmpdir(), 'tsplay-tpl-'))
    try {
      const script = renderString("printf '%s|' {{ v }} {{ v | upper }}", { v: value }, { escape: 'shell' })
      const out = execFileSync('sh', ['-c', script], { cwd: dir, encoding: 'utf8' })
      expect(out).toBe(`${value}|${value.toUpperCase()}|`)
      expect(existsSync(join(dir, 'PWNED'))).toBe(false)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('quotes values in handlebars blocks too, and inserts {{{ }}} raw', () => {
    const s = renderString(
      '{{#each xs}}{{ this }} {{/each}}{{{ raw }}} {{ raw }}',
      { xs: ["a'b", 'c d'], raw: '$HOME' },
      { escape: 'shell' },
    )
    expect(s).toBe("'a'\\''b' 'c d' $HOME '$HOME'")
  })

  it('never keeps the type of a single value (the result is shell text)', () => {
    expect(renderValue('{{ ports }}', vars, { escape: 'shell' })).toBe('[80,443]')
  })

  it('leaves a script that is one value as it is: the value is the script, as in Ansible', () => {
    const cmd = 'echo a | tr a b'
    expect(renderString('{{ cmd }}', { cmd }, { escape: 'shell' })).toBe(cmd)
    expect(renderString('{{ cmd }} ', { cmd }, { escape: 'shell' })).toBe(`'${cmd}' `)
    expect(renderString('{% if true %}{{ cmd }}{% endif %}', { cmd }, { escape: 'shell' })).toBe(`'${cmd}'`)
    expect(renderString('{{ cmd ~ "" }}', { cmd }, { escape: 'shell' })).toBe(cmd)
  })

  it.each(hostile)('does not quote again what | quote quoted (%j)', (value) => {
    const script = renderString("printf '%s|' {{ v | quote }} {{ v }}", { v: value }, { escape: 'shell' })
    expect(execFileSync('sh', ['-c', script], { encoding: 'utf8' })).toBe(`${value}|${value}|`)
    const jinja = renderString("{% set w = v %}printf '%s|' {{ w | quote }}", { v: value }, { escape: 'shell' })
    expect(execFileSync('sh', ['-c', jinja], { encoding: 'utf8' })).toBe(`${value}|`)
  })
})

describe('errors', () => {
  const pos = { file: 'play.yml', line: 12, col: 9 }
  it.each<[string, string]>([
    ['{{ missing }}', 'play.yml:12:9: undefined variable "missing" in argument "dest"'],
    ['x {{ conf.a.zzz }}', 'play.yml:12:9: undefined variable "conf.a.zzz" in argument "dest"'],
    ['{{#each missing}}x{{/each}}', 'play.yml:12:9: undefined variable "missing" in argument "dest"'],
    ['{{#each builders}}{{ nope }}{{/each}}', 'play.yml:12:9: undefined variable "nope" in argument "dest"'],
    ['{{ self }}', 'play.yml:12:9: variable "self" refers to itself (self → self) in argument "dest"'],
    ['{{ ping }}', 'play.yml:12:9: variable "ping" refers to itself (ping → pong → ping) in argument "dest"'],
    ['{{ host | nope }}', 'play.yml:12:9: unknown filter "nope" in argument "dest"'],
  ])('%s', (tpl, want) => {
    try {
      renderValue(tpl, vars, { pos, what: 'argument "dest"' })
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(UserError)
      expect((e as UserError).format()).toBe(want)
    }
  })

  it.each<[string, RegExp]>([
    ['{{ a | }}', /expected a filter name after "\|", found end of expression at column 8/],
    ['{{ a', /unclosed "\{\{" at column 1/],
    ['{{#if a}}x', /unexpected end of template/],
    ['{% if a %}x', /"{% if %}" is never closed/],
    ['{{#if a}}x{{/each}}', /doesn't match|template syntax error/],
  ])('syntax: %s', (tpl, msg) => {
    expect(checkTemplateSyntax(tpl)).toMatch(msg)
    expect(() => renderString(tpl, vars)).toThrow(UserError)
  })

  it('accepts valid templates', () => {
    for (const t of ['x', '{{ a }}', '{{#each xs as |x|}}{{ x.y | default(1) }}{{/each}}', '{{ a | default("}}") }}']) {
      expect(checkTemplateSyntax(t)).toBeUndefined()
    }
  })
})

describe('markUnsafe', () => {
  it('prints command output holding {{ as it is, however it is reached', () => {
    const result = markUnsafe({
      stdout: 'Hello {{ name }} {{#if x}}',
      lines: ['{{ nope }}'],
      nested: { v: '{{ a b }}' },
    })
    const v = { result, name: 'n' }
    expect(renderValue('{{ result.stdout }}', v)).toBe('Hello {{ name }} {{#if x}}')
    expect(renderValue('{{ result.lines[0] }}', v)).toBe('{{ nope }}')
    expect(renderValue('{{ result }}', v)).toEqual(result)
    expect(renderString('{{ result.nested }}', v)).toBe('{"v":"{{ a b }}"}')
    expect(renderString('{{#each result.lines}}{{ this }}{{/each}}', v)).toBe('{{ nope }}')
    expect(isTemplated(result)).toBe(false)
  })

  it('is needed: the same output unmarked would be rendered', () => {
    expect(() => renderValue('{{ result.stdout }}', { result: { stdout: '{{ nope }}' } })).toThrow(
      /undefined variable "nope"/,
    )
  })
})

describe('isTemplated and templateVariables', () => {
  it.each<[unknown, boolean]>([
    ['x', false],
    ['{{ x }}', true],
    [['a', { b: ['{{ c }}'] }], true],
    [{ a: 1, b: [null, 'x'] }, false],
    [3, false],
  ])('isTemplated(%j) = %s', (v, want) => {
    expect(isTemplated(v)).toBe(want)
  })

  it.each<[string, string[]]>([
    ['plain', []],
    ['{{ a.b }} and {{ c[d] }}', ['a', 'c', 'd']],
    ["{{ x | default('y') }} {{ z is defined }}", []],
    ['{{#if flag}}{{ on }}{{/if}}', ['flag', 'on']],
    ['{{#each items}}{{ field }}{{/each}} {{ after }}', ['items', 'after']],
    ['{{ bad syntax here', []],
  ])('templateVariables(%j)', (s, want) => {
    expect(templateVariables(s)).toEqual(want)
  })
})
