/** `--limit @file`: the file's lines are host patterns, as Ansible reads its retry files. */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readLimitFiles } from '../../engine/cli/limitfile.js'
import { UserError } from '../../engine/errors.js'
import { tree } from '../load/helpers.js'

describe('readLimitFiles', () => {
  const dir = tree({ 'failed.retry': 'pi2\n\n  pi5  \n', 'web.list': 'web:&prod\n' })
  const f = (name: string) => `@${join(dir, name)}`

  it.each([
    ['a pattern without a file stays as written', 'web:!pi3', 'web:!pi3'],
    ['a file alone gives its lines, blank ones skipped and spaces trimmed', f('failed.retry'), 'pi2,pi5'],
    ['a file and a name in a union', `${f('failed.retry')},db`, 'pi2,pi5,db'],
    ['a line may be a pattern of its own', `db,${f('web.list')}`, 'db,web:&prod'],
  ])('%s', (_name, pattern, expected) => {
    expect(readLimitFiles(pattern)).toBe(expected)
  })

  it('a missing file is a clear error naming it', () => {
    expect(() => readLimitFiles(f('nope.retry'))).toThrow(UserError)
    expect(() => readLimitFiles(f('nope.retry'))).toThrow(
      /cannot read the file of hosts ".*nope\.retry": file not found/,
    )
  })

  it('a folder is refused', () => {
    expect(() => readLimitFiles(`@${dir}`)).toThrow(/is a folder, not a file of hosts/)
  })
})
