import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { LocalConnector } from '../engine/local/connector.js'
import { ModuleFailure } from '../engine/module.js'
import { slurpCommand, slurpResult } from './slurp.js'

const dir = mkdtempSync(join(tmpdir(), 'tsplay-slurp-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
writeFileSync(join(dir, 'text'), 'hello\n')
writeFileSync(join(dir, 'bin'), Buffer.from([0, 1, 254, 255]))
writeFileSync(join(dir, 'empty'), '')
mkdirSync(join(dir, 'folder'))
const local = new LocalConnector('localhost')

describe('slurp', () => {
  const cases: Array<{ file: string; content?: string; error?: RegExp }> = [
    { file: 'text', content: Buffer.from('hello\n').toString('base64') },
    { file: 'bin', content: 'AAH+/w==' },
    { file: 'empty', content: '' },
    { file: 'missing', error: /^file not found: .*missing$/ },
    { file: 'folder', error: /^source is a directory and must be a file/ },
  ]
  test.each(cases)('$file', async ({ file, content, error }) => {
    const src = join(dir, file)
    const r = await local.run(slurpCommand(src))
    if (error) {
      expect(() => slurpResult(src, r)).toThrow(ModuleFailure)
      expect(() => slurpResult(src, r)).toThrow(error)
    } else expect(slurpResult(src, r)).toEqual({ content, encoding: 'base64', source: src })
  })
})
