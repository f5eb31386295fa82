/**
 * Argument rules declared in a schema (aliases, mutually_exclusive, required_one_of, required_together,
 * required_if): the one checker at load time (templates uncertain) and after templating, the editor schema that
 * carries them (compiled by ajv in strict mode) and the doc lines. No host, no root.
 */
import { Type } from '@sinclair/typebox'
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import { argRules, describeRules } from '../../engine/argrules.js'
import { checkArgs, resolveArgs } from '../../engine/load/args.js'
import { keyPos } from '../../engine/source/positions.js'
import { parseYaml } from '../../engine/source/yaml.js'
import type { ModuleDef } from '../../engine/module.js'
import { editorArgs } from '../../engine/schema/editorize.js'

const Args = Type.Object(
  {
    path: Type.String({ minLength: 1, aliases: ['dest', 'name'], description: 'path' }),
    state: Type.Optional(
      Type.Union([Type.Literal('present'), Type.Literal('absent')], { default: 'present', description: 'state' }),
    ),
    line: Type.Optional(Type.String({ aliases: ['value'], description: 'line' })),
    regexp: Type.Optional(Type.String({ description: 'regexp' })),
    search: Type.Optional(Type.String({ description: 'search' })),
    user: Type.Optional(Type.String({ description: 'user' })),
    password: Type.Optional(Type.String({ description: 'password' })),
    backrefs: Type.Optional(Type.Boolean({ default: false, description: 'backrefs' })),
  },
  {
    additionalProperties: false,
    ...argRules({
      mutually_exclusive: [['regexp', 'search']],
      required_together: [['user', 'password']],
      required_if: [
        ['state', 'present', ['line']],
        ['state', 'absent', ['line', 'regexp', 'search'], true],
        ['backrefs', true, ['regexp']],
      ],
    }),
  },
)
const mod = { name: 'm', schema: Args } as unknown as ModuleDef
const pos = { file: 'play.yml', line: 1, col: 1 }

function load(args: Record<string, unknown>): string[] {
  return checkArgs(mod, args, pos).errors.map((e) => e.format())
}

describe('the rule checker at load time', () => {
  it.each<[string, Record<string, unknown>, RegExp | null]>([
    ['all good', { path: '/x', line: 'a' }, null],
    ['an alias is the argument', { dest: '/x', value: 'a' }, null],
    [
      'a missing required argument names it',
      { state: 'absent', line: 'a' },
      /missing required argument "path" for module m/,
    ],
    [
      'alias and name with different values',
      { path: '/x', dest: '/y', line: 'a' },
      /argument "dest" of module m is an alias of "path", already given as "path"/,
    ],
    ['alias and name with the same value', { path: '/x', dest: '/x', line: 'a' }, null],
    [
      'mutually exclusive',
      { path: '/x', line: 'a', regexp: 'r', search: 's' },
      /arguments "regexp", "search" of module m are mutually exclusive/,
    ],
    [
      'mutually exclusive, one templated: unknown until run time',
      { path: '/x', line: 'a', regexp: '{{ r }}', search: 's' },
      null,
    ],
    ['required together', { path: '/x', line: 'a', user: 'u' }, /argument "user" of module m needs "password" too/],
    [
      'required_if with the default value',
      { path: '/x' },
      /module m needs the argument "line" when "state" is "present"/,
    ],
    [
      'required_if: one of',
      { path: '/x', state: 'absent' },
      /needs one of the arguments "line", "regexp", "search" when "state" is "absent"/,
    ],
    ['required_if: one of, given', { path: '/x', state: 'absent', search: 's' }, null],
    [
      'required_if on a coerced boolean',
      { path: '/x', line: 'a', backrefs: 'yes' },
      /needs the argument "regexp" when "backrefs" is true/,
    ],
    ['required_if on a templated value waits', { path: '/x', state: '{{ s }}' }, null],
    [
      'an unknown argument beside a templated one',
      { path: '{{ p }}', line: 'a', stat: 1 },
      /unknown argument "stat" for module m \(did you mean "state"\?\)/,
    ],
  ])('%s', (_what, args, want) => {
    const errs = load(args)
    if (want === null) expect(errs).toEqual([])
    else expect(errs.join('\n')).toMatch(want)
  })

  it('reports at the line and column of the offending key', async () => {
    const { value } = parseYaml('- m:\n    path: /x\n    line: a\n    regexp: r\n    search: s\n', 'play.yml')
    const args = (value as Record<string, Record<string, unknown>>[])[0].m
    const [e] = checkArgs(mod, args, pos).errors
    expect(e.format()).toMatch(/^play\.yml:5:5: /)
  })

  it('gives canonical names with their positions', async () => {
    const { value } = parseYaml('- m:\n    dest: /x\n    value: a\n', 'play.yml')
    const { args, errors } = checkArgs(mod, (value as Record<string, Record<string, unknown>>[])[0].m, pos)
    expect(errors).toEqual([])
    expect(args).toEqual({ path: '/x', line: 'a' })
    expect(keyPos(args, 'path')).toMatchObject({ line: 2, col: 5 })
  })
})

describe('after templating', () => {
  it('everything is certain', () => {
    expect(() => resolveArgs(mod, { path: '/x', line: 'a', regexp: 'r', search: 's' }, pos)).toThrow(
      /mutually exclusive/,
    )
    expect(() => resolveArgs(mod, { path: '/x', state: 'absent' }, pos)).toThrow(/needs one of the arguments/)
  })
  it('modules receive canonical, default-filled arguments', () => {
    expect(resolveArgs(mod, { name: '/x', value: 'a' }, pos)).toEqual({
      path: '/x',
      line: 'a',
      state: 'present',
      backrefs: false,
    })
  })
})

describe('the editor schema carries the rules', () => {
  const validate = new Ajv({ strict: true }).compile(editorArgs(Args))
  it.each<[string, Record<string, unknown>, boolean]>([
    ['all good', { path: '/x', line: 'a' }, true],
    ['by an alias', { dest: '/x', value: 'a' }, true],
    ['no path under any name', { line: 'a' }, false],
    ['mutually exclusive', { path: '/x', line: 'a', regexp: 'r', search: 's' }, false],
    ['required together', { path: '/x', line: 'a', user: 'u' }, false],
    ['required_if by default', { path: '/x' }, false],
    ['required_if one of', { path: '/x', state: 'absent', regexp: 'r' }, true],
    ['required_if one of, none', { path: '/x', state: 'absent' }, false],
    ['required_if on a template is left to validate', { path: '/x', state: '{{ s }}' }, true],
  ])('%s', (_what, args, ok) => {
    expect(validate(args), JSON.stringify(validate.errors)).toBe(ok)
  })
})

describe('doc lines', () => {
  it('say every rule', () => {
    expect(describeRules(Args)).toEqual([
      '`regexp`, `search`: at most one of them',
      '`user`, `password`: all or none of them',
      'when `state` is "present": `line` is required',
      'when `state` is "absent": one of `line`, `regexp`, `search` is required',
      'when `backrefs` is true: `regexp` is required',
    ])
  })
})

describe("Ansible's aliases on shipped modules", () => {
  it('apt: pkg and package are names of name', async () => {
    const { default: apt } = await import('../../modules/apt.js')
    const pos = { file: 't.yml', line: 1, col: 1 }
    expect(resolveArgs(apt, { pkg: 'git' }, pos)).toMatchObject({ name: 'git' })
    expect(resolveArgs(apt, { package: ['git', 'make'] }, pos)).toMatchObject({ name: ['git', 'make'] })
    expect(() => resolveArgs(apt, { name: 'git', pkg: 'make' }, pos)).toThrow(/alias of "name"/)
  })
})
