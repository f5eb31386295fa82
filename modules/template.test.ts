import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, lstatSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import template, { encodeOutput } from './template.js'
import { renderTemplateFile } from '../engine/template.js'
import { localIO, runWith, testCtx } from '../test/helpers/module-ctx.js'

const dir = mkdtempSync(join(tmpdir(), 'tsplay-template-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const SRC = join(dir, 'src.j2')
writeFileSync(SRC, 'a\n  {% if x %}\nyes é\n  {% endif %}\nz\n')
const ctx = testCtx({ render: (t, f, jinja) => renderTemplateFile(t, f, { x: true }, jinja), diffMode: false })

type Row = [string, Record<string, unknown>, Buffer]
const rows: Row[] = [
  ['defaults: trim_blocks on, lstrip_blocks off', {}, Buffer.from('a\n  yes é\n  z\n')],
  ['lstrip_blocks', { lstrip_blocks: true }, Buffer.from('a\nyes é\nz\n')],
  ['trim_blocks off', { trim_blocks: false }, Buffer.from('a\n  \nyes é\n  \nz\n')],
  ['newline_sequence \\r\\n', { newline_sequence: '\r\n', lstrip_blocks: true }, Buffer.from('a\r\nyes é\r\nz\r\n')],
  // written escaped ('\r\n' in single-quoted YAML): the same line ending, as Ansible maps it
  ['newline_sequence escaped', { newline_sequence: '\\r\\n', lstrip_blocks: true }, Buffer.from('a\r\nyes é\r\nz\r\n')],
  [
    'output_encoding latin-1',
    { output_encoding: 'latin-1', lstrip_blocks: true },
    Buffer.from('a\nyes é\nz\n', 'latin1'),
  ],
]

describe('template arguments', () => {
  it.each(rows)('%s', async (_n, args, want) => {
    const dest = join(dir, `out-${Math.random().toString(36).slice(2)}`)
    const r = await runWith(template, { src: SRC, dest, ...args }, ctx, localIO())
    expect(r.failed, r.msg).toBeUndefined()
    expect(readFileSync(dest)).toEqual(want)
  })
  it('a #jinja2: line in the template wins over the arguments', () => {
    const text = '#jinja2: trim_blocks: False\n{% if x %}\ny\n{% endif %}\n'
    expect(renderTemplateFile(text, 't.j2', { x: true }, { trimBlocks: true })).toBe('\ny\n')
  })
  it('follow: writes through a symlink at dest; without it the link is replaced by a file', async () => {
    const target = join(dir, 'target')
    writeFileSync(target, 'old\n')
    const link = join(dir, 'link')
    symlinkSync(target, link)
    expect((await runWith(template, { src: SRC, dest: link, follow: true }, ctx, localIO())).failed).toBeUndefined()
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
    expect(readFileSync(target, 'utf8')).toBe('a\n  yes é\n  z\n')
    writeFileSync(SRC + '2', 'new\n')
    expect((await runWith(template, { src: SRC + '2', dest: link }, ctx, localIO())).failed).toBeUndefined()
    expect(lstatSync(link).isSymbolicLink()).toBe(false)
    expect(readFileSync(target, 'utf8')).toBe('a\n  yes é\n  z\n')
  })
  it('output_encoding: unknown names and characters the encoding lacks fail', () => {
    expect(() => encodeOutput('x', 'ebcdic')).toThrow(/unknown encoding: ebcdic/)
    expect(() => encodeOutput('é', 'ascii')).toThrow(/can't encode/)
    expect(encodeOutput('é', 'UTF_8')).toEqual(Buffer.from('é'))
  })
})
