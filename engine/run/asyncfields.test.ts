import { describe, expect, it } from 'vitest'
import type { Task } from '../ast.js'
import type { ModuleDef } from '../module.js'
import { asyncOf } from './asyncfields.js'

const pos = { file: 'p.yml', line: 3, col: 7 }
const task = (module: string, a?: number | string, p?: number | string) =>
  ({ kind: 'task', module, args: {}, pos, async: a, poll: p }) as unknown as Task
const plain = {} as ModuleDef
const reads = { controllerOnly: true } as unknown as ModuleDef

describe('async and poll for one host', () => {
  it.each([
    ['numbers as written', task('command', 30, 0), { async: 30, poll: 0, asked: true }],
    ['templates rendered', task('command', '{{ t }}', '{{ p }}'), { async: 30, poll: 2, asked: true }],
    ['a number a template gives', task('command', '{{ n }}', undefined), { async: 7, poll: undefined, asked: true }],
    ['reboot forgotten: runs as without async', task('reboot', 30, '{{ z }}'), { asked: true }],
    ['reboot polled: fails after it ran', task('reboot', 30, 2), { asked: true, noJob: true }],
    ['reboot without a poll: fails after it ran', task('reboot', 30), { asked: true, noJob: true }],
    ['0: not async', task('command', '{{ z }}', '{{ z }}'), { async: 0, poll: 0 }],
    ['none', task('command'), { async: undefined, poll: undefined }],
  ])('%s', (_what, t, want) => {
    expect(asyncOf(t, plain, { t: '30', p: ' 2 ', n: 7, z: 0 })).toEqual(want)
  })

  it('refuses what is not a whole number, naming the field', () => {
    expect(() => asyncOf(task('command', '{{ x }}'), plain, { x: 'abc' })).toThrow(/"async" must be a whole number/)
    expect(() => asyncOf(task('command', 5, '{{ x }}'), plain, { x: 1.5 })).toThrow(/"poll" must be a whole number/)
  })

  it('checks a templated poll: 0 against what cannot run as a job; a written one was checked by the loader', () => {
    expect(() => asyncOf(task('debug', 5, '{{ z }}'), reads, { z: 0 })).toThrow(
      /"poll: 0" \(fire and forget\) with debug is not supported by tsplay: it does not run commands/,
    )
    expect(asyncOf(task('debug', 5, 0), reads, {})).toEqual({ async: 5, poll: 0, asked: true })
    expect(asyncOf(task('debug', '{{ z }}', '{{ z }}'), reads, { z: 0 })).toEqual({ async: 0, poll: 0 })
  })
})
