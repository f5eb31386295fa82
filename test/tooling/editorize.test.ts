/**
 * editorArgs: a TypeBox argument schema → the editor's schema. Table: value → accepted? for each kind of argument
 * (boolean, bounded integer, choices, list, nested map, secret, shell template), compiled by ajv in strict mode.
 */
import { Type } from '@sinclair/typebox'
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import { editorArgs } from '../../engine/schema/editorize.js'

const Args = Type.Object(
  {
    flag: Type.Optional(Type.Boolean({ default: false, description: 'a flag' })),
    seconds: Type.Optional(Type.Integer({ minimum: 0, description: 'seconds' })),
    state: Type.Optional(
      Type.Union([Type.Literal('present'), Type.Literal('absent')], { default: 'present', description: 'state' }),
    ),
    names: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())], { description: 'names' })),
    env: Type.Optional(
      Type.Object(
        { level: Type.Integer({ description: 'level' }) },
        { additionalProperties: false, description: 'env' },
      ),
    ),
    password: Type.Optional(Type.String({ description: 'the password', secret: true })),
    script: Type.Optional(Type.String({ description: 'a script', shellTemplate: true })),
    anything: Type.Optional(Type.Unknown({ description: 'any value' })),
  },
  { additionalProperties: false },
)
const schema = editorArgs(Args)
const validate = new Ajv({ strict: true }).compile(schema)

describe('editorArgs', () => {
  it.each<[string, Record<string, unknown>, boolean]>([
    ['a boolean', { flag: true }, true],
    ['Ansible yes', { flag: 'yes' }, true],
    ['a template for a boolean', { flag: '{{ do_it }}' }, true],
    ['a word that is no boolean', { flag: 'maybe' }, false],
    ['a whole number', { seconds: 3600 }, true],
    ['digits as a string', { seconds: '3600' }, true],
    ['below the minimum', { seconds: -1 }, false],
    ['a word for a number', { seconds: 'soon' }, false],
    ['a template for a number', { seconds: '{% if x %}1{% endif %}' }, true],
    ['a choice', { state: 'absent' }, true],
    ['a wrong choice', { state: 'gone' }, false],
    ['a template for a choice', { state: '{{ wanted }}' }, true],
    ['a list', { names: ['a', 'b'] }, true],
    ['a comma string', { names: 'a,b' }, true],
    ['a list of maps', { names: [{ a: 1 }] }, false],
    ['a nested map', { env: { level: 2 } }, true],
    ['a typo in a nested map', { env: { levle: 2 } }, false],
    ['a template for a nested map', { env: '{{ env }}' }, true],
    ['a number for a string', { password: 1234 }, true],
    ['anything', { anything: [{ x: 1 }] }, true],
    ['an unknown argument', { nmae: 'x' }, false],
  ])('%s', (_what, args, ok) => {
    expect(validate(args), JSON.stringify(validate.errors)).toBe(ok)
  })

  it('keeps descriptions and defaults outside the branches (editor hover text)', () => {
    const props = schema.properties as Record<string, Record<string, unknown>>
    expect(props.flag).toMatchObject({ description: 'a flag', default: false })
    expect(props.state).toMatchObject({ description: 'state', default: 'present' })
    expect((props.state.anyOf as unknown[])[0]).toEqual({ enum: ['present', 'absent'] })
  })

  it('turns secret into writeOnly and notes, drops non-standard keywords and TypeBox symbols', () => {
    const props = schema.properties as Record<string, Record<string, unknown>>
    expect(props.password).toMatchObject({
      writeOnly: true,
      description: 'the password Secret: never logged or shown.',
    })
    expect(props.script.description).toBe('a script Templated values are inserted shell-quoted.')
    const text = JSON.stringify(schema)
    expect(text).not.toMatch(/"secret"|"shellTemplate"/)
    expect(Object.getOwnPropertySymbols(schema)).toEqual([])
  })
})
