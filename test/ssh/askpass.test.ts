/**
 * The sudo askpass session folder, made by its real setup script in a local `sh`: in the user's runtime folder when
 * there is one (`XDG_RUNTIME_DIR`: in memory, removed when the user's last session ends), with the password in a
 * 0600 file the helper prints; the clean-up script removes it, and only a folder of tsplay's own.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { askpassSetup, sessionCleanup } from '../../engine/ssh/become.js'

const base = mkdtempSync(join(tmpdir(), 'tsplay-askpass-'))
afterAll(() => rmSync(base, { recursive: true, force: true }))

const sh = (argv: readonly string[], env: Record<string, string>, input = '') =>
  execFileSync(argv[0]!, argv.slice(1), { input, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } })

describe('the askpass session folder', () => {
  it('is made in XDG_RUNTIME_DIR when the user has one, and removed by the clean-up', () => {
    const runtime = join(base, 'run-user')
    mkdirSync(runtime, { mode: 0o700 })
    const env = { HOME: base, XDG_RUNTIME_DIR: runtime }
    const dir = sh(askpassSetup('s3cret').argv, env, 's3cret\n')
    expect(dirname(dir)).toBe(runtime)
    expect(statSync(join(dir, 'pw')).mode & 0o777).toBe(0o600)
    expect(readFileSync(join(dir, 'pw'), 'utf8')).toBe('s3cret\n')
    sh(sessionCleanup(dir).argv, env)
    expect(existsSync(dir)).toBe(false)
  })

  it('falls back to /tmp without a runtime folder', () => {
    const dir = sh(askpassSetup('pw').argv, { HOME: base }, 'pw\n')
    try {
      expect(dir).toMatch(/^\/tmp\/tsplay\.[A-Za-z0-9]{10}$/)
    } finally {
      sh(sessionCleanup(dir).argv, { HOME: base })
    }
    expect(existsSync(dir)).toBe(false)
  })

  it('the clean-up leaves a folder that is not one of its places', () => {
    const other = join(base, 'tsplay.NotOursAtAll')
    mkdirSync(other)
    sh(sessionCleanup(other).argv, { HOME: join(base, 'elsewhere'), XDG_RUNTIME_DIR: join(base, 'run-other') })
    expect(existsSync(other)).toBe(true)
  })
})
