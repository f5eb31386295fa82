/** A task's arguments rendered for a host: values, `omit`, and set_fact's templated variable names. */
import { Type } from '@sinclair/typebox'
import { describe, expect, it } from 'vitest'
import type { Task } from '../../engine/ast.js'
import { renderArgs } from '../../engine/run/renderargs.js'

const task = (module: string, args: Record<string, unknown>) =>
  ({ kind: 'task', module, args, argsPos: { file: 'pb.yml', line: 3, col: 5 }, notify: [] }) as unknown as Task
const ANY = Type.Object({}, { additionalProperties: true })

describe('renderArgs', () => {
  it("renders set_fact's variable names, as Ansible does", () => {
    expect(renderArgs(task('set_fact', { '{{ item }}': 'moo', plain: '{{ item }}x' }), ANY, { item: 'foo' })).toEqual({
      foo: 'moo',
      plain: 'foox',
    })
  })
  it("leaves other modules' argument names as written, and drops omitted values", () => {
    const vars = { item: 'foo', omit: undefined }
    expect(renderArgs(task('debug', { '{{ item }}': 1 }), ANY, vars)).toEqual({ '{{ item }}': 1 })
  })
  it('says where a variable name does not render', () => {
    const t = task('set_fact', { '{{ nope }}': 1 })
    expect(() => renderArgs(t, ANY, {})).toThrow(/undefined variable "nope" in a variable name of task/)
  })
})
