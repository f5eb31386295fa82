/**
 * The filters and tests that read the controller's files and environment (`fileglob`, `realpath`, `expandvars`,
 * `link_exists`), on a temporary folder: what ansible-cases.json cannot pin down, since it differs per machine.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { evalExpr } from '../../engine/expr.js'

let dir: string
const ev = (src: string) => evalExpr(src, { dir })

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsplay-pathfilters-'))
  for (const f of ['a.txt', 'b.txt', 'c.log', 'sub/c.txt', 'other/d.txt']) {
    mkdirSync(join(dir, f, '..'), { recursive: true })
    writeFileSync(join(dir, f), '')
  }
  mkdirSync(join(dir, 'folder.txt'))
  symlinkSync(join(dir, 'sub'), join(dir, 'link'))
  symlinkSync(join(dir, 'gone'), join(dir, 'dangling'))
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('controller path filters', () => {
  it('fileglob: regular files matching, wildcards in folders too', () => {
    expect(ev("(dir ~ '/*.txt') | fileglob")).toEqual([join(dir, 'a.txt'), join(dir, 'b.txt')])
    expect(ev("(dir ~ '/*/?.txt') | fileglob")).toEqual([
      join(dir, 'link/c.txt'),
      join(dir, 'other/d.txt'),
      join(dir, 'sub/c.txt'),
    ])
    expect(ev("(dir ~ '/none/*') | fileglob")).toEqual([])
  })

  it('realpath: links resolved as far as the path exists', () => {
    expect(ev("(dir ~ '/link/c.txt') | realpath")).toBe(join(dir, 'sub/c.txt'))
    expect(ev("(dir ~ '/link/new/../x') | realpath")).toBe(join(dir, 'sub/x'))
  })

  it("expandvars: the controller's variables, unknown ones kept", () => {
    process.env.TSPLAY_TEST_EXPAND = 'v1'
    try {
      expect(ev("'$TSPLAY_TEST_EXPAND-${TSPLAY_TEST_EXPAND}-$TSPLAY_TEST_UNSET'| expandvars")).toBe(
        'v1-v1-$TSPLAY_TEST_UNSET',
      )
    } finally {
      delete process.env.TSPLAY_TEST_EXPAND
    }
  })

  it('link_exists holds for a dangling link, exists does not', () => {
    expect(ev("(dir ~ '/dangling') is link_exists")).toBe(true)
    expect(ev("(dir ~ '/dangling') is exists")).toBe(false)
    expect(ev("(dir ~ '/link') is same_file(dir ~ '/sub')")).toBe(true)
    expect(ev('dir is mount')).toBe(false)
  })
})
