/**
 * Accounts of older checkouts' tests (one fixed password, published in the source) are removed by the run's setup:
 * a user made with that name and its sudoers file are gone after removeLegacyTestUsers().
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { removeLegacyTestUsers } from '../helpers/leftovers.js'

const root = process.getuid?.() === 0
const hasUser = (u: string) =>
  readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .some((l) => l.startsWith(`${u}:`))

describe.skipIf(!root)('legacy test accounts', () => {
  it('are removed with their sudoers files', () => {
    if (!hasUser('tsplay-ns')) execFileSync('useradd', ['-m', '-s', '/bin/sh', 'tsplay-ns'], { stdio: 'pipe' })
    writeFileSync('/etc/sudoers.d/tsplay-test-none', '# made by the legacy-accounts test\n', { mode: 0o440 })
    const removed = removeLegacyTestUsers()
    expect(removed).toContain('user tsplay-ns')
    expect(removed).toContain('/etc/sudoers.d/tsplay-test-none')
    expect(hasUser('tsplay-ns')).toBe(false)
    expect(existsSync('/home/tsplay-ns')).toBe(false)
    expect(existsSync('/etc/sudoers.d/tsplay-test-none')).toBe(false)
  })
})
