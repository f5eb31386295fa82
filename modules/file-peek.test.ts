import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import file from './file.js'
import { localIO, runWith, testCtx } from '../test/helpers/module-ctx.js'

const dir = mkdtempSync(join(tmpdir(), 'tsplay-file-peek-'))
beforeAll(() => {
  writeFileSync(join(dir, 'text'), 'plain text\n')
  writeFileSync(join(dir, 'nul'), Buffer.from([0x41, 0, 0x42]))
  writeFileSync(join(dir, 'late-nul'), Buffer.concat([Buffer.alloc(8192, 0x41), Buffer.from([0])]))
  writeFileSync(join(dir, 'empty'), '')
  mkdirSync(join(dir, 'folder'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

// Ansible's file module with `_diff_peek` (set at all, true or false) only reports whether the first 8 KiB of the
// file hold a NUL byte; a path it cannot read counts as text
describe('_diff_peek: appears_binary, nothing changed', () => {
  test.each([
    ['text', true, false],
    ['nul', true, true],
    ['nul', false, true],
    ['late-nul', true, false],
    ['empty', true, false],
    ['missing', true, false],
    ['folder', true, false],
  ])('%s (_diff_peek: %s) → appears_binary %s', async (name, peek, binary) => {
    const path = join(dir, name)
    const r = await runWith(file, { path, _diff_peek: peek }, testCtx(), localIO())
    expect(r).toMatchObject({ changed: false, failed: undefined })
    expect(r.data).toMatchObject({ path, appears_binary: binary })
  })
  test('src without a link state still fails, as Ansible', async () => {
    const r = await runWith(file, { path: join(dir, 'text'), src: '/x', _diff_peek: true }, testCtx(), localIO())
    expect(r.failed).toBe("src option requires state to be 'link' or 'hard'")
  })
})
